"""Headlines found by stop 28's headline pass (issue 12): a writer's box (name,
job, bio, a link to the editorial policy) between the byline and the time line, a
byline's label over the name under a short headline, a headline ending in an
aside in brackets, and the site's own links and buttons that are no headline
anywhere.  The figures are in the README and the page-set floor tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import can_be_headline
from digest.sources.pagemeta import LineFacts

from .german_story import paragraphs, read_lines

SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
MENU = ["Home", "Recipes", "Kitchen Tools", "Holidays", "About Us", "Newsletters"]


def _read(lines: list[str]) -> Article:
    return read_lines(lines, SAVED)


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


def test_a_call_to_action_over_the_date_over_the_headline_gives_way() -> None:
    """A page printing its date over the headline: the menu's call to action over
    the date ("Book a Demo Log In") shares no word with the story, the line under
    the date shares two or more: that line is the headline."""
    title = "15 Essential Event Planning Skills for Successful Event Management"
    lead = (
        "Event planning requires a diverse skill set, from effective communication to "
        "financial management, and every event management team needs these skills."
    )
    lines = ["Platform", "Solutions", "Partners", "Careers", "Pricing"]
    lines += ["Book a Demo Log In", "October 8, 2024 Swoogo", title, lead]
    lines += paragraphs("Event planning", 5)
    assert _read(lines).title == title


def test_a_headline_over_the_date_keeps_its_deck_under_it() -> None:
    """Guard: a headline sharing no word with the lead over the time line, its
    deck under the time line sharing a word with it and two with the lead: the
    headline stays (a deck or caption repeats the headline's words, a call to
    action does not)."""
    title = "A Quantum Leap for the Northern Quarter"
    deck = "Town opens the Northern park to families and runners"
    lead = (
        "The town opened the park on Saturday: families walked the paths and runners "
        "tried the track, and the mayor thanked the builders for finishing early."
    )
    lines = ["News", "Sport", "Culture", "Events", "Contact"]
    lines += [title, "November 19, 2025", deck, lead, *paragraphs("The new park", 5)]
    assert _read(lines).title == title
