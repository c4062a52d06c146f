"""Link tagging: campaign (UTM) parameters per channel, and URL safety."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SAFE_SCHEMES = ("http", "https")


def safe_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else ``""``.

    Article text is untrusted: a ``javascript:`` or ``data:`` link must never reach
    a rendition.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return ""
    if any(ch in url for ch in "\"'<> \t\r\n"):
        return ""
    return url


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
