"""What the application's methods hand back: plain, typed results that the CLI,
the scheduler, the preview and the web service use as they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..delivery import SenderReport
from ..model import Edition, Renditions, RunStatus, Skipped
from ..store import RunRecord, UpsertCounts
from ..store.types import DeliveryCounts


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What reading one source did to the store."""

    source: str
    read: int
    counts: UpsertCounts
    skipped: tuple[Skipped, ...] = ()
    error: str = ""
    #: The source had not changed: a URL fetched conditionally (HTTP 304), or a
    #: local file with the size, modification time (else content hash) and reader
    #: settings it had when last read.  Nothing was read or stored.
    not_modified: bool = False


@dataclass(slots=True)
class QueueReport:
    """What queueing one sender's recipients for ``digest worker`` did."""

    sender: str
    #: Recipients queued (pending in the delivery log).
    queued: int = 0
    #: Tasks (batches of recipients) queued.
    batches: int = 0
    #: Recipients already sent or failed for good: not queued again.
    already_done: int = 0

    def summary(self) -> str:
        """``mail: 20000 queued in 40 batches, 0 already done``."""
        return (
            f"{self.sender}: {self.queued} queued in {self.batches} batches, "
            f"{self.already_done} already done"
        )


@dataclass(frozen=True, slots=True)
class Built:
    """One edition's whole context: the selection and its renditions."""

    edition: Edition
    #: As rendered, with recipient placeholders (``%%unsubscribe_url%%``) left in
    #: for senders that address people one by one.
    renditions: Renditions | None
    #: Why the edition will not be sent (``not enough news``...), or ``""``.
    hold: str = ""
    #: The same with the placeholders filled for nobody in particular (export,
    #: file sender, preview, web archive).
    public: Renditions | None = None


@dataclass(slots=True)
class SendReport:
    """Outcome of handing an edition to the senders.

    The line lists keep at most :data:`~digest.delivery.REPORT_LINES` entries per
    sender (a list of 100,000 subscribers is not kept in memory); the complete
    counts are in ``senders`` (:meth:`count`).
    """

    edition_id: str
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    already_done: list[str] = field(default_factory=list)
    senders: dict[str, SenderReport] = field(default_factory=dict)
    #: ``--dry-run``: what each sender would do.
    planned: list[str] = field(default_factory=list)
    #: ``source: error`` for each source that could not be read by the run's ingest.
    source_errors: list[str] = field(default_factory=list)
    #: Queued for ``digest worker`` (``[queue]``): what was queued, per sender.
    queued: dict[str, QueueReport] = field(default_factory=dict)

    def count(self, what: str) -> int:
        """Total ``sent``, ``failed``, ``pending`` or ``already_done`` over all senders."""
        return sum(int(getattr(r, what)) for r in self.senders.values())

    def summary(self) -> str:
        """``3 sent, 0 failed, 1 already done`` and the sources that failed, if any."""
        if self.queued:
            text = ", ".join(q.summary() for q in self.queued.values())
        else:
            text = (
                f"{self.count('sent')} sent, {self.count('failed')} failed, "
                f"{self.count('already_done')} already done"
            )
        if self.source_errors:
            text += f" ({sources_failed(self.source_errors)})"
        return text


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """How one :meth:`~digest.edition.Digest.run_edition` ended, as recorded in the
    store: its status and message, the built edition and the send report (``None``
    when nothing was sent)."""

    edition_id: str
    status: RunStatus
    message: str
    built: Built
    report: SendReport | None = None

    @property
    def sent(self) -> bool:
        """Whether the edition was handed to the senders."""
        return self.report is not None


@dataclass(frozen=True, slots=True)
class StatusReport:
    """What ``digest status`` shows: recent runs, delivery counts, stored articles."""

    runs: list[RunRecord]
    deliveries: DeliveryCounts
    articles: int


def sources_failed(errors: list[str]) -> str:
    """``2 source(s) failed: a: why; b: why`` (the first three named)."""
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return f"{len(errors)} source(s) failed: {'; '.join(errors[:3])}{more}"
