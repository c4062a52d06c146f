"""The ``webhook`` sender: the edition and all its renditions as one signed JSON POST.

Options::

    [senders.cms]
    type = "webhook"
    url = "https://cms.example.com/hooks/digest"
    secret_env = "DIGEST_WEBHOOK_SECRET"

Headers: ``X-Digest-Timestamp`` (Unix seconds), ``X-Digest-Signature:
sha256=<hex>`` = HMAC-SHA256(secret, ``"<timestamp>." + body``), and
``Idempotency-Key`` (edition and sender), the same on every retry, so a receiver
can drop a second copy.  Verify with :func:`verify_signature`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, ClassVar

from ..export import edition_document
from ..model import RenditionKind, SendResult, to_plain
from .base import Outgoing, Recipient
from .http import HttpSender, dumps, response_id, shown
from .options import Options

SIGNATURE_HEADER = "X-Digest-Signature"
TIMESTAMP_HEADER = "X-Digest-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value for a body sent at ``timestamp``."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` was made with ``secret`` over this body and time."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookSender(HttpSender):
    """POSTs ``{"edition": ..., "renditions": ...}`` to one URL."""

    type_name: ClassVar[str] = "webhook"
    consumes: ClassVar[RenditionKind] = "all"
    _KNOWN: ClassVar[set[str]] = {"url", "secret_env"}

    def configure(self, opts: Options) -> None:
        """Read ``url`` and the signing secret."""
        self.url = self.endpoint = opts.url("url")
        self._secret = opts.secret("secret_env").encode()
        self._targets = [shown(self.url)]

    def describe(self) -> str:
        """Log-safe: the URL without query or credentials."""
        return f"webhook sender {self.name!r} → POST {shown(self.url)} (HMAC-SHA256 signed)"

    def payload(self, outgoing: Outgoing) -> dict[str, Any]:
        """What is posted: the edition (picks and reasons) and the four renditions."""
        renditions = to_plain(outgoing.public)
        return {
            "event": "digest.edition",
            "edition_id": outgoing.edition.id,
            "edition": edition_document(outgoing.edition),
            "renditions": {k: renditions[k] for k in ("email", "push", "whatsapp")},
        }

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """POST the signed payload."""
        body = dumps(self.payload(outgoing))
        timestamp = str(int(time.time()))
        response = self.http.post(
            self.url,
            content=body,
            headers={
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(self._secret, timestamp, body),
                "Idempotency-Key": f"{outgoing.edition.id}:{self.name}",
            },
        )
        return SendResult(recipient.id, provider_id=response_id(response, ("id",)))
