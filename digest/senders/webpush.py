"""The ``webpush`` sender: the push rendition to browsers that subscribed on
``digest serve``'s ``/newsletter/push/`` page (Web Push: RFC 8030, 8291, 8292).

Options::

    [senders.browser]
    type = "webpush"
    private_key_file = "vapid-private.pem"   # made by `digest push keys`; or instead:
    # private_key_env = "VAPID_PRIVATE_KEY"  # the key (base64url) in an environment variable
    subject = "mailto:newsroom@example.com"  # who the push services may contact (VAPID sub)
    ttl_seconds = 86400                      # how long a push service keeps an undelivered one
    urgency = "normal"                       # very-low, low, normal, high
    push_services = []                       # extra hosts subscriptions may point at

The subscribers are the store's ``push_subscriptions``.  Each message is the push
rendition as JSON (``title``, ``body``, ``url``, ``image``, ``tag``), encrypted for
that one browser (``aes128gcm`` with its ``p256dh`` key and ``auth`` secret, by
``pywebpush``) and signed with the VAPID key (an ES256 JWT for the push service's
origin, valid 12 hours).  The encrypted body stays within the 4,096 bytes every
push service must accept (the picture goes first, then a long link gives way to
the site's).

A 404 or 410 answer means the browser unsubscribed: the subscription is deleted
(once the edition's sending is over).  429 and 5xx are retried through the
delivery log, honouring ``Retry-After``.  Endpoints must be https URLs on a known
push service (Chrome's FCM, Mozilla's autopush, Microsoft's WNS, Apple's), plus
``push_services``; a host listed there may be ``127.0.0.1`` (tests, a local
relay), which may then be plain http.  The endpoint is a secret: the log names a
subscription by a hash of it, and errors by its host.
"""

from __future__ import annotations

import base64
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher

from ..errors import ConfigError, SendError
from ..model import PushRendition, RenditionKind, SendResult
from ..store import PushSubscription, Store
from .base import Limits, Outgoing, Recipient
from .http import HttpSender, dumps, retry_after
from .options import Options

#: The payload every push service must accept (RFC 8030 §7.2), after encryption.
MAX_ENCRYPTED_BYTES = 4096
#: The browsers' push services (host suffixes).
PUSH_SERVICES = (
    "fcm.googleapis.com", "android.googleapis.com", "updates.push.services.mozilla.com",
    "push.services.mozilla.com", "notify.windows.com", "push.apple.com",
)  # fmt: skip
#: How long a VAPID token is valid (at most 24 hours, RFC 8292 §2).
TOKEN_SECONDS = 12 * 3600
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class SubscriptionStore(Protocol):
    """What the sender needs of the store."""

    def push_subscriptions(self) -> Iterable[PushSubscription]: ...

    def delete_push_subscriptions(self, ids: Iterable[str]) -> int: ...


# -- keys ------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    """Unpadded base64url, as Web Push writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Decode unpadded (or padded) base64url; ``ValueError`` if it is not."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("not base64url") from exc


def new_private_key() -> ec.EllipticCurvePrivateKey:
    """A fresh VAPID key (P-256)."""
    return ec.generate_private_key(ec.SECP256R1())


def private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    """The key as an unencrypted PKCS #8 PEM file."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_raw(key: ec.EllipticCurvePrivateKey) -> str:
    """The key's 32-byte secret, base64url (what ``private_key_env`` holds)."""
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key(key: ec.EllipticCurvePrivateKey) -> str:
    """The public key browsers subscribe with (``applicationServerKey``), base64url."""
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def load_private_key(text: str | bytes) -> ec.EllipticCurvePrivateKey:
    """A P-256 key from PEM or from its base64url secret; ``ValueError`` otherwise
    (the message never holds the key)."""
    data = text.encode() if isinstance(text, str) else text
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            raw = b64url_decode(data.strip().decode("ascii"))
            if len(raw) != 32:
                raise ValueError
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ValueError("not a P-256 private key (PEM or base64url)") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("not a P-256 private key (PEM or base64url)")
    return key


