"""A stand-in for the Telegram Bot API on a local HTTP server: it checks each call
as https://core.telegram.org/bots/api documents it (the method in the path after
``/bot<token>/``, JSON, ``parse_mode: HTML`` that Telegram's parser would accept,
the 4,096-character text and 1,024-character caption limits counted after entity
parsing in UTF-16 units) and answers from a script."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
           "blockquote", "tg-spoiler", "span"}  # fmt: skip
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][\w-]*)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>"
    r"|&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
    r"|([<>&])"
)


def parse_html(markup: str) -> str:
    """The text Telegram would show for ``markup``; raises ``ValueError`` where
    Telegram answers "Bad Request: can't parse entities"."""
    shown: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _TOKEN.finditer(markup):
        shown.append(markup[position : match.start()])
        position = match.end()
        closing, tag, attributes, entity, stray = match.groups()
        if stray:
            raise ValueError(f"unescaped {stray!r} at {match.start()}")
        if entity:
            shown.append(html.unescape(f"&{entity};"))
            continue
        tag = tag.lower()
        if tag not in ALLOWED:
            raise ValueError(f"unsupported tag <{tag}>")
        if closing:
            if not stack or stack.pop() != tag:
                raise ValueError(f"unbalanced </{tag}>")
        else:
            if tag == "a" and 'href="' not in attributes:
                raise ValueError("<a> without href")
            stack.append(tag)
    shown.append(markup[position:])
    if stack:
        raise ValueError(f"unclosed <{stack[-1]}>")
    return "".join(shown)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class BotApi:
    """Handler for ``/bot<token>/<method>``; ``script`` answers in turn, the last
    one repeating; each accepted call is kept in ``calls``."""

    token: str
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    next_id: int = 100

    def __call__(self, request: Request) -> Response:
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            return self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = request.path[len(prefix) :]
        if request.method != "POST" or request.mimetype != "application/json":
            self.problems.append(f"{method}: {request.method} {request.mimetype}")
        body = json.loads(request.get_data())
        self.calls.append((method, body))
        problem = self.check(method, body)
        if problem:
            self.problems.append(problem)
            return self._answer(400, {"ok": False, "error_code": 400,
                                      "description": f"Bad Request: {problem}"})  # fmt: skip
        status, answer = 200, {}
        if self.script:
            status, answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if status == 200 and not answer:
            self.next_id += 1
            answer = {"ok": True, "result": {"message_id": self.next_id, "chat": {"id": -1}}}
        return self._answer(status, answer)

    def check(self, method: str, body: dict[str, Any]) -> str:
        """What Telegram would refuse in this call, or ``""``."""
        if method not in ("sendMessage", "sendPhoto"):
            return f"method {method} not expected"
        if not body.get("chat_id"):
            return "chat_id is empty"
        if body.get("parse_mode") != "HTML":
            return "parse_mode is not HTML"
        field_name, limit = ("text", 4096) if method == "sendMessage" else ("caption", 1024)
        try:
            shown = parse_html(str(body.get(field_name, "")))
        except ValueError as exc:
            return f"can't parse entities: {exc}"
        if method == "sendMessage" and not shown.strip():
            return "message text is empty"
        if utf16_length(shown) > limit:
            return f"{field_name} is too long ({utf16_length(shown)} > {limit})"
        if method == "sendPhoto" and not str(body.get("photo", "")).startswith("https://"):
            return "photo is not an HTTP URL"
        if method == "sendMessage":
            preview = body.get("link_preview_options", {})
            if "disable_web_page_preview" in body:
                return "disable_web_page_preview is deprecated: link_preview_options"
            if not isinstance(preview, dict):
                return "link_preview_options must be an object"
        return ""

    @staticmethod
    def _answer(status: int, body: dict[str, Any]) -> Response:
        return Response(json.dumps(body), status, content_type="application/json")
