"""Delivering one edition through one sender: the delivery log, retries, rate limit.

The delivery log in the store is the single source of truth:

* every recipient is recorded as ``pending`` (a page of 500 at a time) before it
  is attempted, so a crash never loses one;
* the workers send from a queue; while more messages are in flight than there
  are connections, every :data:`POLL` (20 ms; 5 ms for a batch sender) the
  calling thread writes what they finished, with its outcome (``sent``,
  ``failed``, or still ``pending`` with the error and the attempt count), in one
  transaction (group commit: a commit per message would cost more than the
  message); the tail of a run (no more in flight than connections) is written as
  each outcome comes.  After a restart only what has no final outcome is tried
  again.  What a crash can send twice is what was in flight: handed to the
  receiver but not yet written, which is at most one message per connection plus
  those finished in the last 20 ms;
* a sender with ``send_then`` may take a connection's next job from the queue
  while it sends one (SMTP pipelining: the next envelope goes out after this
  message's data); that job's message is written only in its own call, once
  this one's outcome is handed back, so what a crash can send twice stays the
  same; a stop finishes such a job, which has begun;
* temporary failures (SMTP 4xx, HTTP 429/5xx, timeouts) are retried with
  exponential backoff and jitter, never sooner than a ``Retry-After`` asks; a
  ``Retry-After`` beyond ``max_delay`` leaves the message pending for a later run;
  permanent failures (SMTP 5xx, HTTP 4xx) are recorded and never retried; after
  ``max_attempts`` a temporary failure becomes final;
* at most ``messages_per_second`` messages start in any window (a sliding window,
  shared by all connections of the sender);
* a sender with a batch API (``send_batch`` and ``limits.batch_size`` > 1) gets up
  to ``batch_size`` recipients per call on each connection, each still logged and
  retried on its own; what a crash can send twice is then one batch per connection
  (one more thread builds the next batch while those are in flight when the sender
  says ``limits.overlap``; it is not sent before one of them has its answer);
* a pending delivery that a ``digest worker`` holds (``claimed``) is left to it;
  a worker's own loop registers its batch by claiming it (``register``).

The store is used from the calling thread only; the sender's ``send`` runs on
``limits.connections`` worker threads.  Times are UTC (in the store) and monotonic
(for waiting).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import queue
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

from .errors import SendError, SenderUnavailable
from .model import Delivery, SendResult
from .senders.base import BatchSend, Outgoing, Recipient, Sender, hooks
from .store import Store

#: How many recipients are registered in the log per transaction.
PAGE = 500
#: How many failure lines a report keeps (counts are always complete).
REPORT_LINES = 200
#: Seconds between two writes of finished deliveries to the log (group commit):
#: a commit per message would cost more than building and sending the message.
#: 20 ms rather than 5: each wake-up of this thread competes with the workers for
#: the interpreter lock and a core just when a server's reply has come in, which
#: measurably slowed a fast relay (bench/send.py: 0.72x against 1.05x raw DATA).
POLL = 0.02
#: The same for a batch sender: its batches are short of jobs only at the end
#: of a run, so the queue is topped up soon after a call finishes.
BATCH_POLL = 0.005
#: Jobs queued per connection, enough to keep each busy for more than ``POLL``.
QUEUED = 64


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
    #: Pending, but held by a ``digest worker`` (its to send).
    claimed: int = 0
    retries: int = 0
    #: The first :data:`REPORT_LINES` recipients delivered to.
    delivered: list[str] = field(default_factory=list)
    #: The first :data:`REPORT_LINES` recipients done before this run.
    done_before: list[str] = field(default_factory=list)
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


_Outcome = tuple[_Job, SendResult | None, Exception | None]
#: What the workers take: a job, or a batch sender's batch of jobs; ``None`` stops one.
_Jobs: TypeAlias = "queue.SimpleQueue[_Job | list[_Job] | None]"
#: What the workers hand back: the outcomes of one call, all at once, so that the
#: retries of a failed batch are due together whenever this thread looks.
_Results: TypeAlias = "queue.SimpleQueue[list[_Outcome]]"


class _Lookahead:
    """A worker's ``take`` for ``send_then``: the next queued job, if there is
    one now and none was taken during this send (``None`` otherwise)."""

    def __init__(self, jobs: _Jobs) -> None:
        self._jobs = jobs
        #: Whether a queue entry was taken during this send (``job`` is it:
        #: ``None`` is the end of the run).
        self.taken = False
        self.job: _Job | None = None

    def take(self) -> Recipient | None:
        """The next job's recipient, now the calling worker's next job."""
        if self.taken:
            return None
        try:
            job = self._jobs.get_nowait()
        except queue.Empty:
            return None
        assert not isinstance(job, list)  # a sender of one message a call gets no lists
        self.job = job
        self.taken = True
        return None if self.job is None else self.job.recipient


#: Records a page of recipients in the log before they are tried: each one's
#: ``(status, attempts)``; only ``pending`` ones are sent.
Register = Callable[[Sequence[str]], Mapping[str, tuple[str, int]]]


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
    stop: threading.Event | None = None,
    register: Register | None = None,
) -> SenderReport:
    """Deliver ``outgoing`` to ``recipients`` through ``sender`` named ``name``,
    recording everything in the store's delivery log (see the module docstring).

    ``register`` records each page of recipients before it is tried (default: the
    store's :meth:`~digest.store.protocol.DeliveryStore.register_deliveries`).

    ``recipients`` is consumed lazily, a page at a time.  The sender is prepared
    before the first message and closed at the end.  Once ``stop`` is set no new
    message begins; those in flight finish and are recorded, the rest stay pending.
    Raises only what the store raises (:class:`~digest.errors.StoreError`) or an
    unexpected error of the sender (after recording it); every :class:`SendError`
    ends up in the report.
    """
    run = _Run(store, name, sender, outgoing, policy or RetryPolicy(), progress, rng)
    if stop is not None:
        run.stop = stop
    if register is not None:
        run.register = register
    limit = messages_per_second
    if sender.limits.messages_per_second is not None:
        limit = min(limit or math.inf, sender.limits.messages_per_second)
    run.limiter = RateLimiter(limit)
    optional = hooks(sender)
    optional.prepare(outgoing)
    try:
        run.loop(_pages(recipients))
    finally:
        optional.close()
    return run.report


def _drain(results: _Results) -> Iterator[_Outcome]:
    """Every outcome handed back and not yet taken."""
    while not results.empty():
        yield from results.get()


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
        self.stop = threading.Event()
        self.limiter = RateLimiter(None)
        self.ready: deque[_Job] = deque()
        self.retries: list[tuple[float, int, _Job]] = []
        self._order = itertools.count()
        self.register: Register = lambda page: store.register_deliveries(
            self.edition_id, name, page
        )

    def loop(self, pages: Iterator[list[Recipient]]) -> None:
        """Dispatch, collect and record until nothing is left to try.

        The workers take queued jobs without waiting for this thread; every
        :data:`POLL` seconds it collects what they finished, writes all of it to the
        log in one transaction and tops the queue up again.
        """
        connections = max(1, self.sender.limits.connections)
        jobs: _Jobs = queue.SimpleQueue()
        results: _Results = queue.SimpleQueue()
        batch = hooks(self.sender).send_batch
        target = self._work if batch is None else self._work_batches
        # This thread makes the batches, whole ones unless the run is ending (or only
        # retries are due), so their size never depends on how fast it keeps up.
        size = 1 if batch is None else max(1, self.sender.limits.batch_size)
        # A batch sender needs a whole batch queued behind the one in flight.
        queued = QUEUED if batch is None else max(QUEUED, 2 * self.sender.limits.batch_size)
        poll = POLL if batch is None else BATCH_POLL
        # One thread more builds the next batch while the others' calls are in
        # flight; the sender still makes at most ``connections`` calls at once.
        callers = connections + (batch is not None and self.sender.limits.overlap)
        workers = [
            threading.Thread(
                target=target, args=(jobs, results), name=f"send-{self.name}-{n}", daemon=True
            )
            for n in range(callers)
        ]
        for worker in workers:
            worker.start()
        inflight = 0
        unexpected: BaseException | None = None
        try:
            while True:
                while not self._halted() and inflight < queued * callers:
                    if batch is None:
                        job = self._next_job(pages)
                        if job is None:
                            break
                        job.attempts += 1
                        jobs.put(job)
                        inflight += 1
                        continue
                    chunk = self._next_batch(pages, size)
                    if not chunk:
                        break
                    jobs.put(chunk)
                    inflight += len(chunk)
                if not inflight:
                    if not self.retries or self._halted():
                        break
                    # Only retries are left and none is due yet (a stop wakes us).
                    self.stop.wait(max(0.0, self.retries[0][0] - time.monotonic()))
                    continue
                outcomes: list[_Outcome] = []
                if inflight > connections:
                    time.sleep(poll)
                else:
                    # The last messages of a run (or of a stop): their outcomes are
                    # written as soon as they come, not up to POLL later.
                    with contextlib.suppress(queue.Empty):
                        outcomes.extend(results.get(timeout=poll))
                outcomes.extend(_drain(results))
                finished: list[Delivery] = []
                for job, result, error in outcomes:
                    inflight -= 1
                    if result is not None:
                        finished.append(self._sent(job, result))
                    elif isinstance(error, SendError):
                        finished.append(self._failed(job, error))
                    else:  # a bug in a sender: record, stop, re-raise
                        finished.append(self._failed(job, SenderUnavailable(repr(error))))
                        unexpected = unexpected or error
                if self._halted():
                    inflight -= self._unqueue(jobs)
                self.store.record_deliveries(self.edition_id, self.name, finished)
        finally:
            # Normally both queues are empty here.  After an error or Ctrl-C, jobs not
            # started stay pending, and what the workers finish is still recorded.
            self._unqueue(jobs)
            for _ in workers:
                jobs.put(None)
            for worker in workers:
                worker.join()
            leftovers = []
            for job, result, error in _drain(results):
                if result is not None:
                    leftovers.append(self._sent(job, result))
                else:
                    failure = error if isinstance(error, SendError) else SendError(repr(error))
                    leftovers.append(self._pending(job, str(failure)))
            self.store.record_deliveries(self.edition_id, self.name, leftovers)
        # Stopped early: what was queued stays pending in the log for the next run.
        for job in [*self.ready, *(entry[2] for entry in self.retries)]:
            self.report.pending += 1
            self._tell(job.recipient.id, "pending")
        if unexpected is not None:
            raise unexpected

    def _halted(self) -> bool:
        """Whether no new message may begin: the sender is unavailable or a stop
        was asked for."""
        return bool(self.report.aborted) or self.stop.is_set()

    def _unqueue(self, jobs: _Jobs) -> int:
        """Take back the jobs no worker has started (they stay pending, untried);
        how many."""
        taken = 0
        while not jobs.empty():
            item = jobs.get()
            for job in [item] if isinstance(item, _Job) else item or ():
                job.attempts -= 1
                self.ready.append(job)
                taken += 1
        return taken

    def _work(self, jobs: _Jobs, results: _Results) -> None:
        """A worker thread: send each job handed to it, report every outcome.

        A sender with ``send_then`` (and no rate limit) may take the next queued
        job while it sends one (SMTP: to write that job's envelope after this
        message); the job taken is this thread's next, already begun (a stop
        finishes it too)."""
        limited = self.limiter.count > 0
        then = None if limited else hooks(self.sender).send_then
        ahead = _Lookahead(jobs)
        job = jobs.get()
        while job is not None:
            assert isinstance(job, _Job)  # a sender of one message a call gets no lists
            ahead.taken = False
            try:
                if limited:
                    self.limiter.acquire()
                if then is None:
                    result = self.sender.send(self.outgoing, job.recipient)
                else:
                    result = then(self.outgoing, job.recipient, ahead.take)
                results.put([(job, result, None)])
            except Exception as exc:  # handed to the main thread, which decides
                results.put([(job, None, exc)])
            job = ahead.job if ahead.taken else jobs.get()

    def _work_batches(self, jobs: _Jobs, results: _Results) -> None:
        """A worker thread of a batch sender: send each queued batch in one call,
        report one outcome per job."""
        send_batch = hooks(self.sender).send_batch
        assert send_batch is not None
        while (batch := jobs.get()) is not None:
            self._send_batch(send_batch, [batch] if isinstance(batch, _Job) else batch, results)

    def _send_batch(self, send_batch: BatchSend, batch: list[_Job], results: _Results) -> None:
        """One call of ``send_batch``; every job gets its outcome."""
        try:
            if self.limiter.count:  # else each acquire() only takes a lock
                for _ in batch:
                    self.limiter.acquire()
            outcomes = send_batch(self.outgoing, [job.recipient for job in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(
                    f"send_batch returned {len(outcomes)} outcomes for {len(batch)} recipients"
                )
        except Exception as exc:  # the same for every job: the main thread decides
            results.put([(job, None, exc) for job in batch])
            return
        results.put(
            [
                (job, outcome, None) if isinstance(outcome, SendResult) else (job, None, outcome)
                for job, outcome in zip(batch, outcomes, strict=True)
            ]
        )

    def _more(self, pages: Iterator[list[Recipient]]) -> bool:
        """Register the next page of recipients; ``False`` when there is none."""
        if self._halted():
            return False
        page = next(pages, None)
        if page is None:
            return False
        states = self.register([r.id for r in page])
        for recipient in page:
            status, attempts = states[recipient.id]
            if status == "claimed":  # a worker is sending it
                self.report.claimed += 1
                self._tell(recipient.id, "pending")
            elif status != "pending":
                self.report.already_done += 1
                if len(self.report.done_before) < REPORT_LINES:
                    self.report.done_before.append(recipient.id)
                self._tell(recipient.id, "done")
            else:
                self.ready.append(_Job(recipient, attempts))
        return True

    def _next_batch(self, pages: Iterator[list[Recipient]], size: int) -> list[_Job]:
        """Up to ``size`` jobs to send in one call (fewer only when no more are
        ready now), each counted as an attempt; none once a stop is asked for."""
        chunk: list[_Job] = []
        while len(chunk) < size and (job := self._next_job(pages)) is not None:
            job.attempts += 1
            chunk.append(job)
        if self._halted():
            # Asked to stop while this batch was made (registering its pages takes
            # a while): none of it has begun, so none of it may.
            for job in reversed(chunk):
                job.attempts -= 1
                self.ready.appendleft(job)
            return []
        return chunk

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
            return Delivery(
                self.edition_id, self.name, recipient, "pending", job.attempts, last_error=error
            )
        if not exc.permanent:
            error = f"{error} (gave up after {job.attempts} attempts)"
        self.report.failed += 1
        self.report.note_failure(f"{recipient}: {error}")
        self._tell(recipient, "failed")
        return Delivery(
            self.edition_id, self.name, recipient, "failed", job.attempts, last_error=error
        )

    def _pending(self, job: _Job, error: str) -> Delivery:
        self.report.pending += 1
        self._tell(job.recipient.id, "pending")
        return Delivery(
            self.edition_id, self.name, job.recipient.id, "pending", job.attempts, last_error=error
        )

    def _tell(self, recipient: str, status: str) -> None:
        if self.progress is not None:
            self.progress.advance(self.name, recipient, status)
