"""The daily clock around :meth:`Digest.run_edition <digest.edition.Digest.run_edition>`.

:class:`EditionScheduler` owns a ``schedule.Scheduler()`` holding one job per
configured edition of the day (``[[schedule.editions]]``) and runs each at its local
time in ``[digest] timezone``, on its weekdays, exactly once per local day.

Why the due times are computed here and not by ``schedule``: ``schedule`` 1.2.2 reads
the wall clock (``datetime.datetime.now()``) inside the library, so it cannot be
driven by a controlled clock without patching its globals, and its time-zone
arithmetic is wrong across a spring-forward: ``every().day.at("02:30",
"Europe/Berlin")`` runs at 03:30 on the day of the change and then at 01:30 *and*
02:30 the next day (measured; see the README).  So :class:`EditionJob` is a
``schedule.Job`` whose clock is the injected ``now`` and whose next run comes from
:meth:`Slot.next_after` (plain :mod:`zoneinfo` arithmetic, one moment per local
day); ``schedule`` keeps the job registry and dispatches due jobs in
``run_pending()``.  The clock is the one seam: tests pass ``now=`` and call
:meth:`EditionScheduler.tick`; nothing waits.

Recovery, all from the runs recorded in the store:

* On start each job looks back (a week at most) for editions that never finished.
  One whose time is within ``schedule.grace_minutes`` is run now; an older one is
  recorded as ``skipped`` and reported, never sent late.
* An edition another process is running (:class:`~digest.errors.EditionBusy`) is
  looked at again after the lock's time to live, while its grace window lasts.
* Each run happens in a worker thread with its own store connection and a deadline
  of ``schedule.time_limit_minutes``.  A run that raises is logged with its edition
  id and recorded ``failed``; a run past its deadline is recorded ``failed``, told to
  stop at the next message boundary and abandoned (a thread cannot be killed; its
  lock lapses after ``schedule.lock_ttl_seconds`` because a stopped run no longer
  renews it).  Either way the loop carries on with the next edition.
* :attr:`EditionScheduler.stop` (set by SIGTERM/SIGINT in ``digest schedule``) lets
  the message in flight finish, records the run as ``stopped`` and ends the loop.

Every event is logged as one ``key=value`` line carrying the edition id.
"""

from __future__ import annotations

import logging
import threading
import time as _time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import schedule

from .config import EditionTime
from .edition import Digest
from .errors import EditionBusy
from .model import RunStatus

logger = logging.getLogger("digest.schedule")

#: A source of the current moment (tz-aware); tests pass a controlled one.
Clock = Callable[[], datetime]

#: What the scheduler decided about an edition: how its run ended, or why it was
#: not run (``busy``: another process holds its lock; ``timeout``: past its time
#: limit; ``already``: settled before; ``left``: another process is running it).
Decision = RunStatus | Literal["busy", "timeout", "already", "left"]
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: How far back a starting scheduler looks for editions it missed.
LOOKBACK = timedelta(days=7)


def utc_now() -> datetime:
    """The real clock, in UTC."""
    return datetime.now(UTC)


def log_event(
    event: str,
    edition_id: str = "",
    level: int = logging.INFO,
    *,
    to: logging.Logger | None = None,
    **fields: object,
) -> None:
    """Log one event as a single ``event=… edition=… key=value`` line (on the
    scheduler's logger unless ``to`` names another)."""
    parts = {"event": event, "edition": edition_id, **fields}
    (to or logger).log(level, " ".join(f"{k}={_value(v)}" for k, v in parts.items() if v != ""))


