"""Short texts that fit without cutting a phrase: subjects, preheaders, push titles.

A headline that is too long for its place is not cut mid-phrase.  In order, the
first that fits is used:

1. the pick's headline (an editor's ``--headline`` if there is one);
2. another outlet's headline of the same story (the selector leaves those out as
   ``SAME_STORY`` rejections naming the pick; same language only), longest first;
3. a whole leading clause of one of them, ended at ``;``, a dash, ``:``, a comma or
   before ``as``/``amid``/``after``/``before``/``while``/``despite``/``but``, keeping
   four words at least and a trailing attribution (``…: Putin``, ``…: reports``);
4. only then the pick's headline cut at a word boundary, with an ellipsis.

Every choice comes with a note saying what was done, for the preview.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Edition, LeftOut, Pick
from .text import clean_text, cut

#: Where a headline may end early: strong punctuation, a comma, or a conjunction
#: that opens a second clause.
_BREAK = re.compile(
    r"\s*[;|]\s+|\s+[-–—]\s+|\s*[—–]\s*|:\s+|,\s+"
    r"|\s+(?=(?:as|amid|after|before|while|despite|but)\s)",
    re.I,
)
#: A short source named after a colon ("…: Putin", "…: reports") stays with any
#: shortened form: without it a claim would read as fact.
_ATTRIBUTION = re.compile(r"(:\s+\S+(?:\s+\S+){0,2})$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_SAME_STORY = re.compile(r"^same story as (?:pick )?(\S+)")
MIN_CLAUSE_WORDS = 4
_CLAUSE_STARTS = frozenset(
    "says say said the a an its his her their which who where when officials police "
    "reports report sources".split()
)


@dataclass(frozen=True, slots=True)
class Headline:
    """A way of telling a story in one line, and where it comes from."""

    text: str
    #: "the headline", "the editor's headline", "Reuters's headline", …
    source: str
    #: True for a whole clause of a longer headline.
    shortened: bool = False


@dataclass(frozen=True, slots=True)
class Fitted:
    """A text made to fit, and a note saying how."""

    text: str
    note: str


def clauses(headline: str) -> list[str]:
    """The whole leading clauses of ``headline``, longest first (not itself)."""
    attribution = ""
    body = headline
    found = _ATTRIBUTION.search(headline)
    if found and len(headline[: found.start()].split()) >= MIN_CLAUSE_WORDS:
        attribution, body = found.group(1), headline[: found.start()]
    forms = []
    for match in _BREAK.finditer(body):
        lead = body[: match.start()].rstrip(" ,;:-–—|")
        rest = body[match.end() :]
        if len(lead.split()) < MIN_CLAUSE_WORDS or len(rest.split()) < 2:
            continue
        if match.group().strip() == "," and not _comma_ends_clause(lead, rest):
            continue
        forms.append(lead + attribution)
    return sorted(dict.fromkeys(forms), key=len, reverse=True)


def _comma_ends_clause(lead: str, rest: str) -> bool:
    """Whether a comma ends a clause rather than a list ("affordable, equitable
    access"): it follows a name or number, or a new clause starts after it."""
    before, after = lead.split()[-1], rest.split()[0]
    return before[:1].isupper() or before[:1].isdigit() or after.lower() in _CLAUSE_STARTS


def same_story_headlines(edition: Edition, pick: Pick) -> list[Headline]:
    """Other outlets' headlines of ``pick``'s story, in its language."""
    found: dict[str, Headline] = {}
    own = clean_text(pick.title)
    for rejection in edition.rejections:
        match = _SAME_STORY.match(rejection.reason)
        if rejection.kind is not LeftOut.SAME_STORY or not match:
            continue
        article = rejection.article
        if match.group(1) != pick.article.id or article.language != pick.article.language:
            continue
        text = clean_text(article.title)
        if text and text != own and text not in found:
            outlet = clean_text(article.publisher or article.agency or article.source)
            found[text] = Headline(text, f"{outlet}'s headline" if outlet else "another headline")
    return sorted(found.values(), key=lambda h: len(h.text), reverse=True)


def headlines(edition: Edition, pick: Pick, *, others: bool = True) -> list[Headline]:
    """Every way to tell ``pick`` in one line, in order of preference (see the
    module notes): whole headlines first, then whole clauses."""
    source = "the editor's headline" if pick.headline else "the headline"
    whole = [Headline(clean_text(pick.title), source)]
    if others:
        whole += same_story_headlines(edition, pick)
    shorter = [
        Headline(form, f"a whole clause of {h.source}", shortened=True)
        for h in whole
        for form in clauses(h.text)
    ]
    return whole + shorter


def fit_headline(
    options: Iterable[Headline],
    limit: int,
    render: Callable[[str], str] = lambda text: text,
) -> Fitted | None:
    """The first of ``options`` whose ``render``-ed text is at most ``limit`` long."""
    for option in options:
        text = render(option.text)
        if len(text) <= limit:
            return Fitted(text, option.source)
    return None


def fit_text(text: str, limit: int) -> str:
    """``text`` (a summary) shortened to whole sentences, else whole clauses of its
    first sentence with an ellipsis, else cut at a word: at most ``limit`` long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = _SENTENCE_END.split(text)
    kept = ""
    for sentence in sentences:
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    for form in clauses(sentences[0]):
        if len(form) + 1 <= limit:
            return form.rstrip(".!?") + "…"
    return cut(text, limit)


__all__ = [
    "Fitted",
    "Headline",
    "clauses",
    "fit_headline",
    "fit_text",
    "headlines",
    "same_story_headlines",
]
