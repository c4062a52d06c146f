"""The selector through the application: the sample edition, memory across
editions, overrides from the command line and thin days, on a real SQLite store."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.edition import Digest, make_digest
from digest.model import Edition
from digest.store import Store

from .conftest import SAMPLE_AS_OF, config_from, sample_config_data
from .test_cli import config_file  # noqa: F401  (the fixture, shared)

AS_OF = "2020-11-23T10:00+05:30"
# The same-story groups of examples/README.md, by what their World News headlines share.
GROUPS = {
    "G1 G20 summit": r"\bG20\b",
    "G2 Tigray ultimatum": r"Tigray.*(72|surrender)|(72|surrender).*Tigray",
    "G3 Pennsylvania lawsuit": r"Pennsylvania",
    "G4 Blinken": r"Blinken",
    "G5 Putin on Biden": r"Putin",
    "D1 Seoul distancing": r"Seoul",
}


def app_with(store: Store, tmp_path: Path, **select: object) -> Digest:
    data = sample_config_data()
    data["select"] = {**data["select"], **select}
    data["senders"] = {"out": {"type": "file", "path": str(tmp_path / "out")}}
    return make_digest(config=config_from(data), store=store)


def leaders(edition: Edition) -> dict[str, str]:
    """Article id → the id of the pick or candidate that leads its story."""
    found = {p.article.id: p.article.id for p in edition.picks}
    for r in edition.rejections:
        found[r.article.id] = r.reason.split()[3] if r.reason.startswith("same story as") else ""
        if r.score is not None and not r.reason.startswith("same story as"):
            found[r.article.id] = r.article.id
    return found


def test_sample_edition_collapses_every_same_story_group(store: Store, tmp_path: Path) -> None:
    app = app_with(store, tmp_path, window_hours=36, count=12)
    app.ingest()
    edition = app.select(SAMPLE_AS_OF)
    lead = leaders(edition)
    world = [
        a for a in store.articles_between(SAMPLE_AS_OF - timedelta(hours=36), SAMPLE_AS_OF)
        if lead.get(a.id)
    ]  # fmt: skip
    picks = {p.article.id: p for p in edition.picks}
    for name, pattern in GROUPS.items():
        members = [a for a in world if re.search(pattern, a.title)]
        assert len(members) >= 2, name
        assert len({lead[a.id] for a in members}) == 1, name
        pick = picks.get(lead[members[0].id])
        if pick is not None:
            assert pick.also_reported_by, name
            assert any(r.startswith("also reported by") for r in pick.reasons), name
    # Related but different events stay apart.
    refugees = next(a for a in world if "Sudan" in a.title)
    ultimatum = next(a for a in world if re.search(GROUPS["G2 Tigray ultimatum"], a.title))
    assert lead[refugees.id] != lead[ultimatum.id]
    # The Japan item has no section label: ingest places it from its /asia/ URL path,
    # or else the fallback classifier does; either way it counts as World News.
    japan = next(
        a for a in store.articles_between(SAMPLE_AS_OF - timedelta(hours=36), SAMPLE_AS_OF)
        if "Go To" in a.title
    )  # fmt: skip
    assert japan.section in ("", "world")
    explained = [*(picks[japan.id].reasons if japan.id in picks else ())] + [
        r.reason for r in edition.rejections if r.article.id == japan.id
    ]
    assert not any(r.startswith("not World News") for r in explained)


def test_the_default_sample_edition_is_world_news_only(sample_app: Digest) -> None:
    sample_app.ingest()
    edition = sample_app.select(SAMPLE_AS_OF)
    assert len(edition.picks) == sample_app.config.select.count
    for pick in edition.picks:
        assert pick.reasons[0].startswith("section world")
    titles = " ".join(p.title for p in edition.picks)
    for word in ("Sensex", "Medvedev", "Mumbai", "Emmy", "Modi"):
        assert word not in titles


def test_a_story_sent_yesterday_is_not_picked_again_unless_updated(
    store: Store, tmp_path: Path
) -> None:
    app = app_with(store, tmp_path)
    app.ingest()
    first = app.build(SAMPLE_AS_OF)
    assert first.renditions is not None
    next_day = SAMPLE_AS_OF + timedelta(hours=20)
    # Built (as for a preview) but never sent: it kept nothing from readers.
    unsent = app.select(next_day)
    assert not any(r.reason.startswith("already sent") for r in unsent.rejections)
    app.send(first)
    second = app.select(next_day)
    first_ids = {p.article.id for p in first.edition.picks}
    assert not first_ids & {p.article.id for p in second.picks}
    repeats = [r for r in second.rejections if r.reason.startswith("already sent")]
    assert repeats and all(f"in {first.edition.id} (" in r.reason for r in repeats)

    # A small change since is not enough to send it again ...
    sent = next(p.article for p in first.edition.picks if p.article.id in {
        r.article.id for r in repeats})  # fmt: skip
    touched = dataclasses.replace(
        sent, updated_at=SAMPLE_AS_OF + timedelta(hours=2), body=sent.body + " Updated."
    )
    store.upsert_articles([touched])
    reasons = {r.article.id: r.reason for r in app.select(next_day).rejections}
    assert "changed since but not substantially" in reasons[sent.id]

    # ... a substantial update is, weighed down and explained.
    rewritten = dataclasses.replace(
        sent,
        updated_at=SAMPLE_AS_OF + timedelta(hours=3),
        summary="Officials now give a very different account of events.",
        body=" ".join(f"New development number {n} changes everything." for n in range(40)),
    )
    store.upsert_articles([rewritten])
    third = app.select(next_day)
    again = {p.article.id: p for p in third.picks}
    assert sent.id in again
    assert any(r.startswith("update to a story sent in") for r in again[sent.id].reasons)

    # With no memory, nothing is remembered.
    forgetful = app_with(store, tmp_path, memory_days=0)
    assert not any(
        r.reason.startswith("already sent") for r in forgetful.select(next_day).rejections
    )


def test_rebuilding_the_same_edition_does_not_remember_itself(store: Store, tmp_path: Path) -> None:
    app = app_with(store, tmp_path)
    app.ingest()
    first = app.build(SAMPLE_AS_OF)
    again = app.build(SAMPLE_AS_OF)
    assert [p.article.id for p in again.edition.picks] == [
        p.article.id for p in first.edition.picks
    ]


def test_a_thin_day_is_held_back_with_the_reason(store: Store, tmp_path: Path) -> None:
    app = app_with(store, tmp_path, min_picks=3)
    app.ingest()
    thin = SAMPLE_AS_OF - timedelta(hours=26)
    built = app.build(thin)
    assert 0 < len(built.edition.picks) < 3
    assert built.renditions is None
    assert built.hold.startswith(f"not enough news: {len(built.edition.picks)} pick(s)")
    assert "at least 3 needed (left out: " in built.hold
    # By choice, a thin day can still be sent; an empty one never is.
    willing = app_with(store, tmp_path, min_picks=3, send_when_thin=True)
    assert willing.build(thin).renditions is not None
    empty = willing.build(SAMPLE_AS_OF - timedelta(days=30))
    assert empty.renditions is None and empty.hold.startswith("not enough news: 0 pick(s)")


# -- the command line ----------------------------------------------------------------


@pytest.fixture
def ingested(config_file: Path) -> Path:  # noqa: F811  (the imported fixture)
    """The CLI tests' config, with the sample data already ingested."""
    assert CliRunner().invoke(main, ["--config", str(config_file), "ingest"]).exit_code == 0
    return config_file


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def select_json(config: Path, *args: str) -> dict[str, object]:
    code, out, err = invoke(config, "select", "--as-of", AS_OF, "--json", "--explain", *args)
    assert code == 0, err
    document: dict[str, object] = json.loads(out)
    return document


