"""Reading sources into the store (part of :class:`~digest.edition.Digest`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..config import Config
from ..model import Skipped, SourceResult
from ..sources import Planned, SourceSpec, configured, plan, read_planned
from ..store import Store
from .reports import IngestReport


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
        store).  A failing source is reported, kept aside in the store with its
        reason, and the others are stored regardless.  ``progress(done, total,
        source)`` is called after each file or URL.
        """
        limits = configured.fetch_limits(self.config.ingest)
        planned = self._plan(locations, rules)
        reports = []
        for done, item in enumerate(planned, start=1):
            result = read_planned(item, limits, self.store.http_validators)
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

    def skipped(self) -> list[Skipped]:
        """Every input kept aside by earlier ingests, with its reason."""
        return self.store.skipped()

    def article_ids_starting(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids of stored articles that start with ``prefix`` (at most ``limit``)."""
        return self.store.article_ids_starting(prefix, limit)
