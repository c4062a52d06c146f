"""Registering recipients in the delivery log with ``COPY`` on PostgreSQL.

A send registers every recipient as pending before attempting it, a page at a
time (:mod:`digest.delivery`).  Through the portable statements
(:mod:`digest.store.deliveries`) that is an ``INSERT … ON CONFLICT DO NOTHING`` per
row and a read-back; here a page is one ``COPY`` into the table in a transaction of
its own, about half the cost of the best single ``INSERT`` (``bench/pgstore.py``).
``COPY`` has no conflict clause, so a page with a recipient already in the log (a
restart, or another worker registering the same one) fails whole on the primary
key and nothing of it is written; it is then registered as before, one
``INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`` and a read of the
statuses.  Outcomes are recorded by the portable ``executemany``, which psycopg
pipelines (one round trip a call).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from ..errors import StoreError
from .clock import now_text
from .deliveries import DeliveryTable
from .postgres import PgDatabase

_COPY = "COPY deliveries (edition_id, sender, recipient, status, attempts, updated_at) FROM STDIN"


class PgDeliveryTable(DeliveryTable):
    """The ``deliveries`` table, registering with ``COPY``."""

    _pg: PgDatabase

    def register_deliveries(
        self, edition_id: str, sender: str, recipients: Sequence[str]
    ) -> dict[str, tuple[str, int]]:
        """Record ``recipients`` as pending (unless already recorded) before any of
        them is attempted, so a crash never loses one.

        Returns each recipient's ``(status, attempts)`` as it now stands
        (``claimed``: pending, held by a ``digest worker``).
        """
        wanted = list(dict.fromkeys(recipients))
        if not wanted:
            return {}
        now = now_text()
        try:
            with self._pg.transaction() as db:
                db.copy(_COPY, ((edition_id, sender, r, "pending", 0, now) for r in wanted))
        except StoreError as exc:
            if not isinstance(exc.__cause__, psycopg.errors.UniqueViolation):
                raise
        else:
            return dict.fromkeys(wanted, ("pending", 0))
        with self._pg.transaction() as db:
            db.execute(
                "INSERT INTO deliveries (edition_id, sender, recipient, status, attempts, "
                "updated_at) SELECT ?, ?, r, 'pending', 0, ? FROM unnest(?::text[]) AS r "
                "ON CONFLICT DO NOTHING",
                (edition_id, sender, now, wanted),
            )
        rows = self._pg.rows(
            # A pending row a worker holds is ``claimed``, as in the portable version.
            "SELECT recipient, CASE WHEN status = 'pending' AND claimed_by <> '' AND "
            "lease_until > ? THEN 'claimed' ELSE status END, attempts FROM deliveries "
            "WHERE edition_id = ? AND sender = ? AND recipient = ANY(?::text[])",
            (now, edition_id, sender, wanted),
        )
        return {str(r[0]): (str(r[1]), int(r[2])) for r in rows}
