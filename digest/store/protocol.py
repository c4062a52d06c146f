"""What `digest` asks of a store, backend by backend.

The :class:`Store` protocol is the whole contract between the application and its
storage; the concern modules implement it on SQLite (:mod:`digest.store.sqlite`)
and on PostgreSQL (:mod:`digest.store.postgres`, :mod:`digest.store.pgstore`).

Conventions every implementation keeps (as lemon24/reader's ``_types.py`` states
for its storage):

* **Errors.**  Every method, reads included, raises
  :class:`~digest.errors.StoreError` (a :class:`~digest.errors.DigestError`) when
  the backend fails: nothing backend-specific (``sqlite3.Error``,
  ``psycopg.Error``) escapes.  A
  missing row is not an error: lookups return ``None`` or an empty list.
* **Times.**  Every ``datetime`` given to or returned by a store is tz-aware; the
  store records and returns UTC.  Times inside plain data (``edition_data``,
  :class:`~digest.store.types.RunRecord`) are UTC ISO 8601 strings.
* **Transactions.**  Each method is atomic on its own: a write that raises
  changes nothing.
* **Threads.**  A store object belongs to the thread that opened it; another
  thread asks :meth:`LifecycleStore.reopen` for its own.
* **Articles and editions** go in and out as the model's dataclasses; editions are
  kept in their plain-data form (:mod:`digest.codec`), so what was sent can always
  be read back exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from ..model import Article, Delivery, Edition, Renditions, RunStatus, Skipped
from .types import (
    ArchivedRecord,
    BounceKind,
    BounceResult,
    Claim,
    DeliveryCounts,
    DeliveryTotals,
    FileFingerprint,
    PushSubscription,
    RunRecord,
    Subscriber,
    SubscriberCounts,
    SubscriberEvent,
    Suppression,
    UpsertCounts,
)


class LifecycleStore(Protocol):
    """Opening another connection and closing this one."""

    def close(self) -> None:
        """Close the store; it is not used afterwards."""

    def reopen(self) -> Store | None:
        """Another connection to the same store for another thread (``None`` if
        the store cannot be shared, as an in-memory one)."""

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


class ArticleStore(Protocol):
    """Articles upserted by id; inputs kept aside with their reason."""

    def upsert_articles(self, articles: Iterable[Article]) -> UpsertCounts:
        """Insert new articles, replace changed ones, count the unchanged."""

    def articles_between(self, start: datetime, end: datetime) -> list[Article]:
        """Articles published or updated in ``[start, end]``, newest first."""

    def article(self, article_id: str) -> Article | None:
        """One article by id."""

    def article_ids_starting(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids starting with ``prefix`` (at most ``limit``), sorted."""

    def count_articles(self) -> int:
        """How many articles are stored."""

    def replace_skipped(self, source: str, skipped: Iterable[Skipped]) -> None:
        """Make ``skipped`` the inputs of ``source`` kept aside."""

    def skipped(self) -> list[Skipped]:
        """Every input kept aside, by source and item."""


class HttpCacheStore(Protocol):
    """Validators for conditional GETs of fetched sources."""

    def http_validators(self, url: str) -> tuple[str, str]:
        """``(etag, last_modified)`` ``url`` last answered with (``""`` if none)."""

    def remember_validators(self, url: str, etag: str, last_modified: str) -> None:
        """Keep a URL's validators for the next fetch."""


class EditionStore(Protocol):
    """Editions as selected, renditions as sent, and what the archive reads."""

    def save_edition(self, edition: Edition) -> None:
        """Record (or replace) an edition's selection."""

    def edition_data(self, edition_id: str) -> dict[str, Any] | None:
        """A recorded edition as plain data."""

    def edition(self, edition_id: str) -> Edition | None:
        """A recorded edition."""

    def save_renditions(self, renditions: Renditions) -> None:
        """Record an edition's renditions (placeholders left in)."""

    def picked_articles(
        self, since: datetime, before: datetime, *, exclude: str = ""
    ) -> list[tuple[str, datetime, Article]]:
        """``(edition id, as_of, article)`` picked by sent editions in ``[since, before)``."""

    def last_sent_edition(
        self, before: datetime, *, other_than: str
    ) -> tuple[str, datetime] | None:
        """The newest sent edition before ``before``: id and moment."""

    def delivered_edition_ids(self) -> list[str]:
        """Ids of the sent editions, newest first."""

    def delivered_editions(self) -> list[ArchivedRecord]:
        """The sent editions with their renditions, newest first."""

    def prunable_editions(self, before: datetime) -> tuple[list[str], list[str]]:
        """Edition records made before ``before`` a prune changes: ``(to delete,
        to slim)``: unsent ones with no delivery log, and sent ones not slimmed yet."""

    def delete_edition(self, edition_id: str) -> bool:
        """Forget an unsent edition with no delivery log (record and renditions)."""

    def slim_edition(self, edition_id: str, *, now: datetime) -> bool:
        """Drop a sent edition's rejections (picks and renditions stay); mark it pruned."""


