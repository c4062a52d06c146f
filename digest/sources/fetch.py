"""Fetching sources over HTTP(S) with hard limits.

Feeds and pages are fetched here, never by a parser, so timeouts, the size cap
and the redirect limit hold for every byte that reaches a reader.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

import httpx

from ..errors import SourceError


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Limits on one HTTP fetch."""

    max_bytes: int = 20_000_000
    timeout_seconds: float = 20.0
    max_redirects: int = 5
    user_agent: str = "digest"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body with the validators for the next conditional GET."""

    url: str
    content: bytes
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


class _Decoder:
    """Undoes gzip/deflate transfer compression, never producing more than asked."""

    def __init__(self, url: str, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self._inflate: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()
        elif encoding not in ("", "identity"):
            raise SourceError(url, f"unsupported Content-Encoding {encoding!r}")
        self._url = url

    def decode(self, data: bytes, room: int) -> bytes:
        """Up to ``room + 1`` decoded bytes of ``data`` (one more than fits means
        "too big"; the rest is never inflated)."""
        if self._inflate is None:
            return data
        try:
            return self._inflate.decompress(data, room + 1)
        except zlib.error as exc:
            raise SourceError(self._url, f"corrupt compressed body ({exc})") from None


def fetch(url: str, limits: FetchLimits, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url`` within ``limits``; a 304 answer gives ``not_modified=True``.

    Raises :class:`SourceError` naming the URL on HTTP errors, timeouts, too many
    redirects and bodies over the size cap (the download stops at the cap; the cap
    counts decoded bytes, so a compressed bomb stops too).  ``timeout_seconds``
    bounds each network wait *and* the whole download, so a server dripping one
    byte at a time cannot hold a run.
    """
    headers = {"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(limits.timeout_seconds)
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        with (
            httpx.Client(
                follow_redirects=True, max_redirects=limits.max_redirects, timeout=timeout
            ) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code == 304:
                return Fetched(url, b"", not_modified=True, etag=etag, last_modified=last_modified)
            if response.status_code >= 400:
                raise SourceError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise SourceError(url, f"larger than the {limits.max_bytes:,}-byte limit")
            decoder = _Decoder(url, response.headers.get("Content-Encoding", ""))
            chunks: list[bytes] = []
            size = 0
            # Raw bytes, decoded here with a bound on the output of every step:
            # httpx's own decoder inflates a whole network chunk at once.
            for raw in response.iter_raw():
                chunk = decoder.decode(raw, limits.max_bytes - size)
                size += len(chunk)
                if size > limits.max_bytes:
                    raise SourceError(url, f"larger than the {limits.max_bytes:,}-byte limit")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("download took too long")
                chunks.append(chunk)
            return Fetched(
                url=str(response.url),
                content=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except httpx.TooManyRedirects:
        raise SourceError(url, f"more than {limits.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise SourceError(url, f"timed out after {limits.timeout_seconds:g}s") from None
    except httpx.HTTPError as exc:
        raise SourceError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None
