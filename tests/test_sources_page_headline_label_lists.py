"""Lines listing labels rather than naming the story (issue 12): a post's
categories over its headline, a label with a figure (a subtitle ending in a
year), and the headlines that look like such lists but are kept (a list of
names, a question about a year).
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

import pytest

from digest.sources.pagegeneric import _label_with_figure, label_list

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, paragraphs, read_lines
from .german_story import read_late as _read

LEAD = (
    "Unsure about the best way to travel Southeast Asia for the first time? A group "
    "tour and solo travel each have their merits, and here is how to choose."
)

MENU = ["Home", "Blog", "Destinations", "About", "Contact"]


@pytest.mark.parametrize(
    "labels",
    [
        "Asia, Packing & Planning, Travel Inspiration",
        "Asia • Packing & Planning • Travel Inspiration",
        "Asia, Solo Travel, Group Tours",
    ],
)
def test_a_posts_categories_over_its_headline_are_no_headline(labels: str) -> None:
    """A post's categories printed over its headline ("Asia, Packing & Planning,
    Travel Inspiration") share words with the lead and read like a headline over
    a deck; a list of labels names topics, not the story: the headline over the
    post's date line is the page's."""
    title = "First Time In Southeast Asia? Group Tour VS Solo Travel"
    lines = [*MENU, labels, title, "Posted on August 15, 2025 by Tasha Amy", LEAD]
    lines += paragraphs("Travelling in a group", 5)
    assert _read(lines).title == title


def test_a_headline_listing_names_is_no_label_list() -> None:
    """Guard: a headline naming people or places with commas ("Trump, Putin and Xi
    meet in Geneva") or a short one in two parts is no list of labels; items of
    a few words each, three or more, are."""
    assert not label_list("Trump, Putin and Xi meet in Geneva")
    assert not label_list("Özil, Salut und Kreuzketten")
    assert not label_list("Best Cheap Homemade Halloween Costumes | 2020")
    assert not label_list("Rain, wind, snow: what the storm will bring tonight.")
    # A colon opens the headline's second part, however short it is.
    assert not label_list("Rain, wind, snow: storm hits")
    assert not label_list("Floods, Fires, Drought: Climate Bill")
    assert label_list("ARD, Demonstrationen, Neu, Tagesschau, Top-Thema")


def test_a_headline_with_a_subtitle_naming_its_year_is_a_headline() -> None:
    """A headline whose part after the colon names the year it is for ("Mobile UX
    Design: The Ultimate Guide 2025") is no labelled fact ("Reading time: 4 min"):
    it heads the guide over its date and byline, not a button of the menu above
    ("See all case studies")."""
    title = "Mobile UX Design: The Ultimate Guide 2025"
    lead = (
        "To create a successful app it is not enough to have a brilliant concept: "
        "mobile UX design decides whether people keep the app after the first days."
    )
    lines = [*MENU, "See all case studies", "Analytics", title]
    lines += ["PUBLISHED", "3 January, 2025", "Annemarie Bufe", "Product Analytics Expert", lead]
    lines += paragraphs("Good mobile UX design", 5)
    assert _read(lines).title == title


@pytest.mark.parametrize(
    ("line", "fact"),
    [
        ("Analytics for Ecommerce: Complete Guide 2025", False),
        ("Published: May 2025", True),
        ("Copyright: All rights reserved 2025", True),
        ("Reading time: 4 min", True),
    ],
)
def test_only_a_title_case_subtitle_ending_in_a_year_is_no_fact(line: str, fact: bool) -> None:
    """Guard: a month's name before the year, or small print in sentence case,
    keeps a labelled line a fact."""
    assert _label_with_figure(line) is fact


def test_a_headline_asking_about_a_year_is_no_label_with_a_figure() -> None:
    """'Label: value with a figure' is a fact ("Reading time: 2 minutes"); a
    question after the colon is a headline's second part, over its subtitle."""
    headline = "Bridge Repairs: What's Next in 2025?"
    subtitle = "What does 2025 have in store for the old bridge?"
    lines = ["Home", "News", headline, subtitle, "May 3, 2024", ENGLISH_LEAD, ENGLISH_MORE]
    assert read_lines(lines).title == headline
