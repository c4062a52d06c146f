"""The ``fcm`` sender: the push rendition through Firebase Cloud Messaging HTTP v1.

Options::

    [senders.app]
    type = "fcm"
    credentials_env = "FIREBASE_CREDENTIALS"  # names the variable holding the *path* of the
                                              # service-account JSON file
    project_id = "example-news"               # default: the file's project_id
    topics = ["world-news"]                   # topic messages
    tokens_file = "fcm-tokens.txt"            # and/or device tokens, one a line (optional)
    messages_per_minute = 600000              # the project's quota (FCM's default)
    base_url = "https://fcm.googleapis.com"

Each recipient gets one ``POST /v1/projects/{project_id}/messages:send`` with a
``message`` of ``topic`` or ``token``, a ``notification`` (title, body, image), the
link in ``data.url`` and ``webpush.fcm_options.link``, and the picture for iOS in
``apns.fcm_options.image``.  The message is kept within FCM's 4,096-byte payload
limit (the picture goes first, then a long link gives way to the site's).

The access token comes from the service account through ``google-auth`` (an
OAuth 2.0 JWT-bearer exchange at the file's ``token_uri``), is shared by every
connection and renewed before it expires.  ``messages_per_minute`` is honoured
(FCM's HTTP v1 quota is per project, 600,000 a minute by default); a 429 waits for
``Retry-After`` or, without one, a minute (the quota refills minute by minute).
404 ``UNREGISTERED`` and other 4xx answers are final for that recipient; 5xx are
retried.  Device tokens are secrets of a sort: the delivery log, errors and
``describe()`` name a token by a hash of it (``token:1a2b3c4d5e6f``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import google.auth.exceptions
import google.auth.transport
import httpx
from google.oauth2 import service_account

from ..errors import ConfigError, SendError, SenderUnavailable
from ..model import PushRendition, RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .http import HttpSender, dumps, retry_after, shown
from .options import Options

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
#: FCM's limit on a message's payload.
MAX_PAYLOAD_BYTES = 4096
#: FCM HTTP v1's default quota per project.
DEFAULT_PER_MINUTE = 600_000
#: Seconds to wait after a 429 that names no time: the quota refills each minute.
QUOTA_WAIT = 60.0


class FcmSender(HttpSender):
    """Sends the push notification to FCM topics and device tokens."""

    type_name: ClassVar[str] = "fcm"
    consumes: ClassVar[RenditionKind] = "push"
    _KNOWN: ClassVar[set[str]] = {
        "credentials_env", "project_id", "topics", "tokens_file", "messages_per_minute",
        "base_url",
    }  # fmt: skip

    def configure(self, opts: Options) -> None:
        """Read the service account, project, topics, tokens and quota."""
        variable = opts.text("credentials_env")
        path = Path(opts.secret("credentials_env")).expanduser()
        if not path.is_absolute():
            path = self.base_dir / path
        try:
            self._credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                str(path), scopes=[SCOPE]
            )
        except (OSError, ValueError, KeyError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) else "not a service-account key"
            raise ConfigError(
                f"senders.{self.name}.credentials_env: the file named by {variable} cannot be "
                f"used ({problem})"
            ) from None
        self.project_id = opts.text("project_id", self._credentials.project_id or "")
        if not self.project_id:
            raise ConfigError(f"senders.{self.name}.project_id: is required")
        topics = opts.strings("topics", [])
        self._tokens: dict[str, str] = {}
        tokens_file = opts.text("tokens_file", "")
        if tokens_file:
            source = Path(tokens_file).expanduser()
            source = source if source.is_absolute() else self.base_dir / source
            try:
                lines = source.read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(
                    f"senders.{self.name}.tokens_file: cannot read {source} ({exc})"
                ) from None
            for line in lines:
                if line.strip() and not line.startswith("#"):
                    self._tokens[token_id(line.strip())] = line.strip()
        if not topics and not self._tokens:
            raise ConfigError(f"senders.{self.name}: give topics, tokens_file or both")
        self._targets = [f"topic:{t}" for t in topics] + list(self._tokens)
        self.base_url = opts.url("base_url", "https://fcm.googleapis.com")
        self.endpoint = self.base_url
        self.url = f"{self.base_url}/v1/projects/{self.project_id}/messages:send"
        per_minute = opts.integer("messages_per_minute", DEFAULT_PER_MINUTE)
        self.limits = Limits(
            max_message_bytes=MAX_PAYLOAD_BYTES,
            messages_per_second=per_minute / 60.0,
            max_title_chars=None,
            connections=4,
        )
        self._auth_lock = threading.Lock()

    def describe(self) -> str:
        """Log-safe: project, topics and how many tokens, never the key or a token."""
        topics = [t.removeprefix("topic:") for t in self._targets if t.startswith("topic:")]
        tokens = f", {len(self._tokens)} device token(s)" if self._tokens else ""
        return (
            f"fcm sender {self.name!r} → {shown(self.base_url)} project {self.project_id} "
            f"topics {topics}{tokens}"
        )

    def recipients(self) -> Iterable[Recipient]:
        """One recipient per topic (``topic:NAME``) and per device token (its hash)."""
        return [Recipient(t) for t in self._targets]

    def message(self, push: PushRendition, recipient: str, *, image: bool = True) -> dict[str, Any]:
        """The v1 ``{"message": ...}`` body for one recipient."""
        target = (
            {"topic": recipient.removeprefix("topic:")}
            if recipient.startswith("topic:")
            else {"token": self._tokens[recipient]}
        )
        notification = {"title": push.title, "body": push.body}
        message: dict[str, Any] = {
            **target,
            "notification": notification,
            "data": {"url": push.url},
        }
        if push.url.startswith("https://"):
            message["webpush"] = {"fcm_options": {"link": push.url}}
        if image and push.image:
            notification["image"] = push.image
            message["apns"] = {
                "payload": {"aps": {"mutable-content": 1}},
                "fcm_options": {"image": push.image},
            }
        return {"message": message}

    def payload(self, push: PushRendition, recipient: str) -> bytes:
        """The request body within FCM's 4,096 bytes (without the picture if need be)."""
        body = dumps(self.message(push, recipient))
        if len(body) > MAX_PAYLOAD_BYTES:
            body = dumps(self.message(push, recipient, image=False))
        if len(body) > MAX_PAYLOAD_BYTES:
            raise SendError(
                f"message of {len(body)} bytes, over FCM's {MAX_PAYLOAD_BYTES}", permanent=True
            )
        return body

    def access_token(self) -> str:
        """A valid OAuth access token (fetched or renewed when needed)."""
        with self._auth_lock:
            if not self._credentials.valid:
                try:
                    self._credentials.refresh(_AuthRequest(self.http.client()))
                except google.auth.exceptions.RefreshError as exc:
                    detail = " ".join(str(exc.args[0] if exc.args else exc).split())[:200]
                    raise SenderUnavailable(f"fcm: OAuth token refused: {detail}") from None
                except google.auth.exceptions.TransportError as exc:
                    raise SenderUnavailable(f"fcm: OAuth token server: {exc}") from None
            token: str = self._credentials.token
            return token

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Send one message (topic or token)."""
        body = self.payload(outgoing.public.push, recipient.id)
        headers = {"Authorization": f"Bearer {self.access_token()}"}
        try:
            response = self.http.client().post(
                self.url,
                content=body,
                headers={"Content-Type": "application/json; charset=UTF-8", **headers},
            )
        except httpx.TimeoutException:
            raise SendError(f"fcm {self.project_id}: timed out") from None
        except httpx.HTTPError as exc:
            raise SendError(f"fcm {self.project_id}: {type(exc).__name__}: {exc}") from None
        status = response.status_code
        if 200 <= status < 300:
            try:
                name = response.json().get("name", "")
            except (ValueError, AttributeError):
                name = ""
            return SendResult(recipient.id, provider_id=str(name))
        raise self.error(response)

    def error(self, response: httpx.Response) -> SendError:
        """The :class:`SendError` for an FCM error answer (see the module docstring)."""
        status = response.status_code
        code, text = _fcm_error(response)
        message = f"fcm {self.project_id}: HTTP {status} {code} {text}".rstrip()
        if status == 429:
            wait = retry_after(response.headers.get("Retry-After"))
            return SendError(message, retry_after=QUOTA_WAIT if wait is None else wait)
        if status >= 500 or status == 408:
            return SendError(message, retry_after=retry_after(response.headers.get("Retry-After")))
        if status == 401 and code != "THIRD_PARTY_AUTH_ERROR":
            with self._auth_lock:
                self._credentials.token = None  # fetched anew on the next attempt
            return SendError(message)
        if status == 403 and code != "SENDER_ID_MISMATCH":
            return SenderUnavailable(
                message + " (does the service account may send for this project?)"
            )
        return SendError(message, permanent=True)


def token_id(token: str) -> str:
    """How the delivery log names a device token: a hash, never the token."""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]


def _fcm_error(response: httpx.Response) -> tuple[str, str]:
    """The FCM error code (``UNREGISTERED``...) and message of an error answer."""
    try:
        error: Any = response.json().get("error", {})
    except (ValueError, AttributeError):
        return "", " ".join(response.text.split())[:200]
    if not isinstance(error, Mapping):
        return "", ""
    code = str(error.get("status", ""))
    for detail in error.get("details", []) or []:
        if isinstance(detail, Mapping) and detail.get("errorCode"):
            code = str(detail["errorCode"])
    return code, " ".join(str(error.get("message", "")).split())[:200]


class _Response(google.auth.transport.Response):
    """An httpx answer as google-auth reads it."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers

    @property
    def data(self) -> bytes:
        return self._response.content


class _AuthRequest(google.auth.transport.Request):
    """google-auth's HTTP transport over the sender's own httpx client."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> _Response:
        try:
            response = self._client.request(
                method, url, content=body, headers=dict(headers or {}), timeout=timeout or 20.0
            )
        except httpx.HTTPError as exc:
            raise google.auth.exceptions.TransportError(  # type: ignore[no-untyped-call]
                f"{shown(url)}: {type(exc).__name__}"
            ) from None
        return _Response(response)
