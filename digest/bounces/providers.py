"""Bounce and complaint webhooks of mail providers, checked as each one signs them.

* **Amazon SES through SNS**: the SNS envelope is signed with a certificate that
  SNS publishes; the certificate URL must match ``[bounces] sns_url_pattern``
  (``https://sns.<region>.amazonaws.com/…``) before it is fetched, the signature
  (SignatureVersion 1: SHA1, 2: SHA256, RSA PKCS#1 v1.5) is checked over SNS's
  canonical string, and the topic must be one of ``sns_topics``.
* **SendGrid** signed event webhook: ECDSA (P-256, SHA256) over timestamp + body,
  checked with the account's verification public key.
* **Postmark**: the webhook's HTTP basic-auth credentials.
* **Mailgun**: HMAC-SHA256 of timestamp + token with the webhook signing key.

Every check also refuses events older than ``[bounces] max_age_seconds`` (by
their own timestamp, against the injected clock); replays are refused by the
event ids remembered in the store (:func:`digest.bounces.apply_events`).
Nothing here logs a secret or a body.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key

from ..store.types import BounceKind
from . import BounceEvent


class WebhookError(Exception):
    """A webhook request that is refused: unsigned, forged, stale or malformed."""


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookError("not JSON") from None


def _fresh(moment: float, now: float, max_age: float) -> None:
    if now - moment > max_age or moment - now > 300:
        raise WebhookError("event too old or from the future")


def _timestamp(value: str) -> float:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except (ValueError, AttributeError):
        raise WebhookError("bad timestamp") from None


# -- Amazon SES through SNS ------------------------------------------------------------

_SNS_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type",
    ),
    "UnsubscribeConfirmation": (
        "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type",
    ),
}  # fmt: skip


def sns_string_to_sign(envelope: dict[str, Any]) -> bytes:
    """SNS's canonical string of a message: ``name\\nvalue\\n`` for each signed
    field present, in SNS's order (``Subject`` only when the message has one)."""
    fields = _SNS_FIELDS.get(str(envelope.get("Type")))
    if fields is None:
        raise WebhookError("unknown SNS message type")
    out = []
    for name in fields:
        if name == "Subject" and envelope.get("Subject") is None:
            continue
        value = envelope.get(name)
        if not isinstance(value, str):
            raise WebhookError(f"SNS field {name} missing")
        out.append(f"{name}\n{value}\n")
    return "".join(out).encode()


class SnsVerifier:
    """Checks SNS messages; certificates are fetched (by ``fetch``) only from
    URLs matching ``url_pattern`` and kept, at most 20."""

    def __init__(
        self,
        *,
        url_pattern: str,
        topics: list[str],
        fetch: Callable[[str], bytes],
        clock: Callable[[], float],
        max_age: float,
    ) -> None:
        self._pattern = re.compile(url_pattern)
        self.topics = set(topics)
        self._fetch = fetch
        self._clock = clock
        self._max_age = max_age
        self._certs: dict[str, rsa.RSAPublicKey] = {}
        self._lock = threading.Lock()

    def url_allowed(self, url: str) -> bool:
        """Whether ``url`` may be fetched (certificate, subscription confirmation)."""
        return bool(self._pattern.match(url)) and "@" not in url.split("/", 3)[2]

    def _key(self, url: str) -> rsa.RSAPublicKey:
        if not self.url_allowed(url) or not url.endswith(".pem"):
            raise WebhookError("certificate URL not allowed")
        with self._lock:
            cached = self._certs.get(url)
        if cached is not None:
            return cached
        try:
            certificate = x509.load_pem_x509_certificate(self._fetch(url))
        except Exception:  # network, size or parse: refused either way
            raise WebhookError("certificate unavailable") from None
        key = certificate.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise WebhookError("certificate is not RSA")
        with self._lock:
            if len(self._certs) >= 20:
                self._certs.clear()
            self._certs[url] = key
        return key

    def verify(self, body: bytes) -> dict[str, Any]:
        """The SNS envelope of a request body, once its signature, topic and age
        are checked.  Raises :class:`WebhookError`."""
        envelope = _json(body)
        if not isinstance(envelope, dict):
            raise WebhookError("not an SNS message")
        if envelope.get("TopicArn") not in self.topics:
            raise WebhookError("topic not accepted")
        algorithm: hashes.HashAlgorithm
        version = envelope.get("SignatureVersion")
        if version == "1":
            algorithm = hashes.SHA1()
        elif version == "2":
            algorithm = hashes.SHA256()
        else:
            raise WebhookError("unknown signature version")
        try:
            signature = base64.b64decode(str(envelope.get("Signature", "")), validate=True)
        except (binascii.Error, ValueError):
            raise WebhookError("bad signature encoding") from None
        key = self._key(str(envelope.get("SigningCertURL", "")))
        try:
            key.verify(signature, sns_string_to_sign(envelope), padding.PKCS1v15(), algorithm)
        except InvalidSignature:
            raise WebhookError("bad signature") from None
        _fresh(_timestamp(str(envelope.get("Timestamp"))), self._clock(), self._max_age)
        return envelope


