"""The delivery log: every (edition, sender, recipient) before it is attempted and
its outcome after."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from ..model import DELIVERY_STATUSES, Delivery
from .clock import now_text, utc_text
from .database import Database
from .types import DeliveryCounts, DeliveryTotals

#: A server's permanent refusal as recorded (``550 5.1.1 no such user``).
_PERMANENT = re.compile(r"5[0-9][0-9] ")
#: Recipients looked up per statement (SQLite's parameter limit is far above).
_CHUNK = 500
#: An edition's log summed up per sender, as ``delivery_totals`` keeps it (portable
#: SQL; ``refused`` mirrors :data:`_PERMANENT`: a failure recorded as ``5xx …``).
_SUMMARY = (
    "SELECT edition_id, sender, "
    "sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN status = 'failed' AND last_error LIKE '5__ %' THEN 1 ELSE 0 END), "
    "sum(attempts), min(updated_at), max(updated_at) "
    "FROM deliveries WHERE edition_id = ? GROUP BY edition_id, sender"
)


def marks(values: Sequence[object]) -> str:
    """``?,?,?``: one parameter mark per value, for ``IN (...)``."""
    return ",".join("?" * len(values))


class DeliveryTable:
    """The ``deliveries`` table (part of every store)."""

    _db: Database

    def delivery(self, edition_id: str, sender: str, recipient: str) -> Delivery | None:
        """The recorded delivery of one message, or ``None`` if never attempted."""
        row = self._db.row(
            "SELECT * FROM deliveries WHERE edition_id = ? AND sender = ? AND recipient = ?",
            (edition_id, sender, recipient),
        )
        return _delivery_from_row(row) if row else None

    def deliveries(self, edition_id: str | None = None) -> list[Delivery]:
        """Recorded deliveries, of one edition or of all."""
        if edition_id is None:
            rows = self._db.rows("SELECT * FROM deliveries ORDER BY edition_id, sender")
        else:
            rows = self._db.rows(
                "SELECT * FROM deliveries WHERE edition_id = ? ORDER BY sender, recipient",
                (edition_id,),
            )
        return [_delivery_from_row(r) for r in rows]

    def register_deliveries(
        self, edition_id: str, sender: str, recipients: Sequence[str]
    ) -> dict[str, tuple[str, int]]:
        """Record ``recipients`` as pending (unless already recorded) before any of
        them is attempted, so a crash never loses one.

        Returns each recipient's ``(status, attempts)`` as it now stands; a pending
        one that a worker holds (``digest worker``, its lease still running) is
        ``claimed``: it is that worker's to send.
        """
        now = now_text()
        with self._db.transaction() as db:
            inserted = db.executemany(
                "INSERT INTO deliveries (edition_id, sender, recipient, status, attempts, "
                "updated_at) VALUES (?,?,?,'pending',0,?) ON CONFLICT DO NOTHING",
                [(edition_id, sender, r, now) for r in recipients],
            ).rowcount
        if inserted == len(set(recipients)):
            # All new (a first send): nothing to read back.
            return dict.fromkeys(recipients, ("pending", 0))
        return self._delivery_states(edition_id, sender, recipients, now)

    def _delivery_states(
        self, edition_id: str, sender: str, recipients: Sequence[str], now: str
    ) -> dict[str, tuple[str, int]]:
        """Each of ``recipients``' ``(status, attempts)`` in the log (``claimed``: a
        pending delivery a worker's lease, running at ``now``, holds)."""
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(recipients), _CHUNK):
            chunk = recipients[start : start + _CHUNK]
            rows = self._db.rows(
                "SELECT recipient, CASE WHEN status = 'pending' AND claimed_by <> '' AND "
                "lease_until > ? THEN 'claimed' ELSE status END, attempts FROM deliveries "
                f"WHERE edition_id = ? AND sender = ? AND recipient IN ({marks(chunk)})",
                (now, edition_id, sender, *chunk),
            )
            found.update({r[0]: (r[1], r[2]) for r in rows})
        return found

    def record_deliveries(self, edition_id: str, sender: str, finished: Iterable[Delivery]) -> None:
        """Store the outcome (status, attempts so far, error, provider id) of each
        delivery in ``finished``, in one transaction.  A final outcome ends a
        worker's claim on the delivery; a pending one (a retry to come) keeps it."""
        now = now_text()
        with self._db.transaction() as db:
            db.executemany(
                # A success keeps the error of the attempt before it, for the record.
                "UPDATE deliveries SET status = ?, attempts = ?, last_error = "
                "coalesce(nullif(?, ''), last_error), provider_id = ?, updated_at = ?, "
                "claimed_by = CASE WHEN ? = 'pending' THEN claimed_by ELSE '' END "
                "WHERE edition_id = ? AND sender = ? AND recipient = ?",
                [
                    (d.status, d.attempts, d.last_error, d.provider_id, now, d.status,
                     edition_id, sender, d.recipient)
                    for d in finished
                ],
            )  # fmt: skip

    def delivery_counts(self, edition_id: str | None = None) -> DeliveryCounts:
        """``{(edition_id, sender): {"sent": n, "failed": n, "pending": n}}``."""
        sql = "SELECT edition_id, sender, status, count(*) FROM deliveries"
        args: tuple[str, ...] = ()
        if edition_id is not None:
            sql += " WHERE edition_id = ?"
            args = (edition_id,)
        counts: DeliveryCounts = {}
        for edition, sender, status, n in self._db.rows(
            sql + " GROUP BY edition_id, sender, status", args
        ):
            bucket = counts.setdefault((edition, sender), dict.fromkeys(DELIVERY_STATUSES, 0))
            bucket[status] = n
        # A pruned edition's totals stand for its log (rows a prune interrupted
        # before it deleted them all are already counted in them).
        for totals in self.delivery_totals(edition_id):
            counts[(totals.edition_id, totals.sender)] = {
                "sent": totals.sent,
                "failed": totals.failed,
                "pending": totals.pending,
            }
        return counts

    def was_mailed(self, address: str) -> bool:
        """Whether any delivery to ``address`` was recorded (a DSN about an address
        we never mailed is not ours)."""
        row = self._db.row(
            "SELECT 1 FROM deliveries WHERE lower(recipient) = lower(?) LIMIT 1", (address,)
        )
        return row is not None

    def permanent_failures(self, edition_id: str, sender: str) -> list[tuple[str, str]]:
        """``(recipient, error)`` of the deliveries of an edition that a server
        refused with a 5xx answer (synchronous hard bounces)."""
        rows = self._db.rows(
            "SELECT recipient, last_error FROM deliveries WHERE edition_id = ? AND sender = ? "
            "AND status = 'failed' AND last_error LIKE '5%'",
            (edition_id, sender),
        )
        return [(str(r[0]), str(r[1])) for r in rows if _PERMANENT.match(r[1])]

    # -- retention ------------------------------------------------------------------

    def delivery_totals(self, edition_id: str | None = None) -> list[DeliveryTotals]:
        """The totals kept for pruned editions (of one edition or of all), by
        edition and sender."""
        sql = "SELECT * FROM delivery_totals"
        args: tuple[str, ...] = ()
        if edition_id is not None:
            sql += " WHERE edition_id = ?"
            args = (edition_id,)
        rows = self._db.rows(sql + " ORDER BY edition_id, sender", args)
        return [_totals_from_row(r) for r in rows]

    def deliveries_pruned(self, edition_id: str) -> datetime | None:
        """When an edition's delivery log was pruned, or ``None`` if it was not."""
        row = self._db.row(
            "SELECT min(pruned_at) FROM delivery_totals WHERE edition_id = ?", (edition_id,)
        )
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def prunable_deliveries(self, before: datetime, *, now: datetime) -> list[tuple[str, int]]:
        """``(edition id, rows)`` of the editions made before ``before`` that still
        have rows in the delivery log, oldest first.  An edition a worker is still
        sending (a claim whose lease runs past ``now``) is not one of them: its
        rows are what keeps a redelivered batch from mailing anyone twice."""
        rows = self._db.rows(
            "SELECT e.id, (SELECT count(*) FROM deliveries d WHERE d.edition_id = e.id) "
            "FROM editions e WHERE e.as_of < ? AND EXISTS "
            "(SELECT 1 FROM deliveries d WHERE d.edition_id = e.id) AND NOT EXISTS "
            "(SELECT 1 FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'pending' "
            "AND d.claimed_by <> '' AND d.lease_until > ?) ORDER BY e.as_of, e.id",
            (utc_text(before), utc_text(now)),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def prune_deliveries(self, edition_id: str, *, limit: int, now: datetime) -> int:
        """Delete up to ``limit`` rows of an edition's delivery log; how many.

        The first call sums the log up per sender into ``delivery_totals``,
        written in the same transaction as the first deletion, so the totals are
        there before any row goes and a prune cut short is finished by calling
        again.  The sum is read before that transaction (a read does not hold the
        write lock; nothing writes an edition this old), so each call holds the
        write lock for ``limit`` rows at most, however long the log.
        """
        summary = []
        if self.deliveries_pruned(edition_id) is None:
            summary = [(*row, utc_text(now)) for row in self._db.rows(_SUMMARY, (edition_id,))]
        with self._db.transaction() as db:
            summed = db.execute(
                "SELECT 1 FROM delivery_totals WHERE edition_id = ? LIMIT 1", (edition_id,)
            ).fetchone()
            if summed is None:
                db.executemany(
                    "INSERT INTO delivery_totals (edition_id, sender, sent, failed, pending, "
                    "refused, attempts, first_at, last_at, pruned_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?) "
                    # Another prune (a second scheduler, a manual run) may have
                    # summed it up since the check above: its totals stand.
                    "ON CONFLICT (edition_id, sender) DO NOTHING",
                    summary,
                )
            deleted = db.execute(
                "DELETE FROM deliveries WHERE edition_id = ? AND (sender, recipient) IN "
                "(SELECT sender, recipient FROM deliveries WHERE edition_id = ? LIMIT ?)",
                (edition_id, edition_id, limit),
            ).rowcount
        return int(deleted)


def _totals_from_row(row: Any) -> DeliveryTotals:
    def moment(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text) if text else None

    pruned_at = moment(row["pruned_at"])
    assert pruned_at is not None
    return DeliveryTotals(
        edition_id=row["edition_id"],
        sender=row["sender"],
        sent=row["sent"],
        failed=row["failed"],
        pending=row["pending"],
        refused=row["refused"],
        attempts=row["attempts"],
        first_at=moment(row["first_at"]),
        last_at=moment(row["last_at"]),
        pruned_at=pruned_at,
    )


def _delivery_from_row(row: Any) -> Delivery:
    return Delivery(
        edition_id=row["edition_id"],
        sender=row["sender"],
        recipient=row["recipient"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        provider_id=row["provider_id"],
        updated_at=datetime.fromisoformat(row["updated_at"]) if row["updated_at"] else None,
    )