def write_private_key(path: Path, key: ec.EllipticCurvePrivateKey, *, force: bool) -> None:
    """Write the PEM file readable by its owner only; never over an existing file
    unless ``force``."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    descriptor = os.open(path, flags, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), stat.S_IRUSR | stat.S_IWUSR)
        file.write(private_pem(key))


# -- subscriptions ----------------------------------------------------------------------


def check_subscription(data: Any, extra_hosts: Iterable[str] = ()) -> PushSubscription:
    """A subscription from ``PushSubscription.toJSON()`` (``endpoint`` and
    ``keys.p256dh``, ``keys.auth``); ``ValueError`` saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("send the subscription as a JSON object")
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise ValueError("endpoint and keys are required")
    if len(endpoint) > 1000 or not endpoint_allowed(endpoint, extra_hosts):
        raise ValueError("the endpoint is not a known push service")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str):
        raise ValueError("keys.p256dh and keys.auth are required")
    try:
        point = b64url_decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        secret = b64url_decode(auth)
    except ValueError:
        raise ValueError("keys.p256dh is not a P-256 public key") from None
    if len(point) != 65 or len(secret) != 16:
        raise ValueError("keys.p256dh must be 65 bytes and keys.auth 16")
    return PushSubscription(endpoint, b64url(point), b64url(secret))


