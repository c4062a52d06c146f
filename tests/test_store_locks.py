"""Edition locks on both stores: the time to live inside one connection, and between
connections what each backend adds (PostgreSQL: advisory locks held by a session)."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest

from digest.errors import EditionBusy, StoreError
from digest.locking import edition_lock
from digest.store import Store

from .conftest import StoreTarget

NAME = "world-2026-11-27"


def test_one_connection_keeps_the_time_to_live_rules(store: Store) -> None:
    now = datetime.now(UTC)
    assert store.acquire_lock(NAME, "other:1:1", 60, now=now) == "other:1:1"
    assert store.acquire_lock(NAME, "third:1:1", 60, now=now) == "other:1:1"
    assert store.acquire_lock(NAME, "other:1:1", 60, now=now) == "other:1:1"  # its own
    later = now + timedelta(seconds=61)
    assert store.acquire_lock(NAME, "third:1:1", 60, now=later) == "third:1:1"
    assert not store.renew_lock(NAME, "other:1:1", 60, now=later)
    assert store.renew_lock(NAME, "third:1:1", 60, now=later)
    assert store.take_lock(NAME, "third:1:1", "fourth:1:1", 60, now=later) == "fourth:1:1"
    store.release_lock(NAME, "third:1:1")  # not theirs any more: nothing changes
    assert store.acquire_lock(NAME, "fifth:1:1", 60, now=later) == "fourth:1:1"
    store.release_lock(NAME, "fourth:1:1")
    assert store.acquire_lock(NAME, "fifth:1:1", 60, now=later) == "fifth:1:1"


def test_another_connection_waits_for_a_live_holder(store_target: StoreTarget) -> None:
    now = datetime.now(UTC)
    with store_target.open() as holder, store_target.open() as other:
        assert holder.acquire_lock(NAME, "holder:1:1", 60, now=now) == "holder:1:1"
        assert other.acquire_lock(NAME, "other:2:2", 60, now=now) == "holder:1:1"
        # The heartbeat renews from a connection of its own.
        assert other.renew_lock(NAME, "holder:1:1", 60, now=now + timedelta(seconds=30))
        assert other.acquire_lock(NAME, "other:2:2", 60, now=now + timedelta(seconds=61)) == (
            "holder:1:1"  # renewed: not lapsed yet
        )
        holder.release_lock(NAME, "holder:1:1")
        assert other.acquire_lock(NAME, "other:2:2", 60, now=now) == "other:2:2"


def test_a_closed_connection_leaves_its_lock_by_backend(store_target: StoreTarget) -> None:
    """SQLite: the row stays until it lapses.  PostgreSQL: the advisory lock ends
    with the session, so a crashed holder frees its lock at once on every host."""
    now = datetime.now(UTC)
    with store_target.open() as holder:
        holder.acquire_lock(NAME, "crashed:1:1", 600, now=now)
    with store_target.open() as other:
        got = other.acquire_lock(NAME, "next:2:2", 600, now=now)
        if store_target.backend == "postgresql":
            assert got == "next:2:2"
            assert not other.renew_lock(NAME, "crashed:1:1", 600, now=now)
        else:
            assert got == "crashed:1:1"
            later = now + timedelta(seconds=601)
            assert other.acquire_lock(NAME, "next:2:2", 600, now=later) == "next:2:2"


def test_a_lapsed_holder_that_is_still_connected_is_cut_off(store_target: StoreTarget) -> None:
    """A holder that stopped renewing (hung) loses its lock once it lapses; on
    PostgreSQL its session is ended, so it cannot write anything more."""
    now = datetime.now(UTC)
    hung = store_target.open()
    try:
        assert hung.acquire_lock(NAME, "hung:1:1", 60, now=now) == "hung:1:1"
        with store_target.open() as other:
            later = now + timedelta(seconds=61)
            assert other.acquire_lock(NAME, "next:2:2", 60, now=later) == "next:2:2"
            assert not other.renew_lock(NAME, "hung:1:1", 60, now=later)
            if store_target.backend == "postgresql":
                with pytest.raises(StoreError, match=r"postgresql://digest@127\.0\.0\.1"):
                    hung.register_deliveries("e", "mail", ["a@example.org"])
            else:
                assert not hung.renew_lock(NAME, "hung:1:1", 60, now=later)
    finally:
        with contextlib.suppress(StoreError):  # its session may be gone already
            hung.close()


def test_edition_lock_holds_renews_and_releases(store_target: StoreTarget) -> None:
    outcomes: list[str] = []

    def another_thread() -> None:  # another owner (host:pid:thread)
        with store_target.open() as other:
            try:
                with edition_lock(other, NAME, 60):
                    outcomes.append("ran")
            except EditionBusy as exc:
                outcomes.append(f"busy: {exc.holder}")

    def attempt() -> None:
        thread = threading.Thread(target=another_thread)
        thread.start()
        thread.join()

    with store_target.open() as store:
        with edition_lock(store, NAME, 60, threading.Event()):
            attempt()
        attempt()
    assert outcomes[0].startswith("busy: ") and outcomes[1:] == ["ran"]


def test_edition_lock_takes_over_from_a_process_known_to_be_gone(
    store_target: StoreTarget,
) -> None:
    import socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    with store_target.open() as store:
        store.acquire_lock(NAME, f"{socket.gethostname()}:{gone}:1", 600)
        with edition_lock(store, NAME, 600):
            assert store.acquire_lock(NAME, "someone:1:1", 600) != "someone:1:1"