class DeliveryStore(Protocol):
    """The delivery log."""

    def delivery(self, edition_id: str, sender: str, recipient: str) -> Delivery | None:
        """One recorded delivery."""

    def deliveries(self, edition_id: str | None = None) -> list[Delivery]:
        """Recorded deliveries, of one edition or of all."""

    def register_deliveries(
        self, edition_id: str, sender: str, recipients: Sequence[str]
    ) -> dict[str, tuple[str, int]]:
        """Record recipients as pending (if new); each one's ``(status, attempts)``,
        status ``claimed`` for a pending one a worker holds (lease not run out)."""

    def record_deliveries(self, edition_id: str, sender: str, finished: Iterable[Delivery]) -> None:
        """Record the outcome of each delivery in ``finished`` at once; a final one
        ends a worker's claim on it."""

    def delivery_counts(self, edition_id: str | None = None) -> DeliveryCounts:
        """Deliveries by status per ``(edition_id, sender)``."""

    def was_mailed(self, address: str) -> bool:
        """Whether any delivery to ``address`` (any case) was recorded."""

    def permanent_failures(self, edition_id: str, sender: str) -> list[tuple[str, str]]:
        """``(recipient, error)`` of the deliveries refused with a 5xx answer."""

    def delivery_totals(self, edition_id: str | None = None) -> list[DeliveryTotals]:
        """Totals kept for pruned editions, by edition and sender."""

    def deliveries_pruned(self, edition_id: str) -> datetime | None:
        """When an edition's delivery log was pruned, or ``None``."""

    def prunable_deliveries(self, before: datetime, *, now: datetime) -> list[tuple[str, int]]:
        """``(edition id, rows)`` of editions made before ``before`` with rows in the
        log, but none a worker still holds a claim on at ``now``."""

    def prune_deliveries(self, edition_id: str, *, limit: int, now: datetime) -> int:
        """Sum an edition's log up into its totals (first call), then delete up to
        ``limit`` of its rows in one short transaction; how many went."""


class ClaimStore(Protocol):
    """Workers' claims on pending deliveries (see :mod:`digest.store.claims`)."""

    def claim_deliveries(
        self,
        edition_id: str,
        sender: str,
        recipients: Sequence[str],
        owner: str,
        *,
        lease_seconds: float,
        now: datetime,
        take_from: Iterable[str] = (),
    ) -> dict[str, Claim]:
        """Claim the pending deliveries of ``recipients`` (recorded as pending
        first if new) for ``owner`` until ``now + lease_seconds``: those unclaimed,
        already ``owner``'s, past their lease, or held by a worker in
        ``take_from``; in one statement, so no two owners hold one delivery.
        Every recipient's :class:`Claim` afterwards."""

    def claimed_deliveries(self, edition_id: str, sender: str) -> dict[str, str]:
        """The pending deliveries some worker holds: recipient → holder."""

    def renew_claims(
        self,
        edition_id: str,
        sender: str,
        recipients: Sequence[str],
        owner: str,
        *,
        lease_seconds: float,
        now: datetime,
    ) -> int:
        """Extend ``owner``'s claims among ``recipients``; how many it holds."""

    def release_claims(
        self, edition_id: str, sender: str, recipients: Sequence[str], owner: str
    ) -> None:
        """Give up ``owner``'s claims among ``recipients``."""

    def drop_deliveries(
        self, edition_id: str, sender: str, recipients: Sequence[str], owner: str
    ) -> int:
        """Delete ``owner``'s claimed, never attempted deliveries among
        ``recipients``; how many."""


