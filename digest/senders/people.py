"""Each recipient's own parts of a provider email, for one recipient or a whole
batch: the checked address, the names, the signed unsubscribe token and links,
and the message id fixed before the call (see :mod:`digest.senders.bulk`).

A batch is built a column at a time where it can be: for a plain batch (every
address a plain ``local@domain``, every name one the rules leave as it is, no
given names) the whole batch is joined, matched, lowered, cut and spliced by
single calls, so only what is each recipient's own (the HMAC of its token and the
hash of its key) costs a call each; any other batch takes the per-recipient rules,
which stay the reference (the tests check both give the same).
"""

from __future__ import annotations

import binascii
import hashlib
import re
from collections.abc import Sequence
from email.utils import formataddr
from typing import NamedTuple, TypeVar

from ..errors import SendError
from ..message import check_address, display_name, header_safe, plain_address, plain_addresses
from ..render.personal import FIRST_NAME, NAME, TITLES, UNSUBSCRIBE_URL, first_name_of
from .base import Recipient

#: Whether a value has a character ``html.escape`` would change.
HTML_SPECIAL = re.compile("[&<>\"']").search


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

    def people(
        self, edition_id: str, recipients: Sequence[Recipient]
    ) -> tuple[list[Person], dict[int, SendError]]:
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
        return people, refused

    def _plain_people(
        self, edition_id: str, recipients: Sequence[Recipient]
    ) -> list[Person] | None:
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
        names = [getattr(r, "name", "") for r in recipients]
        if any(getattr(r, "first_name", "") for r in recipients) or not plain_names(names):
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
        n = len(addresses)
        ids = weave([f"<{edition_id}.", f"@{self.domain}>"], [keys], n)
        links = weave([self._unsubscribe_base, ""], [tokens], n)
        mailtos = weave([self._mailto_base, ""], [tokens], n)
        return list(map(Person, addresses, names, firsts, ids, keys, tokens, links, mailtos))

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
        and not HTML_SPECIAL(joined)
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


def addressed(people: Sequence[Person]) -> list[str]:
    """Each person's ``To`` (:attr:`Person.to`), for a whole batch."""
    names = [p.name for p in people]
    if plain_names(names) and not _SPECIALS("\n".join(names)):
        return [f"{p.name} <{p.address}>" if p.name else p.address for p in people]
    return [p.to for p in people]


def list_unsubscribes(people: Sequence[Person]) -> list[str]:
    """Each person's ``List-Unsubscribe`` (:attr:`Person.list_unsubscribe`)."""
    mailtos = [p.unsubscribe_mailto for p in people]
    return weave(["<", ">, <", ">"], [mailtos, [p.unsubscribe_url for p in people]], len(people))


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
