"""Same-story and same-event detection in near-linear time.

Each article becomes a weighted keyword vector: content words of the headline
(weight 3), standfirst (1) and body (1), counted once per field, each times the
word's inverse document frequency *in the day's pool* (so "Covid" on a Covid day
says little and "Blinken" says a lot), keeping the :data:`VECTOR_TERMS` heaviest.
Two items are one story when the cosine of their vectors reaches a threshold,
unless their headlines are set in different cities and share none: "man charged
with murder" in Melbourne and in Sydney are two stories; or in different
countries with no name in common ("boat capsizes" in Nigeria and in New York).

No all-pairs comparison: an inverted index maps each article's few most telling
words (its *signature*) to the stories that contain them, and a word that already
points to :data:`POSTING_CAP` stories stops collecting more (it is too common to
tell stories apart).  A new item is compared only with the stories its signature
reaches (at most :data:`CANDIDATES_COMPARED` of them, those sharing most signature
words), and with at most :data:`MEMBERS_COMPARED` members of each, so adding n
items costs O(n × (signature × cap + candidates × members)), linear in n.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain, compress, pairwise, repeat
from operator import mul, truediv

import snowballstemmer

from ..model import Article
from .places import INTERNATIONAL, NO_PLACES, PlaceData, find_countries, place_data

# Words that say nothing about which story a text tells.
STOPWORDS = frozenset(
    "a an and are as at be been but by for from has have he her his in into is it its "
    "of on or over says said say she that the their they this to was were will with after "
    "not no new news us up out about amid more than who what when why how under against "
    "before during per via also just would could should may can all any our we you your "
    "there here then them these those which while where one two first last year years "
    "day days week today yesterday told tells according report reports reported people "
    "been being had did do does other some such only most many much very "
    # Live-page and video labels say nothing about the story they cover.
    "live updates update latest breaking watch video videos".split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Words kept per article vector (its heaviest).
VECTOR_TERMS = 60
#: Words per article used to find rival stories.
SIGNATURE = 8
#: A word pointing to this many stories collects no more (too common to help).
POSTING_CAP = 8
#: Members of a story compared with a newcomer (its first ones).
MEMBERS_COMPARED = 3
#: Headline words two items must share for the headline-overlap rule.
HEADLINE_MIN_SHARED = 3
#: A word in this share of a pool's documents, and in :data:`FREQUENT_LEAST` or
#: more, is one of the pool's frequent words: on a day one event dominates, its
#: own names ("Israel", "Gaza", "Hamas", "war"), which every development of it
#: shares, so they tell its developments apart no more than "says" does.
FREQUENT_SHARE = 0.15
FREQUENT_LEAST = 8
#: Groups compared with a newcomer: those sharing most signature words.
CANDIDATES_COMPARED = 5
#: Members whose weights an index keeps worked out (the ones met most recently).
READ_KEPT = 512
_FIELD_WEIGHTS = (3.0, 1.0, 1.0)
# Words found in every document still weigh a little (tiny pools have no contrast).
_IDF_FLOOR = 0.05
# Word numbers below this fit a vector store's 2-byte numbers.
_NARROW = 1 << 16


@cache
def name_spellings() -> tuple[tuple[str, ...], ...]:
    """Transliterations of one name (``wordforms.toml``): "Zelenskyy", "Zelenskiy"
    and "Zelensky", each list's spellings read as its first."""
    raw = tomllib.loads(
        resources.files("digest.select").joinpath("wordforms.toml").read_text("utf-8")
    )
    return tuple(tuple(group) for group in raw["names"])


# A possessive "'s": "Netanyahu's" is Netanyahu (the stemmer keeps "netanyahus").
_POSSESSIVE = re.compile(r"['\u2019]s\b")


