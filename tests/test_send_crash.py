"""The crash test: a real ``digest send`` process, sending 2,000 personalised emails
to a real SMTP server in another process, is killed with SIGKILL at several points
and restarted.  No recipient may be missing; a recipient may be mailed twice only
if its message was in flight at a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from digest.edition import make_digest
from digest.store import Subscriber, open_store

from .send_support import SECRET, recorder, write_config

__all__ = ["recorder"]  # a fixture used below

pytestmark = pytest.mark.slow  # a real process killed mid-send


RECIPIENTS = 2000
CONNECTIONS = 2
KILL_AT = (150, 700, 1300)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _wait_for_sessions_to_close(log: Path) -> None:
    """Until every connection the server accepted has closed (the killed sender's
    sockets are closed by the kernel; the server may still be reading one)."""
    sessions = log.with_name(f"{log.name}.sessions")
    deadline = time.monotonic() + 300  # bounds a broken server; not a timing
    while True:
        lines = Counter(_lines(sessions))
        if lines["open"] == lines["closed"]:
            return
        assert time.monotonic() < deadline, f"the server kept {lines} sessions open"
        time.sleep(0.005)


def test_sigkill_mid_send_loses_nobody_and_doubles_at_most_the_in_flight(
    tmp_path: Path, recorder: tuple[int, Path]
) -> None:

    port, log = recorder
    config = write_config(tmp_path, port, connections=CONNECTIONS)
    with open_store(tmp_path / "store.sqlite3") as store:
        make_digest(config_path=config, store=store).ingest()
        addresses = [f"reader{i:05d}@example.org" for i in range(RECIPIENTS)]
        store.add_subscribers(Subscriber(a, name=f"Reader {i}") for i, a in enumerate(addresses))
    command = [
        sys.executable,
        "-c",
        "from digest.cli import main; main()",
        "--config",
        str(config),
        "send",
        "--as-of",
        "2020-11-23T10:00+05:30",
    ]
    env = {**os.environ, "DIGEST_TEST_UNSUB_SECRET": SECRET}

    kills = 0
    in_flight = []
    for threshold in KILL_AT:
        sender = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 300  # bounds a broken run; not a timing
        while len(_lines(log)) < threshold and sender.poll() is None:
            assert time.monotonic() < deadline, "the send made no progress"
            time.sleep(0.002)
        assert sender.poll() is None, "the send finished before it could be killed"
        sender.send_signal(signal.SIGKILL)
        sender.wait()
        kills += 1
        _wait_for_sessions_to_close(log)  # the server has taken in all it will
        # In flight at the kill: taken by the server, not yet recorded as sent.
        with open_store(tmp_path / "store.sqlite3") as store:
            recorded = {d.recipient for d in store.deliveries() if d.status == "sent"}
        received = set(_lines(log))
        assert recorded <= received, "nothing is recorded as sent that was not"
        in_flight.append(len(received - recorded))
        assert len(received) < RECIPIENTS
    finished = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr

    received = Counter(_lines(log))
    assert set(received) == set(addresses), "no recipient is missing"
    duplicates = sum(n - 1 for n in received.values())
    assert duplicates <= sum(in_flight), "only messages in flight at a kill are sent twice"
    print(
        f"\ncrash test: {kills} SIGKILLs during {RECIPIENTS} recipients, "
        f"{CONNECTIONS} connections; in flight at each kill: {in_flight}; "
        f"duplicates: {duplicates}"
    )
    with open_store(tmp_path / "store.sqlite3") as store:
        counts = store.delivery_counts()
        assert list(counts.values()) == [{"sent": RECIPIENTS, "failed": 0, "pending": 0}]
