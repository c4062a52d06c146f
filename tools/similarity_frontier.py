"""How far the selector's same-story likeness can separate stories on the real days.

    python tools/similarity_frontier.py             # both annotations, every day
    python tools/similarity_frontier.py --linkage   # and whole-pool average linkage

Same-story clustering is scored pairwise (``tools/score_selector.py``).  This
prints what the likeness itself allows, whatever the grouping built on it: over
every pair of a day's news-desk items, pooled over the days, the pairwise
precision and recall of "cosine of the keyword vectors reaches t" for a range of
t, against the first annotation (``labels``) and the second, blind one
(``labels2``), beside the selector's own clustering.  ``--linkage`` adds a
grouping that sees every pair at once (average linkage over the whole pool, no
index, cubic time: a reference, not a design).  When the selector's own figures
sit on the likeness's curve, no choice of threshold or grouping reaches a point
above it; only a better likeness can.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from pathlib import Path

from digest.config import SelectSettings
from digest.select.candidates import Candidate
from digest.select.clustering import average_linkage, cluster
from digest.select.evaluation import Day, clustering_pairs, load_day
from digest.select.genre import classify_genre
from digest.select.outlets import OutletTable
from digest.select.sections import SectionDetector

DAYS = Path(__file__).resolve().parent.parent / "tests" / "data" / "selector_real"
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
LINKAGE_BARS = (0.15, 0.2, 0.25)

#: A day's news-desk items, their likeness matrix, and each annotation's labels.
Matrix = tuple[list[str], list[list[float]]]


def likeness(day: Day) -> Matrix:
    """The news-desk items of ``day`` and the cosine of every pair's keyword vectors
    (as the selector makes them; two items of one article are alike by 1)."""
    settings = SelectSettings()
    outlets, detector = OutletTable(), SectionDetector(settings)
    items = [item for item, label in day.labels.items() if label["desk"] == "news"]
    by_id = {day.articles[i].id: day.articles[i] for i in items}
    candidates = {
        a.id: Candidate(a, outlets.of(a), detector.classify(a), classify_genre(a))
        for a in by_id.values()
    }
    cluster(list(candidates.values()), settings)  # makes each candidate's vector
    vectors = [candidates[day.articles[i].id].vector for i in items]
    matrix = [
        [1.0 if a is b else a.cosine(b) if a and b else 0.0 for b in vectors] for a in vectors
    ]
    return items, matrix


def linkage_labels(matrix: list[list[float]], bar: float) -> list[int]:
    """Each item's group under whole-pool average linkage at ``bar`` (the
    selector's own :func:`~digest.select.clustering.average_linkage`)."""
    label = [0] * len(matrix)
    for n, group in enumerate(average_linkage(matrix, bar)):
        for i in group:
            label[i] = n
    return label


def pairwise(
    days: list[tuple[Day, Matrix]], joined: Callable[[Matrix, int, int], bool]
) -> tuple[float, float]:
    """Pooled pairwise precision and recall of ``joined`` against the days' labels."""
    right = found = labelled = 0
    for day, (items, matrix) in days:
        for a, b in itertools.combinations(range(len(items)), 2):
            story = day.labels[items[a]]["story"]
            same = bool(story) and story == day.labels[items[b]]["story"]
            said = joined((items, matrix), a, b)
            right, found, labelled = right + (said and same), found + said, labelled + same
    return right / max(found, 1), right / max(labelled, 1)


def main() -> int:
    """Print the likeness's precision/recall curve beside the selector's clustering."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--linkage", action="store_true", help="add whole-pool average linkage")
    args = parser.parse_args()
    feeds = sorted(DAYS.glob("day-*.feed.json"))
    matrices = {feed: likeness(load_day(feed)) for feed in feeds}
    for annotation in ("labels", "labels2"):
        days = [(load_day(feed, annotation), matrices[feed]) for feed in feeds]
        print(f"against {annotation}:")
        for t in THRESHOLDS:
            p, r = pairwise(days, lambda m, a, b, t=t: m[1][a][b] >= t)
            print(f"  cosine >= {t:<4}          precision {p:.3f}  recall {r:.3f}")
        counts = [clustering_pairs(day) for day, _ in days]
        right, found, labelled = (sum(c[k] for c in counts) for k in range(3))
        print(
            f"  the selector's clustering  precision {right / max(found, 1):.3f}  "
            f"recall {right / max(labelled, 1):.3f}"
        )
        if args.linkage:
            for bar in LINKAGE_BARS:
                groups = {id(m[1]): linkage_labels(m[1], bar) for _, m in days}
                p, r = pairwise(days, lambda m, a, b, g=groups: g[id(m[1])][a] == g[id(m[1])][b])
                print(f"  average linkage at {bar:<4}   precision {p:.3f}  recall {r:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
