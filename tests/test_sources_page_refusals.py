"""Every way the page reader can refuse a dump (issue 12, stop 29): a page with a
title and a body is never refused, whatever its encoding, its crawler's header
line, the shortness of its story or the lack of a headline line over it when its
document title names it; a dump with no title or no body is, with an error naming
the file.  The fixtures are hand-written in the shapes of real dumps of the read
sets (navigation, share buttons, footers around a story)."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime, timedelta, timezone

import pytest

from digest.errors import SourceError
from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

from .german_story import paragraphs

SAVED = datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
TITLE = "Council closes the old bridge to cars"
P1 = (
    "The council voted on Tuesday to close the old bridge to cars after engineers found"
    " deep cracks in two of its supports."
)
P2 = (
    "Work on a replacement will start in May and last two years, officials said, and"
    " drivers will use the ring road."
)
GERMAN_TITLE = "Stadtrat sperrt die alte Brücke für Autos"
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Autos zu sperren, "
    "nachdem Ingenieure tiefe Risse in zwei ihrer Pfeiler gefunden hatten."
)
CHROME = ["Home", "News", "Sport", "Weather"]
FOOTER = ["Share", "Tweet", "Email", "© 2024 Town News", "Privacy policy"]


def read(data: bytes, source: str = "page.txt", saved: datetime | None = SAVED) -> Article:
    """The one article of a dump, read as the ingest reads a file saved at ``saved``."""
    options = ReadOptions(source, boilerplate=Boilerplate.builtin(), reference_time=saved)
    (article,) = read_page(data, options).articles
    return article


def dump(*lines: str) -> bytes:
    return "\n".join(lines).encode()


# -- Encodings: no text page is refused for how it was saved ----------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32_dumps_are_read(codec: str) -> None:
    """Saved as UTF-16 or UTF-32 (with a byte-order mark, or UTF-16 without one, as
    Windows tools save "Unicode"): refused as binary data for their nul bytes."""
    text = "\n".join([*CHROME, GERMAN_TITLE, GERMAN, GERMAN, *FOOTER])
    article = read(text.encode(codec))
    assert article.title == GERMAN_TITLE
    assert "Brücke" in article.summary


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("shape", ["Russian chrome", "Chinese page"])
def test_utf16_dumps_without_a_mark_in_any_script_are_read(codec: str, shape: str) -> None:
    """UTF-16 with no byte-order mark and few nul bytes (Cyrillic, Chinese: only
    spaces and line ends have a nul high byte) was refused as binary data."""
    text = SHAPES[shape].decode()
    article = read(text.encode(codec))
    assert article.title == text.splitlines()[1]
    assert article.summary


def test_big_endian_utf32_dump_cut_short_is_read() -> None:
    """A UTF-32 dump with a big-endian mark missing its last byte (not UTF-32
    strictly, then) was refused as binary data."""
    text = "\n".join([GERMAN_TITLE, GERMAN, GERMAN])
    article = read((codecs.BOM_UTF32_BE + text.encode("utf-32-be"))[:-1])
    assert article.title == GERMAN_TITLE
    assert article.summary == GERMAN


def test_utf8_dump_cut_mid_character_is_read_as_utf8() -> None:
    """A dump cut in the middle of its last character: the whole page was read as
    Windows-1252 ("BrÃ¼cke")."""
    data = "\n".join([GERMAN_TITLE, GERMAN, GERMAN + " Größ"]).encode()[:-1]
    article = read(data)
    assert article.title == GERMAN_TITLE
    assert "Ã" not in article.summary + article.body


def test_utf8_dump_with_stray_bytes_is_read() -> None:
    """UTF-8 ("Á" is C3 81) with two stray bytes: not UTF-8, and 0x81 is no
    Windows-1252 byte either, so the page was refused."""
    data = dump(GERMAN_TITLE + " in Ávila", GERMAN, GERMAN) + b"\x81\xff"
    article = read(data)
    assert article.title == GERMAN_TITLE + " in Ávila"


def test_windows_1252_dump_with_an_undefined_byte_is_read() -> None:
    """Windows-1252 with one of the five bytes it leaves undefined (browsers read
    them as Latin-1): refused as neither UTF-8 nor Windows-1252."""
    more = "Die „Straße“ am Fluss bleibt offen, sagte der Bürgermeister am Abend in der Stadt."
    text = "\n".join([GERMAN_TITLE, GERMAN, more, GERMAN])
    article = read(text.encode("cp1252") + b"\x81")
    assert article.title == GERMAN_TITLE
    assert "„Straße“" in article.body


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02PK\x03\x04" * 100,
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 50,
        bytes(range(256)) * 8,
    ],
)
def test_binary_data_is_still_refused_naming_the_file(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"junk\.txt.*binary data") as caught:
        read(data, source="junk.txt")
    assert caught.value.source == "junk.txt"


# -- The crawl time ------------------------------------------------------------


def test_unreadable_fetched_at_line_leaves_the_file_time() -> None:
    """A crawler's header line that reads as no time refused the whole page."""
    article = read(dump("fetched_at: yesterday-ish", *CHROME, TITLE, P1, P2, *FOOTER))
    assert article.title == TITLE
    assert article.time_from_crawl
    assert article.published_at == SAVED


