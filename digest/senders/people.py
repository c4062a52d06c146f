"""Each recipient's own parts of a provider email, for one recipient or a whole
batch: the checked address, the names, the signed unsubscribe token and links,
and the message id fixed before the call (see :mod:`digest.senders.bulk`).

A batch is built and held a column at a time (:class:`People`): for a plain
batch (every address a plain ``local@domain``, every name one the rules leave as
it is, no given names) the whole batch is joined, matched, lowered, cut and
spliced by single calls, so only what is each recipient's own (the HMAC of its
token and the hash of its key) costs a call each, and no Python object is made
per recipient; any other batch takes the per-recipient rules, which stay the
reference (the tests check both give the same).
"""

from __future__ import annotations

import binascii
import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from email.utils import formataddr
from itertools import repeat
from typing import NamedTuple, TypeVar, overload

from ..errors import SendError
from ..message import check_address, display_name, header_safe, plain_address, plain_addresses
from ..render.personal import FIRST_NAME, NAME, TITLES, UNSUBSCRIBE_URL, first_name_of
from .base import Recipient

#: Whether a value has a character ``html.escape`` would change.
HTML_SPECIAL = re.compile("[&<>\"']").search


def html_special(text: str) -> bool:
    """:data:`HTML_SPECIAL` for long texts (a batch's values joined): five
    substring searches, several times faster there than the pattern's scan."""
    return "&" in text or "<" in text or ">" in text or '"' in text or "'" in text


class Person(NamedTuple):
    """One recipient's own parts, checked (a named tuple: a batch builds a
    thousand of them per call, and a tuple is the cheapest record to make)."""

    address: str
    #: Display name, header-safe (may be empty).
    name: str
    first_name: str
    #: Our id of this message, fixed before the call: ``<edition.key@domain>``.
    message_id: str
    #: The key inside ``message_id``: 24 hex digits from sender and address.
    key: str
    token: str
    unsubscribe_url: str
    unsubscribe_mailto: str

    @property
    def to(self) -> str:
        """``"Name" <address>`` (RFC 2047 where needed), or the bare address."""
        return formataddr((self.name, self.address), charset="utf-8") if self.name else self.address

    @property
    def list_unsubscribe(self) -> str:
        """The ``List-Unsubscribe`` value: mailto first, then the one-click https."""
        return f"<{self.unsubscribe_mailto}>, <{self.unsubscribe_url}>"

    def values(self) -> dict[str, str]:
        """The renderer's placeholder values for this recipient."""
        return {UNSUBSCRIBE_URL: self.unsubscribe_url, NAME: self.name, FIRST_NAME: self.first_name}


#: The fields of :class:`Person`, in order: the columns of :class:`People`.
_FIELDS = Person._fields


