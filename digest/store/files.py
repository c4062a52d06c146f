"""Ingest fingerprints: each local source file as it was when last read."""

from __future__ import annotations

from .clock import now_text
from .database import Database
from .types import FileFingerprint


class FileTable:
    """The ``ingested_files`` table (part of every store)."""

    _db: Database

    def file_fingerprint(self, path: str) -> FileFingerprint | None:
        """How ``path`` was when last read into the store, or ``None``."""
        row = self._db.row(
            "SELECT size, mtime_ns, sha256, settings FROM ingested_files WHERE path = ?",
            (path,),
        )
        return FileFingerprint(*row) if row else None

    def remember_file(self, path: str, fingerprint: FileFingerprint) -> None:
        """Record how ``path`` was when it was read (see :meth:`file_fingerprint`)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO ingested_files (path, size, mtime_ns, sha256, settings, read_at) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
                "settings = excluded.settings, read_at = excluded.read_at",
                (path, fingerprint.size, fingerprint.mtime_ns, fingerprint.sha256,
                 fingerprint.settings, now_text()),
            )  # fmt: skip
