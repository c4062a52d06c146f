"""The daily job: one call that ingests, builds and sends an edition, safe to
repeat (part of :class:`~digest.edition.Digest`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from ..config import Config
from ..locking import edition_lock
from ..model import Edition, RunStatus
from ..store import Store
from .reports import Built, IngestReport, RunOutcome, SendReport, StatusReport, sources_failed

#: Runs ``digest status`` shows.
STATUS_RUNS = 20


class Running:
    """Runs: lock, ingest, build, send, record how it ended."""

    config: Config
    store: Store

    # The other parts of Digest this one calls (Digest, Ingesting, Sending).
    def edition_id(self, as_of: datetime) -> str:
        """See :meth:`digest.edition.Digest.edition_id`."""
        raise NotImplementedError

    def build(self, as_of: datetime) -> Built:
        """See :meth:`digest.edition.Digest.build`."""
        raise NotImplementedError

    def ingest(self) -> list[IngestReport]:
        """See :meth:`digest.app.ingest.Ingesting.ingest`."""
        raise NotImplementedError

    def senders(self) -> Mapping[str, object]:
        """See :meth:`digest.app.sending.Sending.senders`."""
        raise NotImplementedError

    def send(self, built: Built, *, stop: threading.Event | None = None) -> SendReport:
        """See :meth:`digest.app.sending.Sending.send`."""
        raise NotImplementedError

    def run_edition(self, as_of: datetime, *, stop: threading.Event | None = None) -> RunOutcome:
        """Ingest the configured sources, build the edition for ``as_of`` and send it.

        The one entry point of the scheduler, ``digest run`` and a cron line.  Safe to
        repeat: deliveries already made for this edition are not made again, so a
        second call only resumes what has no final outcome (without ingesting
        again, so the edition's content stays what its first recipients got).  Only
        one process at a time runs an edition (:mod:`digest.locking`); raises
        :class:`~digest.errors.EditionBusy` if another holds it.  An edition with
        no story newer than the last edition sent is held back when
        ``schedule.skip_if_nothing_new`` is on.  Setting ``stop`` ends the run at
        the next message boundary with status ``stopped``.  Any other exception is
        recorded as a ``failed`` run and raised.
        """
        edition_id = self.edition_id(as_of)
        stop = stop or threading.Event()
        with self.locked(edition_id, stop):
            run_id = self.store.start_run(edition_id)
            try:
                outcome = self._run(as_of, edition_id, stop)
            except Exception as exc:
                self.store.finish_run(run_id, RunStatus.FAILED, f"{type(exc).__name__}: {exc}")
                raise
            self.store.finish_run(run_id, outcome.status, outcome.message)
            return outcome

    @contextmanager
    def locked(self, edition_id: str, stop: threading.Event | None = None) -> Iterator[None]:
        """Hold the lock on an edition while inside, so no other process runs or
        sends it meanwhile (see :func:`digest.locking.edition_lock`)."""
        with edition_lock(self.store, edition_id, self.config.schedule.lock_ttl_seconds, stop):
            yield

    def _run(self, as_of: datetime, edition_id: str, stop: threading.Event) -> RunOutcome:
        self.senders()  # a config mistake in a sender: found before anything is read
        # Resuming a partly delivered edition: no new ingest; build() renders it
        # from its record, so the rest get what the first got.
        failed_sources: list[str] = []
        if not self.store.delivery_counts(edition_id):
            failed_sources = [f"{r.source}: {r.error}" for r in self.ingest() if r.error]
        built = self.build(as_of)
        hold = built.hold or self.nothing_new(built.edition)
        if stop.is_set() and not hold:
            hold = "stopped before sending"
        if hold and failed_sources:
            # A thin edition is often a symptom of broken sources: say which.
            hold += f" ({sources_failed(failed_sources)})"
        if hold:
            status = RunStatus.STOPPED if stop.is_set() else RunStatus.HELD
            return RunOutcome(edition_id, status, hold, replace(built, hold=hold))
        report = self.send(built, stop=stop)
        report.source_errors = failed_sources
        message = report.summary()
        if stop.is_set():
            status, message = RunStatus.STOPPED, message + ", stopped before the end"
        else:
            status = RunStatus.FAILED if report.failed else RunStatus.DONE
        return RunOutcome(edition_id, status, message, built, report)

    def nothing_new(self, edition: Edition) -> str:
        """Why ``edition`` is not worth sending: ``""``, or ``nothing new since …``
        when none of its stories was published or updated after the last edition
        sent (and ``schedule.skip_if_nothing_new`` is on).  An edition already partly
        delivered is always worth finishing."""
        if not self.config.schedule.skip_if_nothing_new or self.store.delivery_counts(edition.id):
            return ""
        last = self.store.last_sent_edition(edition.as_of, other_than=edition.id)
        if last is None:
            return ""
        last_id, last_as_of = last
        if any(pick.article.last_changed > last_as_of for pick in edition.picks):
            return ""
        return (
            f"nothing new since {last_id}: no World News story published or updated "
            f"after {last_as_of:%Y-%m-%d %H:%M} UTC"
        )

    # -- what the scheduler and `digest status` ask ---------------------------------

    def last_run_status(self, edition_id: str) -> RunStatus | None:
        """How the newest run of an edition stands, or ``None`` if it never ran."""
        return self.store.last_run_status(edition_id)

    def record_skipped_run(self, edition_id: str, message: str) -> None:
        """Record that an edition was not run (missed beyond its grace window)."""
        self.store.record_run(edition_id, RunStatus.SKIPPED, message)

    def fail_running(self, edition_id: str, message: str) -> None:
        """Record the unfinished runs of an edition as failed (past its time limit)."""
        self.store.fail_running(edition_id, message)

    def status(self) -> StatusReport:
        """Recent runs, delivery counts per edition and sender, articles stored."""
        return StatusReport(
            runs=self.store.runs()[:STATUS_RUNS],
            deliveries=self.store.delivery_counts(),
            articles=self.store.count_articles(),
        )
