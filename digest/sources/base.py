"""What every reader shares: its options and the protocol it implements."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from importlib import resources
from ipaddress import IPv4Network, IPv6Network
from typing import Protocol

from ..model import SourceResult


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled boilerplate rules for page dumps (see ``boilerplate.toml``)."""

    drop_lines: tuple[re.Pattern[str], ...] = ()
    stop_markers: tuple[re.Pattern[str], ...] = ()
    #: A line matching one of these is dropped with the line after it
    #: ("READ ALSO" above a related headline).
    drop_with_next: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def compile(
        cls,
        drop_lines: list[str] | tuple[str, ...],
        stop_markers: list[str] | tuple[str, ...],
        drop_with_next: list[str] | tuple[str, ...] = (),
    ) -> Boilerplate:
        """Compile patterns (case-insensitive).  Raises :class:`re.error` on a bad one."""
        return cls(
            tuple(re.compile(p, re.I) for p in drop_lines),
            tuple(re.compile(p, re.I) for p in stop_markers),
            tuple(re.compile(p, re.I) for p in drop_with_next),
        )

    @classmethod
    def builtin(cls) -> Boilerplate:
        """The rules shipped with `digest`, good for most news sites."""
        data = tomllib.loads(
            resources.files("digest.sources").joinpath("boilerplate.toml").read_text("utf-8")
        )
        return cls.compile(data["drop_lines"], data["stop_markers"], data.get("drop_with_next", ()))

    def extended(self, other: Boilerplate) -> Boilerplate:
        """These rules plus ``other``'s."""
        return Boilerplate(
            self.drop_lines + other.drop_lines,
            self.stop_markers + other.stop_markers,
            self.drop_with_next + other.drop_with_next,
        )

    def drops(self, line: str) -> bool:
        """Whether a stripped line is boilerplate to drop."""
        return any(p.search(line) for p in self.drop_lines)

    def drops_with_next(self, line: str) -> bool:
        """Whether a stripped line is a label dropped together with the line after it."""
        return any(p.search(line) for p in self.drop_with_next)

    def stops(self, line: str) -> bool:
        """Whether a stripped line marks the end of the article."""
        return any(p.search(line) for p in self.stop_markers)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read one source: who publishes it and how to clean it."""

    #: Name used in reports and as part of ids for items without a URL.
    source: str
    publisher: str = ""
    #: Zone for times printed without one.
    timezone: tzinfo = UTC
    boilerplate: Boilerplate = field(default_factory=Boilerplate)
    #: For page dumps with no URL line: a template with ``{slug}`` and ``{section}``.
    url_template: str = ""
    #: When the document was saved or fetched (UTC): relative times on a page
    #: ("2 hours ago") count back from it, and a feed item with no date at all
    #: is dated by it.  ``None``: such times are unreadable.
    reference_time: datetime | None = None
    #: ``Content-Type`` of a fetched document (its charset beats the XML declaration).
    content_type: str = ""
    #: Non-public networks (``10.0.0.0/8``) this source may be fetched from.
    allow_networks: tuple[IPv4Network | IPv6Network, ...] = ()


class Reader(Protocol):
    """Parses the bytes of one source into articles.

    Never raises for a bad item: the item is reported in ``SourceResult.skipped``
    with its reason and the rest is kept.  Raises :class:`~digest.errors.SourceError`
    when the whole input is unusable (not this kind of document, hostile XML...).
    Every time in the result is tz-aware UTC.
    """

    def __call__(self, data: bytes, options: ReadOptions) -> SourceResult: ...
