"""A company's labour dispute is business news; a public service's is news.

"Thousands of Starbucks baristas set to strike", "Woolworths and Coles workers
taking first-ever nationwide strike", "the next bargaining session between Kaiser
Permanente and hospital workers": a strike, walkout or pay talks whose employer is
a named company is filed by newsrooms under business (companies and jobs), like
the company's other news.  "Passport Office workers to strike", "junior doctors
in England", "NHS strikes" and teachers' unions are a public service's disputes,
the country's own news, and stay news.

The employer is a capitalised name just before the staff ("Coles workers",
"Starbucks baristas", "Amazon warehouse workers", "Kaiser's Southern California
workforce") or in "between <name> and … workers".  A name that is a place, a
people, a public figure or body (``places.toml``'s tables), or that holds a
public employer's word ("Office", "Council", "School", "NHS") is no company.
Capitals say nothing at the start of a sentence or in a title-case headline, so
names are not read there.  The words are data (``places.toml``'s ``[disputes]``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..model import Article
from .places import PlaceData, find_countries

# Words with an apostrophe or a hyphen inside, "&" and "%" as words of their own.
_TOKEN = re.compile(r"[\w][\w'’.&-]*|[&%]")
# Where a new sentence (or a headline's second part) starts: capitals after it
# are a sentence's, not a name's.
_BREAK = re.compile(r"(?<=[.!?:;–—|])\s+|\s+-\s+")
_POSSESSIVE = ("'s", "’s", "s'", "s’")
# Words a staff noun may follow after the employer's name ("Amazon warehouse workers").
_BETWEEN_WORDS = 2
# A headline is title case when this share of its longer words is capitalised.
_TITLE_CASE = 0.7


@dataclass(frozen=True, slots=True)
class DisputeWords:
    """``places.toml``'s ``[disputes]``: what marks a labour dispute, the staff who
    strike, and the words of a public employer's name (all lower case)."""

    dispute: re.Pattern[str]
    staff: frozenset[str]
    public: frozenset[str]
    #: A strike that is an attack ("drone strike", "strike kills"), no dispute.
    attack: re.Pattern[str]


@cache
def dispute_words() -> DisputeWords:
    """The built-in dispute words (loaded once per process; read-only)."""
    table = tomllib.loads(
        resources.files("digest.select").joinpath("places.toml").read_text("utf-8")
    )["disputes"]
    words = sorted(table["words"], key=len, reverse=True)
    weapons = "|".join(re.escape(w) for w in table["weapons"])
    killing = "|".join(re.escape(w) for w in table["killing"])
    return DisputeWords(
        dispute=re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in words)})\b", re.I),
        staff=frozenset(table["staff"]),
        public=frozenset(table["public"]),
        attack=re.compile(
            rf"\b(?:(?:{weapons})[\s-]*strikes?|strikes?\s+(?:{killing}))\b"
            rf"|\b(?:{killing})\s+(?:\w+\s+){{0,3}}(?:in|by)\s+(?:an?\s+)?(?:\w+\s+)?strikes?\b",
            re.I,
        ),
    )


def company_dispute(article: Article, places: PlaceData, words: DisputeWords) -> str:
    """The company whose labour dispute ``article`` reports ("Kaiser"), or ``""``
    when it reports none, or only a public employer's."""
    text = f"{article.title}\n{article.summary}"
    # A strike that kills is an attack, whoever's staff it hits.
    if words.attack.search(text) or not words.dispute.search(text):
        return ""
    parts = [article.summary]
    if not _title_case(article.title):
        parts.insert(0, article.title)
    for part in parts:
        for sentence in _BREAK.split(part):
            # A sentence's full stop is no part of its last word ("… Tesco workers.").
            tokens = [t.rstrip(".") or t for t in _TOKEN.findall(sentence)]
            for name in _employers(tokens, words.staff):
                if _a_company(name, places, words.public):
                    return name
    return ""


def _employers(tokens: list[str], staff: frozenset[str]) -> Iterator[str]:
    """Capitalised names in one sentence that employ the staff it names: just
    before them ("Coles workers"), or after "between" ("between X and … workers")."""
    lowered = [t.lower() for t in tokens]
    if not any(t in staff for t in lowered):
        return
    # Where the run of capitalised words holding each word starts, and the first
    # word from each on that is not capitalised, found once: walking a run from
    # each word of a long capitalised text took time in its square.
    capital = [t[:1].isupper() for t in tokens]
    starts = list(range(len(tokens)))
    for k in range(1, len(tokens)):
        if capital[k] and capital[k - 1]:
            starts[k] = starts[k - 1]
    after = list(range(len(tokens) + 1))
    for k in range(len(tokens) - 1, -1, -1):
        if capital[k]:
            after[k] = after[k + 1]
    for i, token in enumerate(lowered):
        if token in staff:
            j = i - 1
            while j > 0 and i - 1 - j < _BETWEEN_WORDS and not capital[j]:
                j -= 1
            yield _name_ending_at(tokens, j, starts[j] if j >= 0 and capital[j] else j + 1)
        elif token == "between":
            end = after[i + 1]
            if end > i + 1 and end < len(tokens) and lowered[end] == "and":
                yield " ".join(tokens[i + 1 : end])


def _name_ending_at(tokens: list[str], end: int, start: int) -> str:
    """The run of capitalised words from ``start`` to ``end``, cut after its first
    possessive ("Kaiser's Southern California" → "Kaiser"); ``""`` when it starts
    the sentence, where every word is capitalised."""
    if start <= 0 or start > end:
        return ""
    run = tokens[start : end + 1]
    for k, token in enumerate(run):
        if token.endswith(_POSSESSIVE):
            cut = 2 if token.endswith(("'s", "’s")) else 1
            return " ".join([*run[:k], token[:-cut]])
    return " ".join(run)


def _a_company(name: str, places: PlaceData, public: frozenset[str]) -> bool:
    """Whether a name can be a company's: none ending in a place, people, public
    figure or body (``find_countries``: "Canadian", "Greater Manchester"), though
    one may open it ("American Airlines", "New York Times"), and no public
    employer's word."""
    if not name:
        return False
    found = find_countries(name, places.text_names)
    if found and name.endswith(found[-1][0]):
        return False
    return not any(w.lower().strip(".") in public for w in name.split())


def _title_case(headline: str) -> bool:
    longer = [w for w in _TOKEN.findall(headline) if len(w) > 3]
    capitalised = sum(w[:1].isupper() for w in longer)
    return bool(longer) and capitalised >= _TITLE_CASE * len(longer)


__all__ = ["DisputeWords", "company_dispute", "dispute_words"]