class People(Sequence[Person]):
    """A batch's parts a column at a time (one list per field of :class:`Person`):
    what the request bodies are spliced from, without a Python object per
    recipient.  Indexing or iterating gives each recipient's :class:`Person`.

    ``plain``: every name and first name is one the renderer's rules leave as it
    is (:func:`plain_names`).  ``printable``: no string in any column has a control
    or other unprintable character, so one without a quote or a backslash goes
    into JSON as it is (:func:`~digest.senders.bulk.fill_columns`).
    """

    __slots__ = (*_FIELDS, "plain", "printable", "_woven")

    address: list[str]
    name: list[str]
    first_name: list[str]
    message_id: list[str]
    key: list[str]
    token: list[str]
    unsubscribe_url: list[str]
    unsubscribe_mailto: list[str]

    def __init__(
        self,
        columns: Sequence[list[str] | None],
        *,
        plain: bool,
        printable: bool,
        woven: dict[str, Woven] | None = None,
    ) -> None:
        """``columns`` in the order of :class:`Person`'s fields; a column may be
        ``None`` where ``woven`` gives it by name, to be made on first use."""
        woven = woven or {}
        lengths = {len(c) for c in columns if c is not None} | {len(w) for w in woven.values()}
        if len(columns) != len(_FIELDS) or len(lengths) > 1:
            raise ValueError(f"People takes {len(_FIELDS)} columns of one length")
        for field, column in zip(_FIELDS, columns, strict=True):
            if column is not None:
                setattr(self, field, column)
            elif field not in woven:
                raise ValueError(f"People: no column {field}")
        self.plain = plain
        self.printable = printable
        self._woven = woven

    def __getattr__(self, field: str) -> list[str]:
        # Only for a column not made yet (a slot not set): made once, kept.
        woven = self._woven.pop(field, None)
        if woven is None:
            raise AttributeError(field)
        made = woven.made()
        setattr(self, field, made)
        return made

    def woven(self, field: str) -> Woven | list[str]:
        """Column ``field`` as it is held: a :class:`Woven` not made yet (to be
        spliced into a request as its pieces), or the list."""
        woven = self._woven.get(field)
        if woven is not None:
            return woven
        column: list[str] = getattr(self, field)
        return column

    @classmethod
    def of(cls, people: Sequence[Person]) -> People:
        """``people`` (each made on its own) as columns; ``plain`` and
        ``printable`` checked."""
        if isinstance(people, People):
            return people
        columns = [list(c) for c in zip(*people, strict=True)] or [[] for _ in _FIELDS]
        plain = plain_names(columns[1]) and plain_names(columns[2])
        printable = all(map(str.isprintable, itertools.chain.from_iterable(columns)))
        return cls(columns, plain=plain, printable=printable)

    def columns(self) -> list[list[str]]:
        """The columns, in the order of :class:`Person`'s fields."""
        return [getattr(self, field) for field in _FIELDS]

    def __len__(self) -> int:
        return len(self.address)

    @overload
    def __getitem__(self, index: int) -> Person: ...

    @overload
    def __getitem__(self, index: slice) -> list[Person]: ...

    def __getitem__(self, index: int | slice) -> Person | list[Person]:
        if isinstance(index, slice):
            return list(map(Person, *(c[index] for c in self.columns())))
        return Person(*(c[index] for c in self.columns()))

    def __iter__(self) -> Iterator[Person]:
        return map(Person, *self.columns())

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same :class:`Person` parts."""
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"People({list(self)!r})"


class PartsMaker:
    """Makes recipients' parts for one sender: its unsubscribe secret, the prefix
    of its message keys, its domain and its unsubscribe link and mailto bases."""

    def __init__(
        self, secret: bytes, key_prefix: bytes, domain: str, unsubscribe_base: str, mailto_base: str
    ) -> None:
        self._signing = _HmacSha256(secret, b"unsubscribe:")
        self._key_prefix = key_prefix
        self.domain = domain
        self._unsubscribe_base = unsubscribe_base
        self._mailto_base = mailto_base
        #: The parts every plain batch's links, mailto links and ids share.
        self._printable = f"{domain}{unsubscribe_base}{mailto_base}".isprintable()

    def people(
        self, edition_id: str, recipients: Sequence[Recipient]
    ) -> tuple[People, dict[int, SendError]]:
        """Every recipient's own parts for edition ``edition_id`` (as
        :meth:`person` makes them), and the refusal of each malformed address by
        its index."""
        fast = self._plain_people(edition_id, recipients)
        if fast is not None:
            return fast, {}
        people: list[Person] = []
        refused: dict[int, SendError] = {}
        person = self.person
        for index, recipient in enumerate(recipients):
            try:
                people.append(person(edition_id, recipient))
            except ValueError as exc:
                refused[index] = SendError(str(exc), permanent=True)
        return People.of(people), refused

    def _plain_people(self, edition_id: str, recipients: Sequence[Recipient]) -> People | None:
        """:meth:`people` for a batch that needs none of the rules' slow paths
        (every address plain, every name plain, no given names), else ``None``.

        The whole batch is checked and built a column at a time: joined, matched,
        lowered, cut and spliced by single calls over all of it, so only what is
        each recipient's own (the HMAC and the key's hash) costs a call each.
        """
        addresses = list(map(str.strip, recipients))
        joined = "\n".join(addresses)
        if (
            not addresses
            or max(map(len, addresses)) > 254
            or joined.count("\n") != len(addresses) - 1  # one with a newline inside
            or not plain_addresses(joined)
        ):
            return None
        names = list(map(getattr, recipients, repeat("name"), repeat("")))
        if any(map(getattr, recipients, repeat("first_name"), repeat(""))):
            return None
        if not plain_names(names):
            return None
        firsts = first_words(names)
        if firsts is None:
            return None
        lowers = joined.lower().encode().split(b"\n")
        sign, prefix, sha256 = self._signing.digest, self._key_prefix, hashlib.sha256
        heads = [_b2a(raw, newline=False) for raw in lowers]
        tails = [_b2a(sign(raw)[:16], newline=False) for raw in lowers]
        # base64 pads only at the end, so dropping every "=" is each one's rstrip.
        tokens = (
            weave_bytes([b"", b".", b""], [heads, tails]).replace(b"=", b"")
            .translate(_URLSAFE).decode().split("\n")
        )  # fmt: skip
        keys = [sha256(prefix + raw).hexdigest()[:24] for raw in lowers]
        # Made when asked for; a request body splices their pieces in instead.
        woven = {
            "message_id": Woven([f"<{edition_id}.", f"@{self.domain}>"], [keys]),
            "unsubscribe_url": Woven([self._unsubscribe_base, ""], [tokens]),
            "unsubscribe_mailto": Woven([self._mailto_base, ""], [tokens]),
        }
        # Plain addresses and names are printable ASCII, keys hex, tokens base64url.
        printable = self._printable and edition_id.isprintable()
        return People(
            [addresses, names, firsts, None, keys, tokens, None, None],
            plain=True,
            printable=printable,
            woven=woven,
        )

    def person(self, edition_id: str, recipient: Recipient) -> Person:
        """One recipient's own parts for edition ``edition_id``.  Raises
        :class:`ValueError` for a bad address."""
        address = str.strip(recipient)
        if len(address) > 254 or plain_address(address) is None:
            check_address(address)  # raises, saying what is wrong
        # The address is ASCII (the pattern says so): lower() and encode() are plain.
        lower = address.lower().encode()
        # unsubscribe_token(), with the keyed HMAC and one base64 pass: the same token.
        signature = self._signing.digest(lower)[:16]
        token = (
            (_b2a(lower, newline=False).rstrip(b"=") + b"." + _b2a(signature, newline=False)[:22])
            .translate(_URLSAFE)
            .decode()
        )
        key = hashlib.sha256(self._key_prefix + lower).hexdigest()[:24]
        name = _display_name(recipient.name)
        given = getattr(recipient, "first_name", "")
        given = (header_safe(given)[:100] if given else "") or first_name_of(name)
        # The token is base64url and ".": nothing in it needs quoting.
        return Person(
            address,
            name,
            given,
            f"<{edition_id}.{key}@{self.domain}>",
            key,
            token,
            self._unsubscribe_base + token,
            self._mailto_base + token,
        )


_b2a = binascii.b2a_base64
#: base64 to base64url.
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _display_name(value: str) -> str:
    """:func:`~digest.message.display_name`, with a quick path for the common
    printable ASCII name (no control, format or separator characters in it)."""
    if value.isascii() and value.isprintable():
        if len(value) <= 100 and "  " not in value and "=?" not in value and "?=" not in value:
            return value.strip(" ")  # nothing else display_name() would change
        name = " ".join(value.split()).replace("=?", "= ?").replace("?=", "? =")
        return name[:100].strip()
    return display_name(value)


#: What ``formataddr`` puts a name in quotes for.
_SPECIALS = re.compile(r'[][\\()<>@,:;".]').search


def plain_names(names: Sequence[str]) -> bool:
    """Whether every name is one the rules leave as it is: printable ASCII of at
    most 100 characters, no runs of spaces, no spaces at either end, nothing
    HTML escapes, no ``=?``/``?=`` (RFC 2047) and no ``%%`` (placeholders)."""
    joined = "\n".join(names)
    return (
        joined.isascii()
        and all(map(str.isprintable, names))
        and max(map(len, names), default=0) <= 100
        and not any(bad in joined for bad in _NOT_PLAIN)
        and joined[:1] != " "
        and joined[-1:] != " "
        and not html_special(joined)
    )


_NOT_PLAIN = ("  ", " \n", "\n ", "=?", "?=", "%%")


def first_words(names: Sequence[str]) -> list[str] | None:
    """:func:`~digest.render.personal.first_name_of` of each plain name, or
    ``None`` if one has a comma or a word that may be a title (the full rule)."""
    joined = "\n".join(names)
    if "," in joined:
        return None
    firsts = [name.partition(" ")[0] for name in names]
    # A superset of the words first_name_of skips ("d.r" too): those take the full rule.
    if TITLES.intersection("\n".join(firsts).lower().replace(".", "").split("\n")):
        return None
    return firsts


def addressed(people: People) -> list[str]:
    """Each person's ``To`` (:attr:`Person.to`), for a whole batch."""
    names, addresses = people.name, people.address
    if people.plain and not _SPECIALS("\n".join(names)):
        if all(names):
            return weave(["", " <", ">"], [names, addresses], len(names))
        return [f"{n} <{a}>" if n else a for n, a in zip(names, addresses, strict=True)]
    return [p.to for p in people]


