"""Headlines over the right main run found by stop 31's headline pass (issue 12):
a three-word headline over a deck written as one full sentence, and a headline
whose second part is a question naming a year.  The figures are in the README."""

from __future__ import annotations

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, read_lines


def test_a_three_word_headline_over_a_one_sentence_deck_names_the_page() -> None:
    """A sentence right under a three-word headline is its deck: it sits nearer
    the story, yet the headline over it names the page."""
    headline = "Bridge closes early"
    deck = "More safety for the drivers who cross the river each day."
    lines = ["Dec 17, 2025 Jane Miller", headline, deck, ENGLISH_LEAD, ENGLISH_MORE]
    assert read_lines(lines).title == headline


def test_a_headline_asking_about_a_year_is_no_label_with_a_figure() -> None:
    """'Label: value with a figure' is a fact ("Reading time: 2 minutes"); a
    question after the colon is a headline's second part, over its subtitle."""
    headline = "Bridge Repairs: What's Next in 2025?"
    subtitle = "What does 2025 have in store for the old bridge?"
    lines = ["Home", "News", headline, subtitle, "May 3, 2024", ENGLISH_LEAD, ENGLISH_MORE]
    assert read_lines(lines).title == headline
