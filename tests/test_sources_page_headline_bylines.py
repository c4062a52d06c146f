"""Bylines, names and credits against headlines (issue 12): bylines and credit
lines in the forms other languages print, a byline's label split from the name,
names alone as a byline or a short headline, a writer's box (name, job, bio)
under the headline, and a headline over its author's name.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

import pytest

from digest.sources import ReadOptions
from digest.sources.pagegeneric import _is_credit, foreign_byline, names_only
from digest.sources.pagemeta import LineFacts

from .german_story import LEAD, MORE, STANDFIRST, STORY, paragraphs, read_lines
from .german_story import read_late as _read

MENU = ["Home", "Recipes", "Kitchen Tools", "Holidays", "About Us", "Newsletters"]


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


def test_a_line_read_as_names_is_the_headline_only_when_it_agrees_with_the_lead() -> None:
    """German nouns are capitalised: "Neue Online-Seminare" reads as a name, but
    it shares its words with the story under its date line; a writer's name over
    the date line does not, and is no headline."""
    lines = ["Verband", "Neue Online-Seminare", "3. Februar 2022", STORY, STORY]
    assert read_lines(lines).title == "Neue Online-Seminare"
    lines = ["Neue Seminare des Verbands", "Birgit Baumann", "3. Februar 2022", STORY, STORY]
    assert read_lines(lines).title == "Neue Seminare des Verbands"


def test_a_line_under_a_foreign_byline_under_a_headline_is_under_its_header() -> None:
    """Headline, "von <names>", then a subheading over the story: the subheading
    stands under another line's byline, as one under "By …" would."""
    lines = [
        "Menü",
        "Presse im Frühjahr",
        "von Daniel Braun, Davor Pasoski",
        "Zwei neue Seminare für die Kommunikation",
        STORY,
        STORY,
    ]
    assert read_lines(lines).title == "Presse im Frühjahr"


def test_a_bylines_label_alone_is_a_credit_line() -> None:
    """Crawlers save "By" and the linked name as two lines: the label alone is the
    credit line, as "By <name>" would be; a headline opening with "By" is none."""
    facts = LineFacts(ReadOptions("p.txt"))
    for label in ("By", "Written By:", "written by", "Author", "Reviewed by"):
        assert _is_credit(label, facts), label
    assert not _is_credit("Bypass road opens to traffic", facts)
    assert not _is_credit("Authors Guild sues over training data", facts)


def test_the_headline_over_a_split_byline_beats_a_search_prompt_above_it() -> None:
    """A search box's prompt ("What are you looking for?") over the headline
    shares a small word with the lead; the headline stands over its byline, split
    into "Written By:" and the name, and over the time line under them."""
    title = "10 Best Car Rentals In USA In 2025 [For all Budgets!]"
    lead = (
        "Here's a rundown of what the best car rentals are in the USA, and what you "
        "should look for when you book one for a long trip."
    )
    lines = ["Home", "Destinations", "Guides", "Shop", "About"]
    lines += ["What are you looking for?", title, "Written By:", "Cazzy Magennis"]
    lines += ["Last Updated:", "August 1, 2025", lead, *paragraphs("Car rental", 4)]
    assert _read(lines).title == title


def test_a_headline_that_exclaims_opens_the_story_over_its_authors_name() -> None:
    """A headline ending in "!" reads as a sentence and joins the main run; over
    the author's name it is the headline, not the last menu line above it (a
    standfirst states, it does not exclaim)."""
    title = "Du wirst nicht glauben, wie viel CO2 Clickbait-Websites produzieren!"
    story = [
        "Eine neue Studie enthüllt die gesamten ökologischen und wirtschaftlichen "
        "Auswirkungen von Clickbait-Websites auf das Klima und die Werbung.",
        "Die Forschenden haben dafür den Stromverbrauch von Servern, Netzen und Geräten "
        "gemessen, die solche Seiten ausliefern und anzeigen.",
        "Clickbait-Websites verursachen demnach jedes Jahr so viel CO2 wie eine "
        "mittelgroße Stadt, obwohl kaum jemand ihre Artikel zu Ende liest.",
    ]
    # The last line above it, a teaser of another story, shares a word with the lead.
    teaser = "Neue Studie zu Satelliten und Drohnen im Klimaschutz"
    lines = ["Suche", teaser, "Umwelt", "Lösung", title, "Nenad Stojkovic", *story]
    assert _read(lines).title == title


