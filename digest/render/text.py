"""Text helpers for short renditions: safe cuts and WhatsApp escaping."""

from __future__ import annotations

import re

import regex

_GRAPHEME = regex.compile(r"\X")
_WORD = re.compile(r"\S+")
_SPACE = regex.compile(r"\s")
_TRAILING = ",;:-–—|/([{\"'“‘ "
ELLIPSIS = "…"

# WhatsApp reads these as formatting; in article text they are swapped for look-alike
# characters that it leaves alone, so a stray "*" in a headline cannot bold the rest.
_WHATSAPP_LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})
_WHATSAPP_LINE_START = regex.compile(r"^(\s*)(>|-|•|\d+\.)(\s)", regex.M)
# C0/C1 controls (tab and newline aside), DEL, and the bidi embeddings, overrides and
# isolates that can flip how the rest of a line reads ("Trojan source").  Zero-width
# joiners stay: emoji sequences and Indic conjuncts need them.
_UNSAFE_CONTROLS = regex.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
# "%%" opens a recipient placeholder (digest.render.personal).  In article text a word
# joiner goes between the two signs: readers still see "%%", but a feed can neither
# fail the send with an unknown %%name%% nor pull a recipient's unsubscribe link or
# name into a headline.
_PLACEHOLDER_MARK = regex.compile(r"%(?=%)")


def clean_text(text: str, *, one_line: bool = True) -> str:
    """Untrusted article text made safe to print: control and bidi-override
    characters removed, ``%%`` kept from opening a recipient placeholder and, for
    ``one_line`` fields (headlines, datelines), all whitespace runs collapsed to
    single spaces."""
    text = _PLACEHOLDER_MARK.sub("%\u2060", _UNSAFE_CONTROLS.sub(" ", str(text)))
    if one_line:
        return " ".join(text.split())
    paragraphs = (" ".join(p.split()) for p in text.split("\n"))
    return "\n".join(p for p in paragraphs if p)


def cut(text: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """``text`` shortened to at most ``limit`` characters (code points).

    The cut falls at a word boundary where there is one, never inside a grapheme
    (emoji with modifiers, flags, Indic conjuncts stay whole), and ends with
    ``ellipsis`` whenever something was removed.
    """
    # Words are collected only until they overflow: a huge text costs no more
    # than a short one (str.split and \X over all of it took minutes for 10 MB).
    words: list[str] = []
    size = -1
    for word in _WORD.finditer(text):
        words.append(word[0])
        size += len(word[0]) + 1
        if size > limit:
            break
    text = " ".join(words)
    if size <= limit:
        return text
    room = limit - len(ellipsis)
    kept: list[str] = []
    used = 0
    for grapheme in _GRAPHEME.findall(text, 0, room + 64):
        if used + len(grapheme) > room:
            break
        kept.append(grapheme)
        used += len(grapheme)
    head = "".join(kept)
    # Back up to the last space unless that would throw away most of the text.
    last_space = max((m.start() for m in _SPACE.finditer(head)), default=-1)
    if last_space >= room // 2:
        head = head[:last_space]
    return head.rstrip(_TRAILING) + ellipsis


def whatsapp_escape(text: str) -> str:
    """Article text made inert for WhatsApp: formatting characters become look-alikes
    and a leading quote/bullet/number marker no longer starts a block."""
    text = str(text).translate(_WHATSAPP_LOOKALIKES)
    return str(_WHATSAPP_LINE_START.sub(lambda m: f"{m[1]}\u2060{m[2]}{m[3]}", text))
