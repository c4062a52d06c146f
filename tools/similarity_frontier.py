"""How far the selector's same-story likeness can separate stories on the real days.

    python tools/similarity_frontier.py             # both annotations, every day
    python tools/similarity_frontier.py --linkage   # and whole-pool average linkage
    python tools/similarity_frontier.py --expanded  # and a day-local co-occurrence likeness
    python tools/similarity_frontier.py --expanded --linkage  # and its average linkage
    python tools/similarity_frontier.py --vectors glove.6B.100d.txt  # and word vectors

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

Two such likenesses are measured beside it, each as its own curve over the same
pairs.  ``--expanded`` spreads each keyword's weight to the words that occur with
it across the day's items (the day as its own thesaurus: "Wagner" with
"Prigozhin", "pension" with "Macron"): the cosine of the vectors ``x + a·xS``,
where ``S`` holds the cosines of the words' columns over the day's items (those
reaching :data:`EXPANSION_BAR`), ``a`` = :data:`EXPANSION_WEIGHT`.
``--vectors PATH`` reads static word vectors in GloVe's text format (a word and
its numbers per line) and blends, at each weight of :data:`VECTOR_BLENDS`, the
cosine with that of each item's mean word vector (headline words three times,
each word by its idf over the day's items).  Neither is shipped: the tool
measures whether they would be worth it.

Last, the selector's pairs against both annotations at once: the share of its
joins that either annotation makes, and the share of the pairs both make that
it finds; what falls short there is not a matter of how finely an annotator
split an event.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from digest.config import SelectSettings
from digest.select.candidates import Candidate
from digest.select.clustering import average_linkage, cluster
from digest.select.evaluation import Day, clustering_pairs, found_stories, load_day
from digest.select.genre import classify_genre
from digest.select.outlets import OutletTable
from digest.select.sections import SectionDetector
from digest.select.similarity import STOPWORDS, Vector

DAYS = Path(__file__).resolve().parent.parent / "tests" / "data" / "selector_real"
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
LINKAGE_BARS = (0.15, 0.2, 0.25)
#: The day-local expansion: how much of a word's weight spreads to the words it
#: occurs with, and how alike (cosine of their columns) two words must be.
EXPANSION_WEIGHT, EXPANSION_BAR = 0.3, 0.3
#: Average linkage bars for the expanded likeness (its cosines run higher).
EXPANDED_LINKAGE_BARS = (0.35, 0.4, 0.45)
#: Weights of the word-vector cosine in the blend with the keyword cosine.
VECTOR_BLENDS = (0.1, 0.2)
_TOKEN = re.compile(r"[^\W_]+")

#: A day's news-desk items, their likeness matrix, and each annotation's labels.
Matrix = tuple[list[str], list[list[float]]]


def news_vectors(day: Day) -> tuple[list[str], list[Vector | None]]:
    """The news-desk items of ``day`` and each one's keyword vector (as the
    selector makes them; two items of one article share one)."""
    settings = SelectSettings()
    outlets, detector = OutletTable(), SectionDetector(settings)
    items = [item for item, label in day.labels.items() if label["desk"] == "news"]
    by_id = {day.articles[i].id: day.articles[i] for i in items}
    candidates = {
        a.id: Candidate(a, outlets.of(a), detector.classify(a), classify_genre(a))
        for a in by_id.values()
    }
    cluster(list(candidates.values()), settings)  # makes each candidate's vector
    return items, [candidates[day.articles[i].id].vector for i in items]


def likeness(day: Day) -> Matrix:
    """The news-desk items of ``day`` and the cosine of every pair's keyword vectors
    (as the selector makes them; two items of one article are alike by 1)."""
    items, vectors = news_vectors(day)
    matrix = [
        [1.0 if a is b else a.cosine(b) if a and b else 0.0 for b in vectors] for a in vectors
    ]
    return items, matrix


def _cosines(rows: list[dict[int, float]], same: list[list[bool]]) -> list[list[float]]:
    """Cosines of sparse rows (1 where ``same`` says two items are one article)."""
    norms = [math.sqrt(sum(v * v for v in row.values())) or 1.0 for row in rows]
    return [
        [
            1.0
            if same[i][j]
            else sum(v * b.get(t, 0.0) for t, v in a.items()) / (norms[i] * norms[j])
            for j, b in enumerate(rows)
        ]
        for i, a in enumerate(rows)
    ]


def spread(rows: list[dict[int, float]]) -> list[dict[int, float]]:
    """Each row's weights spread over the words that occur with its own across the
    rows (cosine of the two words' columns at least :data:`EXPANSION_BAR`, at
    :data:`EXPANSION_WEIGHT` of the weight times that cosine)."""
    column: dict[int, float] = defaultdict(float)
    together: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        for t, x in row.items():
            column[t] += x * x
            for u, y in row.items():
                if u != t:
                    together[t][u] += x * y
    alike = {
        t: {u: s / math.sqrt(column[t] * column[u]) for u, s in near.items()}
        for t, near in together.items()
    }
    found = []
    for row in rows:
        out = dict(row)
        for t, x in row.items():
            for u, s in alike.get(t, {}).items():
                if s >= EXPANSION_BAR:
                    out[u] = out.get(u, 0.0) + EXPANSION_WEIGHT * x * s
        found.append(out)
    return found


def expanded_likeness(day: Day) -> Matrix:
    """The cosine of the items' keyword vectors spread over the day's co-occurring
    words (:func:`spread`; an article's vector counted once)."""
    items, vectors = news_vectors(day)
    distinct = list({id(v): v for v in vectors}.values())
    spread_by_vector = dict(
        zip(map(id, distinct), spread([v.weights if v else {} for v in distinct]), strict=True)
    )
    rows = [spread_by_vector[id(v)] for v in vectors]
    return items, _cosines(rows, [[a is b for b in vectors] for a in vectors])


def read_word_vectors(path: Path, wanted: set[str]) -> dict[str, list[float]]:
    """The ``wanted`` words' vectors from a GloVe-format text file (read line by
    line: only the day's words are kept)."""
    found = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, numbers = line.rstrip("\n").partition(" ")
            if word in wanted:
                found[word] = [float(n) for n in numbers.split()]
    return found


def _tokens(text: str) -> list[str]:
    """A text's content words, lower-cased and unstemmed (as word vectors list them)."""
    folded = text.lower().replace("'", "").replace("’", "")
    return [w for w in _TOKEN.findall(folded) if len(w) > 1 and w not in STOPWORDS]


def vector_cosines(day: Day, items: list[str], table: dict[str, list[float]]) -> list[list[float]]:
    """The cosines of ``items``' mean word vectors: each headline word three times,
    each standfirst word once, each times its idf over the items (two items of
    one article are alike by 1)."""
    articles = [day.articles[i] for i in items]
    tokens = [(set(_tokens(a.title)), set(_tokens(a.summary))) for a in articles]
    frequency = Counter(w for title, summary in tokens for w in title | summary)
    n = len(tokens) + 1
    rows = []
    for title, summary in tokens:
        weights = {w: 1.0 for w in summary} | {w: 3.0 for w in title}
        mean: dict[int, float] = defaultdict(float)
        for word, weight in weights.items():
            idf = math.log(n / (frequency[word] + 1)) + 0.05
            for k, x in enumerate(table.get(word, ())):
                mean[k] += weight * idf * x
        rows.append(dict(mean))
    return _cosines(rows, [[a.id == b.id for b in articles] for a in articles])


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


def _blend(a: list[list[float]], b: list[list[float]], weight: float) -> list[list[float]]:
    return [
        [(1 - weight) * x + weight * y for x, y in zip(xs, ys, strict=True)]
        for xs, ys in zip(a, b, strict=True)
    ]


def story_pairs(day: Day, items: list[str]) -> set[frozenset[str]]:
    """The pairs of ``items`` that ``day``'s labels put in one story."""
    story = {item: day.labels.get(item, {}).get("story") for item in items}
    return {
        frozenset((a, b))
        for a, b in itertools.combinations(items, 2)
        if story[a] and story[a] == story[b]
    }


def against_both(feeds: list[Path]) -> tuple[float, float]:
    """The selector's same-story pairs over the first annotation's news-desk items,
    against both annotations: the share joined by either, and the share of the
    pairs both join that it joins (what the two agree on, whatever the
    granularity of each)."""
    joined = either = both = found = 0
    for feed in feeds:
        first, second = load_day(feed), load_day(feed, "labels2")
        story = found_stories(first)
        items = list(story)
        said = {
            frozenset((a, b)) for a, b in itertools.combinations(items, 2) if story[a] == story[b]
        }
        ones, twos = story_pairs(first, items), story_pairs(second, items)
        joined, either = joined + len(said), either + len(said & (ones | twos))
        both, found = both + len(ones & twos), found + len(said & ones & twos)
    return either / max(joined, 1), found / max(both, 1)


def _linkage(days: list[tuple[Day, Matrix]], bars: tuple[float, ...], label: str) -> None:
    for bar in bars:
        groups = {id(m[1]): linkage_labels(m[1], bar) for _, m in days}
        p, r = pairwise(days, lambda m, a, b, g=groups: g[id(m[1])][a] == g[id(m[1])][b])
        print(f"  {label} {bar:<4}   precision {p:.3f}  recall {r:.3f}")


def _curve(days: list[tuple[Day, Matrix]], label: str) -> None:
    for t in THRESHOLDS:
        p, r = pairwise(days, lambda m, a, b, t=t: m[1][a][b] >= t)
        print(f"  {label} >= {t:<4}  precision {p:.3f}  recall {r:.3f}")


def main() -> int:
    """Print the likeness's precision/recall curve beside the selector's clustering."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--linkage", action="store_true", help="add whole-pool average linkage")
    parser.add_argument(
        "--expanded", action="store_true", help="add the day-local co-occurrence likeness"
    )
    parser.add_argument(
        "--vectors", type=Path, help="add a blend with word vectors (GloVe text format)"
    )
    args = parser.parse_args()
    feeds = sorted(DAYS.glob("day-*.feed.json"))
    matrices = {feed: likeness(load_day(feed)) for feed in feeds}
    spread = {feed: expanded_likeness(load_day(feed)) for feed in feeds} if args.expanded else {}
    blends: dict[Path, list[list[float]]] = {}
    if args.vectors:
        wanted = {
            w
            for feed, (items, _) in matrices.items()
            for a in map(load_day(feed).articles.__getitem__, items)
            for w in _tokens(f"{a.title} {a.summary}")
        }
        table = read_word_vectors(args.vectors, wanted)
        for feed, (items, _) in matrices.items():
            blends[feed] = vector_cosines(load_day(feed), items, table)
    for annotation in ("labels", "labels2"):
        days = [(load_day(feed, annotation), matrices[feed]) for feed in feeds]
        print(f"against {annotation}:")
        _curve(days, "cosine        ")
        counts = [clustering_pairs(day) for day, _ in days]
        right, found, labelled = (sum(c[k] for c in counts) for k in range(3))
        print(
            f"  the selector's clustering  precision {right / max(found, 1):.3f}  "
            f"recall {right / max(labelled, 1):.3f}"
        )
        if args.linkage:
            _linkage(days, LINKAGE_BARS, "average linkage at")
        if args.expanded:
            expanded = [(day, spread[feed]) for (day, _), feed in zip(days, feeds, strict=True)]
            _curve(expanded, "expanded      ")
            if args.linkage:
                _linkage(expanded, EXPANDED_LINKAGE_BARS, "expanded, linkage")
        for weight in VECTOR_BLENDS if blends else ():
            mixed = [
                (day, (items, _blend(keyword, blends[feed], weight)))
                for (day, (items, keyword)), feed in zip(days, feeds, strict=True)
            ]
            _curve(mixed, f"vectors {weight:<4}  ")
    either, both = against_both(feeds)
    print(
        f"the selector's pairs joined by either annotation {either:.3f}; "
        f"pairs both join that it joins {both:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
