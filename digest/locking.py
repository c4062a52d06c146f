"""Edition locks: one process at a time runs or sends an edition.

The lock lives in the store (:class:`~digest.store.protocol.LockStore`) with a time
to live; while it is held, a heartbeat thread with its own store connection renews
it every third of that time.  A holder that dies (killed, crashed) stops renewing
and loses the lock when it lapses; one known to be gone (a process of this machine
that no longer exists) loses it at once.  On PostgreSQL the lock is also an
advisory lock held by the holder's session, which frees it the moment that session
ends, on any host (:mod:`digest.store.advisory`).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import EditionBusy
from .store import Store


def lock_owner() -> str:
    """Who this process and thread are, as recorded on the locks it holds."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def holder_gone(holder: str) -> bool:
    """Whether a lock holder (``host:pid:thread``) is a process of this machine that
    has ended.  Anything else (another host, a live or unknown process) counts as
    alive, so its lock is only taken over after it lapses."""
    parts = holder.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False  # another thread of this process: alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (another user's process)
    return False


@contextmanager
def edition_lock(
    store: Store, name: str, ttl_seconds: float, stop: threading.Event | None = None
) -> Iterator[None]:
    """Hold the lock ``name`` while inside, renewed by a heartbeat until ``stop``
    is set (a stopped or abandoned run lets its lock lapse rather than hold it
    forever).  Raises :class:`EditionBusy` if another process holds it."""
    owner = lock_owner()
    holder = store.acquire_lock(name, owner, ttl_seconds)
    if holder != owner and holder_gone(holder):
        holder = store.take_lock(name, holder, owner, ttl_seconds)
    if holder != owner:
        raise EditionBusy(name, holder)
    heartbeat = Heartbeat(store, name, owner, ttl_seconds, stop or threading.Event())
    try:
        yield
    finally:
        heartbeat.close()
        store.release_lock(name, owner)


class Heartbeat:
    """Keeps a lock alive from a thread with its own store connection, until
    closed or until ``stop`` is set."""

    def __init__(
        self, store: Store, name: str, owner: str, ttl: float, stop: threading.Event
    ) -> None:
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, args=(store, name, owner, ttl, stop), daemon=True
        )
        self._thread.start()

    def _beat(
        self, source: Store, name: str, owner: str, ttl: float, stop: threading.Event
    ) -> None:
        own = source.reopen()  # opened in this thread: a connection belongs to its thread
        if own is None:
            return  # an in-memory store: no other process can see the lock
        with own as store:
            while not self._done.wait(ttl / 3) and not stop.is_set():
                if not store.renew_lock(name, owner, ttl):
                    return

    def close(self) -> None:
        """Stop renewing (the caller releases the lock)."""
        self._done.set()
        self._thread.join()
