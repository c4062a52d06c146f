"""Editions as they were selected, their renditions as they were sent, and the
questions later editions and the archive ask of them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..codec import article_from_plain, edition_from_plain, edition_to_plain
from ..model import Article, Edition, Renditions, to_plain
from .clock import now_text, utc_text
from .database import Database
from .types import ArchivedRecord

#: What a slimmed edition record keeps: everything but what was left out and why
#: (each rejection carries its whole article, most of a busy day's record).
_SLIMMED = ("rejections",)

#: Editions at least one message of which was sent (``e`` is the edition row),
#: by their delivery log or, once that is pruned, by the totals kept of it.
_SENT = (
    "(EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'sent') "
    "OR EXISTS (SELECT 1 FROM delivery_totals t WHERE t.edition_id = e.id AND t.sent > 0))"
)


class EditionTables:
    """The ``editions`` and ``renditions`` tables (part of every store)."""

    _db: Database

    def save_edition(self, edition: Edition) -> None:
        """Record an edition's selection (replacing an earlier build of the same id)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO editions (id, as_of, built_at, data) VALUES (?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET as_of = excluded.as_of, "
                "built_at = excluded.built_at, data = excluded.data, pruned_at = NULL",
                (
                    edition.id,
                    utc_text(edition.as_of),
                    now_text(),
                    json.dumps(edition_to_plain(edition)),
                ),
            )

    def edition_data(self, edition_id: str) -> dict[str, Any] | None:
        """A recorded edition as plain data (as exported), or ``None``."""
        row = self._db.row("SELECT data FROM editions WHERE id = ?", (edition_id,))
        return json.loads(row[0]) if row else None

    def edition(self, edition_id: str) -> Edition | None:
        """A recorded edition as it was saved (picks and rejections), or ``None``."""
        data = self.edition_data(edition_id)
        return edition_from_plain(data) if data is not None else None

    def save_renditions(self, renditions: Renditions) -> None:
        """Record the renditions of an edition, exactly as they will be sent."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO renditions VALUES (?,?) ON CONFLICT(edition_id) "
                "DO UPDATE SET data = excluded.data",
                (renditions.edition_id, json.dumps(to_plain(renditions))),
            )

    def picked_articles(
        self, since: datetime, before: datetime, *, exclude: str = ""
    ) -> list[tuple[str, datetime, Article]]:
        """Articles picked in editions sent with ``since <= as_of < before`` (UTC),
        as ``(edition id, edition as_of, article as it was picked)``, oldest first;
        the edition ``exclude`` (the one being rebuilt) is left out.

        Only editions that reached someone count: one built for a preview, an
        export or a held run never kept its stories from a reader.
        """
        rows = self._db.rows(
            f"SELECT id, as_of, data FROM editions e WHERE as_of >= ? AND as_of < ? "
            f"AND id != ? AND {_SENT} ORDER BY as_of, id",
            (utc_text(since), utc_text(before), exclude),
        )
        return [
            (edition_id, datetime.fromisoformat(as_of), article_from_plain(pick["article"]))
            for edition_id, as_of, data in rows
            for pick in json.loads(data)["picks"]
        ]

    def last_sent_edition(
        self, before: datetime, *, other_than: str
    ) -> tuple[str, datetime] | None:
        """The newest edition before ``before`` with at least one message sent:
        its id and moment (UTC), or ``None``."""
        row = self._db.row(
            f"SELECT e.id, e.as_of FROM editions e WHERE e.as_of < ? AND e.id != ? AND {_SENT} "
            "ORDER BY e.as_of DESC LIMIT 1",
            (utc_text(before), other_than),
        )
        return (str(row[0]), datetime.fromisoformat(row[1])) if row else None

    def delivered_edition_ids(self) -> list[str]:
        """Ids of the editions at least one message of which was sent, newest
        first (cheap: tells when the archive changed)."""
        rows = self._db.rows(
            f"SELECT e.id FROM editions e WHERE {_SENT} ORDER BY e.as_of DESC, e.id"
        )
        return [str(r[0]) for r in rows]

    def delivered_editions(self) -> list[ArchivedRecord]:
        """Editions at least one message of which was sent, newest first, with
        their recorded renditions (placeholders left in)."""
        rows = self._db.rows(
            "SELECT e.id, e.as_of, e.data, r.data FROM editions e JOIN renditions r "
            f"ON r.edition_id = e.id WHERE {_SENT} ORDER BY e.as_of DESC, e.id"
        )
        return [
            ArchivedRecord(r[0], datetime.fromisoformat(r[1]), json.loads(r[2]), json.loads(r[3]))
            for r in rows
        ]

    # -- retention ------------------------------------------------------------------

    def prunable_editions(self, before: datetime) -> tuple[list[str], list[str]]:
        """The edition records made before ``before`` that a prune changes:
        ``(to delete, to slim)``, oldest first.

        Deleted: editions that reached nobody and have no delivery log left
        (built for a preview, an export, a held run).  Slimmed: sent editions not
        slimmed yet, which keep their picks and renditions (the archive, the
        feeds and later editions' memory read those) but lose their rejections.
        """
        rows = self._db.rows(
            f"SELECT e.id, {_SENT}, e.pruned_at IS NULL, "
            "EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = e.id) "
            "FROM editions e WHERE e.as_of < ? ORDER BY e.as_of, e.id",
            (utc_text(before),),
        )
        delete = [str(r[0]) for r in rows if not r[1] and not r[3]]
        slim = [str(r[0]) for r in rows if r[1] and r[2]]
        return delete, slim

    def delete_edition(self, edition_id: str) -> bool:
        """Forget an edition that reached nobody and has no delivery log (its
        record and renditions); ``False`` if it is not there or has a log since."""
        with self._db.transaction() as db:
            found = db.execute(
                f"SELECT {_SENT}, EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = e.id) "
                "FROM editions e WHERE e.id = ?",
                (edition_id,),
            ).fetchone()
            if found is None or found[0] or found[1]:
                return False
            db.execute("DELETE FROM renditions WHERE edition_id = ?", (edition_id,))
            db.execute("DELETE FROM editions WHERE id = ?", (edition_id,))
        return True

    def slim_edition(self, edition_id: str, *, now: datetime) -> bool:
        """Drop the rejections from a recorded edition and mark it pruned (picks,
        renditions and moment stay); ``False`` if it is not there."""
        with self._db.transaction() as db:
            row = db.execute("SELECT data FROM editions WHERE id = ?", (edition_id,)).fetchone()
            if row is None:
                return False
            data = json.loads(row[0])
            for key in _SLIMMED:
                data.pop(key, None)
            db.execute(
                "UPDATE editions SET data = ?, pruned_at = ? WHERE id = ?",
                (json.dumps(data), utc_text(now), edition_id),
            )
        return True
