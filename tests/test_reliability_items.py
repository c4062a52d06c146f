"""One bad item skips itself with its reason; the rest of its feed is kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from digest.sources.base import ReadOptions
from digest.sources.feeds import read_feed
from digest.sources.jsonfeed import read_json

READ_AT = datetime(2020, 11, 23, 10, 0, tzinfo=UTC)


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
