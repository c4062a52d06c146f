"""Conditional GET: the validators each fetched source URL last answered with."""

from __future__ import annotations

from .clock import now_text
from .database import Database


class HttpCacheTable:
    """The ``http_cache`` table (part of every store)."""

    _db: Database

    def http_validators(self, url: str) -> tuple[str, str]:
        """The ETag and Last-Modified ``url`` last answered with (``""`` if none)."""
        row = self._db.row("SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,))
        return (str(row[0]), str(row[1])) if row else ("", "")

    def remember_validators(self, url: str, etag: str, last_modified: str) -> None:
        """Keep a fetched URL's validators for the next conditional GET."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO http_cache VALUES (?,?,?,?) ON CONFLICT(url) DO UPDATE SET "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "fetched_at = excluded.fetched_at",
                (url, etag, last_modified, now_text()),
            )
