"""Telegram's HTML parse mode: what a post looks like once Telegram has read it.

The Bot API counts a message's limits (4,096 characters for a text, 1,024 for a
caption) *after entities parsing*: tags do not count, an entity is one
character.  Telegram counts in UTF-16 code units, so an emoji outside the Basic
Multilingual Plane counts twice; :func:`shown_length` does the same.
"""

from __future__ import annotations

import html
import re

#: The Bot API's limits on one text message and one media caption.
TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024
#: The tags Telegram's HTML parse mode understands (anything else is an error).
TELEGRAM_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "blockquote", "tg-spoiler", "span", "tg-emoji"}
)  # fmt: skip

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>")


def shown_text(markup: str) -> str:
    """The text Telegram shows for ``markup``: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def shown_length(markup: str) -> int:
    """The length Telegram checks against its limits, in UTF-16 code units."""
    return len(shown_text(markup).encode("utf-16-le")) // 2


def tags_used(markup: str) -> set[str]:
    """The tag names in ``markup`` (to check only Telegram's are there)."""
    return {match.group(2).lower() for match in _TAG.finditer(markup)}