class RunStore(Protocol):
    """Runs of editions and how they ended."""

    def start_run(self, edition_id: str) -> int:
        """Record a run as started; its id."""

    def finish_run(self, run_id: int, status: RunStatus, message: str = "") -> None:
        """Record how a running run ended (a run already finished keeps its verdict)."""

    def runs(self, edition_id: str | None = None) -> list[RunRecord]:
        """Recorded runs, newest first."""

    def last_run_status(self, edition_id: str) -> RunStatus | None:
        """The status of an edition's newest run."""

    def record_run(self, edition_id: str, status: RunStatus, message: str) -> None:
        """Record a run that only reached a verdict."""

    def fail_running(self, edition_id: str, message: str) -> None:
        """Mark an edition's unfinished runs failed."""

    def prune_runs(self, before: datetime, *, dry_run: bool = False) -> int:
        """Forget finished runs started before ``before``; how many."""


class LockStore(Protocol):
    """Named locks with a time to live."""

    def acquire_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take a free, expired or own lock; the holder afterwards."""

    def renew_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> bool:
        """Extend ``owner``'s lock; ``False`` if it is no longer theirs."""

    def take_lock(
        self, name: str, holder: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take a lock over from a holder known to be gone; the holder afterwards."""

    def release_lock(self, name: str, owner: str) -> None:
        """Give up ``owner``'s lock."""


class SubscriberStore(Protocol):
    """Email subscribers and their lists."""

    def add_subscribers(self, subscribers: Iterable[Subscriber]) -> SubscriberCounts:
        """Add or update subscribers by address; an unsubscribe is for good."""

    def unsubscribe(self, address: str, *, source: str = "cli", detail: str = "") -> bool:
        """Unsubscribe an address for good; ``False`` if unknown."""

    def subscriber(self, address: str) -> Subscriber | None:
        """One subscriber by address (any case)."""

    def iter_subscribers(
        self, list_name: str = "default", *, page: int = 1000
    ) -> Iterator[Subscriber]:
        """A list's active subscribers by address, read a page at a time."""

    def active_subscribers(self, list_name: str, addresses: Sequence[str]) -> list[Subscriber]:
        """Those of ``addresses`` that are active subscribers of a list, by address."""

    def count_subscribers(self, list_name: str = "default") -> int:
        """How many active subscribers a list has."""

    def lists_of(self, address: str) -> list[str]:
        """The lists an address is on, sorted."""

    def is_active(self, address: str) -> bool:
        """Whether an address is subscribed and not suppressed."""

    def set_lists(self, address: str, lists: Iterable[str], *, source: str) -> bool:
        """Make ``lists`` a known address's lists; ``False`` if unknown."""


class AudienceStore(Protocol):
    """Subscriber history, sign-up, bounces and suppression, replays."""

    def history(self, address: str) -> list[SubscriberEvent]:
        """An address's recorded changes, oldest first."""

    def record_signup(self, address: str, *, source: str, detail: str = "") -> None:
        """Note a sign-up request (not active until confirmed)."""

    def confirm_subscriber(
        self, address: str, *, name: str, lists: Iterable[str], source: str
    ) -> None:
        """Make a confirmed address active on ``lists``."""

    def record_bounce(
        self, address: str, kind: BounceKind, *, source: str, detail: str = "", soft_limit: int = 3
    ) -> BounceResult:
        """Apply a bounce, complaint or delivery report to an address."""

    def suppression(self, address: str) -> Suppression | None:
        """Why an address is suppressed."""

    def suppressions(self) -> list[Suppression]:
        """Every suppressed address, newest first."""

    def first_time(self, key: str) -> bool:
        """Remember ``key``; ``True`` only the first time."""


class PushStore(Protocol):
    """Browsers' Web Push subscriptions."""

    def save_push_subscription(self, subscription: PushSubscription) -> bool:
        """Store (or update the keys of) a subscription; ``True`` if it is new."""

    def delete_push_subscriptions(self, ids: Iterable[str]) -> int:
        """Forget subscriptions by id; how many were there."""

    def push_subscriptions(self) -> Iterator[PushSubscription]:
        """Every subscription, oldest first."""

    def count_push_subscriptions(self) -> int:
        """How many browsers are subscribed."""


class FileStore(Protocol):
    """Local source files as they were when last read (ingest skips unchanged ones)."""

    def file_fingerprint(self, path: str) -> FileFingerprint | None:
        """How ``path`` was when last read, or ``None``."""

    def remember_file(self, path: str, fingerprint: FileFingerprint) -> None:
        """Record how ``path`` was when it was read."""


class Store(
    LifecycleStore,
    ArticleStore,
    HttpCacheStore,
    EditionStore,
    DeliveryStore,
    ClaimStore,
    RunStore,
    LockStore,
    SubscriberStore,
    AudienceStore,
    PushStore,
    FileStore,
    Protocol,
):
    """Everything `digest` remembers (see the module's conventions)."""
