"""The sender protocol: what every destination implements.

A sender is built from its ``[senders.NAME]`` options, says which rendition it
consumes and what limits it has, describes itself without secrets, and hands one
edition's renditions to its recipients.  Secrets are read from environment
variables named in the options, never from the options themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from ..errors import SendError
from ..model import Edition, RenditionKind, Renditions, SendResult


@dataclass(frozen=True, slots=True)
class Limits:
    """What a destination accepts; ``None`` means no limit of that kind."""

    max_message_bytes: int | None = None
    messages_per_second: float | None = None
    max_title_chars: int | None = None
    max_body_chars: int | None = None
    #: How many messages may be in flight at once (parallel connections).
    connections: int = 1
    #: How many recipients one call of ``send_batch`` may take (1: no batch API).
    batch_size: int = 1
    #: ``send_batch`` builds a call while ``connections`` others are in flight:
    #: give it one calling thread more than ``connections`` (it still makes at
    #: most ``connections`` calls at once).
    overlap: bool = False


class Recipient(str):
    """Who one message goes to: an address, a topic, a channel id...

    The string itself is the id the delivery log records (``id`` says so
    explicitly); ``name`` is a display name and ``first_name`` the name a greeting
    uses (email).  Being a string, it is what a sender written before display names
    existed expects.
    """

    name: str
    first_name: str

    def __new__(cls, id: str, name: str = "", first_name: str = "") -> Recipient:
        self = super().__new__(cls, id)
        self.name = name
        self.first_name = first_name
        return self

    @property
    def id(self) -> str:
        """The recipient's id, as a plain string."""
        return str(self)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Everything a sender needs for one edition, built before anything is sent."""

    edition: Edition
    #: As rendered, with recipient placeholders for senders that address people.
    renditions: Renditions
    #: Placeholders filled for nobody in particular (files, channels, webhooks).
    public: Renditions


@runtime_checkable
class Sender(Protocol):
    """A destination for renditions.

    ``send`` hands the edition to one recipient and returns what the provider said;
    it raises :class:`~digest.errors.SendError` (``permanent=True`` when retrying
    cannot help; :class:`~digest.errors.SenderUnavailable` when the destination as
    a whole cannot be reached, so nobody else should be tried now).  ``send`` may be
    called from ``limits.connections`` threads at once (``send_batch`` from one
    more when ``limits.overlap`` says so).  Times in anything it
    records are UTC.

    Optional, found by name when present (see :func:`hooks`): ``subscriber_list``
    (the store's subscriber list to deliver to instead of ``recipients()``),
    ``prepare(outgoing)`` (once per edition, before the first ``send``: what every
    message shares), ``close()`` (after the last ``send``: release connections),
    ``endpoints()`` (the servers ``digest check --reach`` tries) and
    ``use_store(store)`` (given the application's store when the sender is built,
    for a sender whose recipients live there, such as Web Push subscriptions; used
    from the calling thread only, i.e. in ``recipients`` and ``close``) and
    ``send_batch(outgoing, recipients)`` (a provider's batch API: up to
    ``limits.batch_size`` recipients in one call, returning one
    :class:`SendResult` or :class:`~digest.errors.SendError` per recipient, in
    order, or raising a :class:`~digest.errors.SendError` that holds for all) and
    ``send_then(outgoing, recipient, take)`` (``send``, which may call ``take()``
    for the recipient of the same thread's next call, if one is queued, to start
    on it with this message's last write: SMTP pipelining).
    """

    #: The registered type name (``file``, ``smtp``...).
    type_name: ClassVar[str]
    #: The rendition this sender delivers.
    consumes: ClassVar[RenditionKind]
    limits: Limits

    def describe(self) -> str:
        """A one-line, log-safe description: destination, never secrets."""
        ...

    def recipients(self) -> Iterable[str]:
        """The recipients of one edition (a channel id, an export folder...), as
        :class:`Recipient` or plain strings."""
        ...

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Deliver the edition to one recipient."""
        ...


#: What ``send_batch`` returns: one outcome per recipient, in order.
BatchOutcome = Sequence[SendResult | SendError]
BatchSend = Callable[[Outgoing, Sequence[Recipient]], BatchOutcome]
#: ``send_then(outgoing, recipient, take)``: ``take()`` hands over the recipient
#: of the same thread's next call, if one is queued (else ``None``).
SendThen = Callable[[Outgoing, Recipient, Callable[[], Recipient | None]], SendResult]


@dataclass(frozen=True, slots=True)
class Hooks:
    """A sender's optional parts, with do-nothing defaults."""

    subscriber_list: str | None
    prepare: Callable[[Outgoing], object]
    close: Callable[[], object]
    #: ``send_batch`` when the sender has one and ``limits.batch_size`` > 1.
    send_batch: BatchSend | None = None
    #: ``send_then`` when the sender has one: ``send``, able to take the
    #: recipient of the same thread's next call while it sends.
    send_then: SendThen | None = None


def hooks(sender: Sender) -> Hooks:
    """The optional parts of ``sender`` (see :class:`Sender`)."""
    listed = getattr(sender, "subscriber_list", None)
    batch = getattr(sender, "send_batch", None)
    then = getattr(sender, "send_then", None)
    return Hooks(
        subscriber_list=listed if isinstance(listed, str) else None,
        prepare=getattr(sender, "prepare", lambda outgoing: None),
        close=getattr(sender, "close", lambda: None),
        send_batch=batch if callable(batch) and sender.limits.batch_size > 1 else None,
        send_then=then if callable(then) else None,
    )


class SenderFactory(Protocol):
    """How the registry builds a sender: a class taking its name and options.

    Raises :class:`~digest.errors.ConfigError` naming ``senders.NAME.KEY`` for a
    bad option.
    """

    type_name: ClassVar[str]

    def __call__(self, name: str, options: Mapping[str, Any], *, base_dir: Any) -> Sender: ...