def test_page_with_no_time_and_no_crawl_time_is_dated_now() -> None:
    """No time printed, no file time, no fetched_at line: refused ("no readable
    time"); it is dated when it is read (by the injected clock, not the wall
    clock, given in UTC whatever zone the clock tells) and flagged."""
    now = datetime(2024, 5, 3, 20, 0, tzinfo=timezone(timedelta(hours=2)))
    options = ReadOptions("page.txt", boilerplate=Boilerplate.builtin(), clock=lambda: now)
    data = dump(*CHROME, TITLE, P1, P2, *FOOTER)
    (article,) = read_page(data, options).articles
    assert article.title == TITLE
    assert article.time_from_crawl
    assert article.published_at == datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
    assert article.published_at.tzinfo is UTC


# -- Short stories and missing headline lines ----------------------------------


def test_one_sentence_brief_is_read() -> None:
    """A headline over one short sentence: refused ("no article body")."""
    article = read(dump(TITLE, "The old bridge is closed to cars from today."))
    assert article.title == TITLE
    assert article.summary == "The old bridge is closed to cars from today."


def test_story_told_as_a_bulleted_list_is_read() -> None:
    """Short sentences under the headline, none long enough to read as prose."""
    bullets = [
        "- The old bridge is closed to cars.",
        "- Drivers must use the ring road.",
        "- Work starts in May.",
        "- It will last two years.",
    ]
    article = read(dump("Bridge closed to cars", *bullets))
    assert article.title == "Bridge closed to cars"
    assert "ring road" in article.body


def test_document_title_names_a_story_with_no_headline_line() -> None:
    """The dump's first line "Headline | Site", then only prose: refused ("no
    headline found") though the document title names the page."""
    article = read(dump(f"{TITLE} | Town News", f"{P1} {P2}", f"{P2} {P1}", f"{P1} Again."))
    assert article.title == TITLE
    assert "deep cracks" in article.summary + article.body


# -- The refusals that stay: no title, or no body --------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no article text"),
        (b"\n\n   \n", "no article text"),
        (dump(TITLE), "no article body"),
        (dump(*CHROME, TITLE, *FOOTER), "no article body"),
        # Prose with nothing above it and no document title: no title.
        (dump(f"{P1} {P2} {P1}", P2 * 2, P1 * 2), "no headline found"),
        # A page run into one line: no line is its title.
        (dump(f"{TITLE} {P1} {P2} {P1} {P2}"), "no headline found"),
    ],
)
def test_dump_without_a_title_or_a_body_is_refused_naming_the_file(
    data: bytes, reason: str
) -> None:
    with pytest.raises(SourceError, match=reason) as caught:
        read(data, source="shapes/bad.txt")
    assert caught.value.source == "shapes/bad.txt"
    assert str(caught.value).startswith("shapes/bad.txt")


# -- Shapes of real dumps: none is refused ---------------------------------------


