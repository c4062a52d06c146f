"""Locks: one holder per name (an edition id); a holder that stops renewing its
lock (crashed, killed, hung) loses it once it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .database import Database


def _moment(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


class LockTable:
    """The ``locks`` table (part of every store)."""

    _db: Database

    def acquire_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take the lock ``name`` for ``owner`` until ``ttl_seconds`` from now.

        Succeeds when the lock is free, expired (its holder stopped renewing it) or
        already ``owner``'s.  Returns the holder afterwards: ``owner`` on success.
        """
        moment = _moment(now)
        expires = (moment + timedelta(seconds=ttl_seconds)).isoformat()
        with self._db.transaction() as db:
            # One statement, so two processes cannot both see the lock free.
            db.execute(
                "INSERT INTO locks VALUES (?,?,?,?) ON CONFLICT(name) DO UPDATE SET "
                "owner = excluded.owner, acquired_at = excluded.acquired_at, "
                "expires_at = excluded.expires_at "
                "WHERE locks.expires_at <= excluded.acquired_at OR locks.owner = excluded.owner",
                (name, owner, moment.isoformat(), expires),
            )
            row = db.execute("SELECT owner FROM locks WHERE name = ?", (name,)).fetchone()
        return str(row[0])

    def renew_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> bool:
        """Push the expiry of ``owner``'s lock on; ``False`` if it is no longer theirs."""
        moment = _moment(now)
        with self._db.transaction() as db:
            cur = db.execute(
                "UPDATE locks SET expires_at = ? WHERE name = ? AND owner = ?",
                ((moment + timedelta(seconds=ttl_seconds)).isoformat(), name, owner),
            )
            return cur.rowcount == 1

    def take_lock(
        self, name: str, holder: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take the lock ``name`` over from ``holder`` (a process known to be gone)
        for ``owner``; returns the holder afterwards (``owner`` on success, someone
        else if another process took it first)."""
        moment = _moment(now)
        with self._db.transaction() as db:
            db.execute(
                "UPDATE locks SET owner = ?, acquired_at = ?, expires_at = ? "
                "WHERE name = ? AND owner = ?",
                (
                    owner,
                    moment.isoformat(),
                    (moment + timedelta(seconds=ttl_seconds)).isoformat(),
                    name,
                    holder,
                ),
            )
            row = db.execute("SELECT owner FROM locks WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else ""

    def release_lock(self, name: str, owner: str) -> None:
        """Give the lock up (only ``owner`` can)."""
        with self._db.transaction() as db:
            db.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))
