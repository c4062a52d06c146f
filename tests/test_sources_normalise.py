"""Normalisation: text, times, sections and ids."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from digest.sources.normalise import (
    article_id,
    canonical_section,
    canonical_url,
    clean_text,
    parse_time,
    section_from_url,
)


def test_clean_text_strips_tags_decodes_entities_once_and_applies_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Café")
    assert clean_text(f"<b>{decomposed}</b>&nbsp;&amp;\tco &#8217;s") == "Café & co ’s"
    # Escaped markup stays text: decoded once, never turned into tags and removed.
    assert clean_text("&lt;img src=x onerror=alert(1)&gt;") == "<img src=x onerror=alert(1)>"


def test_clean_text_drops_script_style_and_comments_whole() -> None:
    html = "<p>Hi</p><script>alert('x')</script><style>p{}</style><!-- secret --><p>there</p>"
    assert clean_text(html) == "Hi there"
    assert clean_text(html, keep_paragraphs=True) == "Hi\n\nthere"


def test_clean_text_removes_control_and_zero_width_characters() -> None:
    assert clean_text("a\x00b\u200bc\x1bd\ufeff  e\r\nf") == "abcd e f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23 November,2020 08:55 AM IST", datetime(2020, 11, 23, 3, 25, tzinfo=UTC)),
        ("Sun, 22 Nov 2020 15:40:00 GMT", datetime(2020, 11, 22, 15, 40, tzinfo=UTC)),
        ("2020-11-22T21:15:00+03:00", datetime(2020, 11, 22, 18, 15, tzinfo=UTC)),
        ("Nov 22, 2020 9:10 PM EST", datetime(2020, 11, 23, 2, 10, tzinfo=UTC)),
        ("2020-07-01 12:00 Europe/London", datetime(2020, 7, 1, 11, 0, tzinfo=UTC)),  # BST
        ("2020-11-22 21:00 Asia/Tokyo", datetime(2020, 11, 22, 12, 0, tzinfo=UTC)),
        ("2020-11-22T10:00:00Z", datetime(2020, 11, 22, 10, 0, tzinfo=UTC)),
    ],
)
def test_parse_time_understands_zones_and_returns_utc(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and parsed.tzinfo is UTC


def test_time_without_zone_uses_the_default_zone() -> None:
    parsed = parse_time("22 November 2020 10:00", default_zone=ZoneInfo("Asia/Kolkata"))
    assert parsed == datetime(2020, 11, 22, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday-ish", "2020-11-22 10:00 Mars/Olympus", "99/99/9999"])
def test_unreadable_times_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"unreadable date|unknown time zone"):
        parse_time(text)


@pytest.mark.parametrize(
    ("label", "section"),
    [
        ("World News", "world"),
        ("International", "world"),
        ("world", "world"),
        ("  WORLD NEWS / ", "world"),
        ("Mumbai News", "city"),
        ("Cricket News", "sports"),
        ("Tennis News", "tennis-news"),
    ],
)
def test_canonical_section(label: str, section: str) -> None:
    assert canonical_section(label) == section


def test_section_from_url() -> None:
    assert section_from_url("https://www.theguardian.com/world/2020/nov/22/x") == "world"
    assert section_from_url("https://www.mid-day.com/news/world-news/article/x") == "world"
    assert section_from_url("https://example.com/2020/11/22/x") == ""


def test_article_ids_are_stable_across_tracking_parameters_and_case() -> None:
    a = "https://WWW.Example.com/world/story/?utm_source=rss&id=7#top"
    b = "https://example.com/world/story?id=7"
    assert canonical_url(a) == canonical_url(b) == "https://example.com/world/story?id=7"
    assert article_id(url=a) == article_id(url=b)
    assert article_id(url=b) != article_id(url="https://example.com/world/story?id=8")
    assert article_id(source="pub", guid="x") == article_id(source="pub", guid="x")
