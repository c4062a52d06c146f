"""The page reader's date rules of stop 29 (issue 12): a forum thread's "Start
date" label, and a line of dates alone (a post's last change and its creation),
which gives the earliest.  The figures on real pages are printed by
``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagemeta import meta_line, time_in_line

#: When the pages count as saved (after every date they print).
LATER = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=LATER)


def test_forum_thread_start_date_is_a_time_label() -> None:
    found = meta_line("Start date Sep 18, 2020", OPTIONS)
    assert found is not None
    assert found.published == datetime(2020, 9, 18, tzinfo=UTC)


def test_line_of_dates_alone_gives_the_earliest() -> None:
    """ "last modified, created, created again" printed together: the creation is
    the publication (the first date printed was taken: the last change)."""
    line = "2018-08-29 14:15:57 2018-06-22 10:20:0022.06.2018 10:20"
    moment = time_in_line(line, OPTIONS, month_first=None)
    assert moment == datetime(2018, 6, 22, 10, 20, tzinfo=UTC)


def test_dates_among_words_keep_the_first() -> None:
    """A line with words between its dates ("Sendung vom 16.10.2019 (16.1.2019)") is
    no line of a post's dates: its first date stands."""
    line = "Video der Sendung vom 16.10.2019 18:15 Uhr (16.1.2019)"
    moment = time_in_line(line, OPTIONS, month_first=False)
    assert moment == datetime(2019, 10, 16, 18, 15, tzinfo=UTC)
