"""Fan-out through the queue: claims in the delivery log (injected clock), queueing
an edition in batches, a worker's batch, and real ``digest worker`` processes on a
real Redis sending to a real SMTP server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.edition import make_digest
from digest.errors import SendError
from digest.model import Delivery
from digest.store import Store, Subscriber

from .conftest import SAMPLE_AS_OF, StoreTarget
from .queue_support import (
    AS_OF,
    REDIS_PASSWORD,
    environment,
    lines,
    namespace,
    queue_config,
    queue_send,
    recorder,
    redis_url,
    redis_with_password,
    start_worker,
    stop,
)
from .send_support import SECRET, smtp_server

__all__ = ["recorder", "redis_url", "redis_with_password", "smtp_server"]  # fixtures used below


@pytest.fixture(autouse=True)
def _unsubscribe_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)


T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ED, MAIL = "world-2020-11-23", "mail"


def _claim(store: Store, owner: str, ids: list[str], now: datetime, **kw: object) -> dict[str, str]:
    found = store.claim_deliveries(ED, MAIL, ids, owner, lease_seconds=60, now=now, **kw)  # type: ignore[arg-type]
    return {r: f"{c.status}:{c.holder}" for r, c in found.items()}


def test_a_claim_is_one_workers_until_its_lease_runs_out(store: Store) -> None:
    ids = ["a@x.org", "b@x.org"]
    assert _claim(store, "w1", ids, T0) == {"a@x.org": "pending:", "b@x.org": "pending:"}
    # Another worker sees them held, even a second before the lease ends...
    held = _claim(store, "w2", ids, T0 + timedelta(seconds=59))
    assert held == {"a@x.org": "pending:w1", "b@x.org": "pending:w1"}
    # ...the holder renews, so at the old end they are still its...
    assert (
        store.renew_claims(ED, MAIL, ids, "w1", lease_seconds=60, now=T0 + timedelta(seconds=30))
        == 2
    )
    assert _claim(store, "w2", ids, T0 + timedelta(seconds=61))["a@x.org"] == "pending:w1"
    # ...and once the renewed lease has run out, the other worker takes them.
    assert _claim(store, "w2", ids, T0 + timedelta(seconds=91))["a@x.org"] == "pending:"


def test_a_gone_holder_loses_its_claims_at_once_and_a_final_outcome_ends_them(
    store: Store,
) -> None:
    ids = ["a@x.org", "b@x.org"]
    _claim(store, "dead", ids, T0)
    assert _claim(store, "w2", ids, T0, take_from=["dead"])["b@x.org"] == "pending:"
    store.record_deliveries(ED, MAIL, [Delivery(ED, MAIL, "a@x.org", "sent", 1)])
    # Sent: nobody claims it again; the single-process path sees the live claim.
    assert _claim(store, "w3", ids, T0 + timedelta(hours=1))["a@x.org"] == "sent:"
    store.record_deliveries(ED, MAIL, [Delivery(ED, MAIL, "b@x.org", "pending", 1)])
    _claim(store, "w4", ["b@x.org"], datetime.now(UTC))
    states = store.register_deliveries(ED, MAIL, ids)
    assert states == {"a@x.org": ("sent", 1), "b@x.org": ("claimed", 1)}
    store.release_claims(ED, MAIL, ["b@x.org"], "w4")
    assert store.register_deliveries(ED, MAIL, ["b@x.org"]) == {"b@x.org": ("pending", 1)}


def test_a_worker_renews_its_claims_while_it_sends(store: Store) -> None:
    from digest.app.fanout import ClaimKeeper

    ids = ["a@x.org", "b@x.org"]
    _claim(store, "w1", ids, T0)  # until T0 + 60 s
    later = T0 + timedelta(minutes=5)
    keeper = ClaimKeeper(store, ED, MAIL, ids, "w1", 0.3, lambda: later)
    deadline = time.monotonic() + 60  # bounds a broken keeper; not a timing
    while keeper.renewals == 0:
        assert time.monotonic() < deadline, "the claims were never renewed"
        time.sleep(0.01)
    keeper.close()
    # Renewed at `later`: another worker still finds them held then.
    assert _claim(store, "w2", ids, later) == {"a@x.org": "pending:w1", "b@x.org": "pending:w1"}


def _queue_app(tmp_path: Path, store: Store, port: int, **queue: object) -> object:
    from .conftest import config_from, sample_config_data
    from .send_support import smtp_options

    data = sample_config_data()
    data["senders"] = {MAIL: smtp_options(port)}
    data["queue"] = {"url": "redis://127.0.0.1:1/0", "batch_size": 3, **queue}
    return make_digest(config=config_from(data), store=store)


def test_an_edition_is_queued_in_batches_and_queued_again_only_where_unfinished(
    tmp_path: Path, store: Store
) -> None:
    app = _queue_app(tmp_path, store, 25)
    store.add_subscribers(Subscriber(f"r{i}@x.org", name=f"R {i}") for i in range(7))
    app.ingest()  # type: ignore[attr-defined]
    built = app.build(SAMPLE_AS_OF)  # type: ignore[attr-defined]
    queued: list[tuple[str, str, list[str]]] = []
    senders = app.senders()  # type: ignore[attr-defined]
    report = app.queue_edition(  # type: ignore[attr-defined]
        built.edition.id, senders, enqueue=lambda e, s, ids: queued.append((e, s, list(ids)))
    )
    assert [len(b[2]) for b in queued] == [3, 3, 1]
    assert report[MAIL].queued == 7 and report[MAIL].batches == 3
    assert store.delivery_counts(built.edition.id)[(built.edition.id, MAIL)]["pending"] == 7
    store.record_deliveries(
        built.edition.id, MAIL, [Delivery(built.edition.id, MAIL, "r0@x.org", "sent", 1)]
    )
    queued.clear()
    again = app.queue_edition(  # type: ignore[attr-defined]
        built.edition.id, senders, enqueue=lambda e, s, ids: queued.append((e, s, list(ids)))
    )
    assert again[MAIL].already_done == 1 and again[MAIL].queued == 6
    assert "r0@x.org" not in {r for batch in queued for r in batch[2]}


def test_a_failure_to_queue_is_raised_and_stops_the_queueing(tmp_path: Path, store: Store) -> None:
    app = _queue_app(tmp_path, store, 25)
    store.add_subscribers(Subscriber(f"r{i}@x.org") for i in range(9))
    app.ingest()  # type: ignore[attr-defined]
    edition_id = app.build(SAMPLE_AS_OF).edition.id  # type: ignore[attr-defined]
    calls: list[int] = []

    def flaky(edition: str, sender: str, ids: Sequence[str]) -> None:
        calls.append(len(ids))
        if len(calls) == 2:
            raise SendError("queue redis://127.0.0.1:1/0: cannot queue a batch (down)")

    with pytest.raises(SendError, match="cannot queue a batch"):
        app.queue_edition(edition_id, app.senders(), enqueue=flaky)  # type: ignore[attr-defined]
    assert calls == [3, 3]  # nothing more is queued after the failure


def test_the_daily_job_queues_the_edition_when_a_queue_is_configured(
    tmp_path: Path, store: Store, redis_url: str
) -> None:
    import redis

    space = namespace()
    app = _queue_app(tmp_path, store, 25, url=redis_url, namespace=space)
    store.add_subscribers(Subscriber(f"r{i}@x.org") for i in range(7))
    outcome = app.run_edition(SAMPLE_AS_OF)  # type: ignore[attr-defined]
    assert outcome.status == "done"
    assert outcome.message == "mail: 7 queued in 3 batches, 0 already done"
    client = redis.Redis.from_url(redis_url)
    assert client.llen(f"{space}:{space}") == 3  # Dramatiq's list of queued message ids
    client.close()
    counts = store.delivery_counts(outcome.edition_id)[(outcome.edition_id, MAIL)]
    assert counts == {"sent": 0, "failed": 0, "pending": 7}


def test_a_batch_sends_what_it_claims_and_a_redelivered_batch_sends_nobody_twice(
    tmp_path: Path, store: Store, smtp_server: tuple[object, object]
) -> None:
    controller, recorded = smtp_server
    app = _queue_app(tmp_path, store, controller.port)  # type: ignore[attr-defined]
    store.add_subscribers(Subscriber(f"r{i}@x.org", name=f"R {i}") for i in range(4))
    store.unsubscribe("r3@x.org")
    app.ingest()  # type: ignore[attr-defined]
    edition = app.build(SAMPLE_AS_OF).edition  # type: ignore[attr-defined]
    ids = [f"r{i}@x.org" for i in range(4)]
    # r2 is held by a live worker elsewhere; r3 left the list after queueing.
    store.claim_deliveries(edition.id, MAIL, ["r2@x.org"], "far:1:1", lease_seconds=60, now=T0)
    first = app.send_batch(edition.id, MAIL, ids, owner="w1", clock=lambda: T0)  # type: ignore[attr-defined]
    assert (first.sent, first.held, first.dropped) == (2, ["r2@x.org"], 1)
    assert first.unfinished
    again = app.send_batch(edition.id, MAIL, ids, owner="w2", clock=lambda: T0)  # type: ignore[attr-defined]
    assert (again.sent, again.already_done, again.held) == (0, 2, ["r2@x.org"])
    later = T0 + timedelta(seconds=61)  # the far worker's lease has run out
    last = app.send_batch(edition.id, MAIL, ids, owner="w2", clock=lambda: later)  # type: ignore[attr-defined]
    assert (last.sent, last.already_done, last.unfinished) == (1, 2, False)
    received = Counter(address for address, _ in recorded.messages)  # type: ignore[attr-defined]
    assert received == Counter({"r0@x.org": 1, "r1@x.org": 1, "r2@x.org": 1})
    assert store.delivery(edition.id, MAIL, "r3@x.org") is None


def test_a_claimed_edition_waits_for_its_prune_and_a_batch_after_it_sends_nothing(
    tmp_path: Path, store: Store, smtp_server: tuple[object, object]
) -> None:
    controller, recorded = smtp_server
    app = _queue_app(tmp_path, store, controller.port)  # type: ignore[attr-defined]
    store.add_subscribers(Subscriber(f"r{i}@x.org") for i in range(3))
    app.ingest()  # type: ignore[attr-defined]
    edition = app.build(SAMPLE_AS_OF).edition  # type: ignore[attr-defined]
    ids = [f"r{i}@x.org" for i in range(3)]
    sent = app.send_batch(edition.id, MAIL, ids[:2], owner="w1", clock=lambda: T0)  # type: ignore[attr-defined]
    assert sent.sent == 2
    store.claim_deliveries(edition.id, MAIL, ids[2:], "w2:1:1", lease_seconds=60, now=T0)
    after = edition.as_of + timedelta(days=1)
    # A worker still holds r2: the edition's log is not pruned under it.
    assert store.prunable_deliveries(after, now=T0 + timedelta(seconds=30)) == []
    assert store.prunable_deliveries(after, now=T0 + timedelta(seconds=61)) == [(edition.id, 3)]
    assert store.prune_deliveries(edition.id, limit=100, now=T0 + timedelta(seconds=61)) == 3
    # The batch comes back after the prune: nobody is mailed again, no row comes back.
    late = app.send_batch(edition.id, MAIL, ids, owner="w3", clock=lambda: T0)  # type: ignore[attr-defined]
    assert late.pruned and (late.sent, late.failed) == (0, 0)
    assert store.claim_deliveries(edition.id, MAIL, ids, "w3:1:1", lease_seconds=60, now=T0) == {}
    assert store.deliveries(edition.id) == []
    assert sorted(address for address, _ in recorded.messages) == ids[:2]  # type: ignore[attr-defined]
    totals = store.delivery_totals(edition.id)
    assert [(t.sent, t.pending) for t in totals] == [(2, 1)]


def test_queue_settings_are_checked_and_the_single_process_path_needs_no_dramatiq(
    tmp_path: Path,
) -> None:
    config = queue_config(tmp_path, 25, "redis://:secret@127.0.0.1:6379/0")
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2
    assert "queue.url: must not hold a password" in result.output
    assert "secret" not in result.output
    for url, why in [
        ("redis://127.0.0.1:6379?password=hunter2", "must not hold a password"),
        ("redis://127.0.0.1:notaport/0", "is not a valid URL"),
        ("redis://[::1/0", "is not a valid URL"),
        ("redis://127.0.0.1:6379/0?db=1", "must be a Redis URL"),
        ("http://127.0.0.1:6379/0", "must be a Redis URL"),
    ]:
        bad = queue_config(tmp_path, 25, url)
        result = CliRunner().invoke(main, ["--config", str(bad), "check"])
        assert result.exit_code == 2 and f"queue.url: {why}" in result.output, (url, result.output)
        assert "hunter2" not in result.output and "Traceback" not in result.output
    plain = tmp_path / "plain"
    plain.mkdir()
    from .sample_files import write_sample_config

    path = write_sample_config(plain)
    result = CliRunner().invoke(main, ["--config", str(path), "send", "--queue"])
    assert result.exit_code == 2 and "no [queue] table" in result.output
    probe = (
        "import sys; from digest.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'dramatiq' not in sys.modules and 'redis' not in sys.modules, 'imported'\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, "--config", str(path), "run", "--as-of", AS_OF],
        env=environment(), capture_output=True, text=True, cwd=plain,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (plain / "out").exists()


def test_a_worker_names_what_is_missing(tmp_path: Path) -> None:
    from .sample_files import write_sample_config

    plain = write_sample_config(tmp_path)
    result = CliRunner().invoke(main, ["--config", str(plain), "worker"])
    assert result.exit_code == 2 and "the config has no [queue] table" in result.output
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    config = queue_config(nowhere, 25, "redis://127.0.0.1:1/0")
    result = CliRunner().invoke(main, ["--config", str(config), "worker"])
    assert result.exit_code == 1
    assert "error: queue redis://127.0.0.1:1/0: Redis does not answer" in result.output


def test_a_redis_password_from_password_env_reaches_redis_for_queueing_and_workers(
    tmp_path: Path,
    redis_with_password: str,
    recorder: tuple[int, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Dramatiq given url= and password= builds its pool from the URL alone and
    # drops the password: every queue with a password failed to log in.
    port, received_log = recorder
    variable = "DIGEST_TEST_REDIS_PASSWORD"
    config = queue_config(tmp_path, port, redis_with_password, password_env=variable)
    addresses = [f"reader{i:02d}@example.org" for i in range(20)]
    app = make_digest(config_path=config)
    app.ingest()
    app.store.add_subscribers(Subscriber(a) for a in addresses)
    app.store.close()
    monkeypatch.setenv(variable, "not-the-password")
    checked = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert checked.exit_code == 1  # only something unreachable
    assert f"queue.url: queue {redis_with_password}: Redis does not answer" in checked.output
    refused = CliRunner().invoke(main, ["--config", str(config), "send", "--as-of", AS_OF])
    assert refused.exit_code == 1
    assert f"error: queue {redis_with_password}: Redis does not answer" in refused.output
    assert "not-the-password" not in refused.output
    monkeypatch.setenv(variable, REDIS_PASSWORD)
    checked = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert checked.exit_code == 0, checked.output
    assert f"queue: {redis_with_password} reached (Redis " in checked.output
    assert ": 0 batch(es) waiting" in checked.output
    queued = CliRunner().invoke(main, ["--config", str(config), "send", "--as-of", AS_OF])
    assert queued.exit_code == 0, queued.output
    assert "mail: 20 queued in 1 batches" in queued.output
    checked = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert ": 1 batch(es) waiting" in checked.output
    worker = start_worker(config, tmp_path / "worker.log")  # inherits the variable
    try:
        deadline = time.monotonic() + 120  # a bound for a broken run, not a timing
        while len(lines(received_log)) < len(addresses):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.05)
    finally:
        stop(worker)
    assert worker.returncode == 0
    assert Counter(lines(received_log)) == Counter(addresses)
    assert REDIS_PASSWORD not in (tmp_path / "worker.log").read_text()


@pytest.mark.slow  # real processes: two workers, Redis, an SMTP server
def test_worker_processes_send_a_queued_edition_once_to_everyone(
    tmp_path: Path, redis_url: str, recorder: tuple[int, Path], store_target: StoreTarget
) -> None:
    port, received_log = recorder
    config = queue_config(tmp_path, port, redis_url, store=store_target, batch_size=100)
    addresses = [f"reader{i:04d}@example.org" for i in range(1000)]
    with store_target.open() as store:
        make_digest(config_path=config, store=store).ingest()
        store.add_subscribers(Subscriber(a, name=f"Reader {i}") for i, a in enumerate(addresses))
    sent = queue_send(config, store_target)
    assert sent.returncode == 0, sent.stderr
    assert "mail: 1000 queued in 10 batches, 0 already done" in sent.stdout
    # One `digest worker --processes 2` (two children), one with a single process.
    workers = [
        start_worker(config, tmp_path / f"worker{n}.log", store=store_target, processes=2 - n)
        for n in range(2)
    ]
    try:
        deadline = time.monotonic() + 300  # a bound for a broken run, not a timing
        while len(lines(received_log)) < len(addresses):
            assert time.monotonic() < deadline, "the workers stopped making progress"
            assert all(w.poll() is None for w in workers), "a worker exited"
            time.sleep(0.05)
    finally:
        for worker in workers:
            stop(worker)
    assert [w.returncode for w in workers] == [0, 0]
    assert Counter(lines(received_log)) == Counter(addresses)
    with store_target.open() as store:
        counts = store.delivery_counts()
    assert list(counts.values()) == [{"sent": 1000, "failed": 0, "pending": 0}]
    logs = "".join((tmp_path / f"worker{n}.log").read_text() for n in range(2))
    assert logs.count("event=batch.done") == 10
    assert SECRET not in logs