def ses_events(envelope: dict[str, Any]) -> list[BounceEvent]:
    """The bounces, complaints and deliveries an SES notification (an SNS
    ``Notification``'s ``Message``) reports."""
    message = _json(str(envelope.get("Message", "")).encode())
    if not isinstance(message, dict):
        return []
    kind = message.get("notificationType") or message.get("eventType")
    event_id = str(envelope.get("MessageId", ""))
    events = []
    if kind == "Bounce":
        bounce = message.get("bounce") or {}
        hard = bounce.get("bounceType") == "Permanent"
        for r in bounce.get("bouncedRecipients") or []:
            detail = str(r.get("diagnosticCode") or r.get("status") or bounce.get("bounceSubType"))
            events.append(
                BounceEvent(
                    str(r.get("emailAddress", "")),
                    "hard" if hard else "soft",
                    "ses",
                    detail,
                    event_id,
                )
            )
    elif kind == "Complaint":
        complaint = message.get("complaint") or {}
        for r in complaint.get("complainedRecipients") or []:
            detail = str(complaint.get("complaintFeedbackType") or "")
            events.append(
                BounceEvent(str(r.get("emailAddress", "")), "complaint", "ses", detail, event_id)
            )
    elif kind == "Delivery":
        for address in (message.get("delivery") or {}).get("recipients") or []:
            events.append(BounceEvent(str(address), "delivered", "ses", "", event_id))
    return events


# -- SendGrid -------------------------------------------------------------------------

SENDGRID_SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
SENDGRID_TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"


def sendgrid_key(value: str) -> ec.EllipticCurvePublicKey:
    """SendGrid's verification key as its settings page shows it (base64 DER),
    or PEM.  Raises :class:`ValueError` for anything else."""
    text = value.strip()
    key = (
        load_pem_public_key(text.encode())
        if text.startswith("-----")
        else load_der_public_key(base64.b64decode(text))
    )
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("not an elliptic-curve public key")
    return key


