"""WhatsApp post text shown as WhatsApp shows it, as safe HTML.

The text is HTML-escaped first; only then are WhatsApp's own markers (``*bold*``,
``_italic_``, ``~strike~``, ````` ```mono``` `````, ``- `` bullets, ``> `` quotes)
turned into tags and plain ``http(s)`` URLs into links.  Nothing from the text can
therefore become markup of its own.
"""

from __future__ import annotations

import html
import re

_URL = re.compile(r"https?://[^\s<>\"']+")


def _marker(symbol: str) -> re.Pattern[str]:
    # WhatsApp formats a span only when the markers hug non-space text and are not
    # glued to a word outside (so snake_case_names stay as they are).
    s = re.escape(symbol)
    return re.compile(rf"(?<![\w{s}]){s}(?=\S)([^\n{s}]+?)(?<=\S){s}(?![\w{s}])")


_INLINE = (
    (re.compile(r"```(.+?)```"), "code"),
    (_marker("*"), "strong"),
    (_marker("_"), "em"),
    (_marker("~"), "s"),
)


def _inline(escaped: str) -> str:
    pieces: list[str] = []
    last = 0
    for match in _URL.finditer(escaped):
        pieces.append(_format(escaped[last : match.start()]))
        url = match.group(0)
        pieces.append(f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>')
        last = match.end()
    pieces.append(_format(escaped[last:]))
    return "".join(pieces)


def _format(escaped: str) -> str:
    for pattern, tag in _INLINE:
        escaped = pattern.sub(rf"<{tag}>\1</{tag}>", escaped)
    return escaped


def whatsapp_html(text: str) -> str:
    """``text`` (a WhatsApp post) as HTML with its formatting applied; safe to embed."""
    lines = []
    for raw in text.split("\n"):
        escaped = html.escape(raw, quote=True)
        if escaped.startswith("&gt; "):
            lines.append(f'<div class="wa-quote">{_inline(escaped[5:])}</div>')
        elif escaped.startswith(("- ", "* ")):
            lines.append(f'<div class="wa-bullet">• {_inline(escaped[2:])}</div>')
        elif not escaped.strip():
            lines.append('<div class="wa-gap"></div>')
        else:
            lines.append(f"<div>{_inline(escaped)}</div>")
    return "\n".join(lines)
