"""The selector against three labelled news days (tests/data/selector_eval/).

Reports (run with ``pytest -s``) and bounds: the share of picks that are World
News, same-story duplicates among the picks (must be 0), stale or future picks
(must be 0), picks per big event, section precision/recall, pairwise story
clustering precision/recall, and that pins and blocks are honoured.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from digest.codec import article_from_plain
from digest.config import SelectSettings
from digest.model import Article, Edition
from digest.select import Overrides, select
from digest.select.sections import SectionDetector

EVAL = Path(__file__).resolve().parent / "data" / "selector_eval"
DAYS = sorted(EVAL.glob("day-*.json"))


@dataclass(frozen=True)
class Day:
    name: str
    as_of: datetime
    articles: list[Article]
    labels: dict[str, dict[str, Any]]
    settings: SelectSettings


def load_day(path: Path) -> Day:
    data = json.loads(path.read_text("utf-8"))
    articles = [article_from_plain(a) for a in data["articles"]]
    settings = SelectSettings(home_country=data["home_country"])
    return Day(path.stem, datetime.fromisoformat(data["as_of"]), articles, data["labels"], settings)


def run(day: Day, overrides: Overrides | None = None) -> Edition:
    return select(day.articles, as_of=day.as_of, settings=day.settings, overrides=overrides)


@pytest.fixture(scope="module", params=DAYS, ids=[p.stem for p in DAYS])
def day(request: pytest.FixtureRequest) -> Day:
    return load_day(request.param)


def test_the_evaluation_set_is_there_and_big_enough() -> None:
    assert len(DAYS) >= 3
    for path in DAYS:
        d = load_day(path)
        groups = Counter(label["story"] for label in d.labels.values() if label["story"])
        assert len(d.articles) >= 40
        assert sum(1 for n in groups.values() if n >= 2) >= 5
        assert any(not label["world"] for label in d.labels.values())


def test_picks_are_world_news_fresh_and_never_the_same_story_twice(day: Day) -> None:
    edition = run(day)
    labels = [day.labels[p.article.id] for p in edition.picks]
    world_share = sum(label["world"] for label in labels) / len(labels)
    stories = Counter(label["story"] for label in labels if label["story"])
    duplicates = sum(n - 1 for n in stories.values())
    not_fresh = [
        p.article.id
        for p, label in zip(edition.picks, labels, strict=True)
        if label["window"] != "in"
    ]
    events = Counter(label["event"] for label in labels if label.get("event"))
    print(
        f"\n{day.name}: {len(edition.picks)} picks, World News share {world_share:.0%}, "
        f"same-story duplicates {duplicates}, stale/future {len(not_fresh)}, "
        f"largest event {max(events.values(), default=0)} pick(s)"
    )
    assert len(edition.picks) == day.settings.count
    assert world_share >= 0.95
    assert duplicates == 0
    assert not_fresh == []
    if max(events.values(), default=0) > day.settings.max_per_event:
        # Only allowed when no other World News story was left to fill the slot.
        picked = {
            label["story"] or p.article.id for p, label in zip(edition.picks, labels, strict=True)
        }
        others = {
            label["story"] or i
            for i, label in day.labels.items()
            if label["world"] and label["window"] == "in" and not label.get("event")
        }
        assert others <= picked
        assert any(p.cap_lifted is not None for p in edition.picks)


def test_every_pick_and_rejection_says_why(day: Day) -> None:
    edition = run(day)
    for pick in edition.picks:
        assert pick.reasons[0].startswith("section world (")
        assert pick.reasons[1].startswith("score ") and " = coverage " in pick.reasons[1]
        assert " × recency " in pick.reasons[1]
    assert len(edition.picks) + len(edition.rejections) == len(day.articles)
    assert all(r.reason for r in edition.rejections)


def test_section_detection_matches_the_labels(day: Day) -> None:
    detector = SectionDetector(day.settings)
    fresh = [a for a in day.articles if day.labels[a.id]["window"] == "in"]
    calls = {a.id: detector.classify(a) for a in fresh}
    truth = {a.id: day.labels[a.id]["world"] for a in fresh}
    hits = sum(calls[i].counted and truth[i] for i in truth)
    precision = hits / max(1, sum(c.counted for c in calls.values()))
    recall = hits / max(1, sum(truth.values()))
    unlabelled = [a for a in fresh if not a.section or a.section.lower() == "news"]
    fallback_right = sum(calls[a.id].counted == truth[a.id] for a in unlabelled)
    print(
        f"\n{day.name}: section precision {precision:.2f}, recall {recall:.2f}, "
        f"unlabelled or generic right {fallback_right}/{len(unlabelled)}"
    )
    assert precision >= 0.95 and recall >= 0.95
    assert fallback_right >= len(unlabelled) - 1
    for a in unlabelled:
        assert "no section label" in calls[a.id].reason or "category" in calls[a.id].reason


def test_story_clustering_matches_the_labels(day: Day) -> None:
    edition = run(day)
    leader = {p.article.id: p.article.id for p in edition.picks}
    leader.update({r.article.id: r.article.id for r in edition.rejections})
    for r in edition.rejections:
        if r.reason.startswith("same story as "):
            leader[r.article.id] = r.reason.split()[3]
    world = [
        a.id
        for a in day.articles
        if day.labels[a.id]["world"] and day.labels[a.id]["window"] == "in"
    ]
    together = same = both = 0
    for a, b in itertools.combinations(world, 2):
        labelled = bool(day.labels[a]["story"]) and day.labels[a]["story"] == day.labels[b]["story"]
        merged = leader[a] == leader[b]
        same += labelled
        together += merged
        both += labelled and merged
    precision, recall = both / max(1, together), both / max(1, same)
    copies = [(i, label["copy_of"]) for i, label in day.labels.items() if label.get("copy_of")]
    reasons = {r.article.id: r.reason for r in edition.rejections}
    copies_found = sum(
        f"near-identical copy of {b}" in reasons.get(a, "")
        or f"near-identical copy of {a}" in reasons.get(b, "")
        for a, b in copies
    )
    print(
        f"\n{day.name}: same-story pairs precision {precision:.2f}, recall {recall:.2f}; "
        f"wire copies named as copies {copies_found}/{len(copies)}"
    )
    assert precision >= 0.9
    assert recall >= 0.8
    assert copies_found == len(copies)


def test_one_event_does_not_fill_the_edition() -> None:
    day = load_day(EVAL / "day-2022-02-24.json")
    edition = run(day)
    stories = {day.labels[p.article.id]["story"] for p in edition.picks}
    others = {"d3-canada-emergencies-act", "d3-england-isolation-ends", "d3-hong-kong-omicron"}
    assert others <= stories
    held = [r for r in edition.rejections if r.reason.startswith("diversity")]
    assert held, "the Ukraine stories beyond the cap are held back for diversity"


def test_pins_blocks_and_headlines_are_honoured(day: Day) -> None:
    first = run(day)
    blocked = first.picks[0].article.id
    outsider = next(a.id for a in day.articles if not day.labels[a.id]["world"])
    settings = day.settings.model_copy(
        update={"pin": [f"{outsider}:2"], "block": [blocked], "headlines": {outsider: "Ours"}}
    )
    edition = select(
        day.articles, as_of=day.as_of, settings=settings, overrides=Overrides.build(settings)
    )
    ids = [p.article.id for p in edition.picks]
    print(f"\n{day.name}: pinned {outsider} at {ids.index(outsider) + 1}, blocked {blocked}")
    assert ids[1] == outsider
    assert edition.picks[1].title == "Ours"
    assert any(r.startswith("pinned to position 2") for r in edition.picks[1].reasons)
    assert blocked not in ids
    assert {r.article.id: r.reason for r in edition.rejections}[blocked] == "blocked by editor"
    assert len(ids) == settings.count
