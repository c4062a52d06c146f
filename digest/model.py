"""The data that flows through the pipeline, as plain dataclasses.

Every stage takes and returns these types and nothing else, so each stage can be
run, tested and previewed on its own.  All datetimes are timezone-aware and in UTC;
conversion to a reader's local time happens only when text is rendered.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import repeat
from typing import Any, Literal

#: Canonical section for the stories a World News digest is made of.
WORLD = "world"


@dataclass(frozen=True, slots=True)
class Image:
    """An article's lead picture."""

    url: str
    alt: str = ""
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """One story as read from a source, normalised.

    ``id`` is stable: re-reading the same story yields the same id, so a later
    version replaces the earlier one in the store.
    """

    id: str
    url: str
    title: str
    published_at: datetime
    summary: str = ""
    body: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    updated_at: datetime | None = None
    dateline: str = ""
    agency: str = ""
    byline: str = ""
    image: Image | None = None
    language: str = "en"
    publisher: str = ""
    source: str = ""
    #: The page printed no readable time: ``published_at`` is when it was crawled
    #: (the file's modification time or its ``fetched_at:`` line), not a publication time.
    time_from_crawl: bool = False

    @property
    def last_changed(self) -> datetime:
        """The newest of the published and updated times."""
        if self.updated_at and self.updated_at > self.published_at:
            return self.updated_at
        return self.published_at


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not become an article, and why."""

    source: str
    item: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What one source (a file, a feed URL) yielded."""

    source: str
    articles: tuple[Article, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    #: Set when the whole source failed (unreadable file, HTTP error...).
    error: str = ""
    #: A fetched source unchanged since it was last read (HTTP 304 Not Modified).
    not_modified: bool = False
    #: Validators of a fetched source, for the next conditional GET.
    etag: str = ""
    last_modified: str = ""


class CapLift(StrEnum):
    """Why a pick was taken past a diversity cap.  The values are stored in
    editions: a new wording is a new member, not an edit of one."""

    #: Past its event's cap (``max_per_event``): a development many outlets tell
    #: (with its fragments) is among the day's big stories.
    BREADTH = "told by many outlets"
    #: Every story left was held back by a cap (its event's or its country's), and
    #: an empty slot helps nobody.
    NO_OTHER_STORY = "no other story left"


@dataclass(frozen=True, slots=True)
class Pick:
    """An article chosen for an edition, with its score and why it was chosen."""

    article: Article
    score: float
    reasons: tuple[str, ...] = ()
    #: Other outlets that told the same story ("also reported by").
    also_reported_by: tuple[str, ...] = ()
    #: Headline to show instead of the article's own (editorial override).
    headline: str = ""
    #: The outlet that published the lead article, as the selector names it.
    outlet: str = ""
    #: Why it was taken past a diversity cap (its reasons say so too), or ``None``
    #: when it was not.
    cap_lifted: CapLift | None = None

    @property
    def title(self) -> str:
        """The headline to print: the editor's override, else the article's."""
        return self.headline or self.article.title


class LeftOut(StrEnum):
    """The kinds of reason a candidate is left out of an edition, one per stage."""

    BLOCKED = "blocked by editor"
    FUTURE = "published after the edition time"
    STALE = "outside the time window"
    NOT_WORLD = "not World News"
    NOT_HARD_NEWS = "not hard news"
    SAME_STORY = "same story as"
    ALREADY_SENT = "already sent"
    DIVERSITY = "diversity"
    RANKED_BELOW = "ranked below"

    @classmethod
    def of_reason(cls, reason: str) -> LeftOut | None:
        """The kind a reason sentence starts with (records written before kinds
        were kept), or ``None``."""
        return next((kind for kind in cls if reason.startswith(kind.value)), None)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidate that was left out of an edition: the stage's typed ``kind`` and
    a sentence saying why."""

    article: Article
    reason: str
    score: float | None = None
    kind: LeftOut | None = None


@dataclass(frozen=True, slots=True)
class Edition:
    """One day's selection: the picks, in order, and what was left out.

    ``id`` names the edition (``world-2020-11-23``) and is the same however often
    it is built, which is what makes a run idempotent.
    """

    id: str
    as_of: datetime
    timezone: str
    picks: tuple[Pick, ...]
    rejections: tuple[Rejection, ...] = ()
    window_start: datetime | None = None

    @property
    def lead(self) -> Pick | None:
        """The top pick, if there is any."""
        return self.picks[0] if self.picks else None


@dataclass(frozen=True, slots=True)
class EmailRendition:
    """The finished email: subject, preheader, inlined HTML and its plain-text twin."""

    subject: str
    preheader: str
    html: str
    text: str


@dataclass(frozen=True, slots=True)
class PushRendition:
    """A push notification: short title and body, where a tap leads, an image."""

    title: str
    body: str
    url: str
    image: str = ""


@dataclass(frozen=True, slots=True)
class WhatsAppRendition:
    """A WhatsApp Channel post: WhatsApp-formatted text with plain URLs."""

    text: str


@dataclass(frozen=True, slots=True)
class TelegramRendition:
    """A Telegram channel post in the Bot API's HTML parse mode (text escaped, our
    own ``<b>``, ``<i>`` and ``<a href>`` only).

    ``text`` is the whole post (at most 4,096 characters as shown, tags not
    counted); when the lead story has a picture, ``photo`` is its address and
    ``caption`` a shorter post (at most 1,024 as shown) to go under it.
    ``preview_url`` is the link a text post may show a preview of (the lead's).
    """

    text: str
    caption: str = ""
    photo: str = ""
    preview_url: str = ""


@dataclass(frozen=True, slots=True)
class RenderedImage:
    """A picture resized for the email: the file ``name`` the email links (under
    ``[render.images] base_url``), where it is kept (``path``), its media type and
    pixel size.  Exports write it as ``images/<name>``."""

    name: str
    path: str
    media_type: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Renditions:
    """The versions of one edition, one per channel format, rendered once and shared
    by every sender, and the resized pictures the email links to (empty unless
    configured)."""

    edition_id: str
    email: EmailRendition
    push: PushRendition
    whatsapp: WhatsAppRendition
    telegram: TelegramRendition
    images: tuple[RenderedImage, ...] = ()
    #: How the subject, preheader and push title were fitted (shown by the preview).
    notes: tuple[str, ...] = ()


RenditionKind = Literal["email", "push", "whatsapp", "telegram", "all"]

DeliveryStatus = Literal["pending", "sent", "failed"]
#: Every delivery status, in the order reports list them.
DELIVERY_STATUSES: tuple[DeliveryStatus, ...] = ("sent", "failed", "pending")


class RunStatus(StrEnum):
    """How a recorded run of an edition stands."""

    #: Started and not finished (or its process died).
    RUNNING = "running"
    #: Sent to every sender (some messages may have failed: see ``FAILED``).
    DONE = "done"
    #: Not sent: not enough news, or nothing new since the last edition.
    HELD = "held"
    #: Raised, passed its time limit, or some messages failed.
    FAILED = "failed"
    #: Told to stop (SIGTERM) before it finished.
    STOPPED = "stopped"
    #: Missed by the scheduler beyond its grace window: never sent late.
    SKIPPED = "skipped"

    @property
    def settled(self) -> bool:
        """Whether the scheduler never runs this edition again."""
        return self in (RunStatus.DONE, RunStatus.HELD, RunStatus.SKIPPED)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One (edition, sender, recipient) hand-over and its outcome."""

    edition_id: str
    sender: str
    recipient: str
    status: DeliveryStatus = "pending"
    attempts: int = 0
    last_error: str = ""
    provider_id: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    """What a sender reports for one message it handed over."""

    recipient: str
    provider_id: str = ""
    detail: str = ""

    @classmethod
    def many(
        cls, recipients: Sequence[str], provider_ids: str | Sequence[str] = "", detail: str = ""
    ) -> list[SendResult]:
        """A result per recipient, in order: ``provider_ids`` one for all (a
        batch's id) or one each.  The same results as calling the class for each,
        made a field at a time: a frozen class's ``__init__`` sets every field
        through ``object.__setattr__``, which was most of the cost of a
        1,000-recipient batch's outcomes."""
        n = len(recipients)
        ids: Iterable[str] = provider_ids
        if isinstance(provider_ids, str):
            ids = repeat(provider_ids, n)
        elif len(provider_ids) != n:
            raise ValueError(f"{len(provider_ids)} provider ids for {n} recipients")
        made = list(map(object.__new__, repeat(cls, n)))
        for field, values in ((_RECIPIENT, recipients), (_PROVIDER_ID, ids)):
            deque(map(field.__set__, made, values), maxlen=0)
        deque(map(_DETAIL.__set__, made, repeat(detail, n)), maxlen=0)
        return made


# The slots' own setters, which a frozen class's __setattr__ does not guard.
_RECIPIENT, _PROVIDER_ID, _DETAIL = (SendResult.__dict__[f] for f in SendResult.__slots__)


def to_plain(value: Any) -> Any:
    """Turn dataclasses (and datetimes) into JSON-ready dicts, lists and strings.

    Datetimes become ISO 8601 strings; tuples become lists.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


__all__ = [
    "DELIVERY_STATUSES",
    "WORLD",
    "Article",
    "CapLift",
    "Delivery",
    "DeliveryStatus",
    "Edition",
    "EmailRendition",
    "Image",
    "LeftOut",
    "Pick",
    "PushRendition",
    "Rejection",
    "RenderedImage",
    "RenditionKind",
    "Renditions",
    "RunStatus",
    "SendResult",
    "Skipped",
    "SourceResult",
    "TelegramRendition",
    "WhatsAppRendition",
    "to_plain",
]
