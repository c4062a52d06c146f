"""What every reader shares: its options and the protocol it implements."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cache
from importlib import resources
from ipaddress import IPv4Network, IPv6Network
from typing import Any, Protocol

from ..model import SourceResult
from . import prefilter


@cache
def builtin_boilerplate() -> dict[str, Any]:
    """The shipped ``boilerplate.toml``, parsed once: its rules
    (:meth:`Boilerplate.builtin`) and the words of the page reader's own rules
    (its ``[reader]`` table)."""
    return tomllib.loads(
        resources.files("digest.sources").joinpath("boilerplate.toml").read_text("utf-8")
    )


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled boilerplate rules for page dumps (see ``boilerplate.toml``)."""

    drop_lines: tuple[re.Pattern[str], ...] = ()
    stop_markers: tuple[re.Pattern[str], ...] = ()
    #: A line matching one of these is dropped with the line after it
    #: ("READ ALSO" above a related headline).
    drop_with_next: tuple[re.Pattern[str], ...] = ()
    # The rules anchored at the line's start, as one pattern: one match a line
    # instead of one a rule; the other rules are searched one by one.
    _drops: _Joined | None = field(default=None, init=False, repr=False, compare=False)
    _stops: _Joined | None = field(default=None, init=False, repr=False, compare=False)
    _with_next: _Joined | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_drops", _Joined.of(self.drop_lines))
        object.__setattr__(self, "_stops", _Joined.of(self.stop_markers))
        object.__setattr__(self, "_with_next", _Joined.of(self.drop_with_next))

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
        data = builtin_boilerplate()
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
        if self._drops is not None:
            return self._drops.search(line)
        return any(p.search(line) for p in self.drop_lines)

    def drops_with_next(self, line: str) -> bool:
        """Whether a stripped line is a label dropped together with the line after it."""
        if self._with_next is not None:
            return self._with_next.search(line)
        return any(p.search(line) for p in self.drop_with_next)

    def stops(self, line: str) -> bool:
        """Whether a stripped line marks the end of the article."""
        if self._stops is not None:
            return self._stops.search(line)
        return any(p.search(line) for p in self.stop_markers)


#: How a crawler labels the note of when it saved a page ("fetched_at:",
#: "Crawled on:", "saved:"): shared by the text-dump and HTML readers.
FETCHED_NOTE_LABEL = r"(?:fetched|crawled|saved|retrieved)(?:[ _]at| on)?"
_BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=")


@dataclass(frozen=True, slots=True)
class _Joined:
    """Rules anchored at the start (``^…``, no ``|`` outside brackets) joined into
    one pattern matched at the line's start, and the other rules as they are.

    So that a line is not tried against rules it cannot match, the anchored rules
    are also joined per character they can start with (``by_first``, for lines
    opening with an ASCII character), and each other rule is searched only in
    lines holding the word it needs (``needs``; see :mod:`.prefilter`)."""

    anchored: re.Pattern[str]
    others: tuple[re.Pattern[str], ...]
    #: The anchored rules that can start with a (lower-cased) character.
    by_first: dict[str, re.Pattern[str]]
    #: The anchored rules whose first character is not known (``None``: none).
    unknown_first: re.Pattern[str] | None
    #: The lower-cased word each of ``others`` needs (``""``: none known).
    needs: tuple[str, ...]

    @classmethod
    def of(cls, patterns: tuple[re.Pattern[str], ...]) -> _Joined | None:
        """The rules joined, or ``None`` if too few are anchored to gain."""
        flags = patterns[0].flags if patterns else 0
        anchored = [p for p in patterns if _joinable(p, flags)]
        if len(anchored) < 2:
            return None
        firsts = [prefilter.first_chars(p.pattern[1:], flags) for p in anchored]
        unknown = [p for p, chars in zip(anchored, firsts, strict=True) if chars is None]
        by_first: dict[str, re.Pattern[str]] = {}
        try:
            joined = _joined(anchored, flags)
            known: set[str] = set()
            for chars in firsts:
                known |= chars or set()
            for char in sorted(known):
                if char.isascii():
                    able = [p for p, c in zip(anchored, firsts, strict=True) if c and char in c]
                    by_first[char] = _joined(able, flags)
            unknown_first = _joined(unknown, flags) if unknown else None
        except re.error:
            return None
        others = tuple(p for p in patterns if p not in anchored)
        needs = tuple(prefilter.required_word(p.pattern, p.flags) for p in others)
        return cls(joined, others, by_first, unknown_first, needs)

    def search(self, line: str) -> bool:
        """Whether any rule matches the line."""
        if self._starts(line):
            return True
        if not self.others:
            return False
        lowered = line.lower()
        plain = prefilter.folds_plainly(line)
        return any(
            (not need or need in lowered or not plain) and p.search(line)
            for p, need in zip(self.others, self.needs, strict=True)
        )

    def _starts(self, line: str) -> bool:
        """Whether an anchored rule matches the line."""
        head = line[:1]
        if not head or not head.isascii():
            return self.anchored.match(line) is not None
        able = self.by_first.get(head.lower())
        if able is not None and able.match(line) is not None:
            return True
        return self.unknown_first is not None and self.unknown_first.match(line) is not None


def _joined(patterns: list[re.Pattern[str]], flags: int) -> re.Pattern[str]:
    """Anchored rules as one pattern for :meth:`re.Pattern.match`."""
    return re.compile("|".join(f"(?:{p.pattern[1:]})" for p in patterns), flags)


def _joinable(pattern: re.Pattern[str], flags: int) -> bool:
    """Whether a rule is ``^`` then a pattern with no ``|`` outside brackets (so
    it is anchored as a whole), with the common flags and no back reference."""
    text = pattern.pattern
    if not text.startswith("^") or pattern.flags != flags or _BACK_REFERENCE.search(text):
        return False
    depth, in_class, escaped = 0, False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return True


def _utc_now() -> datetime:
    """The wall clock in UTC: :attr:`ReadOptions.clock` unless one is injected."""
    return datetime.now(UTC)


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
    #: Whether numeric dates that read both ways (``9/11/13``) put the month
    #: first: the page's own habit, found by :func:`~.pagemeta.numeric_order`
    #: when a page is read; ``None``: not known (read day first).
    month_first: bool | None = None
    #: ``Content-Type`` of a fetched document (its charset beats the XML declaration).
    content_type: str = ""
    #: Non-public networks (``10.0.0.0/8``) this source may be fetched from.
    allow_networks: tuple[IPv4Network | IPv6Network, ...] = ()
    #: The time now (tz-aware): a page with no time printed and no crawl time is
    #: dated when it is read.  Injected so that tests and replays read the same
    #: page the same way on any day.
    clock: Callable[[], datetime] = field(default=_utc_now, compare=False)


class Reader(Protocol):
    """Parses the bytes of one source into articles.

    Never raises for a bad item: the item is reported in ``SourceResult.skipped``
    with its reason and the rest is kept.  Raises :class:`~digest.errors.SourceError`
    when the whole input is unusable (not this kind of document, hostile XML...).
    Every time in the result is tz-aware UTC.
    """

    def __call__(self, data: bytes, options: ReadOptions) -> SourceResult: ...
