"""How far two independent annotations of the selector's real days agree.

    python tools/label_agreement.py            # every day with a second annotation

The real set (``tests/data/selector_real/``) has one annotator's labels per day
(``day-*.labels.json``) and a second annotation of every day, made blind to the
first and to the selector (``day-*.labels2.json``). The selector is scored on the
first only; the figures are only as sharp as those labels. This prints, per day
and pooled, the second annotation scored as if it were a selector against the
first: pairwise same-story precision and recall over the first annotator's
news-desk items (the items the selector's clustering is scored on), and how often
the two agree on desk and genre. Both annotations are the team's own, so this is
agreement between two readings of one guide, not a ceiling for a selector.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DAYS = Path(__file__).resolve().parent.parent / "tests" / "data" / "selector_real"

Labels = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Agreement:
    """Two annotations of one day compared: same-story pairs and field agreement."""

    items: int
    pairs_first: int
    pairs_second: int
    pairs_both: int
    desk_same: int
    genre_same: int
    labelled_both: int

    @property
    def precision(self) -> float:
        """Share of the second annotator's pairs the first also made."""
        return self.pairs_both / self.pairs_second if self.pairs_second else 1.0

    @property
    def recall(self) -> float:
        """Share of the first annotator's pairs the second also made."""
        return self.pairs_both / self.pairs_first if self.pairs_first else 1.0

    def __add__(self, other: Agreement) -> Agreement:
        return Agreement(*(a + b for a, b in zip(_fields(self), _fields(other), strict=True)))


def _fields(agreement: Agreement) -> tuple[int, ...]:
    return (
        agreement.items,
        agreement.pairs_first,
        agreement.pairs_second,
        agreement.pairs_both,
        agreement.desk_same,
        agreement.genre_same,
        agreement.labelled_both,
    )


def _story_pairs(labels: Labels, items: list[str]) -> set[frozenset[str]]:
    return {
        frozenset((a, b))
        for a, b in itertools.combinations(items, 2)
        if labels[a]["story"] and labels[a]["story"] == labels[b]["story"]
    }


def compare(first: Labels, second: Labels) -> Agreement:
    """Score ``second`` against ``first`` on the items both labelled: same-story
    pairs over the first annotator's news-desk items, desk and genre over all."""
    shared = [item for item in first if item in second]
    news = [item for item in shared if first[item]["desk"] == "news"]
    pairs_first, pairs_second = _story_pairs(first, news), _story_pairs(second, news)
    return Agreement(
        items=len(news),
        pairs_first=len(pairs_first),
        pairs_second=len(pairs_second),
        pairs_both=len(pairs_first & pairs_second),
        desk_same=sum(first[i]["desk"] == second[i]["desk"] for i in shared),
        genre_same=sum(first[i]["genre"] == second[i]["genre"] for i in shared),
        labelled_both=len(shared),
    )


def _line(name: str, a: Agreement) -> str:
    shared = a.labelled_both or 1  # two annotations of no common item agree on nothing
    return (
        f"{name:<10}  {a.items:>5}  {a.pairs_first:>5} {a.pairs_second:>5} {a.pairs_both:>5}"
        f"   {a.precision:.3f}     {a.recall:.3f}   {a.desk_same / shared:.3f}"
        f"   {a.genre_same / shared:.3f}"
    )


def main() -> int:
    """Print the agreement of every day that has a second annotation, then pooled."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=Path, default=DAYS, help="folder of the labelled days")
    args = parser.parse_args()
    print("day         news  pairs: 1st   2nd  both  precision  recall   desk   genre")
    total: Agreement | None = None
    for second_path in sorted(args.days.glob("day-*.labels2.json")):
        first_path = second_path.with_name(second_path.name.replace(".labels2", ".labels"))
        first = json.loads(first_path.read_text("utf-8"))
        second = json.loads(second_path.read_text("utf-8"))
        agreement = compare(first["labels"], second["labels"])
        print(_line(first["day"], agreement))
        total = agreement if total is None else total + agreement
    if total is None:
        print(f"no second annotation (day-*.labels2.json) in {args.days}")
        return 1
    print(_line("all days", total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