def sendgrid_events(
    body: bytes,
    headers: dict[str, str],
    key: ec.EllipticCurvePublicKey,
    *,
    now: float,
    max_age: float,
) -> list[BounceEvent]:
    """SendGrid's event batch, once its signature and age are checked."""
    stamp = headers.get(SENDGRID_TIMESTAMP.lower(), "")
    try:
        signature = base64.b64decode(headers.get(SENDGRID_SIGNATURE.lower(), ""), validate=True)
        moment = float(int(stamp))
    except (binascii.Error, ValueError):
        raise WebhookError("missing or bad signature headers") from None
    try:
        key.verify(signature, stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise WebhookError("bad signature") from None
    _fresh(moment, now, max_age)
    batch = _json(body)
    if not isinstance(batch, list):
        raise WebhookError("not an event list")
    events = []
    for item in batch:
        if not isinstance(item, dict):
            continue
        name, address = item.get("event"), str(item.get("email", ""))
        event_id = str(item.get("sg_event_id", ""))
        detail = " ".join(str(item.get(k, "")) for k in ("status", "reason")).strip()
        if name == "bounce":
            kind: BounceKind = "soft" if item.get("type") == "blocked" else "hard"
            events.append(BounceEvent(address, kind, "sendgrid", detail, event_id))
        elif name == "dropped" and "bounced address" in str(item.get("reason", "")).lower():
            events.append(BounceEvent(address, "hard", "sendgrid", detail, event_id))
        elif name == "spamreport":
            events.append(BounceEvent(address, "complaint", "sendgrid", "", event_id))
        elif name == "delivered":
            events.append(BounceEvent(address, "delivered", "sendgrid", "", event_id))
    return events


# -- Postmark ---------------------------------------------------------------------------

_POSTMARK_HARD = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated"}
_POSTMARK_SOFT = {"SoftBounce", "Transient", "DnsError"}


def check_basic_auth(header: str, expected: str) -> None:
    """Refuse unless ``Authorization: Basic`` carries ``expected`` (``user:pass``)."""
    scheme, _, value = header.partition(" ")
    try:
        given = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        given = b""
    if scheme.lower() != "basic" or not hmac.compare_digest(given, expected.encode()):
        raise WebhookError("bad credentials")


def postmark_events(body: bytes) -> list[BounceEvent]:
    """A Postmark bounce, spam complaint or delivery webhook (one record)."""
    record = _json(body)
    if not isinstance(record, dict):
        raise WebhookError("not a Postmark record")
    kind, event_id = record.get("RecordType"), str(record.get("ID") or record.get("MessageID"))
    if kind == "Bounce":
        bounce_type = record.get("Type")
        detail = f"{bounce_type}: {record.get('Description', '')}"
        if bounce_type in _POSTMARK_HARD:
            return [BounceEvent(str(record.get("Email", "")), "hard", "postmark", detail, event_id)]
        if bounce_type in _POSTMARK_SOFT:
            return [BounceEvent(str(record.get("Email", "")), "soft", "postmark", detail, event_id)]
        if bounce_type == "SpamComplaint":
            return [
                BounceEvent(str(record.get("Email", "")), "complaint", "postmark", "", event_id)
            ]
        return []
    if kind == "SpamComplaint":
        return [BounceEvent(str(record.get("Email", "")), "complaint", "postmark", "", event_id)]
    if kind == "Delivery":
        return [
            BounceEvent(str(record.get("Recipient", "")), "delivered", "postmark", "", event_id)
        ]
    return []


# -- Mailgun ----------------------------------------------------------------------------


def mailgun_events(body: bytes, key: str, *, now: float, max_age: float) -> list[BounceEvent]:
    """A Mailgun webhook (JSON with ``signature`` and ``event-data``), once its
    HMAC and age are checked."""
    data = _json(body)
    signed = data.get("signature") if isinstance(data, dict) else None
    if not isinstance(signed, dict):
        raise WebhookError("no signature")
    stamp, token = str(signed.get("timestamp", "")), str(signed.get("token", ""))
    expected = hmac.new(key.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), str(signed.get("signature", "")).encode()):
        raise WebhookError("bad signature")
    try:
        _fresh(float(int(stamp)), now, max_age)
    except ValueError:
        raise WebhookError("bad timestamp") from None
    event = data.get("event-data")
    if not isinstance(event, dict):
        return []
    address, name = str(event.get("recipient", "")), event.get("event")
    status = event.get("delivery-status") or {}
    detail = f"{status.get('code', '')} {status.get('message') or status.get('description', '')}"
    # Mailgun reports each retry of a message as a temporary failure: one message
    # counts once (by its Message-ID); a replay of the same event is the same key.
    headers = (event.get("message") or {}).get("headers") or {}
    event_id = str(headers.get("message-id") or event.get("id") or token)
    if name == "failed":
        severity: BounceKind = "hard" if event.get("severity") == "permanent" else "soft"
        return [BounceEvent(address, severity, "mailgun", detail.strip(), event_id)]
    if name == "complained":
        return [BounceEvent(address, "complaint", "mailgun", "", event_id)]
    if name == "delivered":
        return [BounceEvent(address, "delivered", "mailgun", "", event_id)]
    return []
