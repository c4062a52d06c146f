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
# A DOCTYPE is a name, an optional external id (quoted strings) and an optional
# internal subset in brackets; only the first two are harmless.
_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*(?P<subset>\[)?", re.I)
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def without_doctype(data: bytes, source: str, kind: str) -> bytes:
    """``data`` (UTF-8 or ASCII-compatible bytes) with a harmless DOCTYPE removed.

    Raises :class:`SourceError` naming ``source`` if the DOCTYPE has an internal
    subset.  ``kind`` (``feed``, ``HTML page``) words the message.
    """
    at = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    while (item := _PROLOG_ITEM.match(data, at)) is not None and item.end() > at:
        at = item.end()
    doctype = _DOCTYPE.match(data, at)
    if doctype is None:
        return data
    if doctype["subset"]:
        raise SourceError(
            source,
            f"{kind} declares a DOCTYPE internal subset (entities); refused to prevent "
            "entity expansion and external entity reads",
        )
    end = data.find(b">", doctype.end())
    return data[:at] + data[end + 1 :]
