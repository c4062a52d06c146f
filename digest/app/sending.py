"""Handing a built edition to the senders (part of :class:`~digest.edition.Digest`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..bounces import record_refusals
from ..config import Config
from ..delivery import Progress, RetryPolicy, deliver
from ..errors import ConfigError, DigestError
from ..model import Edition, Renditions
from ..render import fill_link
from ..senders import Outgoing, Recipient, Sender, build_sender, hooks
from ..store import Store
from .reports import Built, QueueReport, SendReport


class Sending:
    """Send: built edition → senders → delivery log."""

    config: Config
    store: Store

    def senders(self) -> dict[str, Sender]:
        """The enabled senders from ``[senders.*]``, built by their registered type.

        Raises :class:`ConfigError` for an unknown type or a bad option.
        """
        unsubscribe_url = self.site_link("unsubscribe_url")
        built: dict[str, Sender] = {}
        for name, settings in self.config.senders.items():
            if settings.enabled:
                built[name] = sender = build_sender(
                    name,
                    settings.type,
                    settings.options(),
                    self.config.base_dir,
                    unsubscribe_url=unsubscribe_url,
                )
                use_store = getattr(sender, "use_store", None)
                if callable(use_store):  # its recipients live in the store (webpush)
                    use_store(self.store)
        return built

    def recorded_outgoing(self, edition_id: str) -> Outgoing:
        """What the senders need for a recorded edition (a worker's batch): the
        edition as recorded, rendered again as a resumed run renders it.

        Raises :class:`DigestError` if the store has no such edition.
        """
        edition = self.store.edition(edition_id)
        if edition is None:
            raise DigestError(f"{edition_id}: no such edition in the store")
        renditions, public = self.rendered(edition)
        return Outgoing(edition, renditions, public)

    def rendered(self, edition: Edition) -> tuple[Renditions, Renditions]:
        """See :meth:`digest.edition.Digest.rendered`."""
        raise NotImplementedError

    def queue_edition(
        self,
        edition_id: str,
        senders: Mapping[str, Sender],
        *,
        stop: threading.Event | None = None,
        enqueue: Callable[[str, str, Sequence[str]], None] | None = None,
    ) -> dict[str, QueueReport]:
        """See :meth:`digest.app.fanout.FanOut.queue_edition`."""
        raise NotImplementedError

    def retry_policy(self, name: str) -> RetryPolicy:
        """How sender ``name`` retries temporary failures (its ``[senders.NAME]``)."""
        settings = self.config.senders[name]
        return RetryPolicy(
            max_attempts=settings.max_attempts,
            base_delay=settings.retry_base_seconds,
            max_delay=settings.retry_max_seconds,
        )

    def site_link(self, setting: str, edition_id: str = "") -> str:
        """``render.<setting>`` (``unsubscribe_url``, ``view_online_url``) filled
        with ``[digest] site_url``: where ``digest serve`` answers by default."""
        pattern: str = getattr(self.config.render, setting)
        return fill_link(setting, pattern, self.config.digest.site_url, edition_id)

    def send(
        self,
        built: Built,
        *,
        only: Iterable[str] = (),
        progress: Progress | None = None,
        dry_run: bool = False,
        stop: threading.Event | None = None,
        queue: bool | None = None,
    ) -> SendReport:
        """Hand a built edition to the senders (all, or those named in ``only``).

        Each delivery is recorded before the attempt and its outcome after; one
        already recorded as sent or failed is not attempted again (see
        :mod:`digest.delivery`).  A sender with a subscriber list mails the list's
        active subscribers, streamed from the store.  ``dry_run`` sends and records
        nothing and lists what would be sent in ``report.planned``.  Once ``stop``
        is set no new message is begun: those in flight finish and are recorded.

        With ``[queue]`` configured (and ``queue`` not ``False``) the recipients are
        recorded as pending and queued in batches for ``digest worker`` processes
        instead (:mod:`digest.queue`); ``queue=True`` without ``[queue]`` is a
        :class:`ConfigError`.
        """
        if built.renditions is None or built.public is None:
            raise DigestError(f"{built.edition.id}: not sent ({built.hold})")
        pruned = self.store.deliveries_pruned(built.edition.id)
        if pruned is not None:
            # Its log is gone: nothing would say who already has it.
            raise DigestError(
                f"{built.edition.id}: not sent again: its delivery log was pruned on "
                f"{pruned:%Y-%m-%d} (only its totals are kept)"
            )
        report = SendReport(built.edition.id)
        chosen = set(only)
        senders = self.senders()
        unknown = chosen - set(senders)
        if unknown:
            raise ConfigError(f"no enabled sender named {sorted(unknown)[0]!r}")
        if queue and self.config.queue is None:
            raise ConfigError('--queue: the config has no [queue] table (url = "redis://...")')
        if queue is not False and self.config.queue is not None and not dry_run:
            picked = {n: s for n, s in senders.items() if not chosen or n in chosen}
            report.queued = self.queue_edition(built.edition.id, picked, stop=stop)
            return report
        outgoing = Outgoing(built.edition, built.renditions, built.public)
        for name, sender in senders.items():
            if chosen and name not in chosen:
                continue
            if stop is not None and stop.is_set():
                break
            recipients, total = self.recipients(sender)
            if dry_run:
                done = self.store.delivery_counts(built.edition.id).get(
                    (built.edition.id, name), {}
                )
                finished = done.get("sent", 0) + done.get("failed", 0)
                report.planned.append(
                    f"{sender.describe()}: {total} recipient(s), {finished} already done"
                )
                continue
            if progress is not None:
                progress.start(name, total)
            result = deliver(
                self.store,
                name,
                sender,
                outgoing,
                recipients,
                policy=self.retry_policy(name),
                messages_per_second=self.config.senders[name].messages_per_second,
                progress=progress,
                stop=stop,
            )
            report.senders[name] = result
            report.sent.extend(f"{name} → {r}" for r in result.delivered)
            report.failed.extend(f"{name} → {line}" for line in result.failures)
            if result.aborted:
                report.failed.append(
                    f"{name}: stopped, {result.pending} left pending: {result.aborted}"
                )
            report.already_done.extend(f"{name} → {r}" for r in result.done_before)
            if hooks(sender).subscriber_list is not None:
                record_refusals(self.store, built.edition.id, name, self.config.bounces.soft_limit)
        return report

    def recipients(self, sender: Sender) -> tuple[Iterable[Recipient], int]:
        """A sender's recipients (streamed for a subscriber list) and how many."""
        list_name = hooks(sender).subscriber_list
        if list_name is None:
            # One message per recipient id, however often a list names it.
            fixed = list(
                {str(r): Recipient(r, getattr(r, "name", "")) for r in sender.recipients()}.values()
            )
            return fixed, len(fixed)
        streamed = (
            Recipient(s.address, s.name, s.first_name)
            for s in self.store.iter_subscribers(list_name)
        )
        return streamed, self.store.count_subscribers(list_name)
