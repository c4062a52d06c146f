"""The delivery loop with a batch sender: batches made whole by the loop, each
recipient's attempts counted once per try, and a stop honoured while a batch is
being made.  The sender is an in-process batch API that records every call; the
delivery log is a real store (both backends)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import ClassVar

from digest.delivery import PAGE, RetryPolicy, deliver
from digest.errors import SendError, SenderUnavailable
from digest.model import RenditionKind, SendResult
from digest.senders import Limits, Outgoing, Recipient
from digest.store import Store

from .send_support import outgoing, sample_built

__all__ = ["outgoing", "sample_built"]  # fixtures

#: Retries due at once, so that the retry of a failed batch is one batch again.
AT_ONCE = RetryPolicy(max_attempts=3, base_delay=0.0, jitter=0.0)


class BatchRecorder:
    """A batch API that records each call's recipients; ``answer`` decides each
    call's outcome from its number (0, 1...): ``None`` accepts everyone."""

    type_name: ClassVar[str] = "batch-recorder"
    consumes: ClassVar[RenditionKind] = "email"

    def __init__(self, batch_size: int, answer: Mapping[int, SendError] | None = None) -> None:
        self.limits = Limits(batch_size=batch_size)
        self.answer = dict(answer or {})
        self.calls: list[list[str]] = []
        self._lock = threading.Lock()

    def describe(self) -> str:
        """Log-safe description."""
        return "batch recorder"

    def recipients(self) -> list[str]:
        """Not used: the tests hand the recipients to ``deliver``."""
        return []

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """One message: a batch of one."""
        outcome = self.send_batch(outgoing, [recipient])[0]
        if isinstance(outcome, SendError):
            raise outcome
        return outcome

    def send_batch(
        self, outgoing: Outgoing, recipients: Sequence[Recipient]
    ) -> list[SendResult | SendError]:
        """Record the call; raise what ``answer`` says for it, else accept all."""
        with self._lock:
            number = len(self.calls)
            self.calls.append([r.id for r in recipients])
        if number in self.answer:
            raise self.answer[number]
        return [SendResult(r.id, provider_id=f"call{number}") for r in recipients]


def people(count: int) -> list[Recipient]:
    return [Recipient(f"reader{i:05d}@example.org") for i in range(count)]


def attempts_in_log(store: Store, edition_id: str) -> dict[str, tuple[str, int]]:
    return {d.recipient: (d.status, d.attempts) for d in store.deliveries(edition_id)}


def test_batches_are_whole_and_a_failed_batch_is_retried_whole(
    store: Store, outgoing: Outgoing
) -> None:
    """2,300 recipients in batches of 1,000 (two registered pages each): calls of
    1,000, 1,000 and 300 whatever the machine's speed; the first call fails
    (temporary) and its 1,000 go again together; each is sent once and logged with
    the attempts it took."""
    sender = BatchRecorder(1000, {0: SendError("421 try later")})
    recipients = people(2300)
    report = deliver(store, "b", sender, outgoing, recipients, policy=AT_ONCE)
    assert (report.sent, report.failed, report.pending, report.retries) == (2300, 0, 0, 1000)
    sizes = [len(call) for call in sender.calls]
    assert sorted(sizes) == [300, 1000, 1000, 1000] and sizes[0] == 1000
    first = set(sender.calls[0])
    retried = [call for call in sender.calls[1:] if set(call) == first]
    assert len(retried) == 1, "the failed batch went again as one call"
    accepted = [r for call in sender.calls[1:] for r in call]
    assert sorted(accepted) == sorted(recipients), "each accepted exactly once"
    log = attempts_in_log(store, outgoing.edition.id)
    assert {r: a for r, (_, a) in log.items() if a == 2}.keys() == first
    assert all(status == "sent" for status, _ in log.values())
    assert sum(a for _, a in log.values()) == sum(sizes)


def test_attempts_in_the_log_are_the_tries_made_when_the_sender_goes_away(
    store: Store, outgoing: Outgoing
) -> None:
    """Every call fails as unavailable: the run stops, and each recipient's
    attempts in the log are exactly the calls it was in (a batch queued behind
    the failed one is taken back untried, its attempts undone, unless a worker
    took it first).  Only the first page was registered (two batches queued)."""
    down = SenderUnavailable("connection refused")
    sender = BatchRecorder(200, dict.fromkeys(range(100), down))
    report = deliver(store, "b", sender, outgoing, people(1500), policy=AT_ONCE)
    assert report.sent == 0 and report.pending == PAGE and "refused" in report.aborted
    tried = [r for call in sender.calls for r in call]
    assert 200 <= len(tried) <= 400 and len(set(tried)) == len(tried)
    log = attempts_in_log(store, outgoing.edition.id)
    assert len(log) == PAGE and all(status == "pending" for status, _ in log.values())
    assert {r: a for r, (_, a) in log.items() if a} == dict.fromkeys(tried, 1)


def test_a_stop_asked_while_a_batch_is_made_sends_none_of_it(
    store: Store, outgoing: Outgoing
) -> None:
    """A batch of 1,000 takes two pages of 500 to register; a stop asked while the
    second page is registered (as Ctrl-C or SIGTERM can) lets nothing begin: no
    call, everyone pending with no attempt."""
    assert PAGE == 500
    stop = threading.Event()
    sender = BatchRecorder(1000)
    pages = 0

    def register(page: Sequence[str]) -> Mapping[str, tuple[str, int]]:
        nonlocal pages
        pages += 1
        if pages == 2:
            stop.set()
        return store.register_deliveries(outgoing.edition.id, "b", page)

    report = deliver(store, "b", sender, outgoing, people(3000), stop=stop, register=register)
    assert sender.calls == []
    assert (report.sent, report.pending) == (0, 1000)
    assert set(attempts_in_log(store, outgoing.edition.id).values()) == {("pending", 0)}
