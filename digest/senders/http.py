"""What every HTTP sender shares: one pooled client, a JSON POST, and the rule
for which answers are worth retrying.

2xx is delivered.  429, 408 and 5xx are temporary (``Retry-After`` is passed on,
in seconds or as an HTTP date); any other 4xx is permanent (a 401 will not
improve by asking again); timeouts and dropped connections are temporary.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx

from ..errors import SendError
from .base import Limits, Outgoing, Recipient
from .options import Options

USER_AGENT = "digest/0.1 (+https://example.com/digest)"


def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """A thread-safe, lazily opened :class:`httpx.Client` for one sender."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def _get(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    timeout=self.timeout, headers={"User-Agent": USER_AGENT}
                )
            return self._client

    def client(self) -> httpx.Client:
        """The pooled client itself, for a sender that reads answers its own way."""
        return self._get()

    def post(
        self, url: str, *, content: bytes, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """POST ``content`` as JSON; raises :class:`SendError` unless the answer is
        2xx, permanent for 4xx other than 408 and 429.  Errors name the URL without
        its query or credentials."""
        try:
            response = self._get().post(
                url,
                content=content,
                headers={"Content-Type": "application/json", **(headers or {})},
            )
        except httpx.TimeoutException:
            raise SendError(f"POST {shown(url)}: timed out") from None
        except httpx.HTTPError as exc:
            raise SendError(f"POST {shown(url)}: {type(exc).__name__}: {exc}") from None
        status = response.status_code
        if 200 <= status < 300:
            return response
        detail = " ".join(response.text.split())[:200]
        message = f"POST {shown(url)}: HTTP {status} {detail}".rstrip()
        if status in (408, 429) or status >= 500:
            raise SendError(message, retry_after=retry_after(response.headers.get("Retry-After")))
        raise SendError(message, permanent=True)

    def close(self) -> None:
        """Close the pooled connections."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON, as sent on the wire."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def response_id(response: httpx.Response, *paths: tuple[str, ...]) -> str:
    """The first string found at one of ``paths`` in a JSON answer, else ``""``."""
    try:
        data: Any = response.json()
    except ValueError:
        return ""
    for path in paths:
        node = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str | int) and not isinstance(node, bool):
            return str(node)
    return ""


def shown(url: str) -> str:
    """A URL fit for logs: scheme, host and path, without user info or query (which
    may hold tokens)."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"


class HttpSender:
    """Base of the HTTP senders: options, one pooled client, nothing to prepare.

    Subclasses set ``type_name``, ``consumes`` and ``_KNOWN`` (their option names on
    top of ``timeout``), read their options in ``configure`` and implement ``send``.
    """

    _KNOWN: ClassVar[set[str]] = set()

    def __init__(self, name: str, options: Mapping[str, Any], *, base_dir: Path) -> None:
        opts = Options(name, options, self._KNOWN | {"timeout"})
        self.name = name
        self.base_dir = base_dir
        self.limits = Limits()
        self.subscriber_list: str | None = None
        self.http = HttpClient(opts.number("timeout", 20.0))
        self._targets: list[str] = []
        #: The URL this sender talks to (``digest check --reach`` connects to it).
        self.endpoint = ""
        self.configure(opts)

    def endpoints(self) -> list[str]:
        """The server this sender talks to, for ``digest check --reach``."""
        return [self.endpoint]

    def configure(self, opts: Options) -> None:
        """Read the sender's own options (subclasses)."""

    def recipients(self) -> Iterable[Recipient]:
        """One recipient per configured target (topic, chat id, segment...)."""
        return [Recipient(t) for t in self._targets]

    def prepare(self, outgoing: Outgoing) -> None:
        """Nothing to prepare: each payload is small."""

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()