def list_unsubscribes(people: People) -> list[str]:
    """Each person's ``List-Unsubscribe`` (:attr:`Person.list_unsubscribe`)."""
    columns = [people.unsubscribe_mailto, people.unsubscribe_url]
    return weave(["<", ">, <", ">"], columns, len(people))


def woven_list_unsubscribes(people: People) -> Woven:
    """:func:`list_unsubscribes`, not made yet."""
    columns = [people.woven("unsubscribe_mailto"), people.woven("unsubscribe_url")]
    return Woven(["<", ">, <", ">"], columns)


def weave(pieces: Sequence[str], columns: Sequence[Sequence[str]], n: int) -> list[str]:
    """For each of ``n`` rows, ``pieces[0] + columns[0][i] + pieces[1] + ...``:
    one join and one split for all of them (no string may hold a newline)."""
    if not n:
        return []
    return "".join(interleave(pieces, columns, n, "\n"))[:-1].split("\n")


def weave_bytes(pieces: Sequence[bytes], columns: Sequence[Sequence[bytes]]) -> bytes:
    """:func:`weave` for bytes, the rows joined by newlines."""
    return b"".join(interleave(pieces, columns, len(columns[0]), b"\n"))[:-1]


def interleave(
    pieces: Sequence[_Text], columns: Sequence[Sequence[_Text]], n: int, end: _Text
) -> list[_Text]:
    """``pieces[0], columns[0][i], pieces[1], ..., pieces[-1], end`` for each of
    ``n`` rows, in one list filled by slice assignments."""
    width = 2 * len(columns) + 2
    parts = [end] * (n * width)
    for i, piece in enumerate(pieces):
        parts[2 * i :: width] = [piece] * n
    for j, column in enumerate(columns):
        parts[2 * j + 1 :: width] = column
    return parts


