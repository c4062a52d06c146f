"""The ``ntfy`` sender: the push rendition to one or more ntfy topics.

Options::

    [senders.push]
    type = "ntfy"
    base_url = "https://ntfy.sh"      # or a self-hosted server
    topics = ["world-news"]
    token_env = "NTFY_TOKEN"          # optional access token
    priority = 3                      # 1 (min) to 5 (max)

Uses ntfy's JSON publishing (``POST`` to the server root with the topic in the
body); the message id from the answer is recorded.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import ConfigError
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .http import HttpSender, dumps, response_id, shown
from .options import Options


class NtfySender(HttpSender):
    """Publishes the push title, body, click URL and image to ntfy topics."""

    type_name: ClassVar[str] = "ntfy"
    consumes: ClassVar[RenditionKind] = "push"
    _KNOWN: ClassVar[set[str]] = {"base_url", "topics", "token_env", "priority"}

    def configure(self, opts: Options) -> None:
        """Read server, topics, token and priority."""
        self.base_url = self.endpoint = opts.url("base_url", "https://ntfy.sh")
        self._targets = opts.strings("topics")
        self._token = opts.secret("token_env", required=False)
        self.priority = opts.integer("priority", 3)
        if self.priority > 5:
            raise ConfigError(f"senders.{self.name}.priority: must be 1 to 5, got {self.priority}")
        self.limits = Limits(max_message_bytes=4096)

    def describe(self) -> str:
        """Log-safe: server and topics, and whether a token is used (not the token)."""
        auth = ", with token" if self._token else ""
        return f"ntfy sender {self.name!r} → {shown(self.base_url)} topics {self._targets}{auth}"

    def payload(self, outgoing: Outgoing, topic: str) -> dict[str, Any]:
        """The JSON message for one topic."""
        push = outgoing.public.push
        payload: dict[str, Any] = {
            "topic": topic,
            "title": push.title,
            "message": push.body,
            "click": push.url,
            "priority": self.priority,
        }
        if push.image:
            payload["attach"] = push.image
        return payload

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Publish to one topic."""
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        response = self.http.post(
            self.base_url + "/",
            content=dumps(self.payload(outgoing, recipient.id)),
            headers=headers,
        )
        return SendResult(recipient.id, provider_id=response_id(response, ("id",)))
