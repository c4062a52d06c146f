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


def test_a_deck_over_the_byline_gives_way_to_the_headline_over_it() -> None:
    """Headline, deck, byline, date (a blog platform's layout): the header found
    by the time line takes the deck over the byline for the headline; the
    generic reader reads it as the deck under the line over it, which names the
    page."""
    headline = "How to write a (good) newsletter with AI"
    deck = "5-steps to build your AI-powered newsletter system"
    lead = (
        "I built my newsletter with two things: my voice and a repeatable system. "
        "The system runs on AI. The voice stays mine."
    )
    more = (
        "This edition walks you through the exact workflow I use to turn raw notes "
        "into a finished edition that readers open."
    )
    header = ["Weekly Notes", "Subscribe", "Sign in", headline, deck, "Jane Miller"]
    counts = ["Apr 02, 2024", "∙ Paid", "88", "10", "4", "Share"]
    assert read_lines([*header, *counts, lead, more, ENGLISH_LEAD]).title == headline


def test_a_two_word_headline_under_the_date_over_a_sentence() -> None:
    """A blog's date over a two-word headline (which reads as a person's name)
    over the story's first sentence: the headline shares a word with the lead
    and names the page, not the sentence under it."""
    sentence = "I have been watching the old bridge close for weeks."
    lines = ["Jane's Weblog", "May 3, 2024", "Bridge Closure", sentence, ENGLISH_LEAD, ENGLISH_MORE]
    assert read_lines(lines).title == "Bridge Closure"
