"""A real ``digest schedule`` process, stopped with SIGTERM in the middle of a send."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w

from digest.store import open_store

from .conftest import ROOT
from .newsfeed import write_world_feed
from .recording_sender import received

pytestmark = pytest.mark.slow  # real processes signalled mid-send


RECIPIENTS = 30


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start(config: Path) -> subprocess.Popen[str]:
    # PYTHONPATH: the config names the test sender as tests.recording_sender:RecordingSender.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [str(Path(sys.executable).parent / "digest"), "--config", str(config), "schedule"]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def run_then_stop(config: Path, until: Callable[[], bool]) -> str:
    """Start ``digest schedule``, SIGTERM it once ``until()`` holds; check it exits 0.

    Returns its log (stderr).
    """
    process = start(config)
    try:
        wait_for(until)
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, log
    # Structured: one key=value line per event.
    event = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00 level=[A-Z]+ event=[a-z.]+( |$)")
    assert log and all(event.match(line) for line in log.splitlines()), log
    return log


def run_status(store_path: Path, edition_id: str) -> str | None:
    if not store_path.exists():
        return None
    with open_store(store_path) as store:
        return store.last_run_status(edition_id)


def test_sigterm_mid_send_exits_0_and_a_restart_completes_without_duplicates(
    tmp_path: Path,
) -> None:

    now = datetime.now(UTC)
    due = (now - timedelta(minutes=1)).replace(second=0, microsecond=0)
    edition_id = f"world-{due:%Y-%m-%d}"
    inbox = tmp_path / "inbox"
    write_world_feed(tmp_path / "wire.json", now - timedelta(hours=20), now - timedelta(minutes=5))
    config = tmp_path / "config.toml"
    settings = {
        "digest": {"timezone": "UTC", "edition_prefix": "world"},
        "store": {"path": "store.sqlite3"},
        "sources": [{"path": "wire.json", "kind": "json", "publisher": "Wire"}],
        "select": {"count": 3, "min_picks": 1},
        "senders": {
            "readers": {
                "type": "tests.recording_sender:RecordingSender",
                "folder": str(inbox),
                "recipients": RECIPIENTS,
                "delay": 0.1,
            }
        },
        # The edition was due a minute ago: the scheduler catches up at once.
        "schedule": {"editions": [{"at": f"{due:%H:%M}"}], "grace_minutes": 60},
    }
    config.write_text(tomli_w.dumps(settings), encoding="utf-8")
    store_path = tmp_path / "store.sqlite3"

    log = run_then_stop(config, lambda: len(received(inbox, edition_id)) >= 5)
    assert f"event=edition.stopped edition={edition_id}" in log

    with open_store(store_path) as store:
        assert store.last_run_status(edition_id) == "stopped"
        deliveries = store.deliveries(edition_id)
    got = received(inbox, edition_id)
    # The message in flight was finished and recorded; nothing is left half-done:
    # the others are on record as pending, never attempted.
    assert 5 <= len(got) < RECIPIENTS
    assert {d.recipient for d in deliveries if d.status == "sent"} == set(got)
    assert all(
        d.status == "pending" and d.attempts == 0 for d in deliveries if d.recipient not in got
    )

    # Breaking news lands before the restart; the rest still get the same edition.
    write_world_feed(tmp_path / "wire.json", now - timedelta(hours=20), now, timedelta(hours=1))
    log = run_then_stop(config, lambda: run_status(store_path, edition_id) == "done")
    assert f"event=edition.done edition={edition_id}" in log

    got = received(inbox, edition_id)
    assert len(got) == RECIPIENTS and set(got.values()) == {1}
    subjects = {f.read_text("utf-8") for f in (inbox / edition_id).iterdir()}
    assert len(subjects) == 1, subjects
    with open_store(store_path) as store:
        assert {(d.status, d.attempts) for d in store.deliveries(edition_id)} == {("sent", 1)}
        assert [r["status"] for r in store.runs(edition_id)] == ["done", "stopped"]
