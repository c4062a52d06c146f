"""Scraped page dumps: the real mid-day crawl and its variations."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.errors import SourceError
from digest.model import Article, to_plain
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PAGES = FIXTURES / "pages"
VARIANTS = PAGES / "variants"
IST = timezone(timedelta(hours=5, minutes=30))

#: Every line of the real page's boilerplate block, which must reach no field.
PUTIN_BOILERPLATE = (
    "shot-button",
    "Maharashtra Elections 2024",
    "Home > News",
    "Keep scrolling",
    "Catch up on all the latest",
    "Android and iOS apps",
    "now on Telegram",
    "third party syndicated feed",
    "accepts no responsibility",
    "WhatsApp Channels",
    "Click here",
    "Web Stories",
    "uses cookie",
    "Privacy Policy",
)


def read(path: str, **options: object) -> Article:
    """The one article of a page dump, read with the built-in rules."""
    base = ReadOptions(source=path, boilerplate=Boilerplate.builtin())
    data = (PAGES / path).read_bytes()
    result = read_page(data, dataclasses.replace(base, **options))  # type: ignore[arg-type]
    assert len(result.articles) == 1
    return result.articles[0]


def all_text(article: Article) -> str:
    """Every text field of an article, joined, for "nothing leaked" checks."""
    return repr(to_plain(article))


def test_real_putin_page_keeps_headline_repeat_and_caption_out_of_the_body() -> None:
    """Field by field the page is checked in test_pipeline; here, what the reader
    sets aside: the repeated headline and the caption, and times in UTC."""
    article = read("midday-world-2020-11-23-putin-biden.txt")
    assert article.title == "Won't recognise Joe Biden as US President: Putin"
    assert article.published_at == datetime(2020, 11, 23, 8, 55, tzinfo=IST)
    assert article.published_at.tzinfo is UTC
    assert (article.section, article.dateline, article.agency) == ("world", "Moscow", "IANS")
    assert article.image is not None
    assert article.image.caption == "Russian President Vladimir Putin. File pic"
    assert article.title not in article.body
    assert "File pic" not in article.body
    assert article.summary not in article.body
    assert article.body.count("\n\n") == 6


def test_real_putin_page_leaks_no_boilerplate_into_any_field() -> None:
    text = all_text(read("midday-world-2020-11-23-putin-biden.txt")).lower()
    for line in PUTIN_BOILERPLATE:
        assert line.lower() not in text, line


def test_page_without_breadcrumb_takes_the_line_above_the_time_as_title() -> None:
    article = read("variants/no-breadcrumb-published-pti.txt")
    assert article.title == "Rockets hit Kabul residential areas, eight killed"
    assert article.published_at == datetime(2020, 11, 22, 9, 10, tzinfo=IST)
    assert article.updated_at is None  # "Published on", not "Updated on"
    assert (article.dateline, article.agency) == ("Kabul", "PTI")
    assert article.section == ""  # nothing says which section it is
    assert article.image is not None and article.image.caption.endswith("Pic/AFP")
    text = all_text(article)
    for junk in ("IPL 2020", "Mumbai Rains", "Also Read", "Advertisement", "cookie", "apps"):
        assert junk not in text, junk
    assert len(article.body.split("\n\n")) == 3


def test_page_with_no_credit_line_no_dateline_and_spaced_date() -> None:
    article = read("variants/no-credit-no-dateline-spaced-date.txt")
    assert article.title.startswith("Hong Kong, Singapore postpone travel bubble")
    assert article.published_at == datetime(2020, 11, 22, 18, 45, tzinfo=IST)
    assert article.updated_at == article.published_at  # only "Updated on" is shown
    assert (article.dateline, article.agency, article.byline) == ("", "", "")
    assert article.image is None
    assert article.summary.startswith("The quarantine-free travel corridor")
    assert "WhatsApp" not in all_text(article) and "Catch up" not in all_text(article)


def test_page_with_published_and_updated_lines_and_a_byline() -> None:
    article = read("variants/published-updated-byline-iso.txt")
    assert article.published_at == datetime(2020, 11, 22, 1, 0, tzinfo=UTC)
    assert article.updated_at == datetime(2020, 11, 22, 21, 10, tzinfo=IST)
    assert (article.byline, article.agency, article.dateline) == ("Asha Rao", "", "London")
    # Breadcrumb "Home > World > Europe": the known section wins over the region.
    assert article.section == "world"
    assert article.image is not None and "File pic/Reuters" in article.image.caption
    assert "Related Stories" not in article.body and "Brexit talks" not in article.body
    assert "Follow us" not in article.body


def test_page_with_gmt_time_and_wire_dateline_in_the_first_paragraph() -> None:
    article = read("variants/gmt-wire-dateline.txt")
    assert article.published_at == datetime(2020, 11, 22, 15, 40, tzinfo=UTC)
    assert (article.dateline, article.agency) == ("Geneva", "AFP")
    assert article.section == "world"  # "International" maps to world
    assert article.summary.startswith("The World Health Organization warned")


def test_windows_1252_page_with_crlf_named_zone_and_publisher_rules() -> None:
    rules = Boilerplate.builtin().extended(
        Boilerplate.compile([r"^subscribe to the"], [r"^more from the network$"])
    )
    article = read("variants/windows-1252-crlf-named-zone.txt", boilerplate=rules)
    assert article.title == "Cyclone Gati hits Somalia – strongest storm on record"
    assert (
        article.summary
        == "Forecasters said the storm could bring two years’ worth of rain in two days"
    )
    # 19:05 in London in November is GMT.
    assert article.published_at == datetime(2020, 11, 22, 19, 5, tzinfo=ZoneInfo("Europe/London"))
    assert (article.dateline, article.agency, article.section) == ("Mogadishu", "Agencies", "world")
    assert "SUBSCRIBE" not in article.body
    assert "Celebrity" not in article.body and "MORE FROM" not in article.body
    assert "\r" not in all_text(article)


def test_without_the_publisher_rules_the_same_page_keeps_its_promos() -> None:
    """The rules are data: the built-in set alone does not know this site's promo."""
    article = read("variants/windows-1252-crlf-named-zone.txt")
    assert "SUBSCRIBE TO THE MORNING BRIEFING" in article.body