@cache
def english_stemmer() -> Callable[[str], str]:
    """The English Snowball stemmer, with synonyms (``synonyms.toml``) and name
    spellings (``wordforms.toml``) folded."""
    stemmer = snowballstemmer.stemmer("english")
    raw = tomllib.loads(
        resources.files("digest.select").joinpath("synonyms.toml").read_text("utf-8")
    )
    folded: dict[str, str] = {
        stemmer.stemWord(word): stemmer.stemWord(group[0])
        for group in raw["groups"]
        for word in group
    }
    # "Moroccan" and "Morocco", "Israeli" and "Israel" name the same country.
    places = place_data()
    for name, code in places.text_names.items():
        country = places.country_names.get(code, "")
        if " " not in name and country and " " not in country and name != country:
            folded.setdefault(stemmer.stemWord(name.lower()), stemmer.stemWord(country.lower()))
            continue
        # "North Korean" and "North Korea", "Sri Lankan" and "Sri Lanka": two
        # words differing in the last only, so the last words name one country.
        mine, theirs = name.lower().split(), country.lower().split()
        if len(mine) == len(theirs) > 1 and mine[:-1] == theirs[:-1] and mine != theirs:
            folded.setdefault(stemmer.stemWord(mine[-1]), stemmer.stemWord(theirs[-1]))
    # "Kiev" is "Kyiv", and so what "Kyiv" folds to (its country): a spelling
    # takes its name's fold, and never overrides a fold of its own.
    for group in name_spellings():
        head = stemmer.stemWord(group[0])
        for word in group[1:]:
            folded.setdefault(stemmer.stemWord(word), folded.get(head, head))

    # Stems are not interned: a pool's tens of thousands of them grew the
    # interpreter's table of interned strings, which never shrinks (1.8 MiB at
    # 100,000 candidates); callers that read many texts share them through their
    # own cache of stems (:func:`words`).
    def stem(word: str) -> str:
        found: str = stemmer.stemWord(word)
        return folded.get(found, found)

    return stem


def words(text: str, stems: dict[str, str] | None = None) -> list[str]:
    """The content words of a text, in order: lower-cased, accents folded, digits
    kept, possessive "'s" dropped, stopwords and one-letter words removed, stemmed
    (Snowball) and synonyms folded, so "crashes"/"crash" and "truce"/"ceasefire"
    meet.

    ``stems`` caches each word's stem for a caller that reads many texts (and
    drops it when done: a big pool's words would otherwise stay held)."""
    folded = _POSSESSIVE.sub("", text).lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"(?<=\d)[,.](?=\d)", "", folded.replace("'", "").replace("’", ""))
    stem = english_stemmer()
    found = [w for w in _WORD.findall(folded) if len(w) > 1 and w not in STOPWORDS]
    if stems is None:
        return [stem(w) for w in found]
    return [stems[w] if w in stems else stems.setdefault(w, stem(w)) for w in found]


# Marks after which a sentence or a headline's clause starts: a capital there
# says nothing about the word.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_CLAUSE_MARKS = frozenset('.!?:;|\u2013\u2014"\u201c\u2018(')