def _value(value: object) -> str:
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if text and not any(c in text for c in ' "=\n'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment of local time ``at`` on ``day`` in ``zone``.

    A time skipped by a spring-forward happens as much later as the clocks jumped
    (02:30 → 03:30); a time that happens twice at a fall-back is taken the first time.
    """
    # fold=0 gives exactly that: the offset in force before the change.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Slot:
    """One edition of the day: its name, local time and weekdays (0 = Monday)."""

    name: str
    at: time
    weekdays: frozenset[int]
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings: EditionTime, zone: ZoneInfo) -> Slot:
        """A slot from a ``[[schedule.editions]]`` entry."""
        hour, minute = (int(part) for part in settings.at.split(":"))
        days = frozenset(_WEEKDAYS.index(day) for day in settings.weekdays)
        return cls(settings.name, time(hour, minute), days, zone)

    def occurrences(self, after: datetime, until: datetime) -> Iterator[datetime]:
        """The slot's moments (UTC) in ``(after, until]``, oldest first; one per
        local day at most."""
        day = after.astimezone(self.zone).date() - timedelta(days=1)
        last = until.astimezone(self.zone).date() + timedelta(days=1)
        while day <= last:
            if day.weekday() in self.weekdays:
                moment = local_moment(day, self.at, self.zone)
                if after < moment <= until:
                    yield moment
            day += timedelta(days=1)

    def next_after(self, moment: datetime) -> datetime:
        """The slot's first moment strictly after ``moment``."""
        return next(self.occurrences(moment, moment + timedelta(days=8)))

    def describe(self) -> str:
        """``evening 18:30 mon,fri Asia/Kolkata``."""
        days = ",".join(_WEEKDAYS[d] for d in sorted(self.weekdays))
        return f"{self.name or 'edition'} {self.at:%H:%M} {days} {self.zone.key}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the scheduler did about one edition at one moment."""

    edition_id: str
    due: datetime
    status: Decision
    message: str = ""


class EditionJob(schedule.Job):
    """A ``schedule`` job for one slot, on the scheduler's clock.

    ``next_run`` is a tz-aware UTC moment from :meth:`Slot.next_after` (or the first
    unfinished edition when the scheduler starts), never from ``schedule``'s own
    wall-clock arithmetic.
    """

    def __init__(self, owner: EditionScheduler, slot: Slot) -> None:
        super().__init__(1, owner.jobs)
        self.unit = "days"
        self.at_time = slot.at
        self.slot = slot
        self._owner = owner
        self.do(owner.fire, slot)

    @property
    def should_run(self) -> bool:
        """Due by the scheduler's clock."""
        return self.next_run is not None and self._owner.now() >= self.next_run

    def _schedule_next_run(self) -> None:
        self.next_run = self._owner.first_due(self.slot)

    def run(self) -> None:
        """Run the slot's edition due at ``next_run`` and move on to the next look."""
        assert self.next_run is not None and self.job_func is not None
        due = self.next_run
        try:
            self.next_run = self.job_func(due)
        except Exception:  # the loop must outlive any single edition
            edition_id = self._owner.edition_id(self.slot, due)
            logger.exception("event=edition.error edition=%s due=%s", edition_id, due.isoformat())
            self.next_run = self.slot.next_after(due)
        self.last_run = self._owner.now()


class PruneJob(schedule.Job):
    """The daily prune (``[schedule] prune_at``), on the scheduler's clock.

    It runs in a thread of its own with its own store connection, so an edition
    due meanwhile is not kept waiting; a prune still going when the next is due is
    left to finish.
    """

    def __init__(self, owner: EditionScheduler, slot: Slot) -> None:
        super().__init__(1, owner.jobs)
        self.unit = "days"
        self.at_time = slot.at
        self.slot = slot
        self._owner = owner
        self.do(owner.start_prune)

    @property
    def should_run(self) -> bool:
        """Due by the scheduler's clock."""
        return self.next_run is not None and self._owner.now() >= self.next_run

    def _schedule_next_run(self) -> None:
        self.next_run = self.slot.next_after(self._owner.now())

    def run(self) -> None:
        """Start the prune due at ``next_run``; the next one is a day later."""
        assert self.next_run is not None and self.job_func is not None
        due = self.next_run
        self.job_func()
        self.next_run = self.slot.next_after(due)
        self.last_run = self._owner.now()


@dataclass
class EditionScheduler:
    """Runs the configured editions on time, exactly once each.

    ``digest`` is the application the scheduler asks about past runs (main
    thread); ``open_digest`` builds a fresh application with its own store
    connection for each run's worker thread; ``now`` is the clock and ``timer``
    the monotonic one time limits are measured on (tests pass controlled ones).
    """

    digest: Digest
    open_digest: Callable[[], Digest]
    now: Clock = utc_now
    #: The monotonic clock (seconds) a run's time limit is measured on.
    timer: Callable[[], float] = _time.monotonic
    #: Set it (from a signal handler, another thread) to stop gracefully.
    stop: threading.Event = field(default_factory=threading.Event)
    #: Everything decided so far, oldest first (what ``digest schedule`` reports).
    history: list[Outcome] = field(default_factory=list)
    jobs: schedule.Scheduler = field(default_factory=schedule.Scheduler)
    #: The daily prune's thread, while one runs or after it ran.
    pruning: threading.Thread | None = None

    def __post_init__(self) -> None:
        config = self.digest.config
        self.settings = config.schedule
        zone = ZoneInfo(config.digest.timezone)
        self.slots = [Slot.from_settings(e, zone) for e in self.settings.editions]
        for slot in self.slots:
            EditionJob(self, slot)
        prune_at = self.settings.prune_at
        if prune_at:
            hour, minute = (int(part) for part in prune_at.split(":"))
            PruneJob(self, Slot("prune", time(hour, minute), frozenset(range(7)), zone))

    # -- the loop ------------------------------------------------------------------

    def tick(self) -> None:
        """Run every edition that is due now (and not yet settled), oldest first.

        ``run_pending()`` runs each job once; after a downtime a job may have several
        editions behind it (each skipped or run in turn), so look again until none is
        due.  Every pass moves each due job's ``next_run`` forward, so this ends.
        """
        for _ in range(int(LOOKBACK / timedelta(hours=1))):
            if self.stop.is_set() or not any(job.should_run for job in self.jobs.get_jobs()):
                return
            self.jobs.run_pending()

    def serve(self) -> None:
        """Loop until :attr:`stop` is set: run what is due, sleep until the next."""
        for job in self._edition_jobs():
            if job.next_run is not None:
                edition_id = self.edition_id(job.slot, job.next_run)
                log_event("schedule.next", edition_id, due=job.next_run, slot=job.slot.describe())
        while not self.stop.is_set():
            self.tick()
            self.stop.wait(self.seconds_to_next())
        log_event("schedule.stopped")

    def seconds_to_next(self) -> float:
        """How long the loop may sleep: until the next due job, at most a poll."""
        soonest = min((j.next_run for j in self.jobs.get_jobs() if j.next_run), default=None)
        wait = self.settings.poll_seconds
        if soonest is not None:
            wait = min(wait, (soonest - self.now()).total_seconds())
        return max(wait, 0.0)

    def _edition_jobs(self) -> list[EditionJob]:
        return [job for job in self.jobs.get_jobs() if isinstance(job, EditionJob)]

    # -- deciding ------------------------------------------------------------------

    def edition_id(self, slot: Slot, due: datetime) -> str:
        """The id of the slot's edition at ``due``."""
        return self.digest.variant(slot.name).edition_id(due)

    def first_due(self, slot: Slot) -> datetime:
        """Where a starting scheduler begins for ``slot``: the oldest edition of the
        last week after the newest one that finished (or the newest unfinished one
        it finds), else the next moment to come."""
        now = self.now()
        missed = list(slot.occurrences(now - LOOKBACK, now))
        for index in range(len(missed) - 1, -1, -1):
            status = self.digest.last_run_status(self.edition_id(slot, missed[index]))
            if status is not None:
                missed = missed[index + 1 :] if status.settled else missed[index:]
                break
        else:
            # Never run before: only the latest edition counts, and only inside its
            # grace window (a first start is not a missed edition).
            grace = timedelta(minutes=self.settings.grace_minutes)
            missed = [moment for moment in missed[-1:] if now - moment <= grace]
        return missed[0] if missed else slot.next_after(now)

    def fire(self, slot: Slot, due: datetime) -> datetime:
        """Deal with the slot's edition due at ``due``; returns when to look next."""
        if self.stop.is_set():
            return due  # stopping: leave it to the next start's catch-up
        edition_id = self.edition_id(slot, due)
        status = self.digest.last_run_status(edition_id)
        now = self.now()
        late = now - due
        grace = timedelta(minutes=self.settings.grace_minutes)
        if status is not None and status.settled:
            self._decide(edition_id, due, "already", f"already {status}")
        elif late > grace and status is RunStatus.RUNNING:
            self._decide(edition_id, due, "left", "another process is running it")
        elif late > grace:
            message = (
                f"missed: {_minutes(late)} late for {due.astimezone(slot.zone):%Y-%m-%d %H:%M %Z}"
                f", grace {_minutes(grace)}"
            )
            self.digest.record_skipped_run(edition_id, message)
            self._decide(edition_id, due, RunStatus.SKIPPED, message, logging.WARNING)
        else:
            outcome = self._run(slot, due, edition_id)
            if outcome == "busy":
                retry = now + timedelta(seconds=self.settings.lock_ttl_seconds)
                return min(retry, due + grace + timedelta(seconds=1))
        return slot.next_after(due)

    def _decide(
        self,
        edition_id: str,
        due: datetime,
        status: Decision,
        message: str,
        level: int = logging.INFO,
    ) -> None:
        self.history.append(Outcome(edition_id, due, status, message))
        log_event(f"edition.{status}", edition_id, level, due=due, message=message)

    # -- pruning -------------------------------------------------------------------

    def start_prune(self) -> None:
        """Start the daily prune in its own thread (unless the last one still runs)."""
        if self.pruning is not None and self.pruning.is_alive():
            log_event("prune.busy", level=logging.WARNING, message="the last prune still runs")
            return
        log_event("prune.start")
        self.pruning = threading.Thread(target=self._prune, name="prune", daemon=True)
        self.pruning.start()

    def _prune(self) -> None:
        try:
            digest = self.open_digest()
            try:
                report = digest.prune(now=self.now(), stop=self.stop)
            finally:
                digest.close()
        except Exception:  # the loop must outlive a failed prune; tomorrow tries again
            logger.exception("event=prune.error")
            return
        log_event("prune.done", message=report.summary())

    # -- running -------------------------------------------------------------------

    def _run(self, slot: Slot, due: datetime, edition_id: str) -> Decision:
        """Run one edition in a worker thread, within the time limit."""
        log_event("edition.start", edition_id, due=due, late=_minutes(self.now() - due))
        run_stop = threading.Event()
        result: list[Outcome] = []
        worker = threading.Thread(
            target=self._work,
            args=(slot, due, edition_id, run_stop, result),
            name=f"run {edition_id}",
            daemon=True,
        )
        worker.start()
        limit = self.settings.time_limit_minutes * 60
        deadline = self.timer() + limit
        while worker.is_alive():
            worker.join(timeout=min(0.1, max(deadline - self.timer(), 0.0)))
            if self.stop.is_set():
                run_stop.set()  # graceful: the message in flight finishes
            elif self.timer() >= deadline and worker.is_alive():
                run_stop.set()
                message = f"time limit of {_minutes(timedelta(seconds=limit))} reached"
                self.digest.fail_running(edition_id, message)
                self._decide(edition_id, due, "timeout", message, logging.ERROR)
                return "timeout"
        outcome = result[0]
        self.history.append(outcome)
        fine = outcome.status in (RunStatus.DONE, RunStatus.HELD, "busy")
        level = logging.INFO if fine else logging.WARNING
        log_event(f"edition.{outcome.status}", edition_id, level, message=outcome.message)
        return outcome.status

    def _work(
        self,
        slot: Slot,
        due: datetime,
        edition_id: str,
        stop: threading.Event,
        result: list[Outcome],
    ) -> None:
        try:
            digest = self.open_digest().variant(slot.name)
        except Exception as exc:
            logger.exception("event=edition.error edition=%s", edition_id)
            result.append(
                Outcome(edition_id, due, RunStatus.FAILED, f"{type(exc).__name__}: {exc}")
            )
            return
        try:
            run = digest.run_edition(due, stop=stop)
        except EditionBusy as exc:
            result.append(Outcome(edition_id, due, "busy", str(exc)))
        except Exception as exc:  # recorded failed by run_edition; logged here
            logger.exception("event=edition.error edition=%s", edition_id)
            result.append(
                Outcome(edition_id, due, RunStatus.FAILED, f"{type(exc).__name__}: {exc}")
            )
        else:
            result.append(Outcome(edition_id, due, run.status, run.message))
        finally:
            digest.close()


def _minutes(delta: timedelta) -> str:
    """``90min`` or, under a minute, ``0.6s``."""
    seconds = delta.total_seconds()
    if abs(seconds) < 60:
        return f"{round(seconds, 1):g}s"
    return f"{seconds / 60:.0f}min"
