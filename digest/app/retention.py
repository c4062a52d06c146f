"""Retention: ``digest prune`` and the scheduler's daily prune (part of
:class:`~digest.edition.Digest`).

What goes and what stays (``[store.retention]``):

* an edition older than ``keep_deliveries_days`` loses its per-recipient delivery
  log; its totals per sender (sent, failed, pending, refused, attempts, first and
  last outcome) are written first, in the transaction of the first deletion, and
  stand for the log from then on (``digest status``, the archive, "was it sent?");
  such an edition is never sent again;
* an edition record older than ``keep_editions_days`` that reached nobody (built
  for a preview, an export or a held run) and has no log is deleted with its
  renditions; one that was sent keeps its picks and renditions (the archive, its
  feeds and later editions' memory read them) and loses its rejections; finished
  runs older than that go too.

Rows are deleted ``chunk_rows`` at a time, each chunk its own short transaction,
so senders and the web service are never kept waiting on the write lock for long;
a prune cut short (crash, stop) is finished by the next one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..config import MIN_RETENTION_DAYS, Config
from ..errors import DigestError
from ..store import Store


@dataclass(slots=True)
class PruneReport:
    """What a prune did (or, with ``dry_run``, would do)."""

    #: Editions made before these moments were pruned (``None``: kept for good).
    deliveries_before: datetime | None
    editions_before: datetime | None
    dry_run: bool = False
    #: Editions whose delivery log was summed up and deleted (or partly, if stopped).
    editions_summarised: list[str] = field(default_factory=list)
    delivery_rows: int = 0
    editions_deleted: list[str] = field(default_factory=list)
    editions_slimmed: list[str] = field(default_factory=list)
    runs_deleted: int = 0
    #: Stopped before the end; the next prune finishes.
    stopped: bool = False

    def summary(self) -> str:
        """``12,000 delivery rows of 2 editions, 1 edition record deleted, …``."""
        verb = "would prune" if self.dry_run else "pruned"
        editions = len(self.editions_summarised)
        text = (
            f"{verb} {self.delivery_rows:,} delivery row(s) of {editions} edition(s) "
            f"(totals kept), {len(self.editions_deleted)} unsent edition record(s), "
            f"rejections of {len(self.editions_slimmed)} sent edition(s), "
            f"{self.runs_deleted} run(s)"
        )
        return text + (" (stopped before the end)" if self.stopped else "")


class Retention:
    """Pruning the delivery log and the edition records."""

    config: Config
    store: Store

    def prune(
        self,
        *,
        now: datetime | None = None,
        before: datetime | None = None,
        dry_run: bool = False,
        stop: threading.Event | None = None,
    ) -> PruneReport:
        """Prune what ``[store.retention]`` no longer keeps, as of ``now`` (default:
        the clock), or everything made before ``before`` (both settings then give
        way to it).  ``dry_run`` counts and changes nothing; setting ``stop`` ends
        the prune between two chunks.

        Raises :class:`DigestError` for a ``before`` inside the last
        :data:`~digest.config.MIN_RETENTION_DAYS` days (the scheduler's catch-up
        and late bounce reports need them), or a naive ``before``.
        """
        now = (now or datetime.now(UTC)).astimezone(UTC)
        settings = self.config.store.retention
        if before is not None:
            if before.tzinfo is None:
                raise DigestError("prune --before: give a date or a time with its offset")
            floor = now - timedelta(days=MIN_RETENTION_DAYS)
            if before > floor:
                raise DigestError(
                    f"prune --before {before:%Y-%m-%d}: the last {MIN_RETENTION_DAYS} days "
                    f"are always kept (catch-up and late bounces need them); give "
                    f"{floor:%Y-%m-%d} or earlier"
                )
            deliveries_before: datetime | None = before
            editions_before: datetime | None = before
        else:
            deliveries_before = _cutoff(now, settings.keep_deliveries_days)
            editions_before = _cutoff(now, settings.keep_editions_days)
        report = PruneReport(deliveries_before, editions_before, dry_run)
        stop = stop or threading.Event()
        if deliveries_before is not None:
            self._prune_deliveries(report, deliveries_before, now, stop)
        if editions_before is not None and not report.stopped:
            self._prune_editions(report, editions_before, now, stop)
        return report

    def _prune_deliveries(
        self, report: PruneReport, before: datetime, now: datetime, stop: threading.Event
    ) -> None:
        chunk = self.config.store.retention.chunk_rows
        for edition_id, rows in self.store.prunable_deliveries(before, now=now):
            report.editions_summarised.append(edition_id)
            if report.dry_run:
                report.delivery_rows += rows
                continue
            while not stop.is_set():
                deleted = self.store.prune_deliveries(edition_id, limit=chunk, now=now)
                report.delivery_rows += deleted
                if deleted < chunk:
                    break
            if stop.is_set():
                report.stopped = True
                return

    def _prune_editions(
        self, report: PruneReport, before: datetime, now: datetime, stop: threading.Event
    ) -> None:
        delete, slim = self.store.prunable_editions(before)
        if report.dry_run:
            report.editions_deleted, report.editions_slimmed = delete, slim
            report.runs_deleted = self.store.prune_runs(before, dry_run=True)
            return
        for edition_id in delete:
            if stop.is_set():
                report.stopped = True
                return
            if self.store.delete_edition(edition_id):
                report.editions_deleted.append(edition_id)
        for edition_id in slim:
            if stop.is_set():
                report.stopped = True
                return
            if self.store.slim_edition(edition_id, now=now):
                report.editions_slimmed.append(edition_id)
        report.runs_deleted = self.store.prune_runs(before)


def _cutoff(now: datetime, days: int) -> datetime | None:
    """``days`` before ``now``, or ``None`` for 0 (keep everything)."""
    return now - timedelta(days=days) if days else None
