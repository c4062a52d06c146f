"""Headlines found by stop 29's headline pass (issue 12): a headline sharing no
word with the lead over its deck and the byline, and a headline read with the
site's name after it when the page prints it alone too.  The figures are in the
README."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import Run, headline_at
from digest.sources.pagemeta import LineFacts
from digest.sources.pages import _without_site

from .german_story import paragraphs, read_lines

SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
MENU = ["Home", "Blog", "Projects", "About", "Contact"]


def _read(lines: list[str]) -> Article:
    return read_lines(lines, SAVED)


def test_a_headline_sharing_no_lead_word_over_its_deck_and_byline() -> None:
    """Headline, deck, byline: a headline written as a question or a pun shares
    no word with the lead ("Why collaborative thinking beats individual smarts"
    over "An interview with …, together with an extract from the book"); the deck
    right over the byline is still no headline."""
    title = "Why collaborative thinking beats individual smarts"
    deck = (
        "An interview with Thomas Malone, author of a book on superminds, together "
        "with an extract from the book"
    )
    lead = (
        "Thomas Malone has spent decades studying how groups of people and computers "
        "work together, and his book on superminds sums up what he has found."
    )
    lines = [*MENU, title, deck, "By Jane Doe", "Jun 18th 2018", lead]
    lines += paragraphs("Group work", 5)
    assert _read(lines).title == title


def test_the_last_of_a_list_of_comments_over_a_headline_is_no_headline() -> None:
    """Guard: over a headline and its time line, the last line of a list of
    recent comments (a long line above it) is no headline over a deck, however
    much longer the headline is than it: the headline stays."""
    title = "FUTURE of HOPE – the island frees itself from its bankers – the film"
    lines = [
        *MENU,
        "Recent comments",
        "Rotzbua: when the old guard walks under the lime trees and the stars wear wigs again",
        "Daniel Ludewig: What is behind it? The treaties signed in London last year",
        "Cashca: The lie of Europe. And all the buildings of lies collapse sooner or later",
        "Heiderose Manthey: WE CAN DO OTHERWISE !!!",
        title,
        "2. August 2012",
        "By oradmin",
        "The island refused to pay the bankers' debts, and the film tells how its people "
        "voted twice against the deal and rebuilt their economy without it.",
        *paragraphs("The island", 5),
    ]
    facts = LineFacts(ReadOptions("p.txt", boilerplate=Boilerplate.builtin()))
    found = headline_at(lines, Run(lines.index(title) + 3, len(lines)), facts, slug_words=set())
    assert found is not None and lines[found[0]] == title


def test_a_sections_label_over_a_title_case_headline_is_no_headline() -> None:
    """Guard (review of stop 29): a section's label ("Blog - Latest News") over a
    headline in Title Case ending in "!" over its time line: the headline is no
    deck however it ends, so the label, sharing no word with the lead, stays out."""
    title = "[The Palace] More Reviews from KLOOK Visitors!"
    lead = (
        "Visitors who booked their tickets online came to the theatre to watch the show "
        "and have left their reviews of the evening, the music and the cast on the site."
    )
    lines = [*MENU, "SNS", "Blog - Latest News", title]
    lines += ["October 12, 2018/0 Comments/in Promotion /by jdadmin", lead]
    lines += paragraphs("The show", 5)
    facts = LineFacts(ReadOptions("p.txt", boilerplate=Boilerplate.builtin()))
    found = headline_at(lines, Run(lines.index(title) + 2, len(lines)), facts, slug_words=set())
    assert found is not None and lines[found[0]] == title


def test_the_last_of_a_list_of_related_headlines_is_no_headline() -> None:
    """Guard (review of stop 29): over a long headline in sentence case and its
    byline, the last of a list of related headlines of a size is no headline over
    a deck: the headline stays."""
    title = "Inside the quiet collapse of the town that once made every bicycle in the country"
    lead = (
        "The town council voted on Tuesday to close the old bridge to cars after engineers "
        "found deep cracks in two of its piers, and the work on a new one starts in May."
    )
    related = [
        "Ten ways to fix your old bicycle",
        "Why the price of steel keeps rising",
        "A guide to the best cycling routes",
    ]
    lines = [*MENU, *related, title, "By Jane Doe", "March 3, 2021", lead]
    lines += paragraphs("Bridges", 5)
    assert _read(lines).title == title


def test_a_headline_with_the_sites_name_printed_alone_too() -> None:
    """A line read as the headline in a document title's shape ("Feuerwehrleute
    sollen später in Pension | wdr aktuell", over a video), with the headline
    printed alone on the page: the headline alone is the title."""
    title = "Firefighters are to retire later"
    lead = (
        "The state government wants firefighters to retire later, at sixty-two rather "
        "than sixty, and the unions have already said they will fight the plan."
    )
    lines = [*MENU, f"{title} | wdr aktuell", "Video: 02:57 Min.", "Share", title, lead]
    lines += paragraphs("Retirement", 5)
    assert _read(lines).title == title


def test_a_headline_with_a_dash_is_kept_when_its_start_is_printed_alone() -> None:
    """Guard: a headline with a dash in it whose first part is a category the
    page lists too ("Wedding Planning Tools – Caterer Comparison Spreadsheet")
    keeps its whole text: a dash joins a headline's own parts."""
    title = "Wedding Planning Tools – Caterer Comparison Spreadsheet"
    lead = (
        "Comparing caterers is easier with a spreadsheet: list each caterer's price "
        "per guest, the menu, the tasting fee and what the deposit covers."
    )
    lines = [*MENU, title, "By Jane Doe", "March 3, 2021", lead, *paragraphs("Catering", 5)]
    lines += ["Categories", "Venue Spotlight", "Wedding Planning", "Wedding Planning Tools"]
    assert _read(lines).title == title


@pytest.mark.parametrize(
    "tag",
    [
        # Its first part is not printed alone: only a part printed alone names the page.
        "Bridge closures",
        # Its first part is printed alone, as a tag, but the part after the bar
        # agrees with the lead, which a site's name does not.
        "Bridge closures explained",
    ],
)
def test_a_headline_with_a_bar_keeps_its_whole_text(tag: str) -> None:
    """Guards (review of stop 29): a headline written as topic, bar, headline
    ("Bridge closures explained | Council shuts old bridge") keeps its whole text
    whether or not the page lists its first part as a tag."""
    title = "Bridge closures explained | Council shuts old bridge"
    lead = (
        "The town council voted on Tuesday to shut the old bridge to cars after engineers "
        "found deep cracks in two of its piers, and the work on a new one starts in May."
    )
    lines = [*MENU, title, "By Jane Doe", "March 3, 2021", lead, *paragraphs("Bridges", 5)]
    lines += ["Tags", tag, "Town council"]
    assert _read(lines).title == title


def test_a_sites_name_of_short_words_the_lead_uses_too_is_cut() -> None:
    """A site's name after the bar whose short words any lead in its language uses
    ("Bibliothek 2.0 und mehr" over a German post saying "und" and "mehr") is no
    headline's second part: the headline printed alone is the title."""
    title = "Alles Neue macht der Mai…"
    lead = (
        "Nachdem ich mein Blog über zwei Jahre vernachlässigt hatte, wird es Zeit für "
        "einen Neuanfang und mehr Beiträge: der Umzug auf neue Server ist gemacht."
    )
    line = f"{title} | Bibliothek 2.0 und mehr"
    assert _without_site([line, *MENU, "Uncategorized", title, lead], line, lead) == title
