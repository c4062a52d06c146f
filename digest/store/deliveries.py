"""The delivery log: every (edition, sender, recipient) before it is attempted and
its outcome after."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from ..model import DELIVERY_STATUSES, Delivery
from .clock import now_text
from .database import Database
from .types import DeliveryCounts

#: A server's permanent refusal as recorded (``550 5.1.1 no such user``).
_PERMANENT = re.compile(r"5[0-9][0-9] ")
#: Recipients looked up per statement (SQLite's parameter limit is far above).
_CHUNK = 500


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
        if inserted == len(set(recipients)):  # all new (a first send): nothing to read back
            return dict.fromkeys(recipients, ("pending", 0))
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
