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
    cannot help).  Times in anything it records are UTC.
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
        """The recipients of one edition (a channel id, an export folder...)."""
        ...

    def send(self, outgoing: Outgoing, recipient: str) -> SendResult:
        """Deliver the edition to one recipient."""
        ...


class SenderFactory(Protocol):
    """How the registry builds a sender: a class taking its name and options.

    Raises :class:`~digest.errors.ConfigError` naming ``senders.NAME.KEY`` for a
    bad option.
    """

    type_name: ClassVar[str]

    def __call__(self, name: str, options: Mapping[str, Any], *, base_dir: Any) -> Sender: ...
