"""Which lines of a page may be its headline (issue 12): a post's date line
written out, a line naming a date, a headline cut at an ellipsis, opening with a
count or a quote dash, ending in an aside in brackets, a title the page quotes,
the site's own links and buttons, and a headline that must share words with its
story.  Kickers and labels over the headline, bylines, decks and repeated
headlines have modules of their own (``test_sources_page_headline_*.py``).
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import (
    Run,
    can_be_headline,
    ends_in_stopword,
    headline_scores,
    lone_dated_headline,
    post_date_line,
)
from digest.sources.pagemeta import LineFacts

from .german_story import OPTIONS, STORY, paragraphs, read_lines
from .german_story import read_late as _read


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
    ("line", "may"),
    [
        ("creditshelf kooperiert mit finleap", True),
        ("Credit: Jane Doe", False),
        ("Credits Jane Doe and John Roe", False),
        ("SW083 – Schwitzebaerchen →", False),
        ("← SW081 – Europaqual", False),
        ("« Messenger: Welchen hätten Sie den gerne?", False),
        ("Vorstudie zur Menüerweiterung durch FOSS-Produkte bei der RLS »", False),
        ("« Les privatisations sont au profit d’intérêts privés »", True),
        ("Hildesheimer Presse 1. November 20231. November 2023 Bockenem, Polizei", False),
        ("Tópicos: País | Presidente Boric", False),
        ("Schlagwörter: amiga, dogs, floppy", False),
        ("Tagesschau: Neue Regeln für Pendler", True),
    ],
)
def test_which_lines_may_be_a_headline(line: str, may: bool) -> None:
    assert can_be_headline(line, LineFacts(OPTIONS)) is may


def test_a_post_date_line_needs_a_date() -> None:
    """The date line a headline stands over holds a date; a media player's clock
    ("0:00") is no post's date line."""
    assert post_date_line("28.01.22 / 0 Kommentare")
    assert post_date_line("Am 13. November 2019 Von Henry In Aktuell")
    assert not post_date_line("0:00")


def test_a_headline_ending_in_an_ellipsis_is_cut_only_when_printed_whole() -> None:
    headline = "Alles über neue Seminare…"
    motto = "Marktplatz für ein gutes Leben"
    lines = [motto, "Menü", "Veröffentlicht am 5. April 2017", headline, "von Henry"]
    assert read_lines([*lines, STORY, STORY]).title == headline
    # A teaser cut short, its whole text printed further down the page.
    lines += [STORY, STORY, "Mehr", "Alles über neue Seminare des Verbands im Netz"]
    assert read_lines(lines).title == motto


def test_a_headline_opening_with_a_count_keeps_its_opening() -> None:
    """The headline "12 of the Best Sewing Machines for Beginners" over the story,
    its end printed alone far off (a menu's link): "12 of the" runs on into the
    rest, it is no label run into the headline."""
    assert ends_in_stopword("12 of the")
    assert not ends_in_stopword("Blog")
    title = "12 of the Best Sewing Machines for Beginners"
    story = [
        f"Choosing among sewing machines for beginners is hard, part {k}: we tested "
        f"the best machines for threading, stitches, speed and price over six weeks."
        for k in range(5)
    ]
    lines = ["Home", "Patterns", "Tutorials", title, "By Heather Smith", *story]
    lines += ["Popular", "Best Sewing Machines for Beginners", "Quilting", "About"]
    lines += ["Contact", "Privacy", "Shop"]
    assert _read(lines).title == title


@pytest.mark.parametrize(
    "line",
    [
        "Learn about Example Eats' Editorial Process",
        "Learn more about The Example's Editorial Process",
        "Learn about our editorial policies",
        "Example Living's editorial guidelines",
        "Read our editorial standards",
        "Reading time about 6 minutes",
        "Estimated reading time: 11 minutes",
        "View Full Profile",
        "Full Bio",
        "Advertise with us",
        "Werben auf Example.de",
        "Bild 3 von 10",
        "Foto 1 de 1",
        "Image 2 of 5",
        "Kommentar absenden",
        "Please enter a non-empty search term.",
    ],
)
def test_a_sites_own_links_and_buttons_are_dropped(line: str) -> None:
    """Links a site prints on every page (its editorial policy in the byline's
    box, the writer's profile, ad sales), a reading time in more wordings, a
    slideshow's counter, a comment form's button and a search box's prompt are
    dropped wherever they stand."""
    assert Boilerplate.builtin().drops(line), line


@pytest.mark.parametrize(
    "line",
    [
        "We follow strict editorial guidelines to ensure accuracy in every review.",
        "Editorial standards at local newspapers are slipping, a study finds",
        "Advertisers flee the platform after the ban",
        "Image of the week: a comet over the Alps",
        "Advertise on TikTok? Think twice",
        "Advertise with care, regulator tells banks",
        "Advertise on the radio, she said.",
    ],
)
def test_headlines_and_prose_naming_such_links_are_kept(line: str) -> None:
    """Guards: a sentence or a headline about editorial standards, advertisers or
    an image is no link; nor is one opening with the ad sales link's words."""
    assert not Boilerplate.builtin().drops(line), line


def test_a_headline_may_end_in_an_aside_in_brackets() -> None:
    """An aside in brackets opening with a small word ends a headline; brackets
    holding a name alone are a picture's credit, still no headline."""
    facts = LineFacts(ReadOptions("p.txt"))
    for line in (
        "How to Stay Productive as a Digital Nomad (While Travelling)",
        "The Secrets to Being a Working Mom (Without Totally Losing It)",
    ):
        assert can_be_headline(line, facts), line
    assert not can_be_headline("Glass cloche terrariums (Lucy Akins)", facts)
    title = "How to Stay Productive as a Digital Nomad (While Travelling)"
    lines = ["Destinations", "Travel Tips", "About Us", "Work With Us", "Search"]
    lines += [title, "Last Updated December 2, 2025||Digital Nomad"]
    lines += paragraphs("Staying productive as a digital nomad", 5)
    assert _read(lines).title == title


def test_a_title_the_page_quotes_names_it() -> None:
    """The comments' header quoting the headline in full ('6 thoughts on “…”') makes
    that line read better as the headline than the kicker in capitals over it."""
    prose = (
        "It took me years to see that the scary part of running a business online is "
        "not the work itself, but the mindset you bring to it every day."
    )
    lines = [
        "Blog", "GROWING AN ONLINE BUSINESS", "How to Adopt an Online Leader Success Mindset",
        "197 Shares", prose, prose + " Again.", prose + " More.",
    ]  # fmt: skip
    quoted = [*lines, "6 thoughts on “How to Adopt an Online Leader Success Mindset”", "Ann"]
    facts = LineFacts(ReadOptions("p.txt"))
    _, plain = headline_scores(lines, Run(4, 7), facts, slug_words=set())
    _, cited = headline_scores(quoted, Run(4, 7), facts, slug_words=set())
    assert cited[2] > plain[2] and cited[1] == plain[1]
    assert cited[2] > cited[1]


def test_quote_dash_and_low_quote_may_open_a_headline() -> None:
    facts = LineFacts(ReadOptions("p.txt"))
    assert can_be_headline("- Angsten vil øke blant naboene", facts)
    assert can_be_headline("„Unermüdlicher Einsatz“ für die Brücke", facts)
    assert not can_be_headline("— David McKinley on Sunday, October 13th, 2019", facts)
    assert not can_be_headline("The Yomiuri Shimbun", facts)
    assert not can_be_headline("Glass cloche terrariums (Lucy Akins)", facts)


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
