"""The email as a MIME message: plain-text and HTML alternatives with headers.

Used by ``digest export`` (``email.eml``) and the SMTP sender.  Serialise with
:data:`email.policy.SMTP` (CRLF line ends) before handing bytes to ``smtplib``.
Header values are checked here so untrusted text can never add a header.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import re
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from typing import NamedTuple
from urllib.parse import parse_qs, unquote_plus, urlsplit

from .errors import RenderError
from .model import EmailRendition
from .render.personal import (
    FIRST_NAME,
    NAME,
    PLACEHOLDER,
    UNSUBSCRIBE_URL,
    first_name_of,
    personalise,
)

# CR, LF and the Unicode line and paragraph separators all end a header line in
# some parser; none may reach a header value.
_LINE_BREAKS = str.maketrans({c: " " for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


# RFC 5322 field names: printable ASCII except the colon, no spaces.
_HEADER_NAME = re.compile(r"[!-9;-~]+")


def header_safe(value: str) -> str:
    """A header value with every kind of line break replaced by a space."""
    return " ".join(value.translate(_LINE_BREAKS).split())


def address_header(value: str) -> str:
    """``value`` made header-safe, if it is a usable ``From``/``To``: addresses
    that each have a domain (``"Name" <a@example.com>``, a list of them) or a
    group such as ``undisclosed-recipients:;``.

    Raises :class:`RenderError` saying what is wrong with it.
    """
    value = header_safe(value)
    if not value:
        raise RenderError("an email address is empty")
    try:
        parsed = SMTP.header_factory("To", value)
    except (ValueError, IndexError):  # the stdlib parser trips on some junk
        parsed = None
    if parsed is None or parsed.defects or any(not a.domain for a in parsed.addresses):
        raise RenderError(f'{value!r} is not an email address like "Name" <name@example.com>')
    return value


def _static_headers(
    message: EmailMessage,
    rendition: EmailRendition,
    *,
    sender: Address | str,
    date: datetime,
    headers: Mapping[str, str] | None,
) -> None:
    """Set the headers every copy of a message shares (From, Subject, Date...).

    Raises :class:`RenderError` for an unusable address or header name.
    """
    message["From"] = sender if isinstance(sender, Address) else address_header(sender)
    message["Subject"] = header_safe(rendition.subject)
    message["Date"] = format_datetime(date)
    message["MIME-Version"] = "1.0"
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.fullmatch(name):
            raise RenderError(f"{name!r} is not a header name")
        message[name] = header_safe(value)


def email_message(
    rendition: EmailRendition,
    *,
    sender: Address | str,
    to: Address | str,
    date: datetime,
    message_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A ``multipart/alternative`` message (text first, then HTML) with ``From``,
    ``To``, ``Subject``, ``Date`` and ``Message-ID`` and any extra ``headers``.

    ``date`` must be tz-aware.  Raises :class:`RenderError` for an unusable address
    or header name.
    """
    message = EmailMessage(policy=SMTP)
    _static_headers(message, rendition, sender=sender, date=date, headers=headers)
    message["To"] = to if isinstance(to, Address) else address_header(to)
    message["Message-ID"] = message_id or make_msgid(domain="digest.invalid")
    message.set_content(rendition.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendition.html, subtype="html", charset="utf-8")
    return message


# -- one message, many recipients ------------------------------------------------------

# Deliberately narrow: printable ASCII, no spaces, quotes, brackets or commas, so an
# address can go into a header and an SMTP command as it is.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
_MAX_NAME_CHARS = 100
#: Whether a stripped string is a plain ``local@domain`` address (what
#: :func:`check_address` takes, length aside): a match, or ``None``.
plain_address = _ADDRESS.fullmatch
#: The same for many addresses joined by ``"\n"``: a match when every one is.
plain_addresses = re.compile(f"{_ADDRESS.pattern}(?:\n{_ADDRESS.pattern})*").fullmatch


#: Format characters kept in a name: the joiners Indic scripts and emoji need.
_KEPT_FORMAT = frozenset("\u200c\u200d")


