"""Over-long authors and dates are cut before feedparser reads them
(``digest.sources.feedfields``): feedparser's search for an e-mail address in an
author is quadratic in its length, so a broken or hostile feed could stall ingest.

No test here times anything: they check what feedparser is handed (its input is
bounded), that real feeds are handed over unchanged, and that the pass itself
scans each byte a bounded number of times (work counted, not seconds)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import feedparser
import pytest

from digest.sources import ReadOptions
from digest.sources import feeds as feeds_module
from digest.sources.feedfields import cut_long_fields, field_rules
from digest.sources.feeds import read_feed

ROOT = Path(__file__).resolve().parents[1]
REAL_FEEDS = sorted((ROOT / "tests" / "fixtures" / "feeds").rglob("*.*"))
CAP = field_rules().max_chars
# Long enough to show the cut, short enough that the unguarded parse is quick.
LONG = 5_000
X = "x" * LONG
NS = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
)
ITEM = (
    "<item><title>Quake hits the coast</title><link>https://ok.example/world/quake</link>"
    "<pubDate>Sun, 22 Nov 2020 10:00:00 GMT</pubDate>{field}</item>"
)


def rss(field: str, channel: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" {NS}><channel><title>T</title>{channel}'
        f"{ITEM.format(field=field)}</channel></rss>"
    ).encode()


def atom(field: str) -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        '<entry><title>Quake</title><link href="https://ok.example/world/quake"/><id>1</id>'
        f"<updated>2020-11-22T10:00:00Z</updated>{field}</entry></feed>"
    ).encode()


# Every way found to hand feedparser's e-mail regex a long author: the plain
# elements, and the text hidden behind markup that feedparser joins back.
HOSTILE = {
    "rss author": rss(f"<author>{X}</author>"),
    "dc:creator": rss(f"<dc:creator>{X}</dc:creator>"),
    "itunes:author": rss(f"<itunes:author>{X}</itunes:author>"),
    "managingEditor": rss("", channel=f"<managingEditor>{X}</managingEditor>"),
    "webMaster": rss("", channel=f"<webMaster>{X}</webMaster>"),
    "dc:publisher": rss(f"<dc:publisher>{X}</dc:publisher>"),
    "publisher with a name": rss(f"<dc:publisher><name>A</name>{X}</dc:publisher>"),
    "in CDATA": rss(f"<author><![CDATA[{X}]]></author>"),
    "split by CDATA": rss("<author>" + "<![CDATA[xxxxxxxxxx]]>" * (LONG // 10) + "</author>"),
    "as entities": rss("<author>" + "&#120;" * LONG + "</author>"),
    "behind a comment": rss(f"<author>{X}<!---->{X}</author>"),
    "behind a child": rss(f"<author>{X}<b/>{X}</author>"),
    "nested": rss(f"<author><author></author>{X}</author>"),
    "upper case": rss(f"<AUTHOR>{X}</AUTHOR>"),
    "atom text author": atom(f"<author>{X}</author>"),
    "atom author name": atom(f"<author><name>{X}</name></author>"),
    "atom contributor": atom(f"<contributor><name>{X}</name></contributor>"),
}


def parsed_by_feedparser(monkeypatch: pytest.MonkeyPatch, data: bytes) -> Any:
    """What feedparser made of ``data`` inside :func:`read_feed`."""
    seen: list[Any] = []
    real = feedparser.parse

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(feeds_module.feedparser, "parse", spy)
    read_feed(data, ReadOptions(source="hostile.rss"))
    (parsed,) = seen
    return parsed


def longest_name(parsed: Any) -> int:
    """The longest author, publisher or contributor name feedparser produced."""
    lengths = [0]
    for part in (parsed.feed, *parsed.entries):
        for key in ("author", "publisher"):
            lengths.append(len(part.get(key) or ""))
        for people in (part.get("authors") or [], part.get("contributors") or []):
            lengths += [len(person.get("name") or "") for person in people]
    return max(lengths)


@pytest.mark.parametrize("shape", HOSTILE)
def test_feedparser_never_sees_a_long_author(monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    parsed = parsed_by_feedparser(monkeypatch, HOSTILE[shape])
    assert parsed.entries, shape
    assert 0 < longest_name(parsed) <= CAP


def test_the_item_is_kept_with_its_author_cut() -> None:
    (article,) = read_feed(HOSTILE["dc:creator"], ReadOptions(source="hostile.rss")).articles
    assert article.title == "Quake hits the coast"
    assert article.byline == "x" * CAP


def test_a_long_date_is_cut_and_the_item_kept_with_a_named_reason() -> None:
    # dateutil is slow on a date of thousands of tokens; a date that long is no date.
    data = rss("").replace(b"Sun, 22 Nov 2020 10:00:00 GMT", b"1 " * LONG)
    result = read_feed(data, ReadOptions(source="hostile.rss"))
    (skipped,) = result.skipped
    assert "unreadable date" in skipped.reason
    assert len(skipped.reason) < 2 * CAP  # the reason quotes the cut date, not 10 KB


def test_a_byline_at_the_limit_is_kept_whole() -> None:
    # An entity counts as the one character it stands for: 6 * CAP bytes, CAP letters.
    at_limit = rss("<dc:creator>" + "&#233;" * CAP + "</dc:creator>")
    assert cut_long_fields(at_limit, "s") is at_limit
    over = rss("<dc:creator>" + "&#233;" * (CAP + 1) + "</dc:creator>")
    (article,) = read_feed(over, ReadOptions(source="s")).articles
    assert article.byline == "é" * CAP


def test_a_cut_is_logged_naming_the_feed_element_and_item(caplog: pytest.LogCaptureFixture) -> None:
    data = rss(f"<dc:creator>{X}</dc:creator>").replace(b"<item>", b"<item></item><item>", 1)
    with caplog.at_level(logging.WARNING, logger="digest.sources"):
        read_feed(data, ReadOptions(source="wire.rss"))
    (record,) = caplog.records
    message = record.getMessage()
    assert "wire.rss" in message and "<dc:creator>" in message and "item 2" in message


@pytest.mark.parametrize("path", REAL_FEEDS, ids=lambda p: p.name)
def test_real_feeds_are_handed_over_unchanged(path: Path) -> None:
    data = path.read_bytes()
    assert cut_long_fields(data, path.name) is data


def test_markup_around_a_field_survives_the_cut() -> None:
    data = rss(f"<dc:creator><![CDATA[{X}]]></dc:creator><category>World</category>")
    (article,) = read_feed(data, ReadOptions(source="s")).articles
    assert article.byline == "x" * CAP
    assert article.tags == ("World",)


class CountingBytes(bytes):
    """Bytes that count how many bytes their ``find`` calls scan."""

    scanned = 0

    def find(self, sub: Any, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        found = super().find(sub, start, end)
        begin = 0 if start is None else start
        CountingBytes.scanned += (len(self) if found == -1 else found) - begin
        return found


@pytest.mark.parametrize(
    "junk",
    [
        b"<a" * 20_000,  # tags that never end
        b"<!--" * 20_000,  # comments that never end
        b"<?" * 20_000,
        b"<author>" * 20_000,  # fields that never close
        b"<![CDATA[" * 20_000,
        b"<author>x</author>" * 5_000,
    ],
    ids=["tags", "comments", "instructions", "open fields", "cdata", "closed fields"],
)
def test_the_pass_scans_each_byte_a_bounded_number_of_times(junk: bytes) -> None:
    data = CountingBytes(b'<?xml version="1.0"?><rss><channel>' + junk + b"</channel></rss>")
    CountingBytes.scanned = 0
    cut_long_fields(data, "junk.rss")
    assert CountingBytes.scanned <= 3 * len(data)


def test_an_unclosed_img_tag_does_not_take_a_later_tags_src() -> None:
    # Each try at an <img> stops at the next "<": an unclosed tag repeated through a
    # description is then read in linear time, and never borrows a script's src.
    markup = '<img class="lazy" <script src="https://ads.example/x.js"></script>'
    assert feeds_module._markup_image(markup, "", "Quake") is None
    markup += '<img alt="" src="https://ok.example/quake.jpg">'
    found = feeds_module._markup_image(markup, "", "Quake")
    assert found is not None and found.url == "https://ok.example/quake.jpg"


def test_a_structured_authors_parts_have_a_budget_each() -> None:
    # feedparser takes an Atom author's name and e-mail from its children and never
    # searches the author's own text, so each part is one field: a valid author
    # whose name, e-mail and profile address together pass the limit is left whole.
    uri = "https://ok.example/people/" + "a" * (CAP - 30)
    whole = atom(
        f"<author><name>Jane Doe</name><email>jd@ok.example</email><uri>{uri}</uri></author>"
    )
    assert cut_long_fields(whole, "s") is whole
    # Each part, and the author's own text beside them, is still cut on its own.
    over = atom(f"<author><name>{X}</name>{X}<email>{X}</email></author>")
    parsed = feedparser.parse(cut_long_fields(over, "s"))
    (author,) = parsed.entries[0].authors
    assert len(author.name) == CAP and len(author.email) <= CAP
