"""The pipeline, end to end: ingest → select → render → send.

:func:`make_digest` builds a :class:`Digest` from a config (and, for tests, an
injected store).  :meth:`Digest.build` makes the whole context of one edition (the
selection and its renditions) before anything is sent, so people and plugins can
inspect it; :meth:`Digest.send` hands it to the senders; :meth:`Digest.run_edition`
does all of it and is safe to repeat for the same moment.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .bounces import record_refusals
from .config import Config, load_config
from .delivery import Progress, RetryPolicy, SenderReport, deliver
from .errors import ConfigError, DigestError, EditionBusy
from .model import Edition, Renditions, RunStatus, Skipped, SourceResult
from .render import Renderer
from .render.personal import personalise
from .select import Overrides as Overrides  # re-exported for the CLI
from .select import SentStory, edition_id, select
from .select import parse_pin as parse_pin
from .select import rejection_kind as rejection_kind
from .select import rejection_summary as rejection_summary
from .select.outlets import OutletEntry, OutletTable
from .senders import Outgoing, Recipient, Sender, hooks, load_factory
from .sources import Planned, SourceSpec, configured, plan, read_planned
from .store import Store, UpsertCounts, open_store


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What reading one source did to the store."""

    source: str
    read: int
    counts: UpsertCounts
    skipped: tuple[Skipped, ...] = ()
    error: str = ""
    #: The source was fetched conditionally and had not changed (HTTP 304).
    not_modified: bool = False


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

    def count(self, what: str) -> int:
        """Total ``sent``, ``failed``, ``pending`` or ``already_done`` over all senders."""
        return sum(int(getattr(r, what)) for r in self.senders.values())