SHAPES = {
    "no date at all": dump(*CHROME, TITLE, P1, P2, *FOOTER),
    "date only in the footer": dump(
        *CHROME, TITLE, P1, P2, *FOOTER[:3], "Tags", "Roads", "Published 3 March 2024", FOOTER[3]
    ),
    "Russian chrome": dump(
        "Главная » Новости",
        "Мост закрыт для машин",
        "Городской совет во вторник проголосовал за закрытие старого моста после того, как"
        " инженеры нашли глубокие трещины в двух опорах.",
        "Работы по замене начнутся в мае и продлятся два года, сообщили чиновники.",
        "Поделиться",
    ),
    "Chinese page": dump(
        "首页",
        "大桥禁止汽车通行",
        "市议会周二投票决定关闭这座旧桥，因为工程师在两个桥墩中发现了深深的裂缝。",
        "替换工程将于五月开始，持续两年，官员们说，司机们将使用环路。",
    ),
    "old Mac line ends": "\r".join([TITLE, P1, P2]).encode(),
    "Windows line ends and a mark": ("\ufeff" + "\r\n".join([TITLE, P1, P2])).encode(),
    "blank lines and tabs": dump("", "  ", f"\t{TITLE}\t", "", f"\t{P1}", "", P2, ""),
    "one paragraph": dump(*CHROME, TITLE, f"{P1} {P2} {P1}", *FOOTER),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_real_dump_shapes_with_a_title_and_a_body_are_read(shape: str) -> None:
    article = read(SHAPES[shape])
    assert article.title
    assert article.summary or article.body


def test_date_only_in_the_footer_dates_the_page() -> None:
    article = read(SHAPES["date only in the footer"])
    assert not article.time_from_crawl
    assert article.published_at == datetime(2024, 3, 3, tzinfo=UTC)


# -- Error pages saved instead of a story (stop 30) ----------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [
            *CHROME,
            "Page not found",
            "Sorry, the page you are looking for does not exist or has been moved. Try the"
            " search box below or go back to the home page.",
            "Search",
            *FOOTER,
        ],
        [
            "404 Not Found | Town News",
            *CHROME,
            "404",
            "Oops! That page can’t be found.",
            "It looks like nothing was found at this location. Maybe try one of the links"
            " below or a search?",
            "Recent posts",
            TITLE,
            *FOOTER,
        ],
        [
            *CHROME,
            "Page not found – Town News",
            "Nothing was found at this address. It may have moved, or it never was; try"
            " the search box below or one of the links in the menu.",
            *FOOTER,
        ],
        [
            *CHROME,
            "Seite nicht gefunden",
            "Die angeforderte Seite konnte leider nicht gefunden werden. Bitte nutzen Sie"
            " die Suche oder kehren Sie zur Startseite zurück.",
            "Impressum",
        ],
    ],
)
def test_a_servers_error_page_is_refused_naming_the_file(lines: list[str]) -> None:
    """A crawler that saved a 404 page instead of the story gave an "article"
    headed "Page not found"; it is refused, the file and the headline named."""
    with pytest.raises(SourceError, match=r"page\.txt: an error page, not an article"):
        read(dump(*lines))


@pytest.mark.parametrize(
    ("title", "story"),
    [
        # An article about such errors says more in its headline.
        ("Error 404: why the web forgets its own pages", [P1, P2]),
        # A headline of those words over a story of some length is a story.
        ("Not Found", [P1, *paragraphs("The bridge", 8), P2]),
        # A short brief whose headline goes on after a dash: no site's name cut off.
        ("Access denied – council shuts the old bridge to cars", [P1, P2]),
        ("Not found - search for missing barge on the river called off", [P1, P2]),
    ],
)
def test_stories_about_or_headed_like_errors_are_read(title: str, story: list[str]) -> None:
    """Not refused: only a headline that is an error's phrase alone, over a few
    lines, marks an error page."""
    article = read(dump(*CHROME, title, *story, *FOOTER))
    assert "ring road" in f"{article.summary} {article.body}"


def test_an_html_error_page_is_refused_naming_the_file() -> None:
    from digest.sources.htmlpage import read_html

    markup = (
        b"<html><head><title>404 Not Found</title></head><body><main><h1>Page not found</h1>"
        b"<p>Sorry, the page you are looking for does not exist or has been moved. Try the"
        b" search box below or go back to the home page of the site.</p></main></body></html>"
    )
    with pytest.raises(SourceError, match=r"gone\.html: an error page, not an article"):
        read_html(markup, ReadOptions("gone.html", reference_time=SAVED))
