"""Measure the selector on labelled real news days (``tests/data/selector_real``).

A day is a JSON Feed of the day's real items (``day-YYYY-MM-DD.feed.json``) and
an editor's labels (``day-YYYY-MM-DD.labels.json``): per item its same-story
cluster, desk, genre and the countries whose own news it is.  For a home
country H, an item is *World News* when its desk is ``news`` and H is not among
its countries; a story's size is the number of distinct outlets telling it.

:func:`score_day` runs the real reader and selector on a day and reports the
issue's figures: the day's biggest world stories carried, soft and duplicate
picks, outlets among the picks, world/home precision and recall, and pairwise
same-story precision and recall.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..config import SelectSettings
from ..model import Article, Edition
from ..sources.base import ReadOptions
from ..sources.jsonfeed import read_json
from . import select
from .candidates import Candidate
from .clustering import cluster
from .genre import classify_genre
from .outlets import OutletTable
from .sections import SectionDetector

#: How many of the day's biggest stories are looked for, and how many outlets
#: make a story big.
BIGGEST, BIG_OUTLETS = 5, 3


@dataclass(frozen=True, slots=True)
class Day:
    """One labelled day: its articles (by feed item id) and labels."""

    name: str
    as_of: datetime
    articles: dict[str, Article]
    labels: dict[str, dict[str, Any]]

    def unique(self) -> list[Article]:
        """The day's articles once each (two feed items with one canonical address
        are one article, as the store keeps them)."""
        return list({a.id: a for a in self.articles.values()}.values())


@dataclass(frozen=True, slots=True)
class DayScore:
    """The figures for one day and home country."""

    day: str
    home: str
    biggest: int
    carried: int
    soft_picks: int
    duplicate_pairs: int
    outlets: int
    picks: int
    world_precision: float
    world_recall: float
    missed: tuple[str, ...]


def meets_every_target(score: DayScore) -> bool:
    """Whether one edition meets every per-edition target of issue 11: at least 4
    of the day's 5 biggest world stories carried (all when fewer), no soft or
    duplicate pick, 5 outlets among 8 picks, world/home precision 0.95, recall 0.9."""
    return (
        score.carried >= min(4, score.biggest)
        and score.soft_picks == 0
        and score.duplicate_pairs == 0
        and score.outlets >= min(5, score.picks)
        and score.world_precision >= 0.95
        and score.world_recall >= 0.9
    )


def load_day(feed: Path, annotation: str = "labels") -> Day:
    """Read a day's feed with the real JSON reader and its labels file beside it
    (``annotation="labels2"`` for the second, blind annotation)."""
    labels_path = feed.with_name(feed.name.replace(".feed.json", f".{annotation}.json"))
    document = json.loads(feed.read_text("utf-8"))
    result = read_json(feed.read_bytes(), ReadOptions(source=feed.name))
    by_url = {a.url: a for a in result.articles}
    # An item the reader kept aside (none in the committed days) is not scored.
    articles = {i["id"]: by_url[i["url"]] for i in document["items"] if i["url"] in by_url}
    labels = {
        item: label
        for item, label in json.loads(labels_path.read_text("utf-8"))["labels"].items()
        if item in articles
    }
    day = feed.name.removeprefix("day-").removesuffix(".feed.json")
    as_of = datetime.fromisoformat(f"{day}T00:00:00+00:00") + timedelta(days=1)
    return Day(day, as_of, articles, labels)


def is_world(label: dict[str, Any], home: str) -> bool:
    """Whether a labelled item is World News for a publisher in ``home``."""
    return bool(label["desk"] == "news" and home not in label["countries"])


def biggest_stories(day: Day, home: str, outlets: OutletTable) -> list[tuple[str, int]]:
    """The day's biggest world stories for ``home`` with their outlet counts: the top
    :data:`BIGGEST` told by at least :data:`BIG_OUTLETS` outlets (ties at the last
    place included), each with a hard-news report among its items."""
    told: dict[str, set[str]] = defaultdict(set)
    hard: set[str] = set()
    for item, label in day.labels.items():
        if not is_world(label, home):
            continue
        story = label["story"] or item
        told[story].add(outlets.of(day.articles[item]).key)
        if label["genre"] == "hard":
            hard.add(story)
    sizes = sorted(
        ((s, len(o)) for s, o in told.items() if s in hard and len(o) >= BIG_OUTLETS),
        key=lambda p: (-p[1], p[0]),
    )
    if len(sizes) > BIGGEST:
        floor = sizes[BIGGEST - 1][1]
        sizes = [p for p in sizes if p[1] >= floor]
    return sizes


def score_day(day: Day, home: str, settings: SelectSettings | None = None) -> DayScore:
    """Run the selector on ``day`` for a publisher in ``home`` and measure it."""
    settings = (settings or SelectSettings()).model_copy(update={"home_country": home})
    outlets = OutletTable()
    edition = select(day.unique(), as_of=day.as_of, settings=settings, outlets=outlets)
    item_of = {a.id: item for item, a in day.articles.items()}
    picked = [item_of[p.article.id] for p in edition.picks]
    story_of = {item: label["story"] or item for item, label in day.labels.items()}
    big = biggest_stories(day, home, outlets)
    carried = {story_of[i] for i in picked}
    missed = tuple(s for s, _ in big if s not in carried)
    soft = sum(
        1 for i in picked if day.labels[i]["genre"] != "hard" or day.labels[i]["desk"] != "news"
    )
    duplicates = sum(1 for a, b in itertools.combinations(picked, 2) if story_of[a] == story_of[b])
    hits, called, truth = world_decisions(day, home, settings, outlets)
    return DayScore(
        day=day.name,
        home=home,
        biggest=len(big),
        carried=len(big) - len(missed),
        soft_picks=soft,
        duplicate_pairs=duplicates,
        outlets=len({outlets.of(p.article).key for p in edition.picks}),
        picks=len(edition.picks),
        world_precision=hits / called if called else 1.0,
        world_recall=hits / truth if truth else 1.0,
        missed=missed,
    )


def run(day: Day, home: str, settings: SelectSettings | None = None) -> Edition:
    """The edition the selector makes of ``day`` for ``home`` (for explanations)."""
    settings = (settings or SelectSettings()).model_copy(update={"home_country": home})
    return select(day.unique(), as_of=day.as_of, settings=settings)


def world_decisions(
    day: Day, home: str, settings: SelectSettings, outlets: OutletTable
) -> tuple[int, int, int]:
    """World News decisions on the day's news-desk items: (called World News and
    rightly, called World News, labelled World News)."""
    detector = SectionDetector(settings)
    detector.learn_summits(day.unique())
    hits = called = truth = 0
    for item, label in day.labels.items():
        if label["desk"] != "news":
            continue
        article = day.articles[item]
        said = detector.classify(article, outlets.of(article)).counted
        real = is_world(label, home)
        called += said
        truth += real
        hits += said and real
    return hits, called, truth


#: The sections of the selector's news desk (the rest are business, sport, science…).
NEWS_SECTIONS = frozenset({"world", "national"})


def on_news_desk(
    article: Article, detector: SectionDetector, outlets: OutletTable
) -> tuple[bool, str]:
    """Whether the selector keeps ``article`` as a news-desk candidate, and why:
    its section is World or national news and its genre is not soft news filed
    under a soft desk (showbiz, lifestyle), which the selector leaves out too."""
    call = detector.classify(article, outlets.of(article))
    if call.section not in NEWS_SECTIONS:
        return False, call.reason
    genre = classify_genre(article)
    if genre.genre == "soft" and genre.filed:
        return False, genre.reason
    return True, call.reason


def desk_decisions(
    day: Day, home: str, settings: SelectSettings | None = None
) -> tuple[int, int, int, list[tuple[str, bool, str]]]:
    """The news-desk decision on every labelled item of ``day`` for ``home``:
    (kept as news and labelled news, kept as news, labelled news, mistakes), each
    mistake as (item, kept as news, the selector's reason)."""
    settings = (settings or SelectSettings()).model_copy(update={"home_country": home})
    detector = SectionDetector(settings)
    detector.learn_summits(day.unique())
    outlets = OutletTable()
    hits = kept = truth = 0
    wrong: list[tuple[str, bool, str]] = []
    for item, label in day.labels.items():
        said, why = on_news_desk(day.articles[item], detector, outlets)
        real = label["desk"] == "news"
        kept += said
        truth += real
        hits += said and real
        if said != real:
            wrong.append((item, said, why))
    return hits, kept, truth, wrong


def found_stories(day: Day, settings: SelectSettings | None = None) -> dict[str, int]:
    """The story number the selector's clustering gives each of the day's news-desk
    items (what the selector clusters).

    Each article is clustered once, as the store holds it; two feed items with one
    address are one article, so they are in one story, and every item is in its
    article's story."""
    settings = settings or SelectSettings()
    outlets = OutletTable()
    detector = SectionDetector(settings)
    news = [item for item, label in day.labels.items() if label["desk"] == "news"]
    articles = {day.articles[item].id: day.articles[item] for item in news}
    candidates = [
        Candidate(a, outlets.of(a), detector.classify(a), classify_genre(a))
        for a in articles.values()
    ]
    stories, _ = cluster(candidates, settings)
    story_of = {m.article.id: n for n, story in enumerate(stories) for m in story.members}
    return {item: story_of[day.articles[item].id] for item in news}


def clustering_pairs(day: Day, settings: SelectSettings | None = None) -> tuple[int, int, int]:
    """Same-story pairs among the day's news-desk items: (found and right, found,
    labelled)."""
    found_in = found_stories(day, settings)
    found = {
        frozenset((a, b))
        for a, b in itertools.combinations(found_in, 2)
        if found_in[a] == found_in[b]
    }
    labelled = {
        frozenset(p) for g in _labelled_stories(day, found_in).values()
        for p in itertools.combinations(g, 2)
    }  # fmt: skip
    return len(found & labelled), len(found), len(labelled)


def clustering_errors(
    day: Day, settings: SelectSettings | None = None
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    """The day's clustering mistakes, worst first, each as (wrong pairs, items):
    found stories that join several labelled ones (false merges), and labelled
    stories the selector split (false splits)."""
    found_in = found_stories(day, settings)
    label_of = {item: day.labels[item]["story"] or f"~{item}" for item in found_in}
    joined: dict[int, list[str]] = defaultdict(list)
    for item, number in found_in.items():
        joined[number].append(item)
    merges = [
        (sum(label_of[a] != label_of[b] for a, b in itertools.combinations(items, 2)), items)
        for items in joined.values()
    ]
    splits = [
        (sum(found_in[a] != found_in[b] for a, b in itertools.combinations(items, 2)), items)
        for items in _labelled_stories(day, found_in).values()
    ]
    return (
        sorted((m for m in merges if m[0]), key=lambda m: -m[0]),
        sorted((s for s in splits if s[0]), key=lambda s: -s[0]),
    )


def _labelled_stories(day: Day, items: Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if day.labels[item]["story"]:
            groups[day.labels[item]["story"]].append(item)
    return groups


__all__ = [
    "BIGGEST",
    "BIG_OUTLETS",
    "NEWS_SECTIONS",
    "Day",
    "DayScore",
    "biggest_stories",
    "clustering_errors",
    "clustering_pairs",
    "desk_decisions",
    "found_stories",
    "is_world",
    "load_day",
    "meets_every_target",
    "on_news_desk",
    "run",
    "score_day",
    "world_decisions",
]
