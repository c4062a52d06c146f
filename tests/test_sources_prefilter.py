"""The cheap tests run before the page reader's patterns change no answer.

Boilerplate rules are tried per first character and behind required words, header
lines skip patterns that cannot match: each answer must be what trying every rule
on the line gives, on real page lines and on the characters where ``str.lower``
and case-insensitive matching disagree (``İ``, ``ı``, ``ſ``, the Kelvin sign).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.normalise import clean_text
from digest.sources.pagemeta import LineFacts, meta_line
from digest.sources.prefilter import first_chars, folds_plainly, may_hold, required_word

ROOT = Path(__file__).resolve().parents[1]
PAGES = [*sorted((ROOT / "examples" / "pages").glob("*.txt"))]
PAGES += sorted((ROOT / "tests" / "fixtures" / "pages").rglob("*.txt"))
# Lines where lower-casing and case-insensitive matching part ways, and chrome in
# several cases, a rule's first character behind an odd one.
ODD_LINES = [
    "",
    "Advertisement",
    "ADVERTİSEMENT",
    "advertıSement",
    "ſhare",
    "\u212aeep scrolling",
    "Keep Scrolling to read more",
    "accept all cookieſ",
    "ACCEPT ALL COOKIES",
    "Please Manage Cookies",
    "© 2020 Mid-day",
    "(c) 2019",
    "… as you're joining us today",
    "READ ALSO",
    "ये भी पढ़ें",
    "À lire aussi",
    "12 comments",
    "3 min read",
    " Advertisement",
    *("".join(p) for p in itertools.product("İıſ\u212aSsKkI", ["hare", "ign in", "eep scrolling"])),
]


def _lines(path: Path) -> set[str]:
    # (One fixture is saved in Windows-1252, as some crawlers do.)
    text = path.read_bytes().decode("utf-8", "replace")
    return {clean_text(line) for line in text.splitlines()}


def _page_lines() -> list[str]:
    return sorted(set().union(*map(_lines, PAGES)) | set(ODD_LINES))


def test_boilerplate_answers_as_every_rule_tried_one_by_one() -> None:
    rules = Boilerplate.builtin()
    lines = _page_lines()
    for line in lines:
        assert rules.drops(line) == any(p.search(line) for p in rules.drop_lines), line
        assert rules.stops(line) == any(p.search(line) for p in rules.stop_markers), line
        assert rules.drops_with_next(line) == any(p.search(line) for p in rules.drop_with_next)
    # The lines do reach every kind of rule, so the comparison means something.
    assert sum(map(rules.drops, lines)) >= 20
    assert sum(map(rules.stops, lines)) >= 10
    assert rules.drops("ſhare") and rules.drops("accept all cookieſ")
    assert rules.drops("Please Manage Cookies") and not rules.drops("Cookies are sweet")


def test_rules_of_other_shapes_still_match_where_they_did() -> None:
    # Rules a site adds: case-sensitive, nullable, with inline flags or categories.
    rules = Boilerplate(
        drop_lines=(
            re.compile("^Sponsored$"),
            re.compile("^(?:x)?mas", re.I),
            re.compile("^(?i:promo)"),
            re.compile(r"^\W*ad\W*$", re.I),
            re.compile(r"^[0-9]+ views$", re.I),
            re.compile("trending now$", re.I),
        )
    )
    for line in [
        "Sponsored",
        "sponsored",
        "mas sale",
        "Xmas",
        "PROMO code",
        "-- Ad --",
        "12 views",
    ]:
        assert rules.drops(line) == any(p.search(line) for p in rules.drop_lines), line
    assert rules.drops("Sponsored") and not rules.drops("sponsored")
    assert rules.drops("What is TRENDING NOW") and not rules.drops("trending later")


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        ("(advertisement|ad|sponsored content)$", {"a", "s"}),
        ("(copyright ?)?©", {"c", "©"}),
        ("ſhare", {"ſ", "s"}),
        (r"\(c\) \d{4}", {"("}),
        ("[A-C]x", {"a", "b", "c"}),
    ],
)
def test_first_characters_of_a_rule(pattern: str, chars: set[str]) -> None:
    assert first_chars(pattern, re.I) == frozenset(chars)


@pytest.mark.parametrize("pattern", [r"\d+ min", ".{0,40}web stories", "(foo)?", r"\W*ad", "[^x]y"])
def test_a_rule_that_may_start_anywhere_has_no_first_characters(pattern: str) -> None:
    assert first_chars(pattern, re.I) is None


def test_required_words() -> None:
    assert required_word(r"\b(accept|manage) (all )?cookies\b", re.I) == "cookies"
    assert required_word("Download the .*apps?", re.I) == "download the "
    assert required_word("a|b", re.I) == ""
    assert required_word("फॉलो करें$", re.I) == ""  # no ASCII run


def test_may_hold_says_yes_whenever_lowering_could_hide_a_word() -> None:
    assert may_hold("A PHOTO of it", "a photo of it", ("photo",))
    assert not may_hold("A picture", "a picture", ("photo",))
    assert may_hold("PİC", "PİC".lower(), ("pic",))  # "İ" matches "i" unlowered
    assert not folds_plainly("ſ") and folds_plainly("Straße")


def test_line_facts_answer_as_meta_line_alone() -> None:
    options = ReadOptions("p.txt")
    for path in PAGES[:6]:
        facts = LineFacts(options)
        for line in _lines(path):
            for names in (False, True):
                assert facts(line, names=names) == meta_line(line, options, names=names)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("  plain   line  ", "plain line"),
        ("no\u00a0break\u2009spaces", "no break spaces"),
        ("e\u0301 composed", "é composed"),
        ("tab\tand\x07bell", "tab andbell"),
        ("A &amp; B", "A & B"),
        ("<b>bold</b> text", "bold text"),
    ],
)
def test_clean_text_plain_and_odd_lines(text: str, clean: str) -> None:
    assert clean_text(text) == clean
