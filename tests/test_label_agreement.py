"""The agreement figures between two annotations of a real day."""

from __future__ import annotations

from typing import Any

import pytest

from tools.label_agreement import compare


def _label(story: str | None, desk: str = "news", genre: str = "hard") -> dict[str, Any]:
    return {"story": story, "desk": desk, "genre": genre, "countries": []}


def test_pairs_are_scored_over_the_first_annotators_news_items() -> None:
    first = {
        "a": _label("quake"),
        "b": _label("quake"),
        "c": _label("quake"),
        "d": _label(None),
        "e": _label("cup", desk="sport"),
        "f": _label("cup", desk="sport"),
    }
    second = {
        "a": _label("quake-rescue"),
        "b": _label("quake-rescue"),
        "c": _label(None, genre="analysis"),
        "d": _label("quake-rescue"),
        "e": _label("final", desk="sport"),
        "f": _label("final", desk="news"),
    }
    agreement = compare(first, second)
    # first: ab ac bc; second over news items a-d: ab ad bd; both: ab.
    assert (agreement.items, agreement.pairs_first, agreement.pairs_second) == (4, 3, 3)
    assert agreement.pairs_both == 1
    assert agreement.precision == pytest.approx(1 / 3)
    assert agreement.recall == pytest.approx(1 / 3)
    assert (agreement.desk_same, agreement.genre_same, agreement.labelled_both) == (5, 5, 6)


def test_days_add_up_and_items_only_one_side_labelled_are_left_out() -> None:
    first = {"a": _label("x"), "b": _label("x"), "z": _label("x")}
    second = {"a": _label("y"), "b": _label("y")}
    one = compare(first, second)
    assert (one.items, one.pairs_first, one.pairs_both) == (2, 1, 1)
    both = one + one
    assert (both.pairs_first, both.pairs_both, both.labelled_both) == (2, 2, 4)
    assert both.precision == 1.0 and both.recall == 1.0