class Digest:
    """The application: one config, one store, the stages wired together."""

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self._renderer: Renderer | None = None
        self.outlets = OutletTable(
            {
                host: OutletEntry(o.name, o.country, o.weight, o.desk)
                for host, o in config.outlets.items()
            }
        )

    # -- ingest ------------------------------------------------------------------

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

    # -- select and render ---------------------------------------------------------

    def edition_id(self, as_of: datetime) -> str:
        """The id of the edition for ``as_of``."""
        d = self.config.digest
        return edition_id(d.edition_prefix, as_of, d.timezone)

    def select(self, as_of: datetime, overrides: Overrides | None = None) -> Edition:
        """The edition for ``as_of`` (tz-aware) from the stored articles.

        ``overrides`` (pins, drops, headlines) default to the config's.  Stories
        picked by other editions of the last ``select.memory_days`` are remembered.
        Raises :class:`ConfigError` for a pinned id the store does not hold.
        """
        settings = self.config.select
        overrides = overrides or Overrides.build(settings)
        as_of = as_of.astimezone(UTC)  # the store compares UTC ISO strings
        start = as_of - timedelta(hours=settings.window_hours)
        articles = self.store.articles_between(start, as_of)
        held = {a.id for a in articles}
        for article_id in overrides.pins:
            if article_id not in held:
                pinned = self.store.article(article_id)
                if pinned is None:
                    raise ConfigError(f"pin {article_id!r}: no stored article has that id")
                articles.append(pinned)
        sent = [
            SentStory(edition, when, article)
            for edition, when, article in self.store.picked_articles(
                as_of - timedelta(days=settings.memory_days),
                as_of,
                exclude=self.edition_id(as_of),
            )
        ]
        return select(
            articles,
            as_of=as_of,
            settings=settings,
            timezone=self.config.digest.timezone,
            prefix=self.config.digest.edition_prefix,
            sent=sent,
            overrides=overrides,
            outlets=self.outlets,
        )

    def hold_reason(self, edition: Edition) -> str:
        """Why an edition must not be sent (``""`` when it may): no picks, or fewer
        than ``select.min_picks`` (unless ``select.send_when_thin``), with what
        happened to the other candidates."""
        if not edition.picks or not self.config.select.send_when_thin:
            return self.thin_reason(edition)
        return ""

    def thin_reason(self, edition: Edition) -> str:
        """``"not enough news: …"`` when an edition has fewer picks than
        ``select.min_picks``, else ``""``."""
        minimum = self.config.select.min_picks
        if len(edition.picks) >= minimum:
            return ""
        return (
            f"not enough news: {len(edition.picks)} pick(s), at least {minimum} needed "
            f"(left out: {rejection_summary(edition)})"
        )

    @property
    def renderer(self) -> Renderer:
        """The renderer for this config (built on first use)."""
        if self._renderer is None:
            self._renderer = Renderer(
                self.config.digest, self.config.render, base_dir=self.config.base_dir
            )
        return self._renderer

    def build(self, as_of: datetime, overrides: Overrides | None = None) -> Built:
        """Select and render the edition for ``as_of``, and record both.

        Nothing is sent.  An edition with fewer than ``select.min_picks`` picks is
        built without renditions and held back with the reason.

        An edition that already has deliveries is rendered again from its record,
        which is left alone: a preview, an export or a resumed run later the same
        day (even after more articles came in) shows and sends what its first
        recipients got, and later editions remember the stories that were sent.
        """
        recorded = self.sent_edition(self.edition_id(as_of))
        edition = recorded or self.select(as_of, overrides)
        hold = "" if recorded else self.hold_reason(edition)
        if hold:
            return Built(edition, None, hold)
        renditions = self.renderer.render(edition)
        public = replace(
            renditions,
            email=personalise(renditions.email, self.renderer.generic_values(edition)),
        )
        if recorded is None:
            self.store.save_edition(edition)
            self.store.save_renditions(renditions)
        return Built(edition, renditions, public=public)

    def sent_edition(self, edition_id: str) -> Edition | None:
        """The recorded edition if it has deliveries (sent, failed or pending), or
        ``None`` while it has reached nobody."""
        if not self.store.delivery_counts(edition_id):
            return None
        return self.store.edition(edition_id)

    # -- send ----------------------------------------------------------------------

    def senders(self) -> dict[str, Sender]:
        """The enabled senders from ``[senders.*]``, built by their registered type.

        Raises :class:`ConfigError` for an unknown type or a bad option.
        """
        built: dict[str, Sender] = {}
        for name, settings in self.config.senders.items():
            if settings.enabled:
                try:
                    factory = load_factory(settings.type)
                except ConfigError as exc:
                    raise ConfigError(f"senders.{name}.type: {exc}") from None
                options = settings.options()
                if getattr(factory, "type_name", "") == "smtp":
                    # digest serve answers at site_url: its unsubscribe page by default.
                    options.setdefault("unsubscribe_url", self.site_link("unsubscribe_url"))
                built[name] = factory(name, options, base_dir=self.config.base_dir)
        return built

    def site_link(self, setting: str, edition_id: str = "") -> str:
        """``render.<setting>`` (``unsubscribe_url``, ``view_online_url``) filled
        with ``[digest] site_url``: where ``digest serve`` answers by default."""
        pattern: str = getattr(self.config.render, setting)
        return pattern.format(
            site_url=self.config.digest.site_url.rstrip("/"), edition_id=edition_id
        )

    def send(
        self,
        built: Built,
        *,
        only: Iterable[str] = (),
        progress: Progress | None = None,
        dry_run: bool = False,
        stop: threading.Event | None = None,
    ) -> SendReport:
        """Hand a built edition to the senders (all, or those named in ``only``).

        Each delivery is recorded before the attempt and its outcome after; one
        already recorded as sent or failed is not attempted again (see
        :mod:`digest.delivery`).  A sender with a subscriber list mails the list's
        active subscribers, streamed from the store.  ``dry_run`` sends and records
        nothing and lists what would be sent in ``report.planned``.  Once ``stop``
        is set no new message is begun: those in flight finish and are recorded.
        """
        if built.renditions is None or built.public is None:
            raise DigestError(f"{built.edition.id}: not sent ({built.hold})")
        report = SendReport(built.edition.id)
        outgoing = Outgoing(built.edition, built.renditions, built.public)
        chosen = set(only)
        senders = self.senders()
        unknown = chosen - set(senders)
        if unknown:
            raise ConfigError(f"no enabled sender named {sorted(unknown)[0]!r}")
        for name, sender in senders.items():
            if chosen and name not in chosen:
                continue
            if stop is not None and stop.is_set():
                break
            recipients, total = self._recipients(sender)
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
            settings = self.config.senders[name]
            result = deliver(
                self.store,
                name,
                sender,
                outgoing,
                recipients,
                policy=RetryPolicy(
                    max_attempts=settings.max_attempts,
                    base_delay=settings.retry_base_seconds,
                    max_delay=settings.retry_max_seconds,
                ),
                messages_per_second=settings.messages_per_second,
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

    def _recipients(self, sender: Sender) -> tuple[Iterable[Recipient], int]:
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

    def run_edition(
        self, as_of: datetime, *, stop: threading.Event | None = None
    ) -> tuple[Built, SendReport | None]:
        """Ingest the configured sources, build the edition for ``as_of`` and send it.

        The one entry point of the scheduler, ``digest run`` and a cron line.  Safe to
        repeat: deliveries already made for this edition are not made again, so a
        second call only resumes what has no final outcome (without ingesting
        again, so the edition's content stays what its first recipients got).  Only one process at a
        time runs an edition (a lock in the store, renewed while the run lasts and
        lost when its holder dies); raises :class:`EditionBusy` if another holds it.
        An edition with no story newer than the last edition sent is held back when
        ``schedule.skip_if_nothing_new`` is on.  Setting ``stop`` ends the run at the
        next message boundary with status ``stopped``.  Returns the built edition and
        the send report (``None`` when held back or stopped before sending).
        """
        edition_id = self.edition_id(as_of)
        stop = stop or threading.Event()
        with self.locked(edition_id, stop):
            return self._run_locked(as_of, edition_id, stop)

    @contextmanager
    def locked(self, edition_id: str, stop: threading.Event | None = None) -> Iterator[None]:
        """Hold the store's lock on an edition while inside, renewing it (until
        ``stop`` is set) so no other process runs or sends it meanwhile.

        A lock left by a process of this machine that no longer exists (killed,
        crashed) is taken over at once instead of after its time to live.
        Raises :class:`EditionBusy` if another process holds it.
        """
        ttl = self.config.schedule.lock_ttl_seconds
        owner = lock_owner()
        holder = self.store.acquire_lock(edition_id, owner, ttl)
        if holder != owner and _gone(holder):
            holder = self.store.take_lock(edition_id, holder, owner, ttl)
        if holder != owner:
            raise EditionBusy(edition_id, holder)
        heartbeat = _Heartbeat(self.store, edition_id, owner, ttl, stop or threading.Event())
        try:
            yield
        finally:
            heartbeat.close()
            self.store.release_lock(edition_id, owner)

    def _run_locked(
        self, as_of: datetime, edition_id: str, stop: threading.Event
    ) -> tuple[Built, SendReport | None]:
        run_id = self.store.start_run(edition_id)
        try:
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
                self.store.finish_run(
                    run_id, RunStatus.STOPPED if stop.is_set() else RunStatus.HELD, hold
                )
                return replace(built, hold=hold), None
            report = self.send(built, stop=stop)
            report.source_errors = failed_sources
        except Exception as exc:
            self.store.finish_run(run_id, RunStatus.FAILED, f"{type(exc).__name__}: {exc}")
            raise
        summary = f"{report.count('sent')} sent, {report.count('failed')} failed"
        if failed_sources:
            summary += f" ({sources_failed(failed_sources)})"
        if stop.is_set():
            status, summary = RunStatus.STOPPED, summary + ", stopped before the end"
        else:
            status = RunStatus.FAILED if report.failed else RunStatus.DONE
        self.store.finish_run(run_id, status, summary)
        return built, report

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

    def variant(self, name: str) -> Digest:
        """The same application for a named edition of the day: edition ids become
        ``<prefix>-<name>-<date>`` (``""`` gives this application itself)."""
        if not name:
            return self
        settings = self.config.digest
        prefixed = settings.model_copy(
            update={"edition_prefix": f"{settings.edition_prefix}-{name}"}
        )
        return Digest(self.config.model_copy(update={"digest": prefixed}), self.store)


def sources_failed(errors: list[str]) -> str:
    """``2 source(s) failed: a: why; b: why`` (the first three named)."""
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return f"{len(errors)} source(s) failed: {'; '.join(errors[:3])}{more}"


def lock_owner() -> str:
    """Who this process and thread are, as recorded on the locks it holds."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _gone(holder: str) -> bool:
    """Whether a lock holder (``host:pid:thread``) is a process of this machine that
    has ended.  Anything else (another host, a live or unknown process) counts as
    alive, so its lock is only taken over after it lapses."""
    parts = holder.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False  # another thread of this process: alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (another user's process)
    return False


class _Heartbeat:
    """Keeps an edition lock alive from a thread with its own store connection,
    until closed or until ``stop`` is set (a stopped or abandoned run lets its
    lock lapse after the time to live rather than hold it forever)."""

    def __init__(
        self, store: Store, name: str, owner: str, ttl: float, stop: threading.Event
    ) -> None:
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, args=(store, name, owner, ttl, stop), daemon=True
        )
        self._thread.start()

    def _beat(
        self, source: Store, name: str, owner: str, ttl: float, stop: threading.Event
    ) -> None:
        own = source.reopen()  # in this thread: a connection belongs to its thread
        if own is None:
            return  # an in-memory store: nobody else can take the lock
        with own as store:
            while not self._done.wait(ttl / 3) and not stop.is_set():
                if not store.renew_lock(name, owner, ttl):
                    return

    def close(self) -> None:
        """Stop renewing (the caller releases the lock)."""
        self._done.set()
        self._thread.join()


def make_digest(
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    store: Store | None = None,
) -> Digest:
    """Build the application.

    Give a validated ``config`` or a ``config_path`` to load (``./config.toml`` by
    default); a ``store`` replaces the configured SQLite file (tests pass their own).
    Raises :class:`ConfigError` or :class:`~digest.errors.StoreError`.
    """
    if config is None:
        config = load_config(config_path or "config.toml")
    return Digest(config, store or open_store(config.store_path))
