"""Hard news or not: opinion, analysis, features and soft news, recognised.

A digest of the day's top stories carries reports of what happened.  Columns,
editorials, explainers, features, reviews, quizzes, showbiz and oddities are left
out unless ``select.genres`` lets them in.  The evidence, in order:

1. the URL path (``/opinion/``, ``/commentisfree/``, ``/analysis/``,
   ``/features/``, ``/lifestyle/``, ``/tvshowbiz/``) and the host's own desk
   (``lifestyle.example.com``);
2. the source's section label and feed categories (``Opinion``, ``Comment``);
3. the first words of the article's own URL slug (``/analysis-wall-of-brics``);
4. the headline's form (``Opinion:``, ``Analysis |``, ``The Guardian view on …``,
   ``What we know about …``, ``10 best …``, ``Quiz:``), and a headline in the
   first person outside quotes ("Searching for my daughter-in-law") as a feature,
   and one that speaks to the reader ("signs you should never ignore") as soft;
5. a column's disclaimer or author note in the standfirst or first paragraph
   ("The views expressed …", "… is a columnist").

The words are data (``genre.toml`` beside this module).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from urllib.parse import urlsplit

from tld import Result, get_tld

from ..model import Article

HARD = "news"
# Quoted words are someone else's: "'My son is alive'" is a report, not a memoir.
_QUOTED = re.compile(r"(['‘\"“])(?:(?!\1).){2,}?[’'\"”]")
_FIRST_PERSON = re.compile(r"\b(my|I'm|I’m|I've|I’ve|I was|I am)\b")
_SECOND_PERSON = re.compile(r"\byou(r|'re|’re|'ll|’ll)?\b", re.I)
#: Every genre the detector can name; ``news`` is hard news.
GENRES = (HARD, "opinion", "analysis", "feature", "soft")
# A running page's label: "… live updates:", "Europe heatwave – live:", "latest:",
# "List of key events, day 12"; not the verb ("months to live:", "where they live").
_RUNNING = re.compile(
    r"\b((?<!\bto )(?<!\bwho )(?<!\bthey )(?<!\bwe )(?<!\byou )live( updates| blog| news)?"
    r"|latest( updates| news)?|as it happened|key events)\b"
    r"(\s*[:|–—-]|\s*$|,)"
    # "Oxygen on missing submarine expected to be running low - updates": a page's
    # name ending in "updates" after a dash or a bar is a running page's.
    r"|\s[|–—-]\s*(live )?updates\s*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class GenreCall:
    """The genre decided for an article and the evidence for it."""

    genre: str
    reason: str
    #: Said by where the item is filed (a desk in its URL path, host or labels),
    #: which speaks for its topic, not only for this one piece's form.
    filed: bool = False

    @property
    def hard(self) -> bool:
        """Whether this is a report of what happened."""
        return self.genre == HARD


@dataclass(frozen=True, slots=True)
class GenreRules:
    """Path parts and labels per genre, and headline and disclaimer patterns."""

    labels: Mapping[str, str]
    slugs: Mapping[str, str]
    headlines: tuple[tuple[re.Pattern[str], str], ...]
    disclaimers: tuple[re.Pattern[str], ...]


@cache
def genre_rules() -> GenreRules:
    """The built-in genre rules (``genre.toml``; loaded once, read-only)."""
    raw = tomllib.loads(resources.files("digest.select").joinpath("genre.toml").read_text("utf-8"))
    labels = {word.lower(): genre for genre, words in raw["labels"].items() for word in words}
    headlines = tuple(
        (re.compile(pattern, re.I), genre)
        for genre, patterns in raw["headlines"].items()
        for pattern in patterns
    )
    slugs = {word: genre for genre, words in raw["slugs"].items() for word in words}
    disclaimers = tuple(re.compile(p, re.I) for p in raw["disclaimers"]["opinion"])
    return GenreRules(MappingProxyType(labels), MappingProxyType(slugs), headlines, disclaimers)


def classify_genre(article: Article, rules: GenreRules | None = None) -> GenreCall:
    """The genre of ``article`` with the evidence; never raises."""
    rules = rules or genre_rules()
    address = urlsplit(article.url)
    parts = [p for p in address.path.lower().split("/") if p]
    for part in parts[:-1]:
        genre = rules.labels.get(part)
        if genre:
            return GenreCall(genre, f"{genre} (URL path /{part}/)", filed=True)
    # A desk of its own host ("au.lifestyle.yahoo.com", "blogs.example.com") says
    # the same as a path part would; the registered name itself is left alone
    # ("lifestyle.com.au" is a name, not a desk).
    for part in host_desks(address.hostname or ""):
        genre = rules.labels.get(part)
        if genre:
            return GenreCall(genre, f"{genre} (host {address.hostname})", filed=True)
    if parts:
        for size in (2, 1):
            start = "-".join(parts[-1].split("-")[:size])
            genre = rules.slugs.get(start)
            if genre:
                return GenreCall(genre, f"{genre} (URL slug {parts[-1][:40]!r})")
    for label in (article.section, *article.tags):
        genre = rules.labels.get(" ".join(label.lower().split()))
        if genre:
            return GenreCall(genre, f"{genre} (labelled {label!r})", filed=True)
    for pattern, genre in rules.headlines:
        if pattern.search(article.title):
            return GenreCall(genre, f"{genre} (headline reads as {genre}: {article.title!r})")
    unquoted = _QUOTED.sub(" ", article.title)
    if _FIRST_PERSON.search(unquoted):
        return GenreCall("feature", "feature (a headline in the first person)")
    if _SECOND_PERSON.search(unquoted):
        return GenreCall("soft", "soft (a headline that speaks to the reader)")
    lead = f"{article.summary}\n{article.body[:600]}"
    for pattern in rules.disclaimers:
        if pattern.search(lead):
            return GenreCall("opinion", "opinion (a columnist's disclaimer or author note)")
    return GenreCall(HARD, "hard news")


@lru_cache(maxsize=4096)
def host_desks(host: str) -> tuple[str, ...]:
    """The labels of ``host`` in front of its registered name (by the public suffix
    list bundled with ``tld``): ``("au", "lifestyle")`` for au.lifestyle.yahoo.com."""
    found = get_tld(host, as_object=True, fail_silently=True, fix_protocol=True)
    if not isinstance(found, Result) or not found.subdomain:
        return ()
    return tuple(found.subdomain.lower().split("."))


@lru_cache(maxsize=4096)
def registered_name(host: str) -> str:
    """The name ``host`` is registered under, without its public suffix:
    ``nbcsports`` for amp.nbcsports.com, ``football`` for football.london; the
    label before the last when the suffix is not a public one."""
    found = get_tld(host, as_object=True, fail_silently=True, fix_protocol=True)
    if isinstance(found, Result):
        return found.domain.lower()
    labels = host.lower().split(".")
    return labels[-2] if len(labels) > 1 else labels[0]


def running_page(title: str) -> bool:
    """Whether a headline is a running page's (a live blog, "latest", a list of
    the day's key events): a page that follows a whole event through the day."""
    return _RUNNING.search(title) is not None


