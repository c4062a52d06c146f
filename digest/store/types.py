"""The values the store hands back (besides the model's articles, editions and
deliveries).  Times are tz-aware UTC."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypedDict

from ..model import RunStatus

#: What a bounce source can say about one address.
BounceKind = Literal["hard", "soft", "complaint", "delivered"]
#: What recording a bounce did to the address.
BounceResult = Literal["suppressed", "counted", "reset", "unchanged"]
#: Soft bounces in a row (without a delivery in between) that suppress an address.
SOFT_BOUNCE_LIMIT = 3


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """How an upsert changed the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """A local source file as it was when last read into the store."""

    size: int
    #: Modification time in nanoseconds; ``-1`` when it was too recent to trust
    #: (the file could change again within the same clock tick), so the content
    #: hash decides next time.
    mtime_ns: int
    sha256: str
    #: A digest of the reader settings the file was read with.
    settings: str


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """A browser's Web Push subscription, as ``PushSubscription.toJSON()`` gives it:
    the push service's ``endpoint`` and the browser's keys (base64url)."""

    endpoint: str
    p256dh: str
    auth: str

    @property
    def id(self) -> str:
        """How the delivery log names it: a hash of the endpoint (a secret URL)."""
        return "webpush:" + hashlib.sha256(self.endpoint.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Subscriber:
    """An email subscriber: address, display name, list, whether they left, and the
    name a greeting uses (empty: the first word of ``name``)."""

    address: str
    name: str = ""
    list: str = "default"
    unsubscribed: bool = False
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class SubscriberCounts:
    """How an import changed the subscriber list."""

    new: int = 0
    updated: int = 0
    unsubscribed: int = 0


@dataclass(frozen=True, slots=True)
class SubscriberEvent:
    """One entry of a subscriber's history."""

    address: str
    at: datetime
    event: str
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why and since when an address gets no mail."""

    address: str
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ArchivedRecord:
    """An edition that reached someone, as recorded: its moment and renditions."""

    edition_id: str
    as_of: datetime
    #: The edition as recorded (picks with their articles), plain data.
    edition: dict[str, Any]
    renditions: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeliveryTotals:
    """What an edition's delivery log said for one sender when its rows were pruned.

    ``refused`` counts the failures a server refused with a 5xx answer while
    sending (synchronous bounces); ``attempts`` all attempts made; ``first_at`` and
    ``last_at`` the first and last recorded outcome.
    """

    edition_id: str
    sender: str
    sent: int
    failed: int
    pending: int
    refused: int
    attempts: int
    first_at: datetime | None
    last_at: datetime | None
    pruned_at: datetime


class RunRecord(TypedDict):
    """One recorded run of an edition (times as UTC ISO 8601 strings)."""

    id: int
    edition_id: str
    started_at: str
    finished_at: str | None
    status: RunStatus
    message: str


#: Counts of deliveries by status, per ``(edition_id, sender)``.
DeliveryCounts = dict[tuple[str, str], dict[str, int]]


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery as a worker's claim left it.

    ``status`` is ``sent`` or ``failed`` (done: nothing to do) or ``pending``;
    a pending one is the claimant's to send when ``holder`` is ``""``, and held by
    the worker ``holder`` (whose lease has not run out) otherwise.
    """

    status: str
    attempts: int
    holder: str = ""
