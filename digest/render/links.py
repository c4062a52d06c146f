"""Link tagging: campaign (UTM) parameters per channel, and URL safety."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SAFE_SCHEMES = ("http", "https")
# A "%" that does not start a percent-escape; browsers read it as "%25" anyway.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def safe_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else ``""``; a stray ``%`` is
    written as ``%25``.

    Article text is untrusted: a ``javascript:`` or ``data:`` link must never reach
    a rendition, and a ``%%name%%`` in a link must not become a recipient
    placeholder (see :mod:`digest.render.personal`).
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return ""
    if any(ch in url for ch in "\"'<> \t\r\n"):
        return ""
    return _STRAY_PERCENT.sub("%25", url)


def tag_url(url: str, params: dict[str, str]) -> str:
    """``url`` with campaign parameters added; its own query parameters are kept
    and win over ours (an editor's hand-set ``utm_source`` stays)."""
    url = safe_url(url)
    if not url or not params:
        return url
    parts = urlsplit(url)
    existing = parse_qsl(parts.query, keep_blank_values=True)
    present = {k for k, _ in existing}
    added = [(k, v) for k, v in params.items() if k not in present and v]
    # "https://site?utm=…" is valid but odd-looking; a bare host gets its "/".
    return urlunsplit(parts._replace(path=parts.path or "/", query=urlencode(existing + added)))
