"""The generic page reader's date rules of stop 28 (issue 12): a date opening one
of the story's first lines, embedded posts' and cited papers' dates, a post's
publication listed with its updates, a post line run together past a header
line's length, and a list of teasers' dated credits between headline and story.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagemeta import meta_line

from .german_story import LEAD, MORE, paragraphs, read_lines

STORY = paragraphs("The morning walk", 4)
#: When the English pages count as saved (after every date they print).
LATER = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)


def test_date_opening_a_later_story_line_dates_the_page() -> None:
    """ "27.1.2022 - Bei …" under the standfirst and two credit lines: beyond the
    story's first two lines, where a date opening a line was looked for (the crawl
    dated the page)."""
    lines = [
        "Startseite",
        "Brücke gesperrt",
        f"Zum Stadtrat: {LEAD}",
        "Alexandra Sackmann",
        "Von Claudia Lindner",
        f"27.1.2022 - {MORE}",
        LEAD,
    ]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2022, 1, 27, tzinfo=UTC)


def test_date_opening_a_line_far_into_the_story_is_no_time() -> None:
    """Only the story's first lines: a dated entry further down (a list of events)
    is not the story's date."""
    lines = ["Startseite", "Brücke gesperrt", LEAD, MORE, LEAD, MORE, LEAD, f"27.1.2022 - {MORE}"]
    assert read_lines(lines).time_from_crawl


def test_embedded_post_date_does_not_date_the_page() -> None:
    """An Instagram post's credit line in the story ("… (@handle) am Apr 21, 2019")
    was read as the story's time; its own date line under the story is."""
    lines = [
        "Startseite",
        "Brücke gesperrt",
        LEAD,
        "Ein Beitrag geteilt von Anna Beispiel (@anna_beispiel) am Apr 21, 2019 um 4:47 PDT",
        MORE,
        "von Ulrike",
        "18.10.2019 16:06 Uhr",
    ]
    article = read_lines(lines)
    assert article.published_at == datetime(2019, 10, 18, 16, 6, tzinfo=UTC)


def test_cited_papers_date_does_not_date_the_page() -> None:
    """A reference under the story ("In: Science; Vol. 371, …, 15. Januar 2021, DOI
    10.…") gave the paper's day; the page's labelled date is taken instead."""
    lines = [
        "Startseite",
        "Brücke gesperrt",
        LEAD,
        MORE,
        LEAD,
        "In: Science; Vol. 371, Issue 6526, pp. 260 - 264, 15. Januar 2021, DOI 10.1126/abc",
        "Aktualisiert am 17.01.2021.",
    ]
    article = read_lines(lines)
    assert article.published_at == datetime(2021, 1, 17, tzinfo=UTC)


def test_posted_date_listed_with_updates_is_the_publication() -> None:
    """A post's dates printed together under the story: the first update's was
    taken for the publication; the "Posted" line below is."""
    chrome = ["Share", "Print"]
    dates = ["Updated November 23, 2013", "Updated September 26, 2011", "Posted July 10, 2004"]
    article = read_lines(["Home", "How to train for a marathon", *STORY, *chrome, *dates], LATER)
    assert article.published_at == datetime(2004, 7, 10, tzinfo=UTC)
    assert article.updated_at == datetime(2013, 11, 23, tzinfo=UTC)


def test_post_line_run_together_past_a_header_line_dates_the_page() -> None:
    """A blog theme's post line glued to its author, categories and tags by the
    crawler, longer than a header line: its head holds the date (the crawl dated
    the page)."""
    post = (
        "Posted byDamien WalterDecember 30, 2024December 30, 2024Posted inPodcast, "
        "Podcast-Archive, Writing & PublishingTags:books, fiction, sci-fi, science fiction, "
        "writing"
    )
    assert len(post) > 160
    article = read_lines(["Home", "Ten books to read next year", post, *STORY], LATER)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2024, 12, 30, tzinfo=UTC)


