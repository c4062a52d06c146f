"""Edition locks on PostgreSQL: a session-level advisory lock per name, plus the
``locks`` row that says who holds it and until when.

Between connections (processes, hosts) the advisory lock decides:
``pg_try_advisory_lock(key)`` with ``key`` the first 8 bytes of
SHA-256(``"digest lock:" + name``) as a signed 64-bit integer.  PostgreSQL releases
it when the holding session ends, so a holder that crashes, is killed or loses its
connection frees the lock at once, on every host, without waiting out a time to
live.  The row is written only by the session holding the advisory lock; a session
that takes the advisory lock afresh knows the row's owner is gone and replaces it.

The time to live keeps its meaning where a session is alive but its holder is not
doing its work: a holder whose row has lapsed (it stopped renewing: hung, or its run
was stopped) has its session ended with ``pg_terminate_backend`` by the next process
that wants the lock, so the hung holder cannot write anything more (its connection
is gone).  That needs the same database role for every digest process (or
``pg_signal_backend``); without it the lock stays busy until the holder exits.

Inside one session (one store object) the row decides, exactly as in SQLite: an
owner holds the name until it releases it or the row lapses.  The heartbeat renews
from its own connection: the renewal succeeds only while the session recorded in the
row still holds the advisory lock.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import psycopg

from .postgres import PgConnection, PgDatabase

#: How long to wait for a terminated holder's session to end, in milliseconds.
_TERMINATE_WAIT_MS = 5000

#: The session holding an advisory lock (a bigint key is split in two oids).
_HOLDER_PID = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND classid::bigint = ? AND objid::bigint = ? LIMIT 1"
)
_UPSERT = (
    "INSERT INTO locks (name, owner, acquired_at, expires_at, backend_pid) "
    "VALUES (?,?,?,?,pg_backend_pid()) ON CONFLICT(name) DO UPDATE SET "
    "owner = excluded.owner, acquired_at = excluded.acquired_at, "
    "expires_at = excluded.expires_at, backend_pid = excluded.backend_pid"
)


def lock_key(name: str) -> int:
    """The advisory lock key of the lock ``name`` (signed 64-bit)."""
    digest = hashlib.sha256(b"digest lock:" + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _halves(key: int) -> tuple[int, int]:
    """``(classid, objid)`` as ``pg_locks`` shows a bigint advisory key."""
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    return unsigned >> 32, unsigned & 0xFFFF_FFFF


def _moment(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


class AdvisoryLockTable:
    """The :class:`~digest.store.protocol.LockStore` of the PostgreSQL store."""

    _pg: PgDatabase
    #: Names whose advisory lock this store's session holds.
    _held: set[str]

    def acquire_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take the lock ``name`` for ``owner`` until ``ttl_seconds`` from now.

        Succeeds when no other session holds it (its row, if any, is then a dead
        session's), when the holder's row has lapsed (that session is ended), or,
        inside this session, when the row is free, lapsed or ``owner``'s.  Returns
        the holder afterwards: ``owner`` on success.
        """
        moment = _moment(now)
        expires = (moment + timedelta(seconds=ttl_seconds)).isoformat()
        row = self._pg.row("SELECT owner, expires_at FROM locks WHERE name = ?", (name,))
        lapsed = row is not None and str(row[1]) <= moment.isoformat()
        fresh = self._hold(name, evict=lapsed)
        if fresh is None:
            return self._holder(name)
        with self._pg.transaction() as db:
            if fresh:
                db.execute(_UPSERT, (name, owner, moment.isoformat(), expires))
            else:
                db.execute(
                    _UPSERT + " WHERE locks.expires_at <= excluded.acquired_at "
                    "OR locks.owner = excluded.owner",
                    (name, owner, moment.isoformat(), expires),
                )
            found = db.execute("SELECT owner FROM locks WHERE name = ?", (name,)).fetchone()
        return str(found[0]) if found else ""

    def renew_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> bool:
        """Push the expiry of ``owner``'s lock on; ``False`` if it is no longer
        theirs (another owner has it, or the session that held it has ended)."""
        moment = _moment(now)
        classid, objid = _halves(lock_key(name))
        with self._pg.transaction() as db:
            cur = db.execute(
                "UPDATE locks SET expires_at = ? WHERE name = ? AND owner = ? AND EXISTS ("
                "SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.objsubid = 1 AND l.pid = locks.backend_pid "
                "AND l.classid::bigint = ? AND l.objid::bigint = ?)",
                ((moment + timedelta(seconds=ttl_seconds)).isoformat(), name, owner, classid,
                 objid),
            )  # fmt: skip
            return cur.rowcount == 1

    def take_lock(
        self, name: str, holder: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take the lock ``name`` over from ``holder`` (a process known to be gone)
        for ``owner``; returns the holder afterwards (``owner`` on success, someone
        else if another process took it first)."""
        moment = _moment(now)
        expires = (moment + timedelta(seconds=ttl_seconds)).isoformat()
        row = self._pg.row("SELECT owner FROM locks WHERE name = ?", (name,))
        fresh = self._hold(name, evict=row is not None and row[0] == holder)
        if fresh is None:
            return self._holder(name)
        with self._pg.transaction() as db:
            if fresh:
                db.execute(_UPSERT, (name, owner, moment.isoformat(), expires))
            else:
                db.execute(
                    "UPDATE locks SET owner = ?, acquired_at = ?, expires_at = ? "
                    "WHERE name = ? AND owner = ?",
                    (owner, moment.isoformat(), expires, name, holder),
                )
            found = db.execute("SELECT owner FROM locks WHERE name = ?", (name,)).fetchone()
        return str(found[0]) if found else ""

    def release_lock(self, name: str, owner: str) -> None:
        """Give the lock up (only ``owner`` can); the advisory lock goes with the
        row."""
        with self._pg.transaction() as db:
            db.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))
            left = db.execute("SELECT 1 FROM locks WHERE name = ?", (name,)).fetchone()
        if left is None and name in self._held:
            self._pg.row("SELECT pg_advisory_unlock(?)", (lock_key(name),))
            self._held.discard(name)

    # -- the advisory lock ------------------------------------------------------------

    def _hold(self, name: str, *, evict: bool) -> bool | None:
        """Make this session hold the advisory lock of ``name``: ``False`` if it
        already did, ``True`` if it took it now, ``None`` if another session holds
        it.  With ``evict``, a holding session is ended first."""
        if name in self._held:
            return False
        key = lock_key(name)
        if not self._try(key) and not (evict and self._evict(key) and self._try(key)):
            return None
        self._held.add(name)
        return True

    def _try(self, key: int) -> bool:
        row = self._pg.row("SELECT pg_try_advisory_lock(?)", (key,))
        return bool(row is not None and row[0])

    def _evict(self, key: int) -> bool:
        """End the session holding the advisory lock ``key``; ``False`` if not
        allowed (another database role) or nobody holds it any more."""
        holder = self._pg.row(_HOLDER_PID, _halves(key))
        if holder is None:
            return True  # released meanwhile
        with self._pg.transaction() as db:
            try:
                with db.raw.transaction():  # a savepoint: a refusal is not an error
                    row = _terminate(db, int(holder[0]))
            except psycopg.errors.InsufficientPrivilege:
                return False
        return bool(row)

    def _holder(self, name: str) -> str:
        """Who holds ``name`` in another session: its row's owner, or the session."""
        row = self._pg.row("SELECT owner FROM locks WHERE name = ?", (name,))
        if row is not None:
            return str(row[0])
        holder = self._pg.row(_HOLDER_PID, _halves(lock_key(name)))
        return f"PostgreSQL session {holder[0]}" if holder else "another PostgreSQL session"


def _terminate(db: PgConnection, pid: int) -> bool:
    found = db.execute("SELECT pg_terminate_backend(?, ?)", (pid, _TERMINATE_WAIT_MS)).fetchone()
    return bool(found is not None and found[0])
