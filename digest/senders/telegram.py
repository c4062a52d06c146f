"""The ``telegram`` sender: the Telegram rendition to channels through the Bot API.

Options::

    [senders.telegram]
    type = "telegram"
    token_env = "TELEGRAM_BOT_TOKEN"      # the bot's token (@BotFather); an admin of each channel
    chats = ["@worldnewsdigest", "-1001234567890"]
    photo = true                          # the lead picture with a caption, when there is one
    link_preview = "lead"                 # text posts: "lead" (a large preview of the lead
                                          # story above the text) or "off"
    silent = false                        # disable_notification
    base_url = "https://api.telegram.org"

A lead story with a picture goes out as one ``sendPhoto`` (the picture, and the
short post of :class:`~digest.model.TelegramRendition` as its caption, at most
1,024 characters as Telegram counts them); otherwise, or when Telegram cannot
fetch the picture (a 400 answer to ``sendPhoto``), as one ``sendMessage`` with the
whole post (at most 4,096).  Both use ``parse_mode: "HTML"``; the rendition is
escaped, so article text cannot add formatting.

A 429 answer's ``parameters.retry_after`` is honoured; 5xx and timeouts are
retried; other 4xx answers are final for that chat, except 401 and 404 (a token
Telegram does not know), which stop the sender.  The bot token is part of every
request's path: errors name the method, never the URL, and the ``httpx`` logger's
request lines have the token replaced.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, ClassVar

import httpx

from ..errors import ConfigError, SendError, SenderUnavailable
from ..model import RenditionKind, SendResult, TelegramRendition
from ..render.telegram import TELEGRAM_CAPTION_MAX, TELEGRAM_TEXT_MAX, shown_length
from .base import Limits, Outgoing, Recipient
from .http import HttpSender, dumps, retry_after, shown
from .options import Options

#: A channel's public username (``@name``) or a chat's numeric id.
_CHAT = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-?[0-9]{1,20}")
#: ``/bot<token>/`` in a Bot API path.
_TOKEN_PATH = re.compile(r"/bot[^/\s]+/")
#: Telegram's documented broadcast limit is about 30 messages a second; stay below.
MESSAGES_PER_SECOND = 25.0


def redact(text: str) -> str:
    """``text`` with any Bot API token in a path replaced by ``<token>``."""
    return _TOKEN_PATH.sub("/bot<token>/", text)


class _RedactToken(logging.Filter):
    """Takes the bot token out of ``httpx``'s request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(str(a)) if isinstance(a, str | httpx.URL) else a for a in record.args
            )
        record.msg = redact(str(record.msg))
        return True


_HTTPX_LOG = logging.getLogger("httpx")
if not any(isinstance(f, _RedactToken) for f in _HTTPX_LOG.filters):
    _HTTPX_LOG.addFilter(_RedactToken())


