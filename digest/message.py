"""The email as a MIME message: plain-text and HTML alternatives with headers.

Used by ``digest export`` (``email.eml``) and the SMTP sender.  Serialise with
:data:`email.policy.SMTP` (CRLF line ends) before handing bytes to ``smtplib``.
Header values are checked here so untrusted text can never add a header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from .errors import RenderError
from .model import EmailRendition

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
    message["From"] = sender if isinstance(sender, Address) else address_header(sender)
    message["To"] = to if isinstance(to, Address) else address_header(to)
    message["Subject"] = header_safe(rendition.subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id or make_msgid(domain="digest.invalid")
    message["MIME-Version"] = "1.0"
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.fullmatch(name):
            raise RenderError(f"{name!r} is not a header name")
        message[name] = header_safe(value)
    message.set_content(rendition.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendition.html, subtype="html", charset="utf-8")
    return message
