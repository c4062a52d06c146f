"""The generic page reader's headline rules of the tenth pass (issue 12): a site's
motto, a blog's name or a kicker over the line standing right over the story's
time line gives way to that line; a short line opening with a full date (a
post's time line with its author or topic run in) anchors the header a deck or a
caption under it stands under; and a headline sharing no words with the story
gives way to the page's lone line over a time line above the main run.
The figures on real pages are in test_sources_generic_pages.py."""

from __future__ import annotations

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import Run, dated_line, deck_under, lone_dated_headline
from digest.sources.pagemeta import LineFacts

from .german_story import SAVED, STORY, read_lines
from .page_sets import page_record, read_record

OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)


@pytest.mark.parametrize(
    ("folder", "key"),
    [
        # A blog's motto (sharing the story's words) over the post's headline over
        # its written-out date line ("1. November 20161. November 2016 surfguard").
        ("page_fresh", "surfguard.wordpress.com.medien"),
        # A deck or a caption under "31.01.2016 Hardware", "17. Februar 2020 Frau
        # Sabienes Kommentare 4 Kommentare", "1. Februar 2022 , Daniel Dillenburg".
        ("page_fresh", "jan-grosser.de.xum1541"),
        ("page_fresh", "frau-sabienes.de.konsumsparen"),
        ("page_fresh", "golf.de-augusta"),
        # The main run read from a sign-up box, a video player's settings or a
        # side column: the lone line over a time line above it is the headline.
        ("page_unseen", "yahoo-3"),
        ("page_fresh", "wir-empfehlen.info.3289"),
        ("page_fresh", "dawo-dresden.de-Winterausstellung"),
        ("page_fresh", "france.attc.org-privatisations"),
    ],
)
def test_headline_of_real_pages(folder: str, key: str) -> None:
    """Pages whose headline a rule of this pass decides (each was wrong before)."""
    assert read_record(page_record(folder, key)).title == page_record(folder, key)["title"]


def test_a_blogs_motto_over_the_post_headline_gives_way_to_it() -> None:
    """Motto, headline, the post's date line: the motto shares the story's words
    and reads well, but the headline stands over the post's own time line."""
    headline = "Neue Seminare im Frühjahr"
    motto = "Ein Blog über Seminare, soziale Medien und die Presse im Verband"
    lines = ["Startseite", "Über uns", motto, headline, "Am 3. Februar 2022 von Henry"]
    assert read_lines([*lines, STORY, STORY]).title == headline


def test_a_deck_over_the_byline_does_not_take_the_headline_over_it() -> None:
    """Headline, deck (a sentence), byline: the deck stands over the byline, but it
    reads as a deck, so the headline over it stays."""
    headline = "Neue Seminare im Frühjahr"
    deck = "Der Verband lädt zu zwei Seminaren über die Presse ein."
    lines = ["Menü", headline, deck, "Von Birgit Baumann", "3. Februar 2022", STORY, STORY]
    assert read_lines(lines).title == headline


@pytest.mark.parametrize(
    ("upper", "lower", "deck"),
    [
        ("Neue Seminare", "Der Verband lädt zu zwei Seminaren ein.", True),
        ("Neue Seminare", "It took years. The council finally agrees", True),
        (
            "Neue Seminare",
            "Der Verband lädt zu zwei Seminaren über die Presse und die Medien ein",
            True,
        ),
        ("Seminare im Frühjahr", "Verband lädt zu neuen Seminaren ein", False),
        ("Ein Blog über Seminare, Medien und die Presse", "Neue Seminare im Frühjahr", False),
        # Long, but not much longer than the line over it: a long headline under a
        # long motto, no deck.
        (
            "Ein Blog über Seminare, Medien, die Presse und die Öffentlichkeitsarbeit",
            "Der Verband lädt im Frühjahr zu zwei neuen Seminaren über Presse und Medien",
            False,
        ),
    ],
)
def test_which_lines_read_as_a_deck_under_a_headline(upper: str, lower: str, deck: bool) -> None:
    assert deck_under(upper, lower) is deck


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("31.01.2016 Hardware", True),
        ("1. Februar 2022 , Daniel Dillenburg", True),
        ("November 12, 2019 by admin in News", True),
        # A date and time alone may head a list's teaser: left to the header facts.
        ("11/12/19 4:40PM", False),
        # ... also with the word some languages print after the clock.
        ("31.01.2016, 12:00 Uhr", False),
        ("28.04.2023 18.41 h", False),
        ("12.05.2021 09:30 uur", False),
        ("2019 war ein gutes Jahr für den Verband", False),
        ("Neue Seminare im Frühjahr", False),
        ("31.01.2016 " + "Hardware " * 20, False),  # no time line: too long
    ],
)
def test_which_lines_open_with_a_date(line: str, dated: bool) -> None:
    assert dated_line(line, LineFacts(OPTIONS)) is dated


@pytest.mark.parametrize("dated", ["31.01.2016 Hardware", "1. Februar 2022 , Daniel Dillenburg"])
def test_a_deck_under_a_post_date_line_is_no_headline(dated: str) -> None:
    """Headline, a date line with the post's topic or author, deck, story: the deck
    shares more of the story's words, but it stands under the headline's time
    line, as a caption would."""
    headline = "Presse: Ein Tag beim Verband"
    deck = "Der Verband bietet im Frühjahr zwei neue Seminare zur Kommunikation an"
    lines = ["verband.de", "[Home] [Impressum]", headline, dated, deck, STORY, STORY]
    assert read_lines(lines).title == headline


def test_the_lone_line_over_a_time_line_names_a_story_its_title_does_not() -> None:
    """A title sharing no word with the story (a side column's line next to a main
    run read from the wrong place) gives way to the one line above the run that
    stands over a post's date line and shares the story's words."""
    facts = LineFacts(OPTIONS)
    headline = "Neue Seminare des Verbands"
    lines = ["Menü", headline, "Am 3. Februar 2022 von Henry", "Archiv", "Kalender",
             "Kontakt und Anfahrt", STORY, STORY]  # fmt: skip
    run = Run(6, 8)
    assert lone_dated_headline(lines, run, "Kontakt und Anfahrt", STORY, facts) == headline
    # A title agreeing with the story stays.
    assert lone_dated_headline(lines, run, "Seminare des Verbands im Frühjahr", STORY, facts) == ""
    # Two lines over time lines: a list of teasers, no lone headline.
    teaser = ["Ältere Seminare des Verbands", "Am 3. Januar 2022 von Henry"]
    assert lone_dated_headline([*teaser, *lines], Run(8, 10), "Kontakt", STORY, facts) == ""
    # A lone line over a time line that shares no word with the story names none.
    other = ["Menü", "Ruhe vor dem Sturm", "Am 3. Februar 2022 von Henry", "Kontakt", STORY]
    assert lone_dated_headline(other, Run(4, 5), "Kontakt", STORY, facts) == ""