def test_the_headline_stands_over_the_writers_box_not_in_it() -> None:
    """Headline, "By", the name (printed twice), the writer's bio opening with the
    name, the link to the editorial policy, then the time line: the bio and link
    are the byline's box, the headline is over the box (before, the bio or the
    name, right over the time line, was taken)."""
    title = "Our 6 Favorite Bread Machines Make Any Type of Loaf"
    bio = (
        "Donna Currie is a food writer and blogger specializing in recipes and kitchen "
        "gadgets, who has tested bread machines for the site since 2016."
    )
    lines = [*MENU, title, "By", "Donna Currie", "Donna Currie", bio]
    lines += ["Learn about Example Eats' Editorial Process", "Updated on 09/12/25"]
    lines += paragraphs("Baking bread at home", 5)
    assert _read(lines).title == title


def test_the_writers_job_may_stand_between_name_and_bio() -> None:
    """The box may print the writer's job between the name and the bio, and a
    byline run into one line over it ("Written by Rebecca Drew"): the headline is
    still the line over the box."""
    title = "Best Slack Alternatives for Effective Team Communication"
    bio = (
        "Rebecca Drew has been a part of the team for over five years, writing on "
        "business phone systems, video meetings and the tools remote teams use."
    )
    lines = [*MENU, "Team Collaboration", "Slack Alternatives", title]
    lines += ["Written by Rebecca Drew", "Written by", "Rebecca Drew"]
    lines += ["UCaaS Researcher, Reporter", bio, "Updated on September 06, 2025"]
    lines += paragraphs("Team chat", 5)
    assert _read(lines).title == title


def test_a_name_over_a_bio_is_no_box_when_a_headline_stands_between() -> None:
    """Guard: a name as the kicker over the headline over a standfirst opening
    with that name is no writer's box (the headline, six words or more, is no
    writer's job): the header is read whole, its agency under the time line too."""
    title = "Deutsche Bank Nominates Its Board Chairman for a Second Term"
    deck = (
        "Alexander Wynaendts is to lead the supervisory board for four more years, the "
        "bank said on Tuesday after a meeting of its nomination committee."
    )
    lines = [*MENU, "Alexander Wynaendts", title, deck, "November 5, 2025", "Reuters"]
    lines += paragraphs("The board's choice", 5)
    article = _read(lines)
    assert (article.title, article.summary, article.agency) == (title, deck, "Reuters")


def test_a_short_headline_over_a_bylines_label_is_no_name() -> None:
    """A short Title Case headline over "By" and the name reads as names itself;
    over a byline's label it is the headline, not more of the byline (the menu
    entry over it was taken)."""
    title = "My Digital Nomad Story."
    lines = ["Blog", "About Maria", "Podcast", "Contact me", "Work with me"]
    lines += [title, "By", "Maria Stoyanova", "February 1, 2024", "1 Comment"]
    lines += paragraphs("Working while travelling", 5)
    assert _read(lines).title == title


@pytest.mark.parametrize(
    "byline",
    [
        "Von Christian Unger, Tobias Köberlein und Laura Wagener",
        "von Jemima Kelly",
        "Daniel Großert Redakteur",
        "Steffan Rhys Deputy Content Hub Director",
    ],
)
def test_bylines_of_other_forms_are_no_headline(byline: str) -> None:
    """A byline in another language's form, or a name with the writer's job, over
    the time line: the headline is the line over the standfirst, and the byline is
    read as such."""
    article = read_lines(
        ["Startseite", "Stadtrat sperrt die alte Brücke für Autos", STANDFIRST, byline,
         "03.05.2024, 14:55 Uhr", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Stadtrat sperrt die alte Brücke für Autos"  # type: ignore[attr-defined]
    assert foreign_byline(byline)


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Von Christian Unger, Tobias Köberlein", True),
        ("Par David Mouriquand", True),
        ("Freelance sports writer", True),
        ("Von der Leyen will mehr Geld für die Ukraine", False),
        ("Por qué Madrid gana", False),
        ("Trump fires FBI director", False),
        ("Meet the ghost writer", False),
    ],
)
def test_foreign_bylines_are_told_from_headlines(line: str, byline: bool) -> None:
    assert foreign_byline(line) is byline


def test_names_alone_are_a_byline_only_under_a_standfirst() -> None:
    """'Birgit Baumann Anna Giulia Fink' under the standfirst is the byline; a line
    of capitalised words with no small word elsewhere may be a headline."""
    assert names_only("Birgit Baumann Anna Giulia Fink")
    article = read_lines(
        ["Panorama", "Stadtrat sperrt die alte Brücke für Autos", STANDFIRST,
         "Birgit Baumann Anna Giulia Fink", "3. Mai 2024, 17:47", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Stadtrat sperrt die alte Brücke für Autos"  # type: ignore[attr-defined]
    assert article.byline == "Birgit Baumann Anna Giulia Fink"  # type: ignore[attr-defined]
