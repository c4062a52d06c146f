"""The likenesses the frontier tool measures beside the selector's cosine."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.select.evaluation import Day
from tools.similarity_frontier import (
    EXPANSION_WEIGHT,
    _cosines,
    read_word_vectors,
    spread,
    story_pairs,
)


def test_words_that_occur_together_make_items_alike_that_share_none() -> None:
    # Words 1 ("Wagner") and 2 ("Prigozhin") occur together in two items; a third
    # and a fourth name one each and share no word, until the day's pairs spread.
    rows = [{1: 0.6, 2: 0.8}, {1: 0.8, 2: 0.6}, {1: 1.0}, {2: 1.0}, {9: 1.0}]
    same = [[i == j for j in range(5)] for i in range(5)]
    before = _cosines(rows, same)
    after = _cosines(spread(rows), same)
    assert before[2][3] == 0.0
    assert after[2][3] > 0.25
    # A word that never occurs with another is left as it was, alike to nothing.
    assert spread(rows)[4] == {9: 1.0}
    assert after[4][2] == 0.0 and after[4][4] == 1.0


def test_a_word_spreads_by_its_weight_times_the_likeness_of_the_two_columns() -> None:
    rows = [{1: 1.0, 2: 1.0}, {1: 1.0}]
    # Column 1 is (1, 1), column 2 is (1, 0): cosine 1/sqrt(2).
    spread_rows = spread(rows)
    assert spread_rows[1][2] == pytest.approx(EXPANSION_WEIGHT / 2**0.5)
    assert spread_rows[0][1] == pytest.approx(1.0 + EXPANSION_WEIGHT / 2**0.5)


def test_only_the_wanted_words_vectors_are_read(tmp_path: Path) -> None:
    path = tmp_path / "vectors.txt"
    path.write_text("wagner 0.5 -1.0\nprigozhin 0.25 2\nmutiny 1 1\n", "utf-8")
    assert read_word_vectors(path, {"wagner", "prigozhin", "absent"}) == {
        "wagner": [0.5, -1.0],
        "prigozhin": [0.25, 2.0],
    }


def test_story_pairs_are_the_labelled_stories_pairs_among_the_items_given() -> None:
    labels = {
        "a": {"story": "quake"},
        "b": {"story": "quake"},
        "c": {"story": "quake"},
        "d": {"story": None},
        "e": {"story": None},
    }
    day = Day("2023-01-01", datetime(2023, 1, 2, tzinfo=UTC), {}, labels)
    # "c" is not among the items; two items alone (None) are not a pair.
    assert story_pairs(day, ["a", "b", "d", "e"]) == {frozenset(("a", "b"))}
