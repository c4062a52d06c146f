"""Numeric dates that read both ways (``9/11/13``) on pages: read by the page's
own habit (issue 12), from the evidence it gives: its numeric dates that read one
way only, its language, its dates written with the month's name, its outlet's
host.  The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.normalise import parse_time
from digest.sources.pagemeta import page_date_order
from digest.sources.pages import read_page

from .german_story import LEAD, MORE

SAVED = datetime(2014, 3, 1, 12, 0, tzinfo=UTC)
OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
STORY = [
    "The city council voted on Tuesday to close the old bridge to cars after engineers "
    "found deep cracks in two of its piers, and the work is to start in the spring.",
    "Work on a new bridge is to begin in May and take two years, the city said. Until "
    "then drivers will have to take the ring road that runs to the east of the town.",
]


def _published(url: str, *extra: str) -> date:
    lines = [url, "Home", "Bridge closed to cars", "Posted 9/11/13 3:05 PM", *STORY, *extra]
    (article,) = read_page("\n".join(lines).encode(), OPTIONS).articles
    assert not article.time_from_crawl
    return article.published_at.date()


@pytest.mark.parametrize(
    ("url", "extra", "day"),
    [
        # An American outlet's English page: month first.
        ("https://www.citypaper.com/news/bridge-closed", (), date(2013, 9, 11)),
        ("https://news.example.us/bridge-closed", (), date(2013, 9, 11)),
        # A British, Indian, Australian outlet's: day first.
        ("https://www.citypaper.co.uk/news/bridge-closed", (), date(2013, 11, 9)),
        ("https://www.citypaper.in/news/bridge-closed", (), date(2013, 11, 9)),
        ("https://www.citypaper.com.au/news/bridge-closed", (), date(2013, 11, 9)),
        # A date that reads one way only settles the page's habit, whatever its host.
        ("https://www.citypaper.co.uk/b", ("Related: Ferry ends 11/19/13",), date(2013, 9, 11)),
        ("https://www.citypaper.com/b", ("Related: Ferry ends 19/11/13",), date(2013, 11, 9)),
        # So do the page's dates written with the month's name.
        (
            "https://www.citypaper.co.uk/b",
            ("Related: Ferry ends, November 19, 2013",),
            date(2013, 9, 11),
        ),
        (
            "https://www.citypaper.com/b",
            ("Related: Ferry ends, 19 November 2013",),
            date(2013, 11, 9),
        ),
    ],
)
def test_numeric_date_follows_the_pages_habit(url: str, extra: tuple[str, ...], day: date) -> None:
    assert _published(url, *extra) == day


@pytest.mark.parametrize(
    ("saved", "day"),
    [
        # Saved long after: neither reading is recent, English puts the month first.
        (datetime(2025, 1, 1, tzinfo=UTC), date(2013, 9, 11)),
        # Saved days after 9 November: the recent reading is the page's.
        (datetime(2013, 11, 12, tzinfo=UTC), date(2013, 11, 9)),
    ],
)
def test_english_page_without_evidence_reads_an_old_date_month_first(
    saved: datetime, day: date
) -> None:
    """An English page with no host and no other date: "9/11/13" is 11 September
    unless 9 November lies just before the crawl (it was read 9 November, the
    reading nearer a crawl twelve years later)."""
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=saved)
    lines = ["Home", "Bridge closed to cars", "Posted 9/11/13 3:05 PM", *STORY]
    (article,) = read_page("\n".join(lines).encode(), options).articles
    assert article.published_at.date() == day


def test_page_date_order_evidence() -> None:
    """A German page on a ``.com`` host quoting a tweet ("November 3, 2023"): day
    first, by its language; an English page that tells nothing: not known."""
    tweet = "— Radu Oncescu (@oncescuradu) November 3, 2023"
    assert page_date_order([LEAD, tweet, MORE], "example.com", english=False) is False
    assert page_date_order([tweet], "example.co.uk", english=True) is True
    # An English page on a British, Indian, Australian host: day first.
    assert page_date_order(["Home"], "example.co.uk", english=True) is False
    assert page_date_order(["Home"], "news.example.in", english=True) is False
    assert page_date_order(["Home"], "example.io", english=True) is None
    assert page_date_order(["Home"], "example.org", english=True) is True
    assert page_date_order(["Ferry 19.11.2013"], "example.com", english=True) is False


def test_year_first_dates_stay_year_first_when_the_day_comes_first() -> None:
    """dateutil's day-first reading would make ``2025-06-04`` 6 April."""
    moment = parse_time("2025-06-04 02:37:08", month_first=False)
    assert moment == datetime(2025, 6, 4, 2, 37, 8, tzinfo=UTC)
    assert parse_time("9/11/13", month_first=True).date() == date(2013, 9, 11)
    assert parse_time("9/11/13", month_first=False).date() == date(2013, 11, 9)
