"""Events: groups of stories about one bigger thing, for diversity.

On a day one event dominates (the Taliban take Kabul, Russia invades Ukraine),
many of the day's stories are parts of it.  Two stories belong to one event when

* their keyword vectors are at least ``select.event_similarity`` alike (the
  closest pair of members; a looser bar than the same-story one) and they name
  someone or somewhere in common, or
* they share a *pair* of the day's hot names: names (people, places, countries
  of the places and actors named) that at least :data:`HOT_SHARE` of the day's
  stories mention.  One frequent name alone (a head of state, a big country)
  does not make two stories one event; "Russia" with "Ukraine", or "Israel" with
  "Hamas", does.

Events are the connected groups of such stories.  Each is named after its
biggest story (most outlets).
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterator

from .candidates import Story
from .places import PlaceData, find_countries
from .similarity import GroupIndex, Vector

#: A name is hot when at least this many stories, and this share of them, name it.
HOT_MIN_STORIES = 3
HOT_SHARE = 0.15
_NAME = re.compile(r"\b[A-Z][A-Za-z]+")
# A text whose words are mostly capitalised (Title Case) tells no names by case.
_TITLE_CASE = 0.6
# Capitalised words that start sentences or name institutions everywhere.
_IGNORED = frozenset(
    "the a an in on at as of for to and but after before over amid with by from how why "
    "what who when where is are was will new more most first live update updates watch "
    "report reports says said president pm minister prime government police court news "
    "state states city world covid coronavirus thousands hundreds dozens many some "
    "officials witnesses people sources monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november "
    "december this that these it its he she they we there here breaking latest video".split()
)


def story_names(story: Story, places: PlaceData) -> frozenset[str]:
    """The names a story's lead mentions in its headline, standfirst and first
    paragraph (lower case), and the countries they place it in (``country:XX``)."""
    article = story.lead.article
    names: set[str] = set()
    for text in (article.title, article.summary, article.body.split("\n\n", 1)[0][:400]):
        names.update(f"country:{code}" for _, code in find_countries(text, places.text_names))
        found = _NAME.findall(text)
        words = re.findall(r"\b[^\W\d_]+", text)
        if words and len(found) / len(words) >= _TITLE_CASE:
            continue
        names.update(n.lower() for n in found if n.lower() not in _IGNORED)
    return frozenset(names)


def group_events(stories: list[Story], threshold: float, places: PlaceData) -> list[str]:
    """Number each story's event (``story.event``) and return each event's name
    (the headline of its biggest story), indexed by event number."""
    ordered = sorted(stories, key=lambda s: (-len(s.outlets()), -s.lead.own, s.lead.article.id))
    # An array, not a list: a list's numbers past 256 are an object of 28 bytes
    # each, and grouping is the moment a big pool's selection holds most.
    parent = array("i", range(len(ordered)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def join(a: int, b: int) -> None:
        # The smaller number (the bigger story) stays the root, and so the name.
        ra, rb = sorted((root(a), root(b)))
        parent[rb] = ra

    # One group per story (numbered as ``ordered``): a newcomer is joined to every
    # earlier story its members come close to, not only the closest one.
    named = _Names(ordered, places)
    index = GroupIndex(threshold, closest=True, members=1, places=False)
    for number, story in enumerate(ordered):
        vectors = [m.vector for m in story.members[:3] if m.vector is not None]
        mine = frozenset(named.proper(number))
        for vector in vectors:
            for match in index.all_near(vector):
                # Alike words must come with a name in common: "kills" and "injures"
                # alone do not make a quake and a shooting one event, and neither
                # does the country both happen in (two US serial-killer inquiries).
                if not mine.isdisjoint(named.proper(match.group)):
                    join(number, match.group)
        index.put(vectors[0] if vectors else Vector({}))
    # Freed before the hot pairs and the numbering: this is the moment a big pool's
    # selection holds most, and the index is not needed past it.
    del index
    _join_hot_pairs(named, join)
    del named
    roots: dict[int, int] = {}
    names: list[str] = []
    for number, story in enumerate(ordered):
        top = root(number)
        if top not in roots:
            roots[top] = len(names)
            names.append(ordered[top].lead.article.title)
        story.event = roots[top]
    return names


class _Names:
    """Each story's names (:func:`story_names`) as numbers, in one array for all
    the stories (``named[n]`` is story ``n``'s, in increasing order).

    A story's names are mostly its own (the first word of its headline), and held
    as strings, a tuple each, beside the events' index they were the most a big
    pool's selection held at once; the strings go once all are numbered.
    """

    def __init__(self, stories: list[Story], places: PlaceData) -> None:
        numbers: dict[str, int] = {}
        self._numbers = array("i")
        self._starts = array("i", [0])
        for story in stories:
            found = {numbers.setdefault(n, len(numbers)) for n in story_names(story, places)}
            self._numbers.extend(sorted(found))
            self._starts.append(len(self._numbers))
        self._countries = frozenset(n for name, n in numbers.items() if name.startswith("country:"))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def proper(self, story: int) -> list[int]:
        """Story ``story``'s names but the countries its places are in."""
        return [n for n in self[story] if n not in self._countries]

    def __getitem__(self, story: int) -> array[int]:
        return self._numbers[self._starts[story] : self._starts[story + 1]]

    def __iter__(self) -> Iterator[array[int]]:
        return (self[n] for n in range(len(self)))


def _join_hot_pairs(named: _Names, join: Callable[[int, int], None]) -> None:
    """Join stories that share a pair of the day's hot names (each story's names
    in increasing order, so a pair is always written the same way)."""
    frequency: Counter[int] = Counter(n for names in named for n in names)
    floor = max(HOT_MIN_STORIES, HOT_SHARE * len(named))
    hot = {n for n, count in frequency.items() if count >= floor}
    first_with: dict[tuple[int, int], int] = {}
    for number, names in enumerate(named):
        for pair in itertools.combinations([n for n in names if n in hot], 2):
            if pair in first_with:
                join(first_with[pair], number)
            else:
                first_with[pair] = number


__all__ = ["HOT_MIN_STORIES", "HOT_SHARE", "group_events", "story_names"]
