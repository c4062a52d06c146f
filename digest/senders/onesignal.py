"""The ``onesignal`` sender: the push rendition to OneSignal segments.

Options::

    [senders.app]
    type = "onesignal"
    app_id = "your-app-id"
    api_key_env = "ONESIGNAL_API_KEY"
    segments = ["Subscribed Users"]
    base_url = "https://api.onesignal.com"

Each notification carries an ``idempotency_key`` derived from edition, sender and
segment: OneSignal drops a repeat with the same key (for 30 days), so a retry after
an ambiguous timeout or a crash never notifies anyone twice.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from ..errors import SendError
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .http import HttpSender, dumps, shown
from .options import Options

_NAMESPACE = uuid.UUID("1b0d6c9e-4f54-4b8e-9d3c-6a0f3f1b2c7d")


class OneSignalSender(HttpSender):
    """Creates one notification per segment through ``POST /notifications``."""

    type_name: ClassVar[str] = "onesignal"
    consumes: ClassVar[RenditionKind] = "push"
    _KNOWN: ClassVar[set[str]] = {"app_id", "api_key_env", "segments", "base_url"}

    def configure(self, opts: Options) -> None:
        """Read app id, key, segments and API base URL."""
        self.app_id = opts.text("app_id")
        self._key = opts.secret("api_key_env")
        self._targets = opts.strings("segments", ["Subscribed Users"])
        self.base_url = self.endpoint = opts.url("base_url", "https://api.onesignal.com")
        self.limits = Limits(max_message_bytes=4096, max_title_chars=50, max_body_chars=150)

    def describe(self) -> str:
        """Log-safe: app id and segments, never the API key."""
        return (
            f"onesignal sender {self.name!r} → {shown(self.base_url)} app {self.app_id} "
            f"segments {self._targets}"
        )

    def payload(self, outgoing: Outgoing, segment: str) -> dict[str, Any]:
        """The notification for one segment."""
        push = outgoing.public.push
        key = uuid.uuid5(_NAMESPACE, f"{outgoing.edition.id}\0{self.name}\0{segment}")
        payload: dict[str, Any] = {
            "app_id": self.app_id,
            "included_segments": [segment],
            "headings": {"en": push.title},
            "contents": {"en": push.body},
            "url": push.url,
            "idempotency_key": str(key),
        }
        if push.image:
            payload["big_picture"] = push.image
            payload["chrome_web_image"] = push.image
        return payload

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Create the notification; an answer without an id is a permanent failure."""
        response = self.http.post(
            self.base_url + "/notifications",
            content=dumps(self.payload(outgoing, recipient.id)),
            headers={"Authorization": f"Key {self._key}"},
        )
        data = response.json() if response.content else {}
        notification = data.get("id") if isinstance(data, dict) else None
        if not notification:
            errors = data.get("errors") if isinstance(data, dict) else None
            raise SendError(f"OneSignal created no notification: {errors}", permanent=True)
        return SendResult(recipient.id, provider_id=str(notification))
