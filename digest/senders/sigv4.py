"""AWS Signature Version 4 for one fixed call (the ``ses`` sender's
``SendBulkEmail``): the headers botocore's ``SigV4Auth`` adds, with what stays the
same from call to call worked out once.

Every ``SendBulkEmail`` is a ``POST`` of JSON to the same URL, so the canonical
request differs between calls only in the date and the body's SHA-256, and the
signing key (four HMACs of the secret) only in the day.  botocore rebuilds all of
it for each call through its generic request model, which cost about twice what
hashing the body does; here a call costs that hash and two small ones.  The
headers, their order and the signature are those of ``SigV4Auth`` for the same
credentials and clock (the tests compare both), and the credentials are read
from the boto3 session's provider on every call, so refreshed keys (a role's) are
used as soon as botocore has them.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote, urlsplit


class FrozenCredentials(Protocol):
    """What botocore's ``get_frozen_credentials()`` returns."""

    access_key: str
    secret_key: str
    token: str | None


class CallSigner:
    """Signs ``POST`` calls of ``application/json`` to one URL (``SigV4Auth``'s
    headers: ``Content-Type``, ``X-Amz-Date``, ``X-Amz-Security-Token`` with a
    session token, ``Authorization``)."""

    def __init__(
        self,
        credentials: Callable[[], FrozenCredentials],
        url: str,
        region: str,
        service: str,
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._credentials = credentials
        self._wall = wall
        self._region = region
        self._service = service
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:  # an IPv6 literal keeps its brackets
            host = f"[{host}]"
        if parts.port is not None and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
            host = f"{host}:{parts.port}"
        from botocore.utils import normalize_url_path  # (only with the ses extra)

        # SigV4's canonical URI, as botocore's SigV4Auth makes it.
        path = quote(normalize_url_path(parts.path), safe="/~")
        self._request_head = f"POST\n{path}\n\ncontent-type:application/json\nhost:{host}\n"
        #: (secret, day) -> that day's signing key; one entry, replaced daily.
        self._key: tuple[str, str, bytes] = ("", "", b"")
        #: The bytes every body starts with, and their SHA-256 state.
        self._prefix: tuple[bytes, Any] = (b"", hashlib.sha256())

    def shared(self, prefix: bytes) -> None:
        """Bodies will start with ``prefix`` (the part of a call every call of an
        edition shares): it is hashed once, and each body's hash goes on from there."""
        self._prefix = (prefix, hashlib.sha256(prefix))

    def payload_hash(self, body: bytes) -> str:
        """SHA-256 of ``body`` in hex, from the shared prefix's state if it starts so."""
        prefix, state = self._prefix
        if prefix and body.startswith(prefix):
            rest = state.copy()
            rest.update(memoryview(body)[len(prefix) :])
            return str(rest.hexdigest())
        return hashlib.sha256(body).hexdigest()

    def headers(self, body: bytes) -> dict[str, str]:
        """The headers of a call with ``body``, signed now."""
        credentials = self._credentials()
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self._wall()))
        day = stamp[:8]
        token = credentials.token
        lines = [self._request_head, f"x-amz-date:{stamp}\n"]
        if token:
            lines.append(f"x-amz-security-token:{' '.join(token.split())}\n")
            signed = "content-type;host;x-amz-date;x-amz-security-token"
        else:
            signed = "content-type;host;x-amz-date"
        lines += ["\n", signed, "\n", self.payload_hash(body)]
        canonical = "".join(lines).encode()
        scope = f"{day}/{self._region}/{self._service}/aws4_request"
        to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical).hexdigest()}"
        signature = hmac.new(
            self._signing_key(credentials.secret_key, day), to_sign.encode(), hashlib.sha256
        ).hexdigest()
        headers = {"Content-Type": "application/json", "X-Amz-Date": stamp}
        if token:
            headers["X-Amz-Security-Token"] = token
        headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )
        return headers

    def _signing_key(self, secret: str, day: str) -> bytes:
        """The derived key of ``secret`` for ``day`` (kept until either changes)."""
        kept_secret, kept_day, key = self._key
        if kept_secret == secret and kept_day == day:
            return key
        key = f"AWS4{secret}".encode()
        for part in (day, self._region, self._service, "aws4_request"):
            key = hmac.digest(key, part.encode(), "sha256")
        self._key = (secret, day, key)
        return key
