"""Fan-out: an edition queued in batches and sent by workers (part of
:class:`~digest.edition.Digest`).

The delivery log stays the one source of truth:

* :meth:`FanOut.queue_edition` records every recipient as pending (a batch at a
  time, streamed from the store) and queues the pending ones; queueing again
  queues only what has no final outcome and no live claim;
* :meth:`FanOut.send_batch` (one task in ``digest worker``) *claims* its
  recipients first (:mod:`digest.store.claims`): a recipient already sent or
  failed is skipped, one held by a live worker is left to it, one held by a
  worker that is gone (a process of this machine that no longer exists: at once;
  elsewhere: when its lease runs out) is taken over.  It then sends what it holds
  through the delivery loop (:func:`digest.delivery.deliver`), renewing its
  claims while it sends, so a redelivered batch never sends twice what was
  recorded, and what a killed worker can have sent twice is what it had in flight.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..config import QueueSettings
from ..delivery import deliver
from ..errors import ConfigError
from ..locking import holder_gone, lock_owner
from ..senders import Outgoing, Recipient, Sender, hooks
from ..store import Store
from .reports import QueueReport
from .sending import Sending

#: Queues one batch: ``(edition_id, sender, recipient ids)``.
Enqueue = Callable[[str, str, Sequence[str]], None]


def utc_now() -> datetime:
    """Now, tz-aware UTC (the claims' default clock)."""
    return datetime.now(UTC)


def queue_extra_missing(exc: ImportError) -> ConfigError:
    """The error for a ``[queue]`` used where the ``queue`` extra is not installed."""
    return ConfigError(
        f"[queue] needs Dramatiq and redis-py ({exc.name} is not installed): "
        "pip install -e '.[queue]'"
    )


@dataclass(slots=True)
class BatchResult:
    """What one batch task did."""

    sent: int = 0
    failed: int = 0
    #: Already sent or failed before (a redelivered batch).
    already_done: int = 0
    #: Claimed but left pending (a long ``Retry-After``, the sender unavailable).
    pending: int = 0
    #: Held by another live worker.
    held: list[str] = field(default_factory=list)
    #: No longer on the list (unsubscribed since the edition was queued): dropped.
    dropped: int = 0
    #: The edition's delivery log was pruned: the batch came too late, nothing sent.
    pruned: bool = False

    @property
    def unfinished(self) -> bool:
        """Whether the batch must be tried again later."""
        return bool(self.pending or self.held)


class FanOut(Sending):
    """Queue an edition in batches; send one batch as a worker (on top of
    :class:`~digest.app.sending.Sending`, whose senders and recipients it uses)."""

    def queue_settings(self) -> QueueSettings:
        """``[queue]``; raises :class:`ConfigError` when the config has none."""
        if self.config.queue is None:
            raise ConfigError('--queue: no [queue] table in the config (url = "redis://...")')
        return self.config.queue

    def queue_edition(
        self,
        edition_id: str,
        senders: Mapping[str, Sender],
        *,
        stop: threading.Event | None = None,
        enqueue: Enqueue | None = None,
    ) -> dict[str, QueueReport]:
        """Record each sender's recipients as pending and queue the pending ones in
        batches of ``[queue] batch_size`` for ``digest worker``.

        Recipients are streamed from the store a batch at a time, never all in
        memory.  ``enqueue`` queues one batch (default: on the configured Redis).
        Once ``stop`` is set nothing more is queued; queueing again later queues
        only what is still pending and unclaimed.
        """
        settings = self.queue_settings()
        closing: Callable[[], None] = lambda: None  # noqa: E731
        if enqueue is None:
            try:
                from ..queue.broker import Enqueuer  # only a queued send needs Redis
            except ImportError as exc:
                raise queue_extra_missing(exc) from None

            enqueuer = Enqueuer(settings)
            enqueue, closing = enqueuer.enqueue, enqueuer.close
        reports: dict[str, QueueReport] = {}
        try:
            # Redis round trips overlap with reading and recording the next batch.
            with _Feeder(enqueue) as feed:
                self._queue_senders(edition_id, senders, settings.batch_size, feed, reports, stop)
        finally:
            closing()
        return reports

    def _queue_senders(
        self,
        edition_id: str,
        senders: Mapping[str, Sender],
        size: int,
        enqueue: Enqueue,
        reports: dict[str, QueueReport],
        stop: threading.Event | None,
    ) -> None:
        for name, sender in senders.items():
            report = reports[name] = QueueReport(name)
            recipients, _ = self.recipients(sender)
            for batch in _batches(recipients, size):
                if stop is not None and stop.is_set():
                    break
                ids = [r.id for r in batch]
                states = self.store.register_deliveries(edition_id, name, ids)
                pending = [r for r in ids if states[r][0] == "pending"]
                report.already_done += sum(states[r][0] in ("sent", "failed") for r in ids)
                if pending:
                    enqueue(edition_id, name, pending)
                    report.queued += len(pending)
                    report.batches += 1

    def send_batch(
        self,
        edition_id: str,
        sender_name: str,
        recipient_ids: Sequence[str],
        *,
        owner: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        stop: threading.Event | None = None,
    ) -> BatchResult:
        """Send one queued batch: claim, send what this worker holds, record.

        ``owner`` names this worker in the claims (default: host, process and
        thread); ``clock`` gives the moments leases are reckoned from.  Raises
        :class:`ConfigError` for a sender this config does not have, and what the
        delivery loop raises (:class:`~digest.errors.StoreError`).
        """
        settings = self.queue_settings()
        if self.store.deliveries_pruned(edition_id) is not None:
            # Its log is only totals now: nobody can be told apart as sent or not,
            # so a batch that comes back this late sends nothing.
            return BatchResult(pruned=True)
        owner = owner or lock_owner()
        sender = self._worker_sender(sender_name)
        outgoing = self._worker_outgoing(edition_id)
        ids = list(dict.fromkeys(recipient_ids))
        lease = settings.lease_seconds

        def claim(take_from: Iterable[str] = ()) -> dict[str, tuple[str, int, str]]:
            found = self.store.claim_deliveries(
                edition_id, sender_name, ids, owner, lease_seconds=lease, now=clock(),
                take_from=take_from,
            )  # fmt: skip
            return {r: (c.status, c.attempts, c.holder) for r, c in found.items()}

        claims = claim()
        gone = {holder for _, _, holder in claims.values() if holder and holder_gone(holder)}
        if gone:
            claims = claim(gone)
        result = BatchResult()
        result.already_done = sum(claims[r][0] != "pending" for r in ids)
        result.held = [r for r in ids if claims[r][0] == "pending" and claims[r][2]]
        mine = [r for r in ids if claims[r][0] == "pending" and not claims[r][2]]
        recipients = self._resolve(sender, mine)
        if len(recipients) < len(mine):
            still = {r.id for r in recipients}
            result.dropped = self.store.drop_deliveries(
                edition_id, sender_name, [r for r in mine if r not in still], owner
            )
        keeper = ClaimKeeper(self.store, edition_id, sender_name, mine, owner, lease, clock)
        try:
            report = deliver(
                self.store,
                sender_name,
                sender,
                outgoing,
                recipients,
                policy=self.retry_policy(sender_name),
                messages_per_second=self.config.senders[sender_name].messages_per_second,
                stop=stop,
                register=lambda page: {r: claims[r][:2] for r in page},
            )
        finally:
            keeper.close()
        result.sent, result.failed = report.sent, report.failed
        result.pending = report.pending
        if report.pending:
            # Left for later (a long Retry-After, the sender unavailable): no longer
            # this worker's; the batch comes back and claims them again.
            self.store.release_claims(edition_id, sender_name, mine, owner)
        return result

    def _worker_sender(self, name: str) -> Sender:
        """Sender ``name``, built once per application (a worker's many batches)."""
        built: dict[str, Sender] | None = getattr(self, "_fanout_senders", None)
        if built is None:
            built = self.senders()
            self._fanout_senders = built
        if name not in built:
            raise ConfigError(f"a queued batch names sender {name!r}, which is not enabled here")
        return built[name]

    def _worker_outgoing(self, edition_id: str) -> Outgoing:
        """The edition's renditions, rendered once per edition (the last one kept)."""
        cached: Outgoing | None = getattr(self, "_fanout_outgoing", None)
        if cached is None or cached.edition.id != edition_id:
            cached = self.recorded_outgoing(edition_id)
            self._fanout_outgoing = cached
        return cached

    def _resolve(self, sender: Sender, ids: Sequence[str]) -> list[Recipient]:
        """The recipients named by ``ids`` that are still to be sent to, with names."""
        if not ids:
            return []
        list_name = hooks(sender).subscriber_list
        if list_name is None:
            wanted = set(ids)
            return [
                Recipient(str(r), getattr(r, "name", ""))
                for r in sender.recipients()
                if str(r) in wanted
            ]
        return [
            Recipient(s.address, s.name, s.first_name)
            for s in self.store.active_subscribers(list_name, ids)
        ]


def _batches(recipients: Iterable[Recipient], size: int) -> Iterator[list[Recipient]]:
    iterator = iter(recipients)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class _Feeder:
    """Calls ``enqueue`` from a thread of its own, a few batches behind the caller;
    the first error it meets is raised in the caller (at its next batch or at the
    end), and nothing more is queued after it."""

    def __init__(self, enqueue: Enqueue) -> None:
        self._enqueue = enqueue
        self._jobs: queue.Queue[tuple[str, str, Sequence[str]] | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Enqueue:
        self._thread.start()
        return self

    def __call__(self, edition_id: str, sender: str, recipients: Sequence[str]) -> None:
        """Hand one batch over (waits while a few are already waiting)."""
        self._raise()
        self._jobs.put((edition_id, sender, recipients))

    def __exit__(self, *exc: object) -> None:
        self._jobs.put(None)
        self._thread.join()
        if exc[0] is None:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None:
                try:
                    self._enqueue(*job)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc


class ClaimKeeper:
    """Renews a worker's claims every third of their lease, from a thread with its
    own store connection, until closed."""

    def __init__(
        self,
        store: Store,
        edition_id: str,
        sender: str,
        recipients: Sequence[str],
        owner: str,
        lease: float,
        clock: Callable[[], datetime],
    ) -> None:
        self._done = threading.Event()
        #: How often the claims were renewed (for the tests).
        self.renewals = 0
        self._thread = threading.Thread(
            target=self._renew,
            args=(store, edition_id, sender, list(recipients), owner, lease, clock),
            daemon=True,
        )
        self._thread.start()

    def _renew(
        self,
        source: Store,
        edition_id: str,
        sender: str,
        recipients: list[str],
        owner: str,
        lease: float,
        clock: Callable[[], datetime],
    ) -> None:
        # Most batches end well within a third of the lease: the connection (a
        # connection belongs to the thread that opened it) is opened only if needed.
        if not recipients or self._done.wait(lease / 3):
            return
        own = source.reopen()
        if own is None:
            return
        with own as store:
            while store.renew_claims(
                edition_id, sender, recipients, owner, lease_seconds=lease, now=clock()
            ):
                self.renewals += 1
                if self._done.wait(lease / 3):
                    return

    def close(self) -> None:
        """Stop renewing."""
        self._done.set()
        self._thread.join()
