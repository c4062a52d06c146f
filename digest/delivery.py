"""Delivering one edition through one sender: the delivery log, retries, rate limit.

The delivery log in the store is the single source of truth:

* every recipient is recorded as ``pending`` before any of them is attempted, a
  page at a time, so a crash never loses one;
* an attempt is counted in the log before its message is handed to the sender, and
  its outcome (``sent``, ``failed``, or still ``pending`` with the error) right
  after, so after a restart only what has no final outcome is tried again; what
  can be sent twice is bounded by the messages in flight at a crash (at most
  ``2 × connections``: one being sent and one queued per connection);
* temporary failures (SMTP 4xx, HTTP 429/5xx, timeouts) are retried with
  exponential backoff and jitter, never sooner than a ``Retry-After`` asks; a
  ``Retry-After`` beyond ``max_delay`` leaves the message pending for a later run;
  permanent failures (SMTP 5xx, HTTP 4xx) are recorded and never retried; after
  ``max_attempts`` a temporary failure becomes final;
* at most ``messages_per_second`` messages start in any window (a sliding window,
  shared by all connections of the sender).

The store is used from the calling thread only; the sender's ``send`` runs on
``limits.connections`` worker threads.  Times are UTC (in the store) and monotonic
(for waiting).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

from .errors import SendError, SenderUnavailable
from .model import Delivery, SendResult
from .senders.base import Outgoing, Recipient, Sender
from .store import Store

#: How many recipients are registered in the log per transaction.
PAGE = 500
#: How many failure lines a report keeps (counts are always complete).
REPORT_LINES = 200


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How temporary failures are retried.

    The n-th retry waits ``base_delay × 2^(n-1)`` capped at ``max_delay``, of which
    a random share up to ``jitter`` is taken off so that many failures at once do
    not come back at once; never less than the receiver's ``Retry-After``.
    """

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 300.0
    jitter: float = 0.5

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to stop for this run
        (the receiver asked for more than ``max_delay``)."""
        if retry_after is not None and retry_after > self.max_delay:
            return None
        backoff = min(self.max_delay, self.base_delay * 2.0 ** max(0, attempts - 1))
        backoff *= 1 - self.jitter * rng.random()
        return max(backoff, retry_after or 0.0, 0.0)


class RateLimiter:
    """At most ``per_second`` starts in any window: ``n`` starts per second when
    ``per_second ≥ 1`` (``n`` = its whole part), else one per ``1/per_second`` s.

    Thread-safe; ``acquire`` blocks until a start is allowed and returns its time.
    """

    def __init__(
        self,
        per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second is None:
            self.count, self.window = 0, 0.0
        elif per_second >= 1:
            self.count, self.window = math.floor(per_second), 1.0
        else:
            self.count, self.window = 1, 1.0 / per_second
        self._starts: deque[float] = deque(maxlen=max(1, self.count))
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> float:
        """Wait for a free slot; the moment (monotonic) the start is counted at."""
        with self._lock:
            now = self._clock()
            if self.count:
                if len(self._starts) == self.count:
                    wait_for = self._starts[0] + self.window - now
                    if wait_for > 0:
                        self._sleep(wait_for)
                        now = max(self._clock(), self._starts[0] + self.window)
                self._starts.append(now)
            return now


class Progress(Protocol):
    """Told about a send as it runs (the CLI draws a progress bar from it)."""

    def start(self, sender: str, total: int | None) -> None:
        """A sender starts; ``total`` recipients if known."""

    def advance(self, sender: str, recipient: str, status: str) -> None:
        """A recipient was dealt with: ``sent``, ``failed``, ``pending`` (left for a
        later run) or ``done`` (already had a final outcome)."""


@dataclass(slots=True)
class SenderReport:
    """What one sender did with one edition."""

    sender: str
    sent: int = 0
    failed: int = 0
    #: Left pending for a later run (server asked for a long wait, or unreachable).
    pending: int = 0
    #: Already sent or failed before this run.
    already_done: int = 0
    retries: int = 0
    #: The first :data:`REPORT_LINES` recipients delivered to.
    delivered: list[str] = field(default_factory=list)
    #: The first :data:`REPORT_LINES` failures, ``recipient: error``.
    failures: list[str] = field(default_factory=list)
    #: Why the sender stopped early, if it did.
    aborted: str = ""

    def note_failure(self, line: str) -> None:
        """Keep a failure line, up to :data:`REPORT_LINES` of them."""
        if len(self.failures) < REPORT_LINES:
            self.failures.append(line)


@dataclass(slots=True)
class _Job:
    recipient: Recipient
    attempts: int


def deliver(
    store: Store,
    name: str,
    sender: Sender,
    outgoing: Outgoing,
    recipients: Iterable[Recipient],
    *,
    policy: RetryPolicy | None = None,
    messages_per_second: float | None = None,
    progress: Progress | None = None,
    rng: random.Random | None = None,
) -> SenderReport:
    """Deliver ``outgoing`` to ``recipients`` through ``sender`` named ``name``,
    recording everything in the store's delivery log (see the module docstring).

    ``recipients`` is consumed lazily, a page at a time.  The sender is prepared
    before the first message and closed at the end.  Raises only what the store
    raises (:class:`~digest.errors.StoreError`) or an unexpected error of the sender
    (after recording it); every :class:`SendError` ends up in the report.
    """
    run = _Run(store, name, sender, outgoing, policy or RetryPolicy(), progress, rng)
    limit = messages_per_second
    if sender.limits.messages_per_second is not None:
        limit = min(limit or math.inf, sender.limits.messages_per_second)
    run.limiter = RateLimiter(limit)
    sender.prepare(outgoing)
    try:
        run.loop(_pages(recipients))
    finally:
        sender.close()
    return run.report


def _pages(recipients: Iterable[Recipient]) -> Iterator[list[Recipient]]:
    iterator = iter(recipients)
    while page := list(itertools.islice(iterator, PAGE)):
        yield page


class _Run:
    """The state of one sender's delivery loop (main thread only)."""

    def __init__(
        self,
        store: Store,
        name: str,
        sender: Sender,
        outgoing: Outgoing,
        policy: RetryPolicy,
        progress: Progress | None,
        rng: random.Random | None,
    ) -> None:
        self.store = store
        self.name = name
        self.sender = sender
        self.outgoing = outgoing
        self.edition_id = outgoing.edition.id
        self.policy = policy
        self.progress = progress
        self.rng = rng or random.Random()
        self.report = SenderReport(name)
        self.limiter = RateLimiter(None)
        self.ready: deque[_Job] = deque()
        self.retries: list[tuple[float, int, _Job]] = []
        self._order = itertools.count()

    def loop(self, pages: Iterator[list[Recipient]]) -> None:
        """Dispatch, collect and record until nothing is left to try."""
        connections = max(1, self.sender.limits.connections)
        window = 2 * connections
        inflight: dict[Future[SendResult], _Job] = {}
        finished: list[Delivery] = []
        unexpected: BaseException | None = None
        with ThreadPoolExecutor(connections, thread_name_prefix=f"send-{self.name}") as pool:
            while True:
                begun: list[_Job] = []
                while not self.report.aborted and len(inflight) + len(begun) < window:
                    job = self._next_job(pages)
                    if job is None:
                        break
                    begun.append(job)
                if begun or finished:
                    # The attempt is on record before the message leaves.
                    self.store.record_deliveries(
                        self.edition_id,
                        self.name,
                        begun=[j.recipient.id for j in begun],
                        finished=finished,
                    )
                    finished = []
                for job in begun:
                    job.attempts += 1
                    inflight[pool.submit(self._attempt, job.recipient)] = job
                if not inflight:
                    if not self.retries or self.report.aborted:
                        break
                    # Only retries are left and none is due yet.
                    time.sleep(max(0.0, self.retries[0][0] - time.monotonic()))
                    continue
                timeout = None
                if self.retries and not self.report.aborted:
                    timeout = max(0.0, self.retries[0][0] - time.monotonic())
                done, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    job = inflight.pop(future)
                    try:
                        result = future.result()
                    except SendError as exc:
                        finished.append(self._failed(job, exc))
                    except Exception as exc:  # a bug in a sender: record, stop, re-raise
                        finished.append(self._failed(job, SenderUnavailable(repr(exc))))
                        unexpected = unexpected or exc
                    else:
                        finished.append(self._sent(job, result))
            if finished:
                self.store.record_deliveries(self.edition_id, self.name, finished=finished)
        # Stopped early: what was queued stays pending in the log for the next run.
        for job in [*self.ready, *(entry[2] for entry in self.retries)]:
            self.report.pending += 1
            self._tell(job.recipient.id, "pending")
        if unexpected is not None:
            raise unexpected

    def _attempt(self, recipient: Recipient) -> SendResult:
        self.limiter.acquire()
        return self.sender.send(self.outgoing, recipient)

    def _more(self, pages: Iterator[list[Recipient]]) -> bool:
        """Register the next page of recipients; ``False`` when there is none."""
        if self.report.aborted:
            return False
        page = next(pages, None)
        if page is None:
            return False
        states = self.store.register_deliveries(self.edition_id, self.name, [r.id for r in page])
        for recipient in page:
            status, attempts = states[recipient.id]
            if status != "pending":
                self.report.already_done += 1
                self._tell(recipient.id, "done")
            else:
                self.ready.append(_Job(recipient, attempts))
        return True

    def _next_job(self, pages: Iterator[list[Recipient]]) -> _Job | None:
        if self.retries and self.retries[0][0] <= time.monotonic():
            return heapq.heappop(self.retries)[2]
        while not self.ready:
            if not self._more(pages):
                return None
        return self.ready.popleft()

    def _sent(self, job: _Job, result: SendResult) -> Delivery:
        self.report.sent += 1
        if len(self.report.delivered) < REPORT_LINES:
            self.report.delivered.append(job.recipient.id)
        self._tell(job.recipient.id, "sent")
        return Delivery(
            self.edition_id, self.name, job.recipient.id, "sent", job.attempts,
            provider_id=result.provider_id,
        )  # fmt: skip

    def _failed(self, job: _Job, exc: SendError) -> Delivery:
        recipient = job.recipient.id
        error = str(exc)
        if isinstance(exc, SenderUnavailable):
            if not self.report.aborted:
                self.report.aborted = error
            return self._pending(job, error)
        if not exc.permanent and job.attempts < self.policy.max_attempts:
            delay = self.policy.delay(job.attempts, exc.retry_after, self.rng)
            if delay is None:
                return self._pending(job, f"{error} (asked to wait {exc.retry_after:.0f} s)")
            self.report.retries += 1
            due = time.monotonic() + delay
            heapq.heappush(self.retries, (due, next(self._order), job))
            return Delivery(self.edition_id, self.name, recipient, "pending", last_error=error)
        if not exc.permanent:
            error = f"{error} (gave up after {job.attempts} attempts)"
        self.report.failed += 1
        self.report.note_failure(f"{recipient}: {error}")
        self._tell(recipient, "failed")
        return Delivery(self.edition_id, self.name, recipient, "failed", last_error=error)

    def _pending(self, job: _Job, error: str) -> Delivery:
        self.report.pending += 1
        self._tell(job.recipient.id, "pending")
        return Delivery(self.edition_id, self.name, job.recipient.id, "pending", last_error=error)

    def _tell(self, recipient: str, status: str) -> None:
        if self.progress is not None:
            self.progress.advance(self.name, recipient, status)
