"""The generic page reader's headline rules of the sixth pass (issue 12): a post's
date line written out is no headline, a headline must agree with its story, a
label run into the headline gives way to the headline printed alone, a short
headline read as a name still names its story, a labelled time line with a
two-figure year, and more chrome as data.  The figures on real pages are in
test_sources_generic_pages.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import can_be_headline
from digest.sources.pagemeta import LineFacts, meta_line

from .german_story import SAVED, read_lines
from .page_sets import page_record, read_record

OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)


@pytest.mark.parametrize(
    "line",
    [
        "Am 13. November 2019 Von Henry In Aktuell",
        "Veröffentlicht am 10. Februar 20199. Februar 2019 von Heiko",
        "Dezember 10, 2019 · von freeman1984 · in Uncategorized · Hinterlasse einen Kommentar",
        "Karsten Dörre / 22.04.2020",
        "Mo, 11:41 Uhr",
        "18. September um 08:37",
    ],
)
def test_a_posts_date_line_written_out_is_no_headline(line: str) -> None:
    """A date with its author, comment count or a separator, or a clock time in a
    few words, is a fact about the post (no time line the reader knows, so these
    reached the headline before)."""
    assert not can_be_headline(line, LineFacts(OPTIONS))


@pytest.mark.parametrize(
    "line",
    [
        "Protokoll der Vorstandssitzung vom 10. Oktober 2019",
        "Bericht zur Coronalage vom 22.04.2020 – worauf wartet die Politik?",
        "Opening Bell 11.18.19",
    ],
)
def test_a_headline_naming_a_date_may_still_be_the_headline(line: str) -> None:
    assert can_be_headline(line, LineFacts(OPTIONS))


@pytest.mark.parametrize(
    ("folder", "key"),
    [
        # A post's date line over the story: "Veröffentlicht am 15/07/2014 von …".
        ("page_fresh", "beyssonmanagement.com.innovation"),
        ("page_fresh", "heiko-adams.de.laufen"),
        # A skip link over the site's date line, 40 lines above the story, shares no
        # word with it: the headline over the story does.
        ("page_fresh", "unsere-zeitung.at.inklusion"),
        # A label run into the headline, printed alone just under it.
        ("page_fresh", "tierschutzpartei.de-wildvogelauffang"),
        ("page_fresh", "umweltbundesamt.de-atomkraft"),
        ("page_fresh", "it-learner.de.autotuning"),
        # The headline's own story is printed under it, though the story read
        # missed it (a customer-service blurb): it stays the headline.
        ("page_devset", "e372e42c0a3df7b86e1c0bacf7bc14d042144a01e88833bc5a643d61b3547090"),
        # "Italien: Reise- und Sicherheitshinweise" over "Reise- und …": a kicker
        # with a colon stays part of the headline.
        ("page_fresh", "auswaertiges-amt.de-Italien"),
    ],
)
def test_headline_of_real_pages(folder: str, key: str) -> None:
    """Pages whose headline each rule of this pass decides (each was wrong before
    the rule but the last two, which a looser rule got wrong)."""
    assert read_record(page_record(folder, key)).title == page_record(folder, key)["title"]


def test_short_headline_read_as_a_name_still_names_its_story() -> None:
    """A short headline ("Performant Python") reads as a person's name; over the
    story, with no other candidate, it is the headline: a page with a story is not
    refused."""
    story = (
        "There are many ways to improve Python's performance, such as cython or writing C "
        "modules and calling them from Python, and most of them need a build step."
    )
    lines = ["Strangemachines", "Articles", "Performant Python", story, story.upper()]
    assert read_lines(lines).title == "Performant Python"


def test_labelled_time_line_with_a_two_figure_year_is_read() -> None:
    found = meta_line("Veröffentlicht am 27.04.24 um 07:39 Uhr", OPTIONS)
    assert found is not None and found.published == datetime(2024, 4, 27, 7, 39, tzinfo=UTC)
    # Unlabelled, such a line may be an event's date in a teaser: not a time line.
    assert meta_line("19.1.23, 10:00-11:30", OPTIONS) is None


@pytest.mark.parametrize(
    "line",
    [
        "términos y condiciones de uso",
        "Privacy policy",
        "ca. 8 Min.",
        "Strict Standards: Only variables should be passed by reference in /www/htdocs/x.php "
        "on line 12",
    ],
)
def test_more_chrome_is_dropped(line: str) -> None:
    assert Boilerplate.builtin().drops(line)
