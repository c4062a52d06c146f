"""Cheap tests that tell a line cannot match a case-insensitive pattern, so the
pattern need not be tried: the page reader runs dozens of rules over every line.

Each test answers "may match" whenever it cannot be sure, so a rule behind one
matches exactly the lines it matched before.  ``str.lower`` agrees with a
case-insensitive pattern on every character but four: ``İ``, ``ı`` and ``ſ``
match ``i`` and ``s`` without lowering to them (the Kelvin sign lowers to
``k``), so a line holding one of those is always tried.
"""

from __future__ import annotations

import importlib
from typing import Any

# Characters a case-insensitive pattern matches to ASCII letters, and those letters.
_ASCII_FOLDS = {"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"}
_FOLDS_TO_ASCII = frozenset(_ASCII_FOLDS)
# A required word shorter than this saves little.
_MIN_WORD = 3


def may_hold(text: str, lowered: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` (``lowered`` is ``text.lower()``) may hold one of the
    lower-case ASCII ``words`` as a case-insensitive pattern reads it."""
    return any(word in lowered for word in words) or not folds_plainly(text)


def folds_plainly(text: str) -> bool:
    """Whether ``str.lower`` treats every character of ``text`` as a
    case-insensitive pattern does (see the module's note)."""
    return text.isascii() or _FOLDS_TO_ASCII.isdisjoint(text)


def _parser() -> Any:
    # Python's own parser of regular expressions (private, unchanged since 3.11):
    # only asked what a rule starts with or needs; anything unexpected makes the
    # rule count as "may match anything".
    return importlib.import_module("re._parser")


def _ops() -> Any:
    return importlib.import_module("re._constants")


def first_chars(pattern: str, flags: int) -> frozenset[str] | None:
    """The lower-cased characters a match of ``pattern`` (a rule's text after its
    ``^``) can start with, or ``None`` when that is not known or it can match
    nothing at all (the empty string)."""
    try:
        parsed = _parser().parse(pattern, flags)
        chars, empty = _first_of(list(parsed), _ops())
    except Exception:  # an unknown shape: the rule is tried on every line
        return None
    return frozenset(chars) if chars is not None and not empty else None


def required_word(pattern: str, flags: int) -> str:
    """The longest run of ASCII characters every match of ``pattern`` holds, lower-cased
    (``"cookies"`` for ``\\b(accept|manage) (all )?cookies\\b``), or ``""``."""
    try:
        parsed = list(_parser().parse(pattern, flags))
        ops = _ops()
    except Exception:  # an unknown shape: the rule is tried on every line
        return ""
    best, run = "", ""
    for op, value in parsed:
        char = chr(value) if op is ops.LITERAL else ""
        if char and char.isascii():
            run += char.lower()
            best = max(best, run, key=len)
        else:
            run = ""
    return best if len(best) >= _MIN_WORD else ""


def _folded(code: int) -> set[str]:
    """The lower-cased ASCII characters (and the character itself) that match
    the character ``code`` case-insensitively."""
    char = chr(code)
    if char.isascii():
        return {char.lower()}
    return {char, _ASCII_FOLDS[char]} if char in _ASCII_FOLDS else {char}


def _first_of(items: list[Any], ops: Any) -> tuple[set[str] | None, bool]:
    """First characters of a sequence of parsed items, and whether it can be empty."""
    found: set[str] = set()
    for op, value in items:
        chars, empty = _first_item(op, value, ops)
        if chars is None:
            return None, True
        found |= chars
        if not empty:
            return found, False
    return found, True


def _first_item(op: Any, value: Any, ops: Any) -> tuple[set[str] | None, bool]:
    if op in (ops.AT, ops.ASSERT, ops.ASSERT_NOT):
        return set(), True  # takes no character: what follows comes first
    if op is ops.LITERAL:
        return _folded(value), False
    if op is ops.IN:
        chars: set[str] = set()
        for kind, item in value:
            if kind is ops.LITERAL:
                chars |= _folded(item)
            elif kind is ops.RANGE and item[1] - item[0] < 256:
                for code in range(item[0], item[1] + 1):
                    chars |= _folded(code)
            else:
                return None, False  # a negated set, a category ("\w"), a wide range
        return chars, False
    if op is ops.SUBPATTERN:
        _group, add_flags, del_flags, inner = value
        if add_flags or del_flags:
            return None, False
        return _first_of(list(inner), ops)
    if op is ops.BRANCH:
        chars, empty = set(), False
        for branch in value[1]:
            found, can_be_empty = _first_of(list(branch), ops)
            if found is None:
                return None, False
            chars |= found
            empty = empty or can_be_empty
        return chars, empty
    if op in (ops.MAX_REPEAT, ops.MIN_REPEAT, ops.POSSESSIVE_REPEAT):
        low, _high, inner = value
        found, empty = _first_of(list(inner), ops)
        return (None, False) if found is None else (found, empty or low == 0)
    if op is ops.ATOMIC_GROUP:
        return _first_of(list(value), ops)
    return None, False