def soft_story(calls: Sequence[GenreCall]) -> GenreCall | None:
    """The genre call a story's members make together, or ``None``: when at
    least half of them are filed under a soft desk (``/music/``, a lifestyle host),
    the story is that desk's, although another outlet filed it with no desk at all
    (so it reads as hard news only for want of evidence).  And when most of them
    are opinion, analysis or features, the story is commentary around the news,
    not a report of it (the report it would be led by is one outlet's piece that
    reads as news only because nothing marks it as a feature)."""
    filed = [c for c in calls if c.filed and c.genre == "soft"]
    if filed and 2 * len(filed) >= len(calls):
        return GenreCall(
            "soft", f"soft ({len(filed)} of {len(calls)} reports filed so: {filed[0].reason})"
        )
    told = [c for c in calls if not c.hard]
    if 2 * len(told) > len(calls):
        genre = Counter(c.genre for c in told).most_common(1)[0][0]
        first = next(c for c in told if c.genre == genre)
        return GenreCall(
            genre, f"{genre} ({len(told)} of {len(calls)} reports are not news: {first.reason})"
        )
    return None


__all__ = [
    "GENRES",
    "HARD",
    "GenreCall",
    "GenreRules",
    "classify_genre",
    "genre_rules",
    "host_desks",
    "registered_name",
    "running_page",
    "soft_story",
]