def casing_votes(text: str, stems: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """How a text writes its content words, as evidence of which are names: each
    word (stemmed as :func:`words` does) with +1 when written with a capital
    inside a sentence ("talks with Hamas"), -1 when written in lower case ("a
    woman"), nothing when it starts a sentence or clause.  A text in title case
    or capitals ("Man Charged With Murder") tells nothing and gives no votes."""
    if not text:
        return []
    text = text.replace("'", "").replace("\u2019", "")
    if not text.isascii():
        # Accents folded as :func:`words` folds them (one pass, not one per letter).
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    found = []
    # What lies between each word and the one before it (any word), or the
    # text's start: the mark, if any, that the word follows.
    end = 0
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        gap, end = text[end:start], m.end()
        lower = word.lower()
        # A word of a script without capitals (Chinese, Arabic, Hebrew) or a
        # number says nothing either way.
        if len(word) > 1 and lower not in STOPWORDS and lower[0] != word[0].upper():
            found.append((word, lower, start, gap))
    telling = [w for w, _, _, _ in found if len(w) > 3]
    if len(telling) >= 3 and sum(w[0].isupper() for w in telling) >= 0.8 * len(telling):
        return []
    # A text in capitals, however short ("MAN CHARGED WITH MURDER"), capitalises
    # every word: no evidence either.
    if text.isupper():
        return []
    stem, cache = english_stemmer(), stems if stems is not None else {}
    votes = []
    for word, lower, start, gap in found:
        before = text[max(0, start - 3) : start]
        # The text's first word, or one opening a line, starts a sentence (or a
        # heading); past a wide space, the mark is the gap's last one.
        first = start == len(gap)
        mark = before.rstrip()[-1:] or gap.rstrip()[-1:] or ("" if first else "x")
        if not mark or mark in _CLAUSE_MARKS or before.endswith(" - ") or "\n" in gap:
            continue
        stemmed = cache[lower] if lower in cache else cache.setdefault(lower, stem(lower))
        votes.append((stemmed, 1 if word[0].isupper() else -1))
    return votes


#: An article's headline, standfirst and body words.
Fields = tuple[Sequence[str], Sequence[str], Sequence[str]]


def article_fields(article: Article, stems: dict[str, str] | None = None) -> Fields:
    """The distinct headline, standfirst and body words of an article, each field
    in the order its words first occur.

    Distinct, in tuples: a selection holds every candidate's fields while it
    counts the pool's words, and only which words a field has counts (the sets
    made of these iterate exactly as sets of the full word lists would).
    ``stems`` is a cache of stems, as for :func:`words`.
    """
    return tuple(
        tuple(dict.fromkeys(words(text, stems)))
        for text in (article.title, article.summary, article.body)
    )  # type: ignore[return-value]


class VectorStore:
    """Where the vectors of one pool keep their words and weights: a few arrays for
    all of them, not two per vector (each array costs 64 bytes before its items,
    as much as a short vector's words), and the pool's words by number.

    A word of a vector weighs ``(kind weight × scale of the word) / the vector's
    norm``, worked out when it is read: a pool's vectors weigh their words by a
    handful of field weights (3 for the headline, 1 for the standfirst and for
    the body, summed) times the word's inverse document frequency, which is the
    same for every vector, so each word of a vector is 4 bytes for its number and
    one for its *kind* (its field weight, and whether it is a headline word),
    not 8 more for a double and one for a headline mark.  The weight read is the
    same double the product and the division gave when the vector was made.
    """

    __slots__ = (
        "_headline_marks",
        "_kinds",
        "_telling_marks",
        "codes",
        "ids",
        "norms",
        "ranks",
        "scale",
        "starts",
        "weights",
        "words",
    )

    def __init__(self, words: Sequence[str] = ()) -> None:
        #: Word numbers in 2 bytes while they fit (a pool of under 65,536 distinct
        #: words), then in 4.
        self.ids = array("H")
        #: One byte per word of :attr:`ids`: its kind, a place in :attr:`weights`.
        self.codes = bytearray()
        #: The weight of each kind (at most 256 kinds in one store).
        self.weights: list[float] = []
        #: Each kind's number by (weight, headline word, common word), and one
        #: byte per kind (``bytes.translate`` tables): 1 for the kinds of headline
        #: words, and 1 for the kinds of telling words (not written in lower case
        #: by the pool, see :func:`casing_votes`).
        self._kinds: dict[tuple[float, bool, bool], int] = {}
        self._headline_marks = bytearray(256)
        self._telling_marks = bytearray(256)
        #: Each word's scale, by number (its inverse document frequency; 1.0 for a
        #: word given none).
        self.scale = array("d")
        #: Where each vector's words start in :attr:`ids`, and where the next
        #: vector's would (one more than the vectors), and each vector's norm.
        self.starts = array("i", [0])
        self.norms = array("d")
        #: The words by number, for breaking ties by word in :meth:`Vector.top`.
        self.words = words
        #: Or, once :meth:`settle` has run, each word's place in alphabetical order.
        self.ranks: array[int] | None = None

    def settle(self) -> None:
        """Keep each word's alphabetical place (4 bytes) instead of the words, once
        every word of the vectors made here has its number: ties break in the
        same order, and a big pool's tens of thousands of words need not be held
        to the end."""
        order = sorted(range(len(self.words)), key=self.words.__getitem__)
        ranks = array("i", bytes(4 * len(order)))
        for place, number in enumerate(order):
            ranks[number] = place
        self.ranks = ranks
        self.words = ()

    def kind(self, weight: float, headline: bool, common: bool = False) -> int:
        """The number of the kind of word that weighs ``weight`` (before its scale
        and the vector's norm), is or is not a headline word, and is or is not
        written in lower case by the pool."""
        key = (weight, headline, common)
        code = self._kinds.get(key)
        if code is None:
            code = len(self.weights)
            if code == len(self._headline_marks):
                raise ValueError(f"a vector store holds at most {code} word weights")
            self._kinds[key] = code
            self.weights.append(weight)
            self._headline_marks[code] = headline
            self._telling_marks[code] = not common
        return code

    def headline_marks(self, start: int, end: int) -> bytearray:
        """One byte per word from ``start`` to ``end``: 1 for a headline word."""
        return self.codes[start:end].translate(self._headline_marks)

    def telling_marks(self, start: int, end: int) -> bytearray:
        """One byte per word from ``start`` to ``end``: 1 for a word the pool does
        not write in lower case."""
        return self.codes[start:end].translate(self._telling_marks)

    def add(self, words: Sequence[tuple[int, float, bool, bool]], norm: float) -> int:
        """Keep a vector's words (number, weight, headline word, common word) and
        its norm; return the vector's number."""
        top = max((w[0] for w in words), default=-1) + 1
        if top > _NARROW and self.ids.typecode == "H":
            self.ids = array("i", self.ids)
        if top > len(self.scale):
            self.scale.extend([1.0] * (top - len(self.scale)))
        self.ids.extend([w[0] for w in words])
        self.codes.extend([self.kind(w, h, c) for _, w, h, c in words])
        self.starts.append(len(self.ids))
        self.norms.append(norm)
        return len(self.norms) - 1


class Vector:
    """A unit-length sparse vector of weighted keywords.

    Held compactly, as a selection keeps one per candidate (100,000 of them on a
    big day): the words as 4-byte numbers given by the :class:`Vocabulary` and a
    byte each for their kind, all in the arrays of a :class:`VectorStore` shared
    by the pool, which works out their weights when they are read.  The
    headline's words are marked by their kind among the vector's own, and only
    those the vector does not keep follow them, weighing nothing: most headline
    words are among a vector's heaviest.  The kind also marks the words the pool
    writes in lower case (for the anchor rule, see :func:`casing_votes`).  The
    order of the words is the order they were given in, so sums over them add up
    exactly as they would over a dict of words.
    """

    __slots__ = ("_store", "countries", "number", "places", "size", "title")

    def __init__(
        self,
        weights: Mapping[int, float],
        headline: Iterable[int] = (),
        store: VectorStore | None = None,
        common: Container[int] = (),
        *,
        norm: float = 1.0,
    ) -> None:
        """A vector of the words ``weights`` gives, each weighing its weight times
        the store's scale of the word, divided by ``norm``."""
        self._store = store = store if store is not None else VectorStore()
        self.size = len(weights)
        distinct = dict.fromkeys(headline)
        own = [(n, w, n in distinct, n in common) for n, w in weights.items()]
        # Headline words the vector does not keep follow its own, weighing nothing.
        own += [(n, 0.0, True, n in common) for n in distinct if n not in weights]
        #: The vector's number in its store (where its words start, its norm).
        self.number = store.add(own, norm)
        #: Cities the headline names (for the place-conflict rule).
        self.places: frozenset[str] = NO_PLACES
        #: Countries the headline's places are in (for the country-conflict rule).
        self.countries: frozenset[str] = NO_PLACES
        #: The headline as written (for its phrases, see :func:`_anchored`).
        self.title = ""

    def __len__(self) -> int:
        return self.size

    @property
    def ids(self) -> array[int]:
        """The numbers of the vector's words."""
        start = self._store.starts[self.number]
        return self._store.ids[start : start + self.size]

    @property
    def values(self) -> list[float]:
        """The weights of the vector's words, in the order of :attr:`ids`: each its
        kind's weight times the word's scale, divided by the vector's norm."""
        store = self._store
        start = store.starts[self.number]
        end = start + self.size
        # Mapped in C rather than a comprehension: a selection reads the weights
        # of millions of words, and this is most of what comparing costs.
        kinds = map(store.weights.__getitem__, store.codes[start:end])
        scales = map(store.scale.__getitem__, store.ids[start:end])
        return list(map(truediv, map(mul, kinds, scales), repeat(store.norms[self.number])))

    @property
    def headline(self) -> tuple[int, ...]:
        """The numbers of the headline's distinct content words (for the
        headline-overlap rule), the vector's own first, in its order."""
        store = self._store
        start, end = store.starts[self.number], store.starts[self.number + 1]
        return tuple(compress(store.ids[start:end], store.headline_marks(start, end)))

    @property
    def telling(self) -> frozenset[int]:
        """The numbers of the vector's words (its own and its headline's) that the
        pool does not write as common words: names, and words with no evidence
        either way (see :func:`casing_votes`)."""
        store = self._store
        start, end = store.starts[self.number], store.starts[self.number + 1]
        return frozenset(compress(store.ids[start:end], store.telling_marks(start, end)))

    @property
    def weights(self) -> dict[int, float]:
        """The word numbers and their weights, as a dict (built on each call)."""
        return dict(zip(self.ids, self.values, strict=True))

    def cosine(self, other: Vector) -> float:
        """Cosine similarity (both are unit length, so the dot product)."""
        return self.read().cosine(other.read())

    def read(self) -> Weights:
        """The vector's words and weights, worked out once for many comparisons."""
        return Weights(self.ids, self.values)

    def top(self, n: int) -> list[int]:
        """The numbers of the ``n`` heaviest words (ties broken alphabetically, so
        runs repeat)."""
        pairs = list(zip(self.values, self.ids, strict=True))
        ranks = self._store.ranks
        if ranks is None:
            words = self._store.words
            pairs.sort(key=lambda p: (-p[0], words[p[1]]))
        else:
            pairs.sort(key=lambda p: (-p[0], ranks[p[1]]))
        return [t for _, t in pairs[:n]]


class Weights:
    """A vector's words and weights as read from its store, for comparing one
    vector with many (working the weights out is most of what a comparison
    costs)."""

    __slots__ = ("_table", "ids", "values")

    def __init__(self, ids: array[int], values: list[float]) -> None:
        self.ids = ids
        self.values = values
        self._table: dict[int, float] | None = None

    @property
    def table(self) -> dict[int, float]:
        """The weights by word number (made on first use)."""
        if self._table is None:
            self._table = dict(zip(self.ids, self.values, strict=True))
        return self._table

    def cosine(self, other: Weights) -> float:
        """Cosine similarity of the two vectors: the products summed in the order
        of the shorter one's words (this one's when both are as long)."""
        small, large = (self, other) if len(self.ids) <= len(other.ids) else (other, self)
        total: float = sum(map(mul, small.values, map(large.table.get, small.ids, repeat(0.0))))
        return total


class Vocabulary:
    """Document frequencies of a pool of texts, for inverse-frequency weights, and
    a number for each word (what the vectors made here hold)."""

    def __init__(self) -> None:
        self.documents = 0
        #: Each word's number, and the words and their document frequencies by number.
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.frequency: list[int] = []
        #: Per word number: mid-sentence capitalised uses minus lower-case ones
        #: (4 bytes a word, not a list's 8-byte pointer).
        self.casing = array("i")
        #: Where the vectors made here keep their words and weights.
        self.store = VectorStore(self.words)

    def _id(self, word: str) -> int:
        number = self.ids.setdefault(word, len(self.words))
        if number == len(self.words):
            self.words.append(word)
            self.frequency.append(0)
            self.casing.append(0)
        return number

    def vote(self, votes: Iterable[tuple[str, int]]) -> None:
        """Add one text's :func:`casing_votes` to the pool's."""
        for word, vote in votes:
            self.casing[self._id(word)] += vote

    def count(self, fields: Iterable[Sequence[str]]) -> None:
        """Count one document's distinct words (all of a pool's before its first
        vector is made: the vectors made here share each word's weight)."""
        if len(self.store.norms):
            raise RuntimeError("a vocabulary counts its words before making vectors")
        self.documents += 1
        for word in {w for f in fields for w in f}:
            self.frequency[self._id(word)] += 1

    def numbered(self, fields: Fields) -> array[int]:
        """One document's fields as word numbers, compactly (the sizes of the
        first two fields, then every field's numbers): what a pool keeps of each
        document between counting its words and making its vector."""
        return array("i", [len(fields[0]), len(fields[1]), *map(self._id, chain(*fields))])

    def fields(self, numbered: array[int]) -> Fields:
        """The fields :meth:`numbered` was given, as words in the same order."""
        words, title, summary = self.words, numbered[0], numbered[1]
        found = [words[n] for n in numbered[2:]]
        return (found[:title], found[title : title + summary], found[title + summary :])

    def vector(self, fields: Fields) -> Vector:
        """The unit tf-idf vector of one document's fields."""
        raw: dict[str, float] = defaultdict(float)
        for weight, found in zip(_FIELD_WEIGHTS, fields, strict=True):
            # Presence, not counts: a word repeated in a long body is not more telling.
            for word in set(found):
                raw[word] += weight
        n = self.documents + 1
        idf = {t: math.log(n / (self._frequency(t) + 1)) + _IDF_FLOOR for t in raw}
        weighted = {t: w * idf[t] for t, w in raw.items()}
        if len(weighted) > VECTOR_TERMS:
            # The most telling words carry the story; the tail only costs memory.
            kept = sorted(weighted.items(), key=lambda p: (-p[1], p[0]))[:VECTOR_TERMS]
            weighted = dict(kept)
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        # The store keeps each word's field weight and its idf (the word's scale,
        # the same for every vector), and the vector's norm: the weight it reads
        # back is the same double as ``weighted[t] / norm``.
        numbers = {self._id(t): raw[t] for t in weighted}
        scale = self.store.scale
        if len(scale) < len(self.words):
            scale.extend([1.0] * (len(self.words) - len(scale)))
        for t, number in zip(weighted, numbers, strict=True):
            scale[number] = idf[t]
        headline = [self._id(w) for w in fields[0]]
        casing = self.casing
        common = {n for n in chain(numbers, headline) if casing[n] < 0}
        return Vector(numbers, headline, self.store, common, norm=norm)

    def frequent(
        self, share: float = FREQUENT_SHARE, least: int = FREQUENT_LEAST
    ) -> frozenset[int]:
        """The numbers of the pool's frequent words: those in at least ``share`` of
        its documents and in ``least`` or more (a dominant event's own names).
        A small pool has none (no word reaches ``least``)."""
        bar = max(least, share * self.documents)
        return frozenset(n for n, f in enumerate(self.frequency) if f >= bar)

    def _frequency(self, word: str) -> int:
        number = self.ids.get(word)
        return 0 if number is None else self.frequency[number]


@dataclass(slots=True)
class Match:
    """Where an item went: the group number, and the similarity that put it there
    (1.0 for the group's first item)."""

    group: int
    similarity: float


def best_match(found: Sequence[Match]) -> Match | None:
    """The most similar of ``found``, the earliest group on a tie, or ``None``."""
    return max(found, key=lambda m: (m.similarity, -m.group)) if found else None


class GroupIndex:
    """Puts items into groups of similar ones without comparing all pairs.

    An item joins the group it is most similar to (on average over the group's
    first ``members``, or the ``closest`` of them), if that similarity reaches
    ``threshold``, or if its headline shares at least ``headline_overlap`` of its
    content words (and :data:`HEADLINE_MIN_SHARED` or more) with a member's,
    one of them not among the pool's ``frequent`` words; otherwise it starts a
    new group.  With ``anchors``, a join by similarity also
    needs an anchor shared with a member (see :func:`_anchored`).
    """

    def __init__(
        self,
        threshold: float,
        headline_overlap: float = 1.01,
        *,
        closest: bool = False,
        members: int = MEMBERS_COMPARED,
        places: bool = True,
        anchors: bool = False,
        frequent: frozenset[int] = frozenset(),
    ) -> None:
        self.threshold = threshold
        #: The pool's frequent words (:meth:`Vocabulary.frequent`): two headlines
        #: sharing only these, a dominant event's names ("Israel-Hamas war: ...
        #: in Gaza"), tell two of its developments, so the headline-overlap rule
        #: needs a shared word of the development's own; else a live page's
        #: headline made of them joins every development to it, and them to
        #: each other.  (Leaving them out of the count altogether, tried, split
        #: more retellings on the held-out days than it kept apart.)
        self.frequent = frequent
        #: Whether a newcomer must share an anchor with the group (stories).
        self.anchors = anchors
        #: Whether a newcomer set in other cities is kept out (stories), or not
        #: (events, which span cities: a storm, a manhunt, protests).
        self.places = places
        self.headline_overlap = headline_overlap
        self.closest = closest
        self.members = members
        #: Each group's first members' vectors, in the order they joined: a tuple
        #: per group (most hold one), not an object and a list, as a big pool's
        #: index holds tens of thousands of groups.
        self.groups: list[tuple[Vector, ...]] = []
        # Tuples, not lists: most words point to one or two groups, and a list
        # of one holds room for four.  Held in a list by word number (the numbers
        # of a pool's vocabulary are dense), not a dict: a big pool's dict and its
        # keys (an int object each) were ten times the list's 8 bytes a word.
        self._postings: list[tuple[int, ...]] = []
        # The weights of the members met most recently: a few groups (the first
        # to take the day's common words) meet most newcomers.
        self._read: dict[Vector, Weights] = {}
        #: Groups made part of another (:meth:`merge`): number -> the group it joined.
        self._merged: dict[int, int] = {}
        #: A group that others were merged into -> every group it is made of.
        self._parts: dict[int, tuple[int, ...]] = {}

    def find(self, group: int) -> int:
        """The group a group number stands for now: itself, or the group it was
        merged into (:meth:`merge`)."""
        while group in self._merged:
            group = self._merged[group]
        return group

    def merge(self, into: int, other: int) -> None:
        """Make group ``other`` part of group ``into``: its words lead newcomers to
        ``into``, and a newcomer is compared with each part's first members (a
        retelling of ``other`` is like its members, not ``into``'s); it joins
        ``into``.  Merging a group into itself (the two already one) changes
        nothing."""
        root, merged = self.find(into), self.find(other)
        # A group recorded as merged into itself would leave find() looping.
        if root != merged:
            self._merged[merged] = root
            self._parts[root] = self._parts.get(root, (root,)) + self._parts.pop(merged, (merged,))

    def _weights(self, vector: Vector) -> Weights:
        """A member's weights, worked out again only when not met recently."""
        found = self._read.get(vector)
        if found is None:
            if len(self._read) >= READ_KEPT:
                del self._read[next(iter(self._read))]
            found = self._read[vector] = vector.read()
        return found

    def nearest(self, vector: Vector) -> Match | None:
        """The most similar existing group, if any reaches the threshold."""
        return best_match(self.all_near(vector))

    def all_near(self, vector: Vector) -> list[Match]:
        """Every likely group (those sharing most signature words) that reaches the
        threshold, with its similarity."""
        shared: Counter[int] = Counter()
        for word in vector.top(SIGNATURE):
            if word < len(self._postings):
                posting = self._postings[word]
                shared.update({self.find(g) for g in posting} if self._merged else posting)
        # The groups sharing most signature words are the likely matches.
        candidates = sorted(shared, key=lambda g: (-shared[g], g))[:CANDIDATES_COMPARED]
        near: list[Match] = []
        if not candidates:
            return near
        # The newcomer's weights, worked out once for all the members it meets.
        mine = vector.read()
        for number in candidates:
            # A merged group is compared part by part, each with its own first
            # members: a retelling of a story merged into another is like that
            # story's members, not the other's.
            parts = self._parts.get(number, (number,))
            found = (self._similarity(vector, mine, self.groups[p][: self.members]) for p in parts)
            best = max((f for f in found if f is not None), default=None)
            if best is not None:
                near.append(Match(number, best))
        return near

    def _similarity(self, vector: Vector, mine: Weights, members: Sequence[Vector]) -> float | None:
        """A newcomer's similarity to a group's first ``members`` if it reaches the
        threshold (``None`` if not, or if the group is set elsewhere)."""
        headline = vector.headline
        # Two headlines alike but for their cities are two stories ("man
        # charged with murder in Melbourne" / "... in Sydney"), so the city
        # check comes before the headline-overlap rule.
        if self.places and (_elsewhere(vector, members) or _abroad(vector, members)):
            return None
        # The mean over members, not the best one: a newcomer must agree with
        # the story, not with one member (which would chain stories together);
        # looser groups (events) may ask for the ``closest`` member instead.
        found = [mine.cosine(self._weights(m)) for m in members]
        similarity = max(found) if self.closest else sum(found) / len(found)
        if any(self._headlines_match(headline, m.headline) for m in members):
            similarity = max(similarity, self.threshold)
        elif self.anchors and similarity >= self.threshold and not _anchored(vector, members):
            return None
        return similarity if similarity >= self.threshold else None

    def _headlines_match(self, a: tuple[int, ...], b: tuple[int, ...]) -> bool:
        common = set(a).intersection(b)
        shared = len(common)
        if shared < HEADLINE_MIN_SHARED:
            return False
        if self.frequent and common <= self.frequent:
            return False
        return shared / min(len(a), len(b)) >= self.headline_overlap

    def add(self, vector: Vector) -> Match:
        """Place an item in the most similar group (or a new one); return where."""
        match = self.nearest(vector)
        if match is None:
            return Match(self.put(vector), 1.0)
        self.put(vector, match.group)
        return match

    def seal(self) -> int:
        """Start a group no item can join (its member is known to no word);
        return its number."""
        self.groups.append(())
        return len(self.groups) - 1

    def put(self, vector: Vector, group: int | None = None) -> int:
        """Put an item in ``group`` (a new group when ``None``); return its number."""
        if group is None:
            group = len(self.groups)
            self.groups.append(())
        members = self.groups[group]
        if len(members) < self.members:
            self.groups[group] = (*members, vector)
            for word in vector.top(SIGNATURE):
                if word >= len(self._postings):
                    self._postings.extend([()] * (word + 1 - len(self._postings)))
                posting = self._postings[word]
                if len(posting) < POSTING_CAP and (not posting or posting[-1] != group):
                    self._postings[word] = (*posting, group)
        return group


def _elsewhere(vector: Vector, members: Sequence[Vector]) -> bool:
    """Whether an item is set in other cities than a group: both name cities and
    none in common ("Melbourne's north west" and "Sydney's west"), so the words
    they share ("man charged with murder") are a coincidence."""
    if not vector.places:
        return False
    theirs = frozenset().union(*(m.places for m in members))
    return bool(theirs) and vector.places.isdisjoint(theirs)


def _abroad(vector: Vector, members: Sequence[Vector]) -> bool:
    """Whether an item is set in other countries than a group and shares no name
    with any member: "boat capsizes" in Nigeria and on New York's Erie Canal,
    "election results: what we know" in Thailand and in Turkey.  Alike words with
    no name in common are a coincidence once the places disagree; two reports
    naming different countries but one actor ("Biden", "BRICS") stay together."""
    if not vector.countries or any(not m.countries for m in members):
        return False
    if any(not vector.countries.isdisjoint(m.countries) for m in members):
        return False
    mine = vector.telling
    return all(mine.isdisjoint(m.telling) for m in members)


def headline_countries(
    title: str, data: PlaceData, known: dict[frozenset[str], frozenset[str]]
) -> frozenset[str]:
    """The countries whose places a headline names (every country a name may mean,
    "Perth" both Australia and Scotland's; international bodies are no place).
    ``known`` holds the sets already made, so a pool's many headlines naming one
    country share one set."""
    found: set[str] = set()
    for name, code in find_countries(title, data.text_names):
        found.update(data.ambiguous.get(name, (code,)))
    found.discard(INTERNATIONAL)
    if not found:
        return NO_PLACES
    key = frozenset(found)
    return known.setdefault(key, key)


def _anchored(vector: Vector, members: Sequence[Vector]) -> bool:
    """Whether an item shares with one of a group's members what makes two
    reports one story: a telling word (a name, or a word the pool does not write
    in lower case), :data:`HEADLINE_MIN_SHARED` headline words of any kind, or a
    headline phrase ("armed siege").  Two reports alike only in common words
    ("woman", "car") tell two stories, however alike their few words make them."""
    mine = vector.telling
    headline = set(vector.headline)
    for m in members:
        if not mine.isdisjoint(m.telling):
            return True
        if len(headline.intersection(m.headline)) >= HEADLINE_MIN_SHARED:
            return True
    phrases = headline_phrases(vector.title)
    return any(not phrases.isdisjoint(headline_phrases(m.title)) for m in members)


def headline_phrases(title: str) -> set[tuple[str, str]]:
    """The headline's pairs of adjacent content words ("armed siege"), as written
    (lower-cased, not stemmed: this runs on every join short of an anchor, and a
    phrase told twice is mostly told in the same words)."""
    return set(pairwise(content_words(title)))


def content_words(text: str) -> list[str]:
    """The words of ``text`` a headline phrase is made of, in order (lower-cased;
    no stopword, no single letter: "Trump's" is "trump")."""
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS]


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """Hashes of the ``size``-word runs of a text (for near-identical copy checks)."""
    found = _WORD.findall(text.lower())
    return frozenset(hash(" ".join(found[i : i + size])) for i in range(len(found) - size + 1))


def resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard resemblance of two shingle sets (0..1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


__all__ = [
    "FREQUENT_LEAST",
    "FREQUENT_SHARE",
    "POSTING_CAP",
    "Fields",
    "GroupIndex",
    "Match",
    "Vector",
    "VectorStore",
    "Vocabulary",
    "article_fields",
    "casing_votes",
    "content_words",
    "english_stemmer",
    "headline_countries",
    "headline_phrases",
    "resemblance",
    "shingles",
    "words",
]
