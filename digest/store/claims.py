"""Claims on the delivery log: which worker sends which pending delivery.

``digest worker`` processes (on one machine or several) take batches of
recipients from a queue.  Before sending, a worker *claims* each pending delivery
of its batch: it writes its name and a lease end on the row, in one statement that
only succeeds on a row that is pending and unclaimed, claimed by a worker whose
lease has run out, or already its own.  So two workers can never both hold one
delivery, whatever the queue redelivers; a worker that dies stops renewing and
its claims lapse.  A final outcome (:meth:`DeliveryTable.record_deliveries`)
ends the claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from .clock import utc_text
from .database import Database
from .deliveries import marks
from .types import Claim

#: Recipients per statement.
_CHUNK = 500


class ClaimTable:
    """Claims on rows of the ``deliveries`` table (part of every store)."""

    _db: Database

    def claim_deliveries(
        self,
        edition_id: str,
        sender: str,
        recipients: Sequence[str],
        owner: str,
        *,
        lease_seconds: float,
        now: datetime,
        take_from: Iterable[str] = (),
    ) -> dict[str, Claim]:
        """Claim the pending deliveries of ``recipients`` for ``owner`` until
        ``now + lease_seconds``; recipients not yet in the log are recorded as
        pending first.

        A delivery held by another worker is taken only once its lease has run
        out, or at once if its holder is in ``take_from`` (workers known to be
        gone).  Returns every recipient's :class:`Claim` afterwards.
        """
        moment = utc_text(now)
        until = utc_text(now + timedelta(seconds=lease_seconds))
        # ``''`` stands for nobody when no holder is known to be gone.
        gone = sorted(set(take_from)) or [""]
        found: dict[str, Claim] = {}
        with self._db.transaction() as db:
            db.executemany(
                "INSERT INTO deliveries (edition_id, sender, recipient, status, attempts, "
                "updated_at) SELECT ?,?,?,'pending',0,? WHERE NOT EXISTS "
                # A pruned edition's log is its totals: rows put back would let a
                # late batch mail readers already counted as sent.
                "(SELECT 1 FROM delivery_totals WHERE edition_id = ?) ON CONFLICT DO NOTHING",
                [(edition_id, sender, r, moment, edition_id) for r in recipients],
            )
            for start in range(0, len(recipients), _CHUNK):
                chunk = recipients[start : start + _CHUNK]
                # One statement decides: two workers cannot both see a row free.
                db.execute(
                    "UPDATE deliveries SET claimed_by = ?, lease_until = ? "
                    "WHERE edition_id = ? AND sender = ? AND status = 'pending' "
                    f"AND recipient IN ({marks(chunk)}) AND (claimed_by IN ('', ?) "
                    f"OR lease_until <= ? OR claimed_by IN ({marks(gone)}))",
                    (owner, until, edition_id, sender, *chunk, owner, moment, *gone),
                )
                rows = db.execute(
                    "SELECT recipient, status, attempts, claimed_by FROM deliveries "
                    f"WHERE edition_id = ? AND sender = ? AND recipient IN ({marks(chunk)})",
                    (edition_id, sender, *chunk),
                ).fetchall()
                for recipient, status, attempts, holder in rows:
                    held = holder if status == "pending" and holder != owner else ""
                    found[recipient] = Claim(status, attempts, held)
        return found

    def claimed_deliveries(self, edition_id: str, sender: str) -> dict[str, str]:
        """The pending deliveries some worker holds: recipient → holder (at most a
        batch per worker: what is in flight)."""
        rows = self._db.rows(
            "SELECT recipient, claimed_by FROM deliveries WHERE edition_id = ? AND sender = ? "
            "AND status = 'pending' AND claimed_by <> ''",
            (edition_id, sender),
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def renew_claims(
        self,
        edition_id: str,
        sender: str,
        recipients: Sequence[str],
        owner: str,
        *,
        lease_seconds: float,
        now: datetime,
    ) -> int:
        """Push the lease of ``owner``'s claims among ``recipients`` on to
        ``now + lease_seconds``; how many it still holds."""
        until = utc_text(now + timedelta(seconds=lease_seconds))
        held = 0
        with self._db.transaction() as db:
            for start in range(0, len(recipients), _CHUNK):
                chunk = recipients[start : start + _CHUNK]
                cursor = db.execute(
                    "UPDATE deliveries SET lease_until = ? WHERE edition_id = ? AND sender = ? "
                    f"AND claimed_by = ? AND status = 'pending' AND recipient IN ({marks(chunk)})",
                    (until, edition_id, sender, owner, *chunk),
                )
                held += cursor.rowcount
        return held

    def release_claims(
        self, edition_id: str, sender: str, recipients: Sequence[str], owner: str
    ) -> None:
        """Give up ``owner``'s claims among ``recipients`` (left pending for
        whoever comes next)."""
        with self._db.transaction() as db:
            for start in range(0, len(recipients), _CHUNK):
                chunk = recipients[start : start + _CHUNK]
                db.execute(
                    "UPDATE deliveries SET claimed_by = '', lease_until = NULL "
                    "WHERE edition_id = ? AND sender = ? AND claimed_by = ? "
                    f"AND recipient IN ({marks(chunk)})",
                    (edition_id, sender, owner, *chunk),
                )

    def drop_deliveries(
        self, edition_id: str, sender: str, recipients: Sequence[str], owner: str
    ) -> int:
        """Forget ``owner``'s claimed, never attempted deliveries among
        ``recipients`` (readers who left the list after the edition was queued);
        how many."""
        dropped = 0
        with self._db.transaction() as db:
            for start in range(0, len(recipients), _CHUNK):
                chunk = recipients[start : start + _CHUNK]
                cursor = db.execute(
                    "DELETE FROM deliveries WHERE edition_id = ? AND sender = ? AND "
                    "claimed_by = ? AND status = 'pending' AND attempts = 0 "
                    f"AND recipient IN ({marks(chunk)})",
                    (edition_id, sender, owner, *chunk),
                )
                dropped += cursor.rowcount
        return dropped