def display_name(value: str) -> str:
    """A subscriber's name made safe for ``To:`` and the greeting.

    Control characters, line and paragraph separators, and format characters
    (bidi embeddings, overrides and isolates, zero-width spaces; the joiners stay)
    are removed; an RFC 2047 encoded-word opener (``=?``) is broken up, so a name
    cannot carry an encoded CR/LF or a header; spaces are collapsed and the name
    is cut at 100 characters.
    """
    if value.isascii() and value.isprintable():
        kept = value  # letters, digits, punctuation and spaces: nothing to remove
    else:
        kept = "".join(
            " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
            for c in value
            if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn") or c in _KEPT_FORMAT
        )
    name = " ".join(kept.split()).replace("=?", "= ?").replace("?=", "? =")
    return name[:_MAX_NAME_CHARS].strip()


def check_address(address: str) -> str:
    """``address`` stripped, if it is a plain ``local@domain`` address.

    Raises :class:`ValueError` saying what is wrong otherwise.
    """
    value = address.strip()
    if len(value) > 254:
        raise ValueError(f"{value[:40]!r}...: longer than 254 characters")
    if not _ADDRESS.fullmatch(value):
        raise ValueError(f"{value!r} is not an email address")
    return value


def unsubscribe_token(secret: bytes, address: str) -> str:
    """A token naming ``address`` and signed with ``secret`` (HMAC-SHA256), for
    unsubscribe links; :func:`verify_unsubscribe_token` reads it back."""
    raw = address.lower().encode()
    # The one-shot digest: no HMAC object per message (a send signs every copy).
    signature = hmac.digest(secret, b"unsubscribe:" + raw, "sha256")[:16]
    return f"{_b64(raw)}.{_b64(signature)}"


