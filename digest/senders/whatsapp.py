"""The ``whatsapp`` sender: the WhatsApp rendition to Channels through an HTTP gateway.

Options::

    [senders.channel]
    type = "whatsapp"
    api = "waha"                        # or "whapi"
    base_url = "http://localhost:3000"  # WAHA; Whapi: https://gate.whapi.cloud
    token_env = "WAHA_API_KEY"          # WAHA: X-Api-Key (optional); Whapi: Bearer token
    session = "default"                 # WAHA only
    chats = ["120363000000000000@newsletter"]

WAHA-style: ``POST {base_url}/api/sendText`` with ``{"session", "chatId", "text"}``.
Whapi-style: ``POST {base_url}/messages/text`` with ``{"to", "body"}``.
A Channel's chat id ends in ``@newsletter``; group and contact ids are accepted too.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..errors import ConfigError, SendError
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .http import HttpSender, dumps, response_id, shown
from .options import Options

#: WhatsApp's own limit on one text message.
MAX_CHARS = 4096
_CHAT_ID = re.compile(r"[0-9A-Za-z._-]+@(newsletter|g\.us|c\.us|s\.whatsapp\.net)")


class WhatsAppGatewaySender(HttpSender):
    """Posts the WhatsApp text to each configured chat (a Channel is ``…@newsletter``)."""

    type_name: ClassVar[str] = "whatsapp"
    consumes: ClassVar[RenditionKind] = "whatsapp"
    _KNOWN: ClassVar[set[str]] = {"api", "base_url", "token_env", "session", "chats"}

    def configure(self, opts: Options) -> None:
        """Read the API style, gateway URL, token, session and chat ids."""
        self.api = opts.choice("api", ("waha", "whapi"), "waha")
        self.base_url = self.endpoint = opts.url("base_url")
        self._token = opts.secret("token_env", required=self.api == "whapi")
        self.session = opts.text("session", "default")
        self._targets = opts.strings("chats")
        bad = [c for c in self._targets if not _CHAT_ID.fullmatch(c)]
        if bad:
            raise ConfigError(
                f"senders.{self.name}.chats: {bad[0]!r} is not a chat id "
                "(a Channel looks like 120363000000000000@newsletter)"
            )
        self.limits = Limits(max_body_chars=MAX_CHARS)

    def describe(self) -> str:
        """Log-safe: API style, gateway and chats, never the token."""
        return (
            f"whatsapp sender {self.name!r} ({self.api}) → {shown(self.base_url)} "
            f"chats {self._targets}"
        )

    def request(self, outgoing: Outgoing, chat: str) -> tuple[str, dict[str, Any], dict[str, str]]:
        """URL, JSON body and headers of the call for one chat."""
        text = outgoing.public.whatsapp.text
        if self.api == "waha":
            headers = {"X-Api-Key": self._token} if self._token else {}
            body = {"session": self.session, "chatId": chat, "text": text}
            return self.base_url + "/api/sendText", body, headers
        body = {"to": chat, "body": text}
        return self.base_url + "/messages/text", body, {"Authorization": f"Bearer {self._token}"}

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Post the text; a text over WhatsApp's 4,096 characters is refused here."""
        length = len(outgoing.public.whatsapp.text)
        if length > MAX_CHARS:
            raise SendError(f"text has {length} characters, over {MAX_CHARS}", permanent=True)
        url, body, headers = self.request(outgoing, recipient.id)
        response = self.http.post(url, content=dumps(body), headers=headers)
        found = response_id(
            response, ("id",), ("id", "_serialized"), ("key", "id"), ("message", "id")
        )
        return SendResult(recipient.id, provider_id=found)