def test_explain_shows_scores_clusters_and_the_best_left_out(ingested: Path) -> None:
    code, out, _ = invoke(ingested, "select", "--as-of", AS_OF, "--explain")
    assert code == 0
    assert "score " in out and " = coverage " in out and " outlet(s): " in out
    assert " × recency " in out and "half-life 24h" in out
    assert "also reported by" in out
    assert "Best candidates left out" in out and "same story as" in out
    assert "Left out in all: " in out and "not World News" in out


def test_pin_drop_and_headline_flags_are_applied_and_explained(ingested: Path) -> None:
    plain = select_json(ingested)
    picks = plain["picks"]
    assert isinstance(picks, list)
    top, second = picks[0]["article"]["id"], picks[1]["article"]["id"]
    outsider = next(
        r["id"] for r in plain["rejections"]  # type: ignore[attr-defined]
        if r["kind"] == "not World News"
    )  # fmt: skip
    changed = select_json(
        ingested, "--pin", f"{outsider[:8]}:3", "--drop", top, "--headline",
        f"{second}=Editor's words",
    )  # fmt: skip
    ids = [p["article"]["id"] for p in changed["picks"]]  # type: ignore[attr-defined]
    assert ids[2] == outsider and top not in ids
    heads = {p["article"]["id"]: p for p in changed["picks"]}  # type: ignore[attr-defined]
    assert heads[second]["headline"] == "Editor's words"
    assert "pinned to position 3 by editor" in heads[outsider]["reasons"]
    assert {r["id"]: r["reason"] for r in changed["rejections"]}[top] == "blocked by editor"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pin", "nosuchid"), "no stored article has the id 'nosuchid'"),
        (("--pin", "abc:first"), "expected ID or ID:POSITION"),
        (("--headline", "no-equals-sign"), "expected ID=TEXT"),
        (("--drop", "nosuchid"), "no stored article has the id"),
    ],
)
def test_bad_override_flags_are_one_line_errors(
    ingested: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = invoke(ingested, "select", "--as-of", AS_OF, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_select_reports_a_thin_day(ingested: Path) -> None:
    code, out, _ = invoke(ingested, "select", "--as-of", "2021-06-01T07:00+05:30", "--json")
    assert code == 0
    assert json.loads(out)["hold"].startswith("not enough news: 0 pick(s)")
    code, out, _ = invoke(ingested, "select", "--as-of", "2021-06-01T07:00+05:30")
    assert "Held back, not sent: not enough news" in out
