"""One bad item skips itself with its reason; the rest of its feed is kept."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import SourceError
from digest.render.text import cut
from digest.sources import SourceSpec, read_sources
from digest.sources.base import ReadOptions
from digest.sources.feeds import read_feed
from digest.sources.fetch import FetchLimits
from digest.sources.jsonfeed import read_json

READ_AT = datetime(2020, 11, 23, 10, 0, tzinfo=UTC)
WHEN = "2020-11-23T08:00Z"


def _rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>https://example.com/{i}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for i, (title, date) in enumerate(items)
    )
    return f'<rss version="2.0"><channel><title>W</title>{body}</channel></rss>'.encode()


def test_an_out_of_range_date_skips_its_item_only() -> None:
    data = _rss(
        ("Good one", "Mon, 23 Nov 2020 08:00:00 GMT"),
        ("Far future", "Fri, 31 Dec 9999 23:00:00 HST"),
        ("Good two", "Mon, 23 Nov 2020 09:00:00 +0530"),
    )
    result = read_feed(data, ReadOptions(source="f.rss", reference_time=READ_AT))
    assert [a.title for a in result.articles] == ["Good one", "Good two"]
    (skipped,) = result.skipped
    assert skipped.item == "https://example.com/1"
    assert "out of range" in skipped.reason and "9999" in skipped.reason


def test_an_unreadable_date_is_not_dated_by_the_moment_of_reading() -> None:
    data = _rss(("Impossible day", "Sun, 30 Feb 2020 10:00:00 GMT"), ("Undated", ""))
    result = read_feed(data, ReadOptions(source="f.rss", reference_time=READ_AT))
    # An item with no date at all is still as new as the read; one whose date is
    # nonsense is kept aside, not ranked as the freshest news.
    assert [(a.title, a.published_at) for a in result.articles] == [("Undated", READ_AT)]
    (skipped,) = result.skipped
    assert "unreadable date" in skipped.reason and "30 Feb 2020" in skipped.reason


def test_a_json_item_out_of_range_skips_itself() -> None:
    items = [
        {"url": "https://example.com/a", "title": "A", "published_at": "9999-12-31T23:00-10:00"},
        {"url": "https://example.com/b", "title": "B", "published_at": "2020-11-23T08:00Z"},
    ]
    result = read_json(json.dumps(items).encode(), ReadOptions(source="a.json"))
    assert [a.title for a in result.articles] == ["B"]
    assert "out of range" in result.skipped[0].reason


def test_a_field_over_its_bound_keeps_the_item_aside_with_the_reason(tmp_path: Path) -> None:
    items = [
        {"url": "https://example.com/a", "title": "x" * 10_000_000, "published_at": WHEN},
        {"url": "https://example.com/b", "title": "Fine", "published_at": WHEN},
        {"url": "https://example.com/c", "title": "Long", "body": "w " * 150_000,
         "published_at": WHEN},
        {"url": "https://example.com/d", "title": "Tags", "tags": ["t"] * 101,
         "published_at": WHEN},
    ]  # fmt: skip
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items), "utf-8")
    (result,) = read_sources([SourceSpec(str(path))], base_dir=tmp_path, limits=FetchLimits())
    assert [a.title for a in result.articles] == ["Fine"]
    assert [(s.item, s.reason) for s in result.skipped] == [
        (
            "https://example.com/a",
            "title is 10,000,000 characters, over the bound of 1,000 (kept aside)",
        ),
        (
            "https://example.com/c",
            "body is 299,999 characters, over the bound of 200,000 (kept aside)",
        ),
        ("https://example.com/d", "101 tags, over the bound of 100 (kept aside)"),
    ]


def test_cutting_a_huge_text_costs_what_cutting_its_head_costs() -> None:
    # Before: every grapheme of the whole text was listed first (118 s export).
    started = time.thread_time()  # CPU time: a busy machine does not fail it
    for text in ("x" * 10_000_000, "word " * 2_000_000, " " * 5_000_000 + "a b"):
        assert len(cut(text, 300)) <= 300
    assert time.thread_time() - started < 10  # about 0.05 s
    assert cut("a" + " " * 10_000 + "b", 5) == "a b"


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss SYSTEM "a>b" [<!ENTITY e "boom">]>',
        "<!DOCTYPE rss PUBLIC 'x>y' 'z>' [<!ENTITY e 'boom'>]>",
        '<!DOCTYPE rss><!DOCTYPE rss [<!ENTITY e "boom">]>',
        '<!DOCTYPE rss SYSTEM "never closed',
    ],
)
def test_the_doctype_guard_reads_quotes(prolog: str) -> None:
    data = f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel/></rss>'.encode()
    with pytest.raises(SourceError, match="DOCTYPE"):
        read_feed(data, ReadOptions(source="f.rss"))


def test_a_quoted_gt_in_a_plain_doctype_is_still_removed_whole() -> None:
    data = _rss(("Fine", "Mon, 23 Nov 2020 08:00:00 GMT")).replace(
        b"<rss", b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "a>b.dtd"><rss', 1
    )
    assert [a.title for a in read_feed(data, ReadOptions(source="f.rss")).articles] == ["Fine"]
