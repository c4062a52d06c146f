"""Headlines found by stop 30's headline pass (issue 12): lines that name topics
or another page, not the story, give way to the headline standing over the
story's own byline or time line.  The figures are in the README."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.model import Article
from digest.sources.pagegeneric import label_list

from .german_story import paragraphs, read_lines

SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
MENU = ["Home", "Blog", "Destinations", "About", "Contact"]
LEAD = (
    "Unsure about the best way to travel Southeast Asia for the first time? A group "
    "tour and solo travel each have their merits, and here is how to choose."
)


def _read(lines: list[str]) -> Article:
    return read_lines(lines, SAVED)


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
    assert label_list("ARD, Demonstrationen, Neu, Tagesschau, Top-Thema")