def test_time_without_zone_is_read_in_the_source_time_zone() -> None:
    data = b"Title of a story here\nPublished on: 22 November 2020 10:00\n" + b"Body text. " * 20
    options = ReadOptions(source="t.txt", timezone=ZoneInfo("Asia/Kolkata"))
    (article,) = read_page(data, options).articles
    assert article.published_at == datetime(2020, 11, 22, 4, 30, tzinfo=UTC)


def test_url_template_gives_a_stable_link_and_id() -> None:
    options = {"url_template": "https://www.mid-day.com/news/{section}-news/article/{slug}"}
    first = read("midday-world-2020-11-23-putin-biden.txt", **options)
    again = read("midday-world-2020-11-23-putin-biden.txt", **options)
    assert first.url == (
        "https://www.mid-day.com/news/world-news/article/"
        "won-t-recognise-joe-biden-as-us-president-putin"
    )
    assert first.id == again.id


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no article text"),
        (b"Just a title\nand a line\n", "no article body"),
        (b"Title\nUpdated on: 23 November,2020 08:55 AM IST\n", "no article body"),
        (b"\x00\x01\x02PK\x03\x04" * 100, "binary data"),
    ],
)
def test_unusable_dumps_get_a_named_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason) as caught:
        read_page(data, ReadOptions(source="bad.txt"))
    assert caught.value.source == "bad.txt"


def test_every_bundled_example_page_reads_cleanly() -> None:
    pages = sorted((ROOT / "examples" / "pages").glob("*.txt"))
    assert len(pages) == 17
    rules = Boilerplate.builtin()
    for page in pages:
        (article,) = read_page(
            page.read_bytes(), ReadOptions(str(page), boilerplate=rules)
        ).articles
        assert article.title and article.body and article.section, page.name
        assert "Keep scrolling" not in all_text(article), page.name


def test_a_several_word_place_after_the_time_is_the_dateline_not_a_byline() -> None:
    page = (
        b"Home > News > World News > Article > Tigray ultimatum\n\n"
        b"Ethiopia PM gives Tigray leaders 72 hours to surrender\n\n"
        b"Updated on: 23 November,2020 07:40 AM IST  |  Addis Ababa\n"
        b"AFP |\n\n"
        b"The army has warned residents of the Tigray capital.\n\n"
        b"Prime Minister Abiy Ahmed said the offensive would begin after the deadline, "
        b"and urged civilians to leave the city before then.\n"
    )
    options = ReadOptions(source="tigray.txt", boilerplate=Boilerplate.builtin())
    (article,) = read_page(page, options).articles
    assert (article.dateline, article.agency, article.byline) == ("Addis Ababa", "AFP", "")
    assert article.updated_at == datetime(2020, 11, 23, 7, 40, tzinfo=IST)
