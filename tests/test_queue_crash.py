"""The workers' crash test: an edition of 20,000 recipients queued on a real Redis
and sent by two real ``digest worker`` processes to a real SMTP server (aiosmtpd in
its own process).  One worker is killed with SIGKILL at five points, chosen by how
many deliveries the log holds as sent (never by time), and started again.

No recipient may be missing, and a recipient may be mailed twice only if its
delivery was in flight at a kill: claimed by the killed worker and not yet
recorded (read from the delivery log right after the kill; the dead process can
write nothing more).  The killed worker's batch comes back when Redis has not
heard from it for ``dead_worker_seconds``; its claims are taken over at once, as
its process is known to be gone.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from digest.edition import make_digest
from digest.store import Store, Subscriber

from .conftest import StoreTarget
from .queue_support import (
    lines,
    queue_config,
    queue_send,
    recorder,
    redis_url,
    start_worker,
    stop,
)

__all__ = ["recorder", "redis_url"]  # fixtures used below

pytestmark = pytest.mark.slow  # real processes killed mid-send

RECIPIENTS = 20_000
#: Kill points: deliveries recorded as sent.
KILL_AT = (2_000, 5_500, 9_000, 12_500, 16_000)
BATCH = 50
CONNECTIONS = 2
EDITION, SENDER = "world-2020-11-23", "mail"


def _sent(store: Store) -> int:
    return store.delivery_counts(EDITION).get((EDITION, SENDER), {}).get("sent", 0)


def _held_by(store: Store, pid: int) -> set[str]:
    """What a worker process holds claimed and unrecorded (its messages in flight)."""
    prefix = f"{socket.gethostname()}:{pid}:"
    claimed = store.claimed_deliveries(EDITION, SENDER)
    return {r for r, holder in claimed.items() if holder.startswith(prefix)}


def test_sigkill_of_a_worker_at_five_points_loses_nobody_and_doubles_only_the_in_flight(
    tmp_path: Path, redis_url: str, recorder: tuple[int, Path], store_target: StoreTarget
) -> None:
    port, received_log = recorder
    config = queue_config(
        tmp_path, port, redis_url, store=store_target, connections=CONNECTIONS,
        batch_size=BATCH, dead_worker_seconds=2, retry_seconds=1, lease_seconds=3600,
    )  # fmt: skip
    addresses = [f"reader{i:05d}@example.org" for i in range(RECIPIENTS)]
    with store_target.open() as store:
        make_digest(config_path=config, store=store).ingest()
        store.add_subscribers(Subscriber(a, name=f"Reader {i}") for i, a in enumerate(addresses))
    queued = queue_send(config, store_target)
    assert queued.returncode == 0, queued.stderr
    assert f"{RECIPIENTS} queued in {RECIPIENTS // BATCH} batches" in queued.stdout

    def worker(n: int) -> subprocess.Popen[bytes]:
        return start_worker(config, tmp_path / f"worker{n}.log", store=store_target)

    workers = [worker(0), worker(1)]
    in_flight: list[set[str]] = []
    deadline = time.monotonic() + 900  # bounds a broken run; no step waits on time
    log = store_target.open()  # reads only (an SQLite WAL reader never blocks a writer)
    try:
        for number, threshold in enumerate(KILL_AT):
            while _sent(log) < threshold:
                assert time.monotonic() < deadline, "the workers stopped making progress"
                assert all(w.poll() is None for w in workers), "a worker exited"
                time.sleep(0.02)
            victim = workers[number % 2]
            victim.kill()  # SIGKILL
            victim.wait()
            in_flight.append(_held_by(log, victim.pid))
            workers[number % 2] = worker(number % 2)
            assert _sent(log) < RECIPIENTS, "the send finished before the kill"
        while _sent(log) < RECIPIENTS:
            assert time.monotonic() < deadline, "the killed workers' batches never came back"
            assert all(w.poll() is None for w in workers), "a worker exited"
            time.sleep(0.05)
    finally:
        log.close()
        for worker in workers:
            stop(worker)
    assert [w.returncode for w in workers] == [0, 0], "workers stop cleanly on SIGTERM"

    received = Counter(lines(received_log))
    missing = set(addresses) - set(received)
    assert not missing, f"{len(missing)} recipients missing"
    doubled = {r for r, n in received.items() if n > 1}
    duplicates = sum(n - 1 for n in received.values())
    everything_in_flight = set().union(*in_flight)
    assert doubled <= everything_in_flight, "only deliveries in flight at a kill are doubled"
    assert duplicates <= sum(len(s) for s in in_flight)
    assert all(len(s) <= BATCH for s in in_flight), "a worker holds at most one batch"
    with store_target.open() as store:
        counts = store.delivery_counts()
        assert store.claimed_deliveries(EDITION, SENDER) == {}
    assert list(counts.values()) == [{"sent": RECIPIENTS, "failed": 0, "pending": 0}]
    print(
        f"\nworkers crash test: 5 SIGKILLs during {RECIPIENTS} recipients, 2 workers, "
        f"batches of {BATCH}, {CONNECTIONS} connections each; in flight at each kill "
        f"(claimed, unrecorded): {[len(s) for s in in_flight]}; duplicates: {duplicates} "
        f"({[len(s & doubled) for s in in_flight]} per kill)"
    )
