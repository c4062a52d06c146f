"""The one place a markup document's prolog is checked before any parser sees it.

A DOCTYPE's internal subset is where entity bombs ("billion laughs", quadratic
blowup) and external entities (``SYSTEM "file:///etc/passwd"``) live; news feeds
and article pages never need one, so a document that has one is refused.  A plain
DOCTYPE (``<!DOCTYPE rss PUBLIC ...>`` of RSS 0.91, ``<!DOCTYPE html>``) is
removed unread, so no parser is ever tempted to fetch its DTD.
"""

from __future__ import annotations

import re

from ..errors import SourceError

_UTF8_BOM = b"\xef\xbb\xbf"
_DOCTYPE = re.compile(rb"<!DOCTYPE(?=[\s\[>])", re.I)
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def without_doctype(data: bytes, source: str, kind: str) -> bytes:
    """``data`` (UTF-8 or ASCII-compatible bytes) with a harmless DOCTYPE removed.

    The DOCTYPE is read with its quoting understood: a ``>`` or ``[`` inside a
    quoted public or system id (``SYSTEM "a>b"``) neither ends it nor opens a
    subset.  Raises :class:`SourceError` naming ``source`` if a DOCTYPE has an
    internal subset or never ends.  ``kind`` (``feed``, ``HTML page``) words the
    message.  Every DOCTYPE of the prolog is looked at, not only the first.
    """
    at = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    while True:
        while (item := _PROLOG_ITEM.match(data, at)) is not None and item.end() > at:
            at = item.end()
        doctype = _DOCTYPE.match(data, at)
        if doctype is None:
            return data
        end = _doctype_end(data, doctype.end(), source, kind)
        data = data[:at] + data[end + 1 :]


def _doctype_end(data: bytes, at: int, source: str, kind: str) -> int:
    """Where the DOCTYPE whose name starts at ``at`` ends (its ``>``)."""
    quote = 0
    for index in range(at, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in b"\"'":
            quote = byte
        elif byte == ord("["):
            raise SourceError(
                source,
                f"{kind} declares a DOCTYPE internal subset (entities); refused to prevent "
                "entity expansion and external entity reads",
            )
        elif byte == ord(">"):
            return index
    raise SourceError(source, f"{kind} has a DOCTYPE that never ends; refused")
