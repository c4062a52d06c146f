"""Retention: ``digest prune`` on a real SQLite store, with an injected clock.

Old delivery rows go, their totals per edition and sender stay; old edition
records that reached nobody go, sent ones keep what the archive and later
editions read; the archive is byte for byte what it was.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import Config
from digest.edition import Built, Digest, make_digest
from digest.errors import ConfigError, DigestError
from digest.model import Delivery, Edition
from digest.scheduler import EditionScheduler
from digest.store import Store, open_store
from digest.web.archive import build_site

from .conftest import ROOT, StoreTarget, config_from, sample_config_data

#: The prune's "now": far from the real clock, so runs the store stamps with the
#: real time are old by it.
NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(days=400)
SAMPLE_AS_OF = datetime.fromisoformat("2020-11-23T10:00:00+05:30")


def config(
    tmp_path: Path, prune_at: str = "03:30", target: StoreTarget | None = None, **retention: Any
) -> Config:
    data = sample_config_data()
    data["store"] = {"path": str(tmp_path / "store.sqlite3"), "retention": retention}
    if target is not None and target.backend == "sqlite":
        data["store"]["path"] = target.location
    elif target is not None:
        data["store"] = {
            "url": target.location,
            "password_env": PASSWORD_ENV,
            "retention": retention,
        }
    # The scheduler's edition is far from the prune's hour (UTC).
    data["digest"] = {**data.get("digest", {}), "timezone": "UTC"}
    data["schedule"] = {"editions": [{"at": "12:00"}], "prune_at": prune_at}
    data["senders"] = {"out": {"type": "file", "path": str(tmp_path / "out")}}
    return config_from(data)


#: Where the PostgreSQL store's password is given to digest in these tests.
PASSWORD_ENV = "DIGEST_TEST_STORE_PASSWORD"


@pytest.fixture
def app(tmp_path: Path, store_target: StoreTarget, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The application on a fresh store of each backend, pruning 100 rows at a time."""
    monkeypatch.setenv(PASSWORD_ENV, store_target.password or "")
    digest = make_digest(config=config(tmp_path, target=store_target, chunk_rows=100))
    yield digest
    digest.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample edition, built once (picks, rejections and renditions)."""
    tmp = tmp_path_factory.mktemp("sample")
    digest = make_digest(config=config(tmp))
    try:
        digest.ingest()
        built = digest.build(SAMPLE_AS_OF)
    finally:
        digest.close()
    assert built.renditions is not None and built.edition.rejections
    return built


def record(
    store: Store, sample: Built, edition_id: str, age_days: float, outcomes: dict[str, int]
) -> Edition:
    """Save ``sample`` as edition ``edition_id`` made ``age_days`` before NOW, with
    ``outcomes`` (``{"sent": n, "failed": n, "refused": n, "pending": n}``) in its
    delivery log, over two senders."""
    edition = dataclasses.replace(
        sample.edition, id=edition_id, as_of=NOW - timedelta(days=age_days)
    )
    assert sample.renditions is not None
    store.save_edition(edition)
    store.save_renditions(dataclasses.replace(sample.renditions, edition_id=edition_id))
    number = 0
    for status, count in outcomes.items():
        for _ in range(count):
            number += 1
            sender = "mail" if number % 3 else "push"
            recipient = f"reader{number:05d}@example.org"
            store.register_deliveries(edition_id, sender, [recipient])
            error = {"failed": "421 4.7.0 try later (gave up)", "refused": "550 5.1.1 no such user"}
            final = "failed" if status == "refused" else status
            store.record_deliveries(
                edition_id,
                sender,
                [Delivery(edition_id, sender, recipient, final, 2, error.get(status, ""))],  # type: ignore[arg-type]
            )
    return edition


def rows(store: Store, edition_id: str) -> int:
    """How many delivery rows the edition still has."""
    return len(store.deliveries(edition_id))


def history(app: Digest, sample: Built) -> None:
    """Four editions: old sent, old never sent, sent a month ago, sent last week."""
    record(
        app.store,
        sample,
        "world-old",
        120,
        {"sent": 230, "refused": 40, "failed": 20, "pending": 10},
    )
    record(app.store, sample, "world-preview", 120, {})
    record(app.store, sample, "world-month", 40, {"sent": 50, "failed": 5})
    record(app.store, sample, "world-week", 9, {"sent": 30})


def test_prune_keeps_totals_and_the_archive_and_drops_the_rest(app: Digest, sample: Built) -> None:
    history(app, sample)
    counts_before = app.store.delivery_counts()
    archive_before = build_site(app.config, app.archive_records())
    picked_before = app.store.picked_articles(NOW - timedelta(days=200), NOW)

    report = app.prune(now=NOW)

    assert report.editions_summarised == ["world-old"]
    assert report.delivery_rows == 300
    assert rows(app.store, "world-old") == 0
    assert rows(app.store, "world-month") == 55  # inside keep_deliveries_days (90)
    # The totals say what the rows said, per sender, and stand in for them.
    assert app.store.delivery_counts() == counts_before
    totals = {t.sender: t for t in app.store.delivery_totals("world-old")}
    assert sum(t.sent for t in totals.values()) == 230
    assert sum(t.refused for t in totals.values()) == 40
    assert sum(t.failed for t in totals.values()) == 60
    assert sum(t.pending for t in totals.values()) == 10
    assert sum(t.attempts for t in totals.values()) == 600
    assert {t.pruned_at for t in totals.values()} == {NOW}
    # Edition records: the one that reached nobody is gone; sent ones older than
    # keep_editions_days (30) lose their rejections and keep their picks.
    assert report.editions_deleted == ["world-preview"]
    assert app.store.edition("world-preview") is None
    assert report.editions_slimmed == ["world-old", "world-month"]
    for edition_id in ("world-old", "world-month"):
        kept = app.store.edition(edition_id)
        assert kept is not None and kept.rejections == ()
        assert kept.picks == sample.edition.picks
    week = app.store.edition("world-week")
    assert week is not None and week.rejections == sample.edition.rejections
    # What the archive and later editions read is unchanged, byte for byte.
    assert build_site(app.config, app.archive_records()) == archive_before
    assert "world-old/index.html" in archive_before
    assert app.store.picked_articles(NOW - timedelta(days=200), NOW) == picked_before
    assert app.store.last_sent_edition(NOW, other_than="") == (
        "world-week",
        NOW - timedelta(days=9),
    )
    assert app.store.runs() == []  # every run here was stamped by the real clock: old
    # A second prune finds nothing left to do.
    again = app.prune(now=NOW)
    assert (again.delivery_rows, again.editions_deleted, again.editions_slimmed) == (0, [], [])


def test_dry_run_counts_what_a_prune_does_and_changes_nothing(
    app: Digest, sample: Built, store_target: StoreTarget
) -> None:
    history(app, sample)
    db_before = store_target.raw_contents()
    planned = app.prune(now=NOW, dry_run=True)
    assert store_target.raw_contents() == db_before
    assert rows(app.store, "world-old") == 300
    done = app.prune(now=NOW)
    assert (planned.delivery_rows, planned.editions_summarised) == (
        done.delivery_rows,
        done.editions_summarised,
    )
    assert (planned.editions_deleted, planned.editions_slimmed) == (
        done.editions_deleted,
        done.editions_slimmed,
    )
    assert "would prune 300 delivery row(s) of 1 edition(s)" in planned.summary()


def test_rows_go_in_chunks_and_a_prune_cut_short_is_finished_later(
    app: Digest, sample: Built
) -> None:
    history(app, sample)
    counts = app.store.delivery_counts("world-old")
    # One chunk: the totals are written with the first deletion, not after the last.
    assert app.store.prune_deliveries("world-old", limit=100, now=NOW) == 100
    assert rows(app.store, "world-old") == 200
    assert app.store.deliveries_pruned("world-old") == NOW
    assert app.store.delivery_counts("world-old") == counts
    # A stop between chunks leaves the rest for the next prune.
    stop = threading.Event()
    stop.set()
    cut = app.prune(now=NOW, stop=stop)
    assert cut.stopped and rows(app.store, "world-old") == 200
    rest = app.prune(now=NOW + timedelta(days=1))
    assert rest.delivery_rows == 200 and rows(app.store, "world-old") == 0
    # Summed up once: the rows deleted later are not counted twice.
    assert app.store.delivery_counts("world-old") == counts
    assert app.store.deliveries_pruned("world-old") == NOW


def test_a_pruned_edition_is_never_sent_again(app: Digest, sample: Built) -> None:
    edition = record(app.store, sample, "world-old", 120, {"sent": 3})
    app.prune(now=NOW)
    assert sample.renditions is not None and sample.public is not None
    built = Built(
        edition,
        dataclasses.replace(sample.renditions, edition_id=edition.id),
        public=dataclasses.replace(sample.public, edition_id=edition.id),
    )
    with pytest.raises(DigestError, match="world-old: not sent again: its delivery log was pruned"):
        app.send(built)
    assert rows(app.store, "world-old") == 0


def test_rebuilding_a_slimmed_edition_records_it_whole_again(app: Digest, sample: Built) -> None:
    edition = record(app.store, sample, "world-month", 40, {"sent": 1})
    app.prune(now=NOW)
    app.store.save_edition(edition)
    again = app.prune(now=NOW)
    assert again.editions_slimmed == ["world-month"]


def test_keep_zero_keeps_everything(tmp_path: Path, sample: Built) -> None:
    digest = make_digest(config=config(tmp_path, keep_deliveries_days=0, keep_editions_days=0))
    try:
        history(digest, sample)
        report = digest.prune(now=NOW)
        assert (report.deliveries_before, report.editions_before) == (None, None)
        assert rows(digest.store, "world-old") == 300
        assert digest.store.edition("world-preview") is not None
    finally:
        digest.close()


def test_before_prunes_everything_older_and_refuses_the_last_days(
    app: Digest, sample: Built
) -> None:
    history(app, sample)
    report = app.prune(now=NOW, before=NOW - timedelta(days=10))
    assert report.editions_summarised == ["world-old", "world-month"]
    assert rows(app.store, "world-week") == 30
    with pytest.raises(DigestError, match="the last 8 days are always kept"):
        app.prune(now=NOW, before=NOW - timedelta(days=7))


def test_retention_settings_are_checked_by_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        config(tmp_path, keep_deliveries_days=3, keep_editions_days=1.5, prune_at="3am")
    text = str(caught.value)
    assert "store.retention.keep_deliveries_days: must be a whole number of days from 8" in text
    assert "store.retention.keep_editions_days" in text
    assert 'schedule.prune_at: must be a 24-hour local time "HH:MM"' in text


def test_cli_prune_dry_run_json_and_a_bad_before(tmp_path: Path, sample: Built) -> None:
    import tomli_w

    data = sample_config_data()
    data["store"] = {"path": str(tmp_path / "store.sqlite3")}
    data["sources"] = [{**s, "path": str(ROOT / s["path"])} for s in data.get("sources", [])]
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(data))
    with open_store(tmp_path / "store.sqlite3") as store:
        record(store, sample, "world-2020-01-01", 120 + 400, {"sent": 4})
    runner = CliRunner()
    result = runner.invoke(main, ["--config", str(path), "prune", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert report["editions_summarised"] == ["world-2020-01-01"]
    assert report["delivery_rows"] == 4
    result = runner.invoke(main, ["--config", str(path), "prune"])
    assert result.exit_code == 0, result.output
    assert "pruned 4 delivery row(s) of 1 edition(s)" in result.stdout
    result = runner.invoke(main, ["--config", str(path), "prune", "--before", "yesterday"])
    assert result.exit_code == 2
    assert "--before" in result.output and "not ISO 8601" in result.output
    future = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    result = runner.invoke(main, ["--config", str(path), "prune", "--before", future])
    assert result.exit_code == 1
    assert "always kept" in result.output
    assert "Traceback" not in result.output


def test_the_scheduler_prunes_daily_at_prune_at(tmp_path: Path, sample: Built) -> None:
    settings = config(tmp_path, prune_at="03:30", chunk_rows=50)
    app = make_digest(config=settings)
    try:
        record(app.store, sample, "world-old", 120, {"sent": 120})
        moment = [NOW.replace(hour=3, minute=0)]
        scheduler = EditionScheduler(
            app, open_digest=lambda: make_digest(config=settings), now=lambda: moment[0]
        )
        scheduler.tick()
        assert scheduler.pruning is None  # 03:00: not yet
        moment[0] = NOW.replace(hour=3, minute=31)
        scheduler.tick()
        assert scheduler.pruning is not None
        scheduler.pruning.join(timeout=60)
        assert rows(app.store, "world-old") == 0
        assert app.store.delivery_counts("world-old")[("world-old", "mail")]["sent"] == 80
        first = scheduler.pruning
        scheduler.tick()
        assert scheduler.pruning is first  # once a day
    finally:
        app.close()