_Text = TypeVar("_Text", str, bytes)


class Woven:
    """A column not made yet: for each row, ``pieces[0] + columns[0][i] +
    pieces[1] + ...`` (what :func:`weave` makes).  A request body splices the
    pieces and the columns (which may be woven themselves) straight in
    (:func:`~digest.senders.bulk.fill_columns`), so a batch's links, mailto
    links, message ids and ``List-Unsubscribe`` values are never made one by one
    just to be copied into the body."""

    __slots__ = ("columns", "pieces")

    def __init__(self, pieces: Sequence[str], columns: Sequence[Sequence[str] | Woven]) -> None:
        if len(pieces) != len(columns) + 1 or not columns:
            raise ValueError("Woven takes one piece more than columns, and a column")
        self.pieces = list(pieces)
        self.columns = list(columns)

    def __len__(self) -> int:
        return len(self.columns[0])

    def flat(self) -> tuple[list[str], list[Sequence[str]]]:
        """The pieces and the plain columns, woven columns spliced in."""
        pieces = [self.pieces[0]]
        columns: list[Sequence[str]] = []
        for column, after in zip(self.columns, self.pieces[1:], strict=True):
            if isinstance(column, Woven):
                inner, inner_columns = column.flat()
                pieces[-1] += inner[0]
                pieces += inner[1:]
                columns += inner_columns
                pieces[-1] += after
            else:
                columns.append(column)
                pieces.append(after)
        return pieces, columns

    def made(self) -> list[str]:
        """The column itself."""
        pieces, columns = self.flat()
        return weave(pieces, columns, len(self))


class _HmacSha256:
    """HMAC-SHA256 (RFC 2104) of many messages under one key, each after a fixed
    ``prefix``: the keyed inner and outer hashes are made once and copied per
    message, half the cost of a one-shot ``hmac.digest`` (which sets the key up
    again every time)."""

    def __init__(self, key: bytes, prefix: bytes = b"") -> None:
        if len(key) > 64:  # SHA-256's block
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(key.translate(_IPAD))
        self._inner.update(prefix)
        self._outer = hashlib.sha256(key.translate(_OPAD))

    def digest(self, message: bytes) -> bytes:
        """The HMAC of ``prefix + message``."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))