def verify_unsubscribe_token(secret: bytes, token: str) -> str | None:
    """The address a token names, or ``None`` if it is malformed or not signed
    with ``secret``."""
    head, _, sig = token.partition(".")
    if not head.isascii() or not sig.isascii():
        return None  # a token is base64url; anything else is mistyped or forged
    try:
        address = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    expected = unsubscribe_token(secret, address).partition(".")[2]
    return address if hmac.compare_digest(expected.encode(), sig.encode()) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF line ends; lines stay within 76 characters."""
    return binascii.b2a_qp(text.encode(), istext=True).replace(b"\n", b"\r\n")


def _qp_chunks(text: str) -> tuple[list[bytes], list[str]]:
    """A body as quoted-printable pieces around each recipient placeholder
    (``%%unsubscribe_url%%``, ``%%name|reader%%``...), and the placeholders in order.

    Each piece ends in a soft line break, so a value encoded on its own can be put
    between two pieces and the whole still decodes to the text with the value in it.
    """
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks, tokens, start = [], [], 0
    for match in PLACEHOLDER.finditer(normal):
        chunks.append(normal[start : match.start()])
        tokens.append(match.group(0))
        start = match.end()
    chunks.append(normal[start:])
    encoded = [_qp(c) for c in chunks]
    return [e if not e or e.endswith(b"\r\n") else e + b"=\r\n" for e in encoded], tokens


class Personal(NamedTuple):
    """What differs between two copies of one message (a named tuple: one is made
    per recipient, and a tuple is the cheapest record to make)."""

    address: str
    name: str
    message_id: str
    #: The recipient's own one-click unsubscribe URL (https).
    unsubscribe_url: str
    #: The recipient's own ``mailto:`` unsubscribe URI.
    unsubscribe_mailto: str
    #: The name a greeting uses; empty: the first word of ``name``.
    first_name: str = ""


class MessageTemplate:
    """A whole email serialised once, filled in per recipient by joining bytes.

    Building an :class:`~email.message.EmailMessage` per recipient costs
    milliseconds; this costs microseconds.  The text and HTML parts are
    quoted-printable, cut around the renderer's placeholders; the headers that
    differ (``To``, ``Message-ID``, ``List-Unsubscribe``) are written per copy from
    checked values.  The output has CRLF line ends.

    Every piece starts at the start of a line, so each can be dot-stuffed for SMTP
    ``DATA`` on its own: the fixed pieces once, here, rather than the whole message
    once per recipient (which is what ``smtplib`` would do, at about 0.2 ms for a
    40 KB message).
    """

    def __init__(
        self,
        rendition: EmailRendition,
        *,
        sender: Address | str,
        date: datetime,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        message = EmailMessage(policy=SMTP)
        _static_headers(message, rendition, sender=sender, date=date, headers=headers)
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        # "=_" never occurs in quoted-printable text, so the boundary cannot either.
        boundary = "=_digest_" + secrets.token_hex(12)
        message["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
        head = message.as_bytes(policy=SMTP)
        part_head = (
            '\r\n--{b}\r\nContent-Type: text/{kind}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        # bytes are fixed pieces; ints say where the per-recipient pieces go: 0 for
        # the header lines, then one per placeholder (text part first, then HTML).
        pieces: list[bytes | int] = [0, head[: head.index(b"\r\n\r\n") + 2]]
        tokens: dict[str, list[str]] = {}
        for kind, text in (("plain", rendition.text), ("html", rendition.html)):
            pieces.append(part_head.format(b=boundary, kind=kind).encode())
            chunks, tokens[kind] = _qp_chunks(text)
            pieces.append(chunks[0])
            offset = 1 + (len(tokens["plain"]) if kind == "html" else 0)
            for slot, chunk in enumerate(chunks[1:], offset):
                pieces += [slot, chunk]
        pieces.append(f"\r\n--{boundary}--\r\n".encode())
        self._pieces = pieces
        # For DATA: the fixed pieces dot-stuffed once, the end-of-data line after
        # them, and where each per-recipient piece goes (a copy of the list is filled
        # in per recipient: no scan of the whole list, no join of the whole message).
        stuffed = [b"" if isinstance(p, int) else _dot_stuff(p) for p in pieces]
        self._data = [*stuffed, b".\r\n"]
        self._slots = [(at, p) for at, p in enumerate(pieces) if isinstance(p, int)]
        # Every distinct placeholder once; filled per recipient by the renderer's own
        # rules (escaping, fallbacks).  Only the HTML form is computed: the text form
        # of a value is always its HTML form unescaped.
        self._tokens = list(dict.fromkeys(tokens["plain"] + tokens["html"]))
        self._token_names = {tok: _placeholder_name(tok) for tok in self._tokens}
        # A greeting's first name is worked out only when a placeholder asks for it.
        self._wants_first = FIRST_NAME in self._token_names.values()
        self._cache: dict[tuple[str, str], tuple[bytes, bytes]] = {}
        self._order = [(tok, 0) for tok in tokens["plain"]] + [(tok, 1) for tok in tokens["html"]]

    def fill(self, personal: Personal) -> bytes:
        """The message for one recipient.

        ``personal.address`` must have passed :func:`check_address`; the name is
        made header-safe here.  Raises :class:`RenderError` if the rendition has a
        placeholder without a value or fallback.
        """
        values = self._values(personal)
        return b"".join(values[p] if isinstance(p, int) else p for p in self._pieces)

    def fill_data(self, personal: Personal) -> bytes:
        """The message for one recipient as the body of an SMTP ``DATA`` command:
        dot-stuffed and ending with the lone ``.`` line."""
        return b"".join(self.data_pieces(personal))

    def data_pieces(self, personal: Personal) -> list[bytes]:
        """:meth:`fill_data` as the pieces it joins, for a scatter/gather write
        (``socket.sendmsg``) that spares a copy of the whole message per recipient.
        """
        values = self._values(personal)
        out = self._data.copy()
        for at, slot in self._slots:
            out[at] = _dot_stuff(values[slot])
        return out

    def _values(self, personal: Personal) -> list[bytes]:
        name = display_name(personal.name)
        to = _address_field(name, personal.address)
        lines = (
            f"To: {to}\r\nMessage-ID: {personal.message_id}\r\n"
            f"List-Unsubscribe: <{personal.unsubscribe_mailto}>,\r\n"
            f" <{personal.unsubscribe_url}>\r\n"
        ).encode()
        values = [lines]
        if self._tokens:
            first = ""
            if self._wants_first:
                given = personal.first_name
                first = (header_safe(given)[:_MAX_NAME_CHARS] if given else "") or first_name_of(
                    name
                )
            fills = {UNSUBSCRIBE_URL: personal.unsubscribe_url, NAME: name, FIRST_NAME: first}
            encoded = {token: self._encoded(token, fills) for token in self._tokens}
            values += [encoded[token][in_html] for token, in_html in self._order]
        return values

    def _encoded(self, token: str, fills: Mapping[str, str]) -> tuple[bytes, bytes]:
        """One placeholder's value for the text and the HTML part, quoted-printable.

        Exactly what :func:`personalise` gives, computed cheaply: a plain http(s)
        URL (only unreserved characters, no ``%``) is its own text form and, with
        ``&`` escaped, its own HTML form; the rest (names) goes through
        :func:`personalise` once per distinct value, since first names repeat.
        """
        name = self._token_names[token]
        value = fills.get(name, "")
        is_url = name.endswith("_url")
        if value and is_url and _PLAIN_URL.fullmatch(value):
            # A URL (unique per recipient, so never cached) is encoded once when it
            # has no "&", its HTML form being then the same text.
            encoded = _qp(value) + b"=\r\n"
            if "&" not in value:
                return encoded, encoded
            return encoded, _qp(value.replace("&", "&amp;")) + b"=\r\n"
        found = self._cache.get((token, value))
        if found is not None:
            return found
        slot = EmailRendition(subject="", preheader="", html=token, text="")
        as_html = personalise(slot, fills).html
        as_text = html.unescape(as_html)
        result = (_qp(as_text) + b"=\r\n", _qp(as_html) + b"=\r\n")
        if not is_url and len(self._cache) < _CACHED_VALUES:
            self._cache[(token, value)] = result
        return result


#: What :func:`email.utils.formataddr` quotes a plain-ASCII display name for, and
#: what it escapes inside the quotes (its own ``specialsre`` and ``escapesre``).
_SPECIALS = re.compile(r'[][\\()<>@,:;".]')
_ESCAPES = re.compile(r'[\\"]')


def _address_field(name: str, address: str) -> str:
    """``formataddr((name, address), charset="utf-8")`` with CRLF line ends, done
    here for a plain-ASCII name (most names; formataddr's own checks cost more
    than the rest of a recipient's header lines)."""
    if not name:
        return address
    if not name.isascii():
        return str(formataddr((name, address), charset="utf-8")).replace("\n", "\r\n")
    if _SPECIALS.search(name) is None:
        return f"{name} <{address}>"
    return '"{}" <{}>'.format(_ESCAPES.sub(r"\\\g<0>", name), address)


def _placeholder_name(token: str) -> str:
    """``unsubscribe_url`` for ``%%unsubscribe_url%%``, ``name`` for ``%%name|x%%``."""
    match = PLACEHOLDER.fullmatch(token)
    assert match is not None
    return match.group(1)


#: URLs that :func:`~digest.render.links.safe_url`, ``clean_text`` and HTML
#: escaping leave as they are, but for ``&``: http(s), a host, unreserved and
#: delimiter characters only (no ``%``, quotes, brackets, spaces or controls).
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?][A-Za-z0-9._~!$&()*+,;=:@/?-]*)?"
)
#: How many distinct name values a template remembers the encoded form of.
_CACHED_VALUES = 10_000


_LINE_START_DOT = re.compile(rb"^\.", re.MULTILINE)


def _dot_stuff(piece: bytes) -> bytes:
    """SMTP transparency (RFC 5321 4.5.2) for a piece that starts a line."""
    return _LINE_START_DOT.sub(b"..", piece) if piece[:1] == b"." or b"\n." in piece else piece


_UNSUBSCRIBE_WORD = re.compile(r"^unsubscribe\s+", re.IGNORECASE)


def token_from(value: str) -> str:
    """The unsubscribe token in what a reader or a mail program handed on: the
    whole unsubscribe URL (``https://…/unsubscribe?token=…``), the ``mailto:`` URI,
    its subject as sent (``unsubscribe%20<token>``, ``Unsubscribe <token>``) or
    the bare token.  An email address is returned as it is."""
    text = value.strip()
    if "@" in text and not text.lower().startswith("mailto:"):
        return text
    if text.lower().startswith(("http://", "https://", "mailto:")):
        query = parse_qs(urlsplit(text).query)
        found = query.get("token") or query.get("subject") or [""]
        text = found[0].strip() or text
    if "%" in text or "+" in text:
        text = unquote_plus(text)
    return _UNSUBSCRIBE_WORD.sub("", text.strip()).strip()