class TelegramSender(HttpSender):
    """Posts the Telegram rendition to each configured channel or chat."""

    type_name: ClassVar[str] = "telegram"
    consumes: ClassVar[RenditionKind] = "telegram"
    _KNOWN: ClassVar[set[str]] = {
        "token_env", "chats", "photo", "link_preview", "silent", "base_url",
    }  # fmt: skip

    def configure(self, opts: Options) -> None:
        """Read the token, chats, picture and preview settings."""
        self._token = opts.secret("token_env")
        if not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", self._token):
            raise ConfigError(
                f"senders.{self.name}.token_env: the variable does not hold a bot token "
                "(digits, a colon, letters)"
            )
        self._targets = opts.strings("chats")
        bad = [c for c in self._targets if not _CHAT.fullmatch(c)]
        if bad:
            raise ConfigError(
                f"senders.{self.name}.chats: {bad[0]!r} is not a chat (use @channelname "
                "or the numeric id, -100…)"
            )
        self.photo = opts.flag("photo", True)
        self.silent = opts.flag("silent", False)
        self.link_preview = opts.choice("link_preview", ("lead", "off"), "lead")
        self.base_url = self.endpoint = opts.url("base_url", "https://api.telegram.org")
        self.limits = Limits(
            messages_per_second=MESSAGES_PER_SECOND, max_body_chars=TELEGRAM_TEXT_MAX
        )

    def describe(self) -> str:
        """Log-safe: server and chats, never the token."""
        return f"telegram sender {self.name!r} → {shown(self.base_url)} chats {self._targets}"

    def requests(self, post: TelegramRendition, chat: str) -> list[tuple[str, dict[str, Any]]]:
        """The Bot API calls to try in order for one chat: ``sendPhoto`` (when there is
        a picture and ``photo`` is on), then ``sendMessage``."""
        common: dict[str, Any] = {"chat_id": chat, "parse_mode": "HTML"}
        if self.silent:
            common["disable_notification"] = True
        message = {**common, "text": post.text}
        if self.link_preview == "lead" and post.preview_url:
            message["link_preview_options"] = {
                "url": post.preview_url, "prefer_large_media": True, "show_above_text": True,
            }  # fmt: skip
        else:
            message["link_preview_options"] = {"is_disabled": True}
        calls = [("sendMessage", message)]
        if self.photo and post.photo and post.caption:
            calls.insert(0, ("sendPhoto", {**common, "photo": post.photo, "caption": post.caption}))
        return calls

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Post to one chat; a picture Telegram cannot use falls back to the text post."""
        post = outgoing.public.telegram
        if shown_length(post.text) > TELEGRAM_TEXT_MAX:
            raise SendError(f"post over {TELEGRAM_TEXT_MAX} characters", permanent=True)
        if shown_length(post.caption) > TELEGRAM_CAPTION_MAX:
            raise SendError(f"caption over {TELEGRAM_CAPTION_MAX} characters", permanent=True)
        calls = self.requests(post, recipient.id)
        for number, (method, payload) in enumerate(calls):
            try:
                message_id = self._call(method, payload)
            except SendError as exc:
                fallback = number + 1 < len(calls) and exc.permanent and "HTTP 400" in str(exc)
                if not fallback:
                    raise
                continue
            detail = "" if number == 0 else "sent as text: Telegram refused the picture"
            return SendResult(recipient.id, provider_id=message_id, detail=detail)
        raise AssertionError("unreachable: the last call returns or raises")

    def _call(self, method: str, payload: dict[str, Any]) -> str:
        """One Bot API call; the new message's id.  Errors name the method only."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            response = self.http.client().post(
                url, content=dumps(payload), headers={"Content-Type": "application/json"}
            )
        except httpx.TimeoutException:
            raise SendError(f"telegram {method}: timed out") from None
        except httpx.HTTPError as exc:
            detail = redact(str(exc)).replace(self._token, "<token>")
            raise SendError(f"telegram {method}: {type(exc).__name__}: {detail}") from None
        try:
            data: Any = response.json()
        except (ValueError, UnicodeDecodeError):
            data = {}
        data = data if isinstance(data, dict) else {}
        status = response.status_code
        if 200 <= status < 300 and data.get("ok") is True:
            result = data.get("result")
            found = result.get("message_id") if isinstance(result, dict) else None
            return str(found) if isinstance(found, int) else ""
        description = " ".join(str(data.get("description", "")).split())[:200]
        description = description.replace(self._token, "<token>")
        message = f"telegram {method}: HTTP {status} {description}".rstrip()
        parameters = data.get("parameters")
        parameters = parameters if isinstance(parameters, dict) else {}
        if status == 429 or status >= 500 or status == 408:
            wait = parameters.get("retry_after")
            if isinstance(wait, int | float) and not isinstance(wait, bool):
                seconds: float | None = float(wait)
            else:
                seconds = retry_after(response.headers.get("Retry-After"))
            raise SendError(message, retry_after=seconds)
        if status in (401, 404):
            raise SenderUnavailable(message + " (is the bot token right?)")
        if "migrate_to_chat_id" in parameters:
            message += f" (the chat is now {json.dumps(parameters['migrate_to_chat_id'])})"
        raise SendError(message, permanent=True)