def endpoint_allowed(endpoint: str, extra_hosts: Iterable[str] = ()) -> bool:
    """Whether a push may be sent to ``endpoint``: https on a known push service or
    a listed host; a listed loopback host may be plain http."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    extra = [h.lower() for h in extra_hosts]
    if parts.username or parts.password or not host:
        return False
    if parts.scheme == "http":
        return host in _LOOPBACK and host in extra
    if parts.scheme != "https":
        return False
    return any(host == h or host.endswith("." + h) for h in (*PUSH_SERVICES, *extra))


# -- the sender ---------------------------------------------------------------------------


class WebPushSender(HttpSender):
    """Encrypts the push notification for every subscribed browser and hands it to
    that browser's push service."""

    type_name: ClassVar[str] = "webpush"
    consumes: ClassVar[RenditionKind] = "push"
    _KNOWN: ClassVar[set[str]] = {
        "private_key_file", "private_key_env", "subject", "ttl_seconds", "urgency",
        "push_services",
    }  # fmt: skip

    #: Seconds since the epoch, for the VAPID tokens' expiry (tests set their own).
    clock: Callable[[], float] = staticmethod(time.time)

    def configure(self, opts: Options) -> None:
        """Read the VAPID key, contact, TTL, urgency and extra push services."""
        file = opts.text("private_key_file", "")
        if file and "private_key_env" in opts._options:
            raise ConfigError(f"senders.{self.name}: give private_key_file or private_key_env")
        if file:
            path = Path(file).expanduser()
            path = path if path.is_absolute() else self.base_dir / path
            where = f"senders.{self.name}.private_key_file"
            try:
                text: str | bytes = path.read_bytes()
            except OSError as exc:
                raise ConfigError(
                    f"{where}: cannot read {path} ({exc.strerror}); `digest push keys` makes one"
                ) from None
        else:
            where = f"senders.{self.name}.private_key_env"
            text = opts.secret("private_key_env")
        try:
            self._key = load_private_key(text)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        self.public_key = public_key(self._key)
        self.subject = opts.text("subject")
        if not self.subject.startswith(("mailto:", "https://")):
            raise ConfigError(f"senders.{self.name}.subject: must be a mailto: or https: URL")
        self.ttl = opts.integer("ttl_seconds", 86400)
        self.urgency = opts.choice("urgency", ("very-low", "low", "normal", "high"), "normal")
        self.push_services = opts.strings("push_services", [])
        self.limits = Limits(max_message_bytes=MAX_ENCRYPTED_BYTES, connections=4)
        self._vapid = Vapid02(self._key)
        self._tokens: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._store: SubscriptionStore | None = None
        self._subscriptions: dict[str, PushSubscription] = {}
        self._gone: set[str] = set()

    def endpoints(self) -> list[str]:
        """Nothing fixed to reach: each subscription names its own push service."""
        return []

    def describe(self) -> str:
        """Log-safe: the public key's start and the subscriber count, never the key."""
        whom = (
            f"{len(self._subscriptions)} browser subscription(s)"
            if self._subscriptions
            else "the store's browser subscriptions"
        )
        return f"webpush sender {self.name!r} → {whom}, VAPID key {self.public_key[:12]}…"

    def use_store(self, store: Store | SubscriptionStore) -> None:
        """Where the subscriptions are (given by the application before sending)."""
        self._store = store

    def recipients(self) -> Iterable[Recipient]:
        """One recipient per stored subscription, named by its id."""
        if self._store is None:
            return []
        self._subscriptions = {s.id: s for s in self._store.push_subscriptions()}
        return [Recipient(i) for i in self._subscriptions]

    def payload(self, push: PushRendition, tag: str, *, image: bool = True) -> bytes:
        """The JSON the service worker shows (the picture left out if asked)."""
        data = {"title": push.title, "body": push.body, "url": push.url,
                "image": push.image if image else "", "tag": tag}  # fmt: skip
        return dumps(data)

    def encrypt(self, subscription: PushSubscription, data: bytes) -> bytes:
        """``data`` encrypted for one browser (aes128gcm, RFC 8291)."""
        info = {"endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}  # fmt: skip
        body: bytes = WebPusher(info).encode(data, "aes128gcm")["body"]
        return body

    def body(self, subscription: PushSubscription, outgoing: Outgoing) -> bytes:
        """The encrypted message within 4,096 bytes (see the module docstring)."""
        push = outgoing.public.push
        tag = outgoing.edition.id
        tries = [(push, True), (push, False)]
        if push.url != self._site(outgoing):
            tries.append((PushRendition(push.title, push.body, self._site(outgoing)), False))
        for candidate, image in tries:
            body = self.encrypt(subscription, self.payload(candidate, tag, image=image))
            if len(body) <= MAX_ENCRYPTED_BYTES:
                return body
        raise SendError(f"encrypted message over {MAX_ENCRYPTED_BYTES} bytes", permanent=True)

    @staticmethod
    def _site(outgoing: Outgoing) -> str:
        parts = urlsplit(outgoing.public.push.url)
        return f"{parts.scheme}://{parts.netloc}/"

    def authorization(self, endpoint: str) -> str:
        """The VAPID ``Authorization`` header for the endpoint's push service (one
        token per origin, renewed an hour before it expires)."""
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = self.clock()
        with self._lock:
            cached = self._tokens.get(audience)
            if cached is None or cached[0] - now <= 3600:
                expires = int(now) + TOKEN_SECONDS
                claims = {"aud": audience, "exp": expires, "sub": self.subject}
                header: str = self._vapid.sign(claims)["Authorization"]
                cached = (float(expires), header)
                self._tokens[audience] = cached
            return cached[1]

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Encrypt for one browser and post to its push service."""
        subscription = self._subscriptions.get(recipient.id)
        if subscription is None:
            raise SendError("no such subscription (unsubscribed meanwhile)", permanent=True)
        host = urlsplit(subscription.endpoint).hostname or "?"
        if not endpoint_allowed(subscription.endpoint, self.push_services):
            raise SendError(f"webpush {host}: not a known push service", permanent=True)
        headers = {
            "Authorization": self.authorization(subscription.endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(self.ttl),
            "Urgency": self.urgency,
            "Topic": _topic(outgoing.edition.id),
        }
        try:
            response = self.http.client().post(
                subscription.endpoint, content=self.body(subscription, outgoing), headers=headers
            )
        except httpx.TimeoutException:
            raise SendError(f"webpush {host}: timed out") from None
        except httpx.HTTPError as exc:
            raise SendError(f"webpush {host}: {type(exc).__name__}") from None
        status = response.status_code
        if 200 <= status < 300:
            return SendResult(recipient.id, provider_id=response.headers.get("Location", "")[-200:])
        detail = " ".join(response.text.split())[:160]
        message = f"webpush {host}: HTTP {status} {detail}".rstrip()
        if status in (404, 410):
            with self._lock:
                self._gone.add(recipient.id)
            raise SendError(f"{message} (subscription gone: deleted)", permanent=True)
        if status in (408, 429) or status >= 500:
            raise SendError(message, retry_after=retry_after(response.headers.get("Retry-After")))
        raise SendError(message, permanent=True)

    def close(self) -> None:
        """Delete the subscriptions that are gone, then close the connections."""
        with self._lock:
            gone, self._gone = self._gone, set()
        if gone and self._store is not None:
            self._store.delete_push_subscriptions(sorted(gone))
        super().close()


def _topic(edition_id: str) -> str:
    """A ``Topic`` header (at most 32 base64url characters): a newer message with
    the same topic replaces one the browser has not fetched yet."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in edition_id)
    return cleaned[-32:] or "digest"


__all__ = [
    "MAX_ENCRYPTED_BYTES",
    "PUSH_SERVICES",
    "WebPushSender",
    "b64url",
    "check_subscription",
    "endpoint_allowed",
    "load_private_key",
    "new_private_key",
    "private_raw",
    "public_key",
    "write_private_key",
]
