"""Headlines found by stop 29's headline pass (issue 12): a headline sharing no
word with the lead over its deck and the byline, and a headline read with the
site's name after it when the page prints it alone too.  The figures are in the
README."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import Run, headline_at
from digest.sources.pagemeta import LineFacts

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
