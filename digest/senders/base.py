"""The sender protocol: what every destination implements.

A sender is built from its ``[senders.NAME]`` options, says which rendition it
consumes and what limits it has, describes itself without secrets, and hands one
edition's renditions to its recipients.  Secrets are read from environment
variables named in the options, never from the options themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

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


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who one message goes to: an address, a topic, a channel id...

    ``id`` is what the delivery log records; ``name`` is a display name (email).
    """

    id: str
    name: str = ""


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
    called from ``limits.connections`` threads at once, after ``prepare`` and before
    ``close``.  Times in anything it records are UTC.

    A sender with a ``subscriber_list`` mails the active subscribers of that list in
    the store instead of its own ``recipients()``.
    """

    #: The registered type name (``file``, ``smtp``...).
    type_name: ClassVar[str]
    #: The rendition this sender delivers.
    consumes: ClassVar[RenditionKind]
    limits: Limits
    #: Name of the store's subscriber list to deliver to, or ``None``.
    subscriber_list: str | None

    def describe(self) -> str:
        """A one-line, log-safe description: destination, never secrets."""
        ...

    def recipients(self) -> Iterable[Recipient]:
        """The recipients of one edition (a channel id, an export folder...)."""
        ...

    def prepare(self, outgoing: Outgoing) -> None:
        """Do once per edition what every message shares (serialise the email...)."""
        ...

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Deliver the edition to one recipient."""
        ...

    def close(self) -> None:
        """Release connections; the sender may be prepared and used again."""
        ...


class SenderFactory(Protocol):
    """How the registry builds a sender: a class taking its name and options.

    Raises :class:`~digest.errors.ConfigError` naming ``senders.NAME.KEY`` for a
    bad option.
    """

    type_name: ClassVar[str]

    def __call__(self, name: str, options: Mapping[str, Any], *, base_dir: Any) -> Sender: ...
