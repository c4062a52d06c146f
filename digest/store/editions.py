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

#: Editions at least one message of which was sent (``e`` is the edition row).
_SENT = "EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'sent')"


class EditionTables:
    """The ``editions`` and ``renditions`` tables (part of every store)."""

    _db: Database

    def save_edition(self, edition: Edition) -> None:
        """Record an edition's selection (replacing an earlier build of the same id)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO editions VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                "as_of = excluded.as_of, built_at = excluded.built_at, data = excluded.data",
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
