"""Date rules of stop 32 (issue 12): a wiki's footer sentence stating when the page
was created ("Created … Sunday, October 18th, 2020. Edited …") dates it even under
a comment prompt; the header's time line run together with the picture's credit
right under the headline ("Stars (1 / 1) 06.11.2023 13:30 von Olga Symbolbild
imago") is the story's time; a user's handle before a full date and clock ("HansEhrlich
17.10.2019, 13:56 Uhr") is a post's signature.  Hand-written pages in the shapes of
real dumps; the figures on the real sets are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import ReadOptions
from digest.sources.pagemeta import LineFacts

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, LEAD, MORE, SAVED, read_lines


def test_a_wikis_created_sentence_under_a_comment_prompt_dates_the_page() -> None:
    """Such a page was dated by its crawl: the sentence stands under "Add a comment"
    (taken for the opening of readers' comments) and far under the story."""
    lines = [
        "Toggle navigation",
        "Blog",
        "Council closes the old bridge to cars",
        "blog",
        ENGLISH_LEAD,
        ENGLISH_MORE,
        *(f"note {k}" for k in range(45)),
        "Add a comment",
        "Created late in the afternoon of Sunday, October 18th, 2020. Edited late in the "
        "afternoon of Monday, October 19th, 2020.",
        "Tags",
        "Edit",
    ]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2020, 10, 18, tzinfo=UTC)


def test_created_by_a_name_is_no_statement_of_the_date() -> None:
    """ "Created by …" names who made the page, not when: the crawl's time stays."""
    lines = [
        "Blog",
        "Council closes the old bridge to cars",
        ENGLISH_LEAD,
        ENGLISH_MORE,
        "Created by Jane Doe, whose 12 notes from March 3, 2020 are in the archive.",
    ]
    assert read_lines(lines).time_from_crawl


HEADLINE = "Stadtrat sperrt die alte Brücke für Autos nach Rissen in den Pfeilern"


@pytest.mark.parametrize(
    ("under", "crawled"),
    [
        ("Stadt (1 / 1) 06.11.2023 13:30 von Olga Symbolbild imago", False),
        # A date without its clock in a caption is the picture's, as before.
        ("Die alte Brücke am 06.11.2023 Symbolbild imago", True),
    ],
)
def test_a_time_line_run_into_the_pictures_credit_under_the_headline(
    under: str, crawled: bool
) -> None:
    """The line under the headline reads as a caption (its credit ends it), so its
    date was skipped and the page dated by its crawl; a date with its clock there is
    the header's time."""
    lines = ["Stadt", "Impressum", "Kontakt", HEADLINE, under, LEAD, MORE, "Weiterlesen >>"]
    article = read_lines(lines)
    assert article.time_from_crawl is crawled
    if not crawled:
        assert article.published_at == datetime(2023, 11, 6, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "day", "byline"),
    [
        (
            "HansEhrlich 17.10.2019, 13:56 Uhr",
            datetime(2019, 10, 17, 13, 56, tzinfo=UTC),
            "HansEhrlich",
        ),
    ],
)
def test_a_handle_then_a_date_and_clock_is_a_posts_signature(
    line: str, day: datetime, byline: str
) -> None:
    """Such a line was no header line (a one-word name is no byline)."""
    said = LineFacts(ReadOptions("p.txt", reference_time=SAVED))(line)
    assert said is not None
    assert said.published == day
    assert said.byline == byline


@pytest.mark.parametrize("line", ["Produkttest 17.10.2019, 13:56 Uhr", "HansEhrlich 17.10.2019"])
def test_a_plain_word_or_a_date_without_clock_is_no_signature(line: str) -> None:
    """A plain word is no handle, and a handle's signature carries the clock."""
    said = LineFacts(ReadOptions("p.txt", reference_time=SAVED))(line)
    assert said is None or said.byline == ""
