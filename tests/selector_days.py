"""Helpers shared by the tests on real labelled news days (``tests/data/selector_real``
and ``tests/data/selector_heldout``): the days read once, each edition scored once,
and the checks that a set is the pinned, real one its README describes."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path

from digest.config import SelectSettings
from digest.select.evaluation import (
    Day,
    DayScore,
    desk_decisions,
    load_day,
    score_day,
    world_decisions,
)
from digest.select.outlets import OutletTable

DATA = Path(__file__).resolve().parent / "data"
HOMES = ("IN", "GB", "US")
DESKS = {"news", "business", "sport", "entertainment", "science", "tech", "lifestyle"}
GENRES = {"hard", "opinion", "analysis", "feature", "soft"}


def labelled_feeds(folder: Path, annotation: str = "labels") -> list[Path]:
    """The set's day feeds that have the ``annotation`` beside them, by date."""
    return [
        feed
        for feed in sorted(folder.glob("day-*.feed.json"))
        if feed.with_name(feed.name.replace(".feed.", f".{annotation}.")).exists()
    ]


@cache
def day(path: Path, annotation: str = "labels") -> Day:
    """A day read once with the real reader, and its labels."""
    return load_day(path, annotation)


@cache
def scores(feeds: tuple[Path, ...], annotation: str = "labels") -> tuple[DayScore, ...]:
    """Every edition of the ``feeds`` (each home of :data:`HOMES`), scored once."""
    return tuple(score_day(day(f, annotation), home) for f in feeds for home in HOMES)


def check_pinned_real_set(
    folder: Path, feeds: list[Path], annotations: tuple[str, ...], countries: int = 5
) -> None:
    """Assert what the set's README promises: every file matches ``SHA256SUMS``,
    every day is big (150 items, 5 outlets of ``countries`` countries the outlet
    table knows) and from the pinned source, and every item is labelled once with
    allowed values."""
    sums = dict(reversed(line.split()) for line in (folder / "SHA256SUMS").read_text().splitlines())
    outlets = OutletTable()
    for feed in feeds:
        beside = (feed.with_name(feed.name.replace(".feed.", f".{a}.")) for a in annotations)
        paths = [feed, *beside]
        for path in paths:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sums[path.name], path.name
        d = day(feed)
        assert len(d.articles) >= 150
        assert set(d.labels) == set(d.articles)  # every item read and labelled
        found = {outlets.of(a) for a in d.articles.values()}
        assert len({o.key for o in found}) >= 5
        assert len({o.country for o in found if o.country not in ("", "XX")}) >= countries
        for label in d.labels.values():
            assert label["desk"] in DESKS and label["genre"] in GENRES
        stories = Counter(label["story"] for label in d.labels.values() if label["story"])
        assert min(stories.values()) >= 2
        assert json.loads(feed.read_text("utf-8"))["_source"]["repository"] == "Ostabo/news-api"


__all__ = ["DATA", "HOMES", "check_pinned_real_set", "day", "labelled_feeds", "scores"]


@cache
def desk_figures(feeds: tuple[Path, ...]) -> tuple[float, float]:
    """The news-desk decision pooled over the ``feeds`` and :data:`HOMES`: the
    precision of "news" (kept as news-desk candidates and labelled news) and its
    recall (labelled news and kept)."""
    hits = kept = truth = 0
    for feed in feeds:
        for home in HOMES:
            h, k, t, _ = desk_decisions(day(feed), home)
            hits, kept, truth = hits + h, kept + k, truth + t
    return hits / kept, hits / truth


def world_figures(feeds: tuple[Path, ...], home: str) -> tuple[float, float]:
    """World/home precision and recall for ``home``, pooled over the ``feeds``'
    news-desk items (see :func:`~digest.select.evaluation.world_decisions`)."""
    settings = SelectSettings(home_country=home)
    outlets = OutletTable()
    hits = called = truth = 0
    for feed in feeds:
        h, c, t = world_decisions(day(feed), home, settings, outlets)
        hits, called, truth = hits + h, called + c, truth + t
    print(f"\n{home}: world/home precision {hits / called:.3f}, recall {hits / truth:.3f}")
    return hits / called, hits / truth