def test_teasers_dated_credits_between_headline_and_story_are_not_its_time() -> None:
    """A "Most Popular" list (its heading dropped as chrome) between the headline and
    the story, each teaser with a dated credit: the first teaser's date was taken;
    the date over the headline is the story's."""
    teasers = []
    for day in (15, 9, 5, 2):
        teasers += [
            "Mobile Marketing",
            f"A guide to app growth strategies number {day}",
            f"Sam Writer |June {day}, 2025",
        ]
    lines = [
        "Home > Blog > Mobile Marketing",
        "January 16, 2025",
        "What are the different types of mobile apps?",
        "Written by: Jo Author",
        *teasers,
        *STORY,
    ]
    article = read_lines(lines, LATER)
    assert article.published_at == datetime(2025, 1, 16, tzinfo=UTC)


def test_header_printed_twice_is_no_list_of_teasers() -> None:
    """One day printed three times over the story (a header repeated for another
    screen width) is the story's time, not a list of teasers'."""
    lines = [
        "Home",
        "What are the different types of mobile apps?",
        "Jan 13, 2025",
        "Jan 13, 2025",
        "Jan 13, 2025",
        *STORY,
        "Read next",
        "Dec 25, 2024",
    ]
    assert read_lines(lines, LATER).published_at == datetime(2025, 1, 13, tzinfo=UTC)


def test_page_printing_one_day_is_dated_by_it_wherever_it_stands() -> None:
    """The only date on the page stands far above the story (by a headline the
    reader did not take, over a long menu), beyond where a bare date is looked for:
    it dates the page, where the crawl did."""
    menu = [f"Menu link number {n}" for n in range(20)]
    lines = ["Reviews", "November 18, 2025", *menu, "How to train for a marathon", *STORY]
    article = read_lines(lines, LATER)
    assert not article.time_from_crawl
    assert article.published_at.date() == datetime(2025, 11, 18).date()


def test_page_printing_several_days_far_from_the_story_stays_crawl_dated() -> None:
    """Two days far from the story (teasers, a related post): neither is taken."""
    menu = [f"Menu link number {n}" for n in range(20)]
    lines = [
        "Reviews",
        "November 18, 2025",
        "Other story",
        "October 2, 2025",
        *menu,
        "How to train for a marathon",
        *STORY,
    ]
    assert read_lines(lines, LATER).time_from_crawl


def test_page_printing_its_one_day_only_far_under_the_story_stays_crawl_dated() -> None:
    """A bare date only far under the story, past where one is looked for, may be a
    related story's (see test_sources_page_dates.py): the crawl still dates it."""
    footer = [f"Footer link number {n}" for n in range(20)]
    lines = ["Home", "How to train for a marathon", *STORY, *footer, "November 18, 2025"]
    assert read_lines(lines, LATER).time_from_crawl


@pytest.mark.parametrize(
    ("line", "published"),
    [
        # A reading time after a dash, as after "|" (upper case, "Average ... time").
        ("AUG 25 2024 - 8 MIN READ", (2024, 8, 25, 0, 0)),
        ("February 4 2026 - Average reading time: 12 min", (2026, 2, 4, 0, 0)),
        # A clock alone between separators belongs to the date before it.
        ("04.02.2022 | 15:33 Uhr | Dennis Steimels", (2022, 2, 4, 15, 33)),
    ],
)
def test_time_line_shapes(line: str, published: tuple[int, ...]) -> None:
    """Each shape was no time line before stop 28."""
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=LATER)
    found = meta_line(line, options)
    assert found is not None
    assert found.published == datetime(*published, tzinfo=UTC)


def test_a_headline_with_a_reading_time_is_no_time_line() -> None:
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=LATER)
    assert meta_line("How to train for a marathon - 5 min read", options) is None


def test_story_sentence_opening_with_a_date_is_no_dateline() -> None:
    """A sentence of the story opening with the day it tells of ("12 March 2021 was
    the day …") four lines in is no dateline; a date set off from the text by a
    quote mark ("01.02.2022 „Der …") still is."""
    told = (
        "12 March 2021 was the day the attack left four people dead, and the town "
        "still marks it each year with a walk."
    )
    lines = ["Home", "The attack remembered", *STORY[:3], told, STORY[3]]
    assert read_lines(lines).time_from_crawl
    lines[5] = "01.02.2022 „Der Arbeitsmarkt ist gut in das Jahr gestartet“, sagte die Chefin."
    assert read_lines(lines).published_at == datetime(2022, 2, 1, tzinfo=UTC)
