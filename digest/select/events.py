"""Which big event a story belongs to, for diversity.

On a day one event dominates (the Taliban take Kabul, Russia invades Ukraine) most
stories name the same few things.  A story's *event keys* are the names in its
headline and standfirst (capitalised words and the countries its places belong to)
that are *hot*: named by at least :data:`HOT_MIN_STORIES` stories and at least
:data:`HOT_SHARE` of the day's stories.  Two picks sharing a key count as the same
event.  Keys are compared pairwise, never chained, so "Biden" and "Covid" on one
story do not weld every US and every Covid story into one event.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .places import PlaceData, find_countries

HOT_MIN_STORIES = 3
HOT_SHARE = 0.15
_NAME = re.compile(r"\b[A-Z][A-Za-z]+(?:['’]s)?")
# Capitalised words that start headlines or name institutions everywhere.
_IGNORED = frozenset(
    "the a an in on at as of for to and but after before over amid with by from how why "
    "what who when where is are was will new more most first live update watch explainer "
    "report reports says said president pm minister prime government police court news "
    "state states city world covid coronavirus thousands hundreds dozens many some "
    "officials witnesses people sources monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november "
    "december this that these it its he she they we there here".split()
)


def story_names(title: str, summary: str, body: str, places: PlaceData) -> frozenset[str]:
    """The names a story's headline, standfirst and first paragraph mention (lower
    case), plus the countries of its places as ``country:XX``."""
    text = f"{title}. {summary}. {body.split(chr(10) * 2, 1)[0][:400]}"
    names = {
        re.sub(r"['’]s$", "", m.group()).lower()
        for m in _NAME.finditer(text)
        if m.group().lower() not in _IGNORED
    }
    names.update(f"country:{code}" for _, code in find_countries(text, places.text_names))
    return frozenset(names)


def event_keys(stories: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """For each story's names, those that are hot across all ``stories``."""
    frequency: Counter[str] = Counter()
    for names in stories:
        frequency.update(names)
    minimum = max(HOT_MIN_STORIES, HOT_SHARE * len(stories))
    hot = {name for name, n in frequency.items() if n >= minimum}
    return [names & hot for names in stories]


def describe(key: str, places: PlaceData) -> str:
    """A readable form of an event key (``country:UA`` → ``Ukraine``)."""
    if key.startswith("country:"):
        code = key.removeprefix("country:")
        return places.country_names.get(code, code)
    return key.title()


__all__ = ["HOT_MIN_STORIES", "HOT_SHARE", "describe", "event_keys", "story_names"]
