"""Short fields of a feed (authors, names, dates) cut to a sane length before
feedparser reads them.

feedparser looks for an e-mail address in the text of ``<author>``,
``<dc:creator>``, ``<dc:publisher>``, ``<webMaster>``... with a regex that is
quadratic in a long run of letters: one 20,000-character author costs 3.7 s of
CPU, so a broken or hostile feed could stall ingest.  No real byline, address or
date is that long, so the text under such an element is cut to ``max_chars``
(``feedfields.toml``) here, in one linear pass over the bytes, and each cut is
logged naming the feed, the element and the item.  A feed with no over-long field
is returned unchanged (the same object), so normal feeds parse exactly as before.

The pass tokenises just enough XML to know where text is: CDATA sections count
as text, comments and processing instructions are passed over, and child
elements a hostile feed hides the text behind (``<author>x<b/>x</author>``) share
their outermost field's budget, since feedparser joins their text.  The parts of
a structured author (``<author><name>``, ``<email>``) have a budget each:
feedparser reads them one by one and never searches the author's own text then.
"""

from __future__ import annotations

import html
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

log = logging.getLogger("digest.sources")

_NAME = re.compile(rb"[A-Za-z_][\w.:-]*")


@dataclass(frozen=True, slots=True)
class FieldRules:
    """Which elements are short fields and how long their text may be."""

    max_chars: int
    #: Local names, lower-cased (``creator`` for ``dc:creator``).
    elements: frozenset[bytes]
    #: Where an item starts or ends (``item``, ``entry``), lower-cased.
    items: frozenset[bytes]
    #: Children of a field with a budget of their own (``name`` of ``author``).
    parts: frozenset[bytes]
    #: What matters outside a field: an item's or a field's tag, and the CDATA,
    #: comments and instructions that may hide markup-like text.
    landmarks: re.Pattern[bytes]


@cache
def field_rules() -> FieldRules:
    """The rules of ``feedfields.toml``."""
    data = tomllib.loads(
        resources.files("digest.sources").joinpath("feedfields.toml").read_text("utf-8")
    )
    elements = frozenset(name.lower().encode() for name in data["elements"])
    items = frozenset(name.lower().encode() for name in data["items"])
    parts = frozenset(name.lower().encode() for name in data["parts"])
    names = b"|".join(re.escape(name) for name in sorted(elements | items))
    return FieldRules(
        max_chars=int(data["max_chars"]),
        elements=elements,
        items=items,
        parts=parts,
        landmarks=re.compile(
            rb"<(?:!--|!\[CDATA\[|\?|/?(?:[\w.-]+:)?(?:" + names + rb")[\s/>])", re.I
        ),
    )


@dataclass(slots=True)
class _Field:
    """The outermost open short field: its name and what is left of its budget."""

    #: Its local name, lower-cased (``creator``).
    tag: bytes
    #: As the feed spells it (``dc:creator``), for the log.
    spelt: str
    #: Where its content starts (for the log).
    start: int
    #: Characters its own text may still hold.
    left: int
    #: Characters it may hold in all.
    limit: int
    #: Elements of its own name open (itself included).
    open: int = 1
    cut: bool = False
    #: The part open inside it (``name`` of ``author``), if any, and the
    #: characters that part may still hold.
    part: bytes | None = None
    part_left: int = 0


def cut_long_fields(data: bytes, source: str, rules: FieldRules | None = None) -> bytes:
    """``data`` (a UTF-8 feed) with the text of every over-long short field cut to
    ``rules.max_chars`` characters; ``data`` itself when nothing is that long.

    Linear in ``len(data)``: each token is found with a forward search and never
    looked at again, and a terminator found missing once is not searched for again.
    Malformed markup is passed through as it is; an unclosed field ends where the
    next item starts or ends.
    """
    rules = rules or field_rules()
    out: list[bytes] = []
    done = 0  # data[:done] is accounted for in out (once anything was cut)
    field: _Field | None = None
    item = 0
    missing: set[bytes] = set()  # terminators absent from the rest of data
    at = 0
    size = len(data)
    while at < size:
        if field is None:  # only landmarks matter: skip to the next one
            landmark = rules.landmarks.search(data, at)
            if landmark is None:
                break
            lt = landmark.start()
        else:  # all text counts
            lt = data.find(b"<", at)
            if lt != at:
                done = _text(data, at, size if lt == -1 else lt, field, out, done, cdata=False)
            if lt == -1:
                break
        if data.startswith(b"<![CDATA[", lt):
            end = data.find(b"]]>", lt + 9)
            end = size if end == -1 else end
            if field is not None:
                done = _text(data, lt + 9, end, field, out, done, cdata=True)
            at = end + 3
            continue
        if data.startswith(b"<!--", lt):
            closer = b"-->"
        elif data.startswith(b"<?", lt):
            closer = b"?>"
        else:
            closer = b">"
        end = -1 if closer in missing else data.find(closer, lt + 1)
        if end == -1:
            missing.add(closer)
            at = lt + 1  # a stray "<": read on after it
            continue
        at = end + len(closer)
        if closer != b">" or data.startswith(b"<!", lt):
            continue  # comment, processing instruction, declaration: no text
        closing = data.startswith(b"</", lt)
        name = _NAME.match(data, lt + 2 if closing else lt + 1)
        if name is None:
            continue
        local = name[0].rsplit(b":", 1)[-1].lower()
        if local in rules.items:
            _close(field, source, item, lt)
            field = None
            if not closing:
                item += 1
        elif field is not None and field.part is None and local in rules.parts:
            if not closing and data[end - 1] != ord("/"):
                field.part, field.part_left = local, field.limit
        elif field is not None and closing and local == field.part:
            field.part = None
        elif field is not None and local == field.tag:
            # <author><author>..</author>..</author>: the outer one is the field.
            field.open += -1 if closing else 0 if data[end - 1] == ord("/") else 1
            if field.open == 0:
                _close(field, source, item, lt)
                field = None
        elif (
            field is None and not closing and local in rules.elements and data[end - 1] != ord("/")
        ):
            field = _Field(
                local, name[0].decode("ascii", "replace"), at, rules.max_chars, rules.max_chars
            )
    _close(field, source, item, size)
    if not out:
        return data
    out.append(data[done:])
    return b"".join(out)


def _text(
    data: bytes, start: int, end: int, field: _Field, out: list[bytes], done: int, *, cdata: bool
) -> int:
    """Spend ``field``'s budget on the text ``data[start:end]``; cut what exceeds it.

    Returns the new ``done``: how much of ``data`` is accounted for in ``out``.
    """
    plain = data[start:end].decode("utf-8", "replace")
    plain = plain if cdata else html.unescape(plain)
    left = field.left if field.part is None else field.part_left
    kept = plain[:left]
    if field.part is None:
        field.left = left - len(kept)
    else:
        field.part_left = left - len(kept)
    if len(kept) == len(plain):
        return done
    field.cut = True
    out.append(data[done:start])
    out.append((kept if cdata else html.escape(kept, quote=False)).encode("utf-8"))
    return end


def _close(field: _Field | None, source: str, item: int, end: int) -> None:
    """End the open field, logging it if it was cut."""
    if field is not None and field.cut:
        where = f"item {item}" if item else "the feed's own header"
        log.warning(
            "%s: <%s> of %s holds %d bytes; cut to its first %d characters",
            source,
            field.spelt,
            where,
            end - field.start,
            field.limit,
        )
