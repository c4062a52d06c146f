"""Reading sources into the store (part of :class:`~digest.edition.Digest`)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..config import Config
from ..model import Skipped, SourceResult
from ..sources import Planned, ReadOptions, SourceSpec, configured, plan, read_planned
from ..store import FileFingerprint, Store, UpsertCounts
from .reports import IngestReport

#: A local file modified less than this many seconds before it is read is hashed
#: next time even if its size and modification time are unchanged.
RACY_SECONDS = 2
#: Stands for "not a local file": nothing to fingerprint.
_NOT_A_FILE = FileFingerprint(-1, -1, "", "")


@lru_cache(maxsize=64)
def _settings_digest(kind: str, options: ReadOptions) -> str:
    """A digest of how a file is read (its reader and read options, not its name):
    a file read with other settings is read again."""
    return hashlib.sha256(repr((kind, options)).encode()).hexdigest()


class Ingesting:
    """Ingest: sources → store."""

    config: Config
    store: Store

    def source_specs(self, locations: Iterable[str] = (), *, rules: str = "") -> list[SourceSpec]:
        """The sources to read: the given locations (with the settings of the
        configured source they belong to), or the configured ones.  ``rules`` names
        a ``[boilerplate.*]`` set to use instead of each source's own."""
        return configured.specs(self.config, locations, rule_set=rules)

    def _plan(self, locations: Iterable[str], rules: str) -> list[Planned]:
        given = list(locations)
        base_dir = Path.cwd() if given else self.config.base_dir
        return plan(self.source_specs(given, rules=rules), base_dir=base_dir)

    def read(self, locations: Iterable[str] = (), *, rules: str = "") -> Iterator[SourceResult]:
        """Read sources without storing anything (``ingest --dry-run``): every URL
        is fetched in full, not conditionally."""
        limits = configured.fetch_limits(self.config.ingest)
        for item in self._plan(locations, rules):
            yield read_planned(item, limits)

    def ingest(
        self,
        locations: Iterable[str] = (),
        *,
        rules: str = "",
        progress: Callable[[int, int, str], None] | None = None,
    ) -> list[IngestReport]:
        """Read sources and store what they hold; one report per file or URL.

        URLs are fetched conditionally (ETag / Last-Modified remembered in the
        store) and local files unchanged since they were last read with the same
        settings are not read again (reported ``not_modified``).  A failing source
        is reported, kept aside in the store with its reason, and the others are
        stored regardless.  ``progress(done, total,
        source)`` is called after each file or URL.
        """
        limits = configured.fetch_limits(self.config.ingest)
        planned = self._plan(locations, rules)
        reports = []
        for done, item in enumerate(planned, start=1):
            fingerprint = self._fingerprint_if_changed(item)
            if fingerprint is None:
                reports.append(IngestReport(item.location, 0, UpsertCounts(), not_modified=True))
                if progress:
                    progress(done, len(planned), item.location)
                continue
            result = read_planned(item, limits, self.store.http_validators)
            if fingerprint is not _NOT_A_FILE and not result.error:
                self.store.remember_file(item.location, fingerprint)
            counts = self.store.upsert_articles(result.articles)
            if not result.not_modified:
                whole = (Skipped(result.source, "(whole source)", result.error),)
                self.store.replace_skipped(result.source, whole if result.error else result.skipped)
            if result.etag or result.last_modified:
                self.store.remember_validators(result.source, result.etag, result.last_modified)
            reports.append(
                IngestReport(
                    source=result.source,
                    read=len(result.articles),
                    counts=counts,
                    skipped=result.skipped,
                    error=result.error,
                    not_modified=result.not_modified,
                )
            )
            if progress:
                progress(done, len(planned), result.source)
        return reports

    def _fingerprint_if_changed(self, item: Planned) -> FileFingerprint | None:
        """``None`` if ``item`` is a local file unchanged since it was last read
        with the same settings (same size and modification time, or else the same
        SHA-256); otherwise its fingerprint to remember once it is read
        (:data:`_NOT_A_FILE` for a URL or a source that stands for nothing).

        The fingerprint is taken before the file is read, so a change made while it
        is read shows next time.  A file modified within :data:`RACY_SECONDS`
        could change again within the same clock tick: its time is not trusted.
        """
        if item.error or item.location.startswith(("http://", "https://")):
            return _NOT_A_FILE
        try:
            found = os.stat(item.location)
            known = self.store.file_fingerprint(item.location)
            settings = _settings_digest(item.kind, replace(item.options, source=""))
            if known is not None and (known.size, known.mtime_ns, known.settings) == (
                found.st_size,
                found.st_mtime_ns,
                settings,
            ):
                return None
            with open(item.location, "rb") as handle:
                sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return _NOT_A_FILE  # the reader reports it
        recent = time.time_ns() - found.st_mtime_ns < RACY_SECONDS * 1_000_000_000
        mtime = -1 if recent else found.st_mtime_ns
        fingerprint = FileFingerprint(found.st_size, mtime, sha256, settings)
        if known is not None and (known.size, known.sha256, known.settings) == (
            found.st_size,
            sha256,
            settings,
        ):
            if known.mtime_ns != mtime:
                self.store.remember_file(item.location, fingerprint)
            return None
        return fingerprint

    def skipped(self) -> list[Skipped]:
        """Every input kept aside by earlier ingests, with its reason."""
        return self.store.skipped()

    def article_ids_starting(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids of stored articles that start with ``prefix`` (at most ``limit``)."""
        return self.store.article_ids_starting(prefix, limit)
