"""Web Push subscriptions: one row per browser, named by a hash of its endpoint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .clock import now_text
from .database import Database
from .types import PushSubscription


class PushTable:
    """The ``push_subscriptions`` table (part of every store)."""

    _db: Database

    def save_push_subscription(self, subscription: PushSubscription) -> bool:
        """Store a browser's subscription (its keys replaced if the endpoint is
        known); ``True`` if it is new."""
        now = now_text()
        with self._db.transaction() as db:
            known = db.execute(
                "SELECT 1 FROM push_subscriptions WHERE id = ?", (subscription.id,)
            ).fetchone()
            db.execute(
                "INSERT INTO push_subscriptions VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE "
                "SET p256dh = excluded.p256dh, auth = excluded.auth, "
                "updated_at = excluded.updated_at",
                (subscription.id, subscription.endpoint, subscription.p256dh, subscription.auth,
                 now, now),
            )  # fmt: skip
            return known is None

    def delete_push_subscriptions(self, ids: Iterable[str]) -> int:
        """Forget subscriptions by id (unsubscribed, or gone: HTTP 404/410); how many."""
        with self._db.transaction() as db:
            return sum(
                db.execute("DELETE FROM push_subscriptions WHERE id = ?", (i,)).rowcount
                for i in ids
            )

    def push_subscriptions(self) -> Iterator[PushSubscription]:
        """Every stored subscription, oldest first."""
        rows = self._db.rows(
            "SELECT id, endpoint, p256dh, auth FROM push_subscriptions ORDER BY created_at, id"
        )
        for row in rows:
            yield PushSubscription(row[1], row[2], row[3])

    def count_push_subscriptions(self) -> int:
        """How many browsers are subscribed."""
        row = self._db.row("SELECT COUNT(*) FROM push_subscriptions")
        return int(row[0]) if row else 0
