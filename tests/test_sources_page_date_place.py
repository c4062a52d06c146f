"""Where a page's date stands, and when the reader falls back to the crawl time
(issue 12): a time line above or under the headline, a date opening the headline
or one of the story's first lines, a labelled time line further off, and pages
printing one day or several far from the story.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .german_story import LATER, LEAD, MORE, read_lines
from .german_story import WALK_STORY as STORY

HEADLINE = "Stadtrat sperrt die alte Brücke für Autos nach Rissen in den Pfeilern"


def test_date_opening_the_story_dates_the_page() -> None:
    lines = ["Startseite", "Brücke gesperrt", f"19.10.2023, 15:30 Uhr{LEAD}", MORE]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2023, 10, 19, 15, 30, tzinfo=UTC)


def test_date_opening_the_headline_dates_the_page() -> None:
    lines = ["Startseite", "24.01.2023 - Meldung - Brücke gesperrt", LEAD, MORE]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at.date() == datetime(2023, 1, 24).date()


def test_labelled_time_line_under_related_links_dates_the_page() -> None:
    """ "Datum: 19.11.2021" printed under the story's related links, beyond the
    lines a bare date is looked for."""
    related = [f"Verwandter Artikel Nummer {n} über etwas anderes" for n in range(20)]
    lines = ["Startseite", "Brücke gesperrt", LEAD, MORE, *related, "Datum: 19.11.2021"]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2021, 11, 19, tzinfo=UTC)
    # A bare date as far off may be a related story's: the crawl dates the page.
    bare = read_lines([*lines[:-1], "19.11.2021"])
    assert bare.time_from_crawl


def test_bare_date_a_little_under_the_story_dates_the_page() -> None:
    """ "21.01.2022" printed under the story's share buttons and tags (blogs and
    German sites print the date at the story's end): it dates the page (the
    crawl did)."""
    chrome = ["Teilen", "Drucken", "Artenschutz, Bartgeier, Naturschutz", "Zurück", "Spenden"]
    article = read_lines(["Startseite", "Brücke gesperrt", LEAD, MORE, *chrome, "21.01.2022"])
    assert not article.time_from_crawl
    assert article.published_at == datetime(2022, 1, 21, tzinfo=UTC)


def test_time_line_above_the_headline_dates_the_page() -> None:
    """A date printed some lines above the headline, over a sports menu: it dates
    the page when nothing nearer does."""
    menu = ["Sport", "Fußball", "Handball", "Tennis", "Mehr Sport:", "Bundesliga"]
    article = read_lines(["Startseite", "08.11.2023", *menu, "Brücke gesperrt", LEAD, MORE])
    assert not article.time_from_crawl
    assert article.published_at.date() == datetime(2023, 11, 8).date()


def test_labelled_time_line_anywhere_dates_the_page() -> None:
    """A labelled publication line far above the story ("Veröffentlicht: …
    | Autor: …"), when nothing nearer dates it."""
    menu = [f"Rubrik {n}" for n in range(30)]
    lines = [
        "Startseite",
        "Veröffentlicht: 05.01.2020 | Autor: gnaddrig",
        *menu,
        "Brücke gesperrt",
        LEAD,
        MORE,
    ]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2020, 1, 5, tzinfo=UTC)


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
    ("under", "crawled"),
    [
        ("Stadt (1 / 1) 06.11.2023 13:30 von Olga Symbolbild imago", False),
        # A date without its clock in a caption is the picture's, as before.
        ("Die alte Brücke am 06.11.2023 Symbolbild imago", True),
    ],
)
def test_a_time_line_run_into_the_pictures_credit_under_the_headline(
    under: str, crawled: bool
) -> None:
    """The line under the headline reads as a caption (its credit ends it), so its
    date was skipped and the page dated by its crawl; a date with its clock there is
    the header's time."""
    lines = ["Stadt", "Impressum", "Kontakt", HEADLINE, under, LEAD, MORE, "Weiterlesen >>"]
    article = read_lines(lines)
    assert article.time_from_crawl is crawled
    if not crawled:
        assert article.published_at == datetime(2023, 11, 6, 13, 30, tzinfo=UTC)
