"""Which section a story belongs to, and why.

Evidence is taken in order of trust, and the first that decides wins:

1. the section the source gave (breadcrumb, feed section, JSON ``section``);
2. the URL path (``/world/…``, ``/international/…``, ``/news/world-africa-123``,
   ``/us-news/…``) and category domain URLs among the tags;
3. feed categories (``World``, ``Soccer``, ``Business``);
4. for items nothing labels, a fallback classifier: the dateline's country, a
   home or foreign news agency, and the countries named in the headline, tags and
   standfirst are weighed against the home country (``select.home_country``).

Labels that name a country ("US news", "India", ``/world-asia-india-…``) mean
"national" for the home country and "world" for any other.  Every decision carries
a sentence saying what decided it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..config import SelectSettings
from ..model import Article
from .places import INTERNATIONAL, PlaceData, country_counts, dateline_country, place_data

WORLD = "world"
NATIONAL = "national"
#: Agencies that file from everywhere: a weak hint that an item is foreign news.
WIRE_AGENCIES = frozenset(
    {"reuters", "afp", "ap", "associated press", "bloomberg", "dpa", "efe", "ansa", "xinhua",
     "kyodo", "yonhap", "tass", "anadolu", "bernama"}
)  # fmt: skip
_SLUG_WITH_NUMBER = re.compile(r"^([a-z][a-z&-]*?)-\d{4,}$")
# Fallback weights: a dateline is the strongest hint, then the headline's places.
_DATELINE, _AGENCY, _TITLE, _TAG, _SUMMARY = 2.0, 0.75, 1.0, 0.75, 0.5
_DECIDES = 1.5


@dataclass(frozen=True, slots=True)
class SectionCall:
    """The section decided for an article, whether it counts, why, and the country
    the story is about (ISO code, ``""`` when unknown; used for diversity)."""

    section: str
    counted: bool
    reason: str
    country: str = ""


class SectionDetector:
    """Decides sections for one selection run (settings and place tables bound)."""

    def __init__(self, settings: SelectSettings, places: PlaceData | None = None) -> None:
        self.places = places or place_data()
        self.home = settings.home_country.upper()
        self.counted = {s.lower() for s in settings.sections}
        self.aliases = {
            **self.places.sections,
            **{k.lower(): v.lower() for k, v in settings.section_aliases.items()},
        }
        self.home_places = {p: self.home for p in settings.home_places}
        self.home_agencies = {a.lower() for a in settings.home_agencies}
        self.use_fallback = settings.fallback_classifier

    # -- labels --------------------------------------------------------------------

    def label(self, text: str) -> tuple[str, str] | None:
        """``(section, country)`` a label means, ``("", "")`` for a label that says
        nothing ("News"), ``None`` for one not understood."""
        key = " ".join(text.lower().replace("_", " ").split()).strip(" /")
        if key in self.aliases:
            return self.aliases[key], ""
        # "Tennis News", "tennis-news", "US news": the label without "news".
        bare = key.replace("-", " ").removesuffix(" news").strip()
        if self.aliases.get(bare):
            return self.aliases[bare], ""
        code = self.places.label_countries.get(bare)
        if code:
            return (NATIONAL if code == self.home else WORLD), code
        return None

    def from_url(self, url: str) -> tuple[str, str, str] | None:
        """``(section, country, path part)`` from a URL path, or ``None``."""
        parts = [p for p in urlsplit(url).path.lower().split("/") if p]
        for index, part in enumerate(parts[:4]):
            slugged = _SLUG_WITH_NUMBER.match(part)
            if index == len(parts) - 1 and not slugged:
                break  # the article's own slug: its words are the headline's
            words = (slugged.group(1) if slugged else part).split("-")
            # Longest known prefix: "world-asia-india" is world, then asia, then India.
            for size in range(len(words), 0, -1):
                found = self.label(" ".join(words[:size]))
                if found is None or (not found[0] and size < len(words)):
                    continue
                section, code = found
                if not section:
                    break
                # "world-asia-india": the country at the end decides home or abroad.
                tails = (" ".join(words[j:]) for j in range(size, len(words)))
                sub = next((c for t in tails if (c := self.places.label_countries.get(t))), None)
                if section == WORLD and sub:
                    section, code = (NATIONAL if sub == self.home else WORLD), sub
                return section, code, part
        return None

    # -- the decision --------------------------------------------------------------

    def classify(self, article: Article) -> SectionCall:
        """The section of ``article`` with the reason; never raises."""
        country = self.country(article)
        if article.section:
            found = self.label(article.section)
            if found and found[0]:
                section, code = found
                return self._call(
                    section, f"labelled {article.section!r} by the source", code or country
                )
            if found is None:
                return self._call(
                    article.section.lower(), f"labelled {article.section!r} by the source", country
                )
        from_url = self.from_url(article.url)
        if from_url:
            section, code, part = from_url
            return self._call(section, f"URL path /{part}/", code or country)
        for tag in article.tags:
            if tag.startswith(("http://", "https://")):
                # A category domain is a section URL with no article slug after it.
                found_url = self.from_url(tag.rstrip("/") + "/-")
                if found_url:
                    return self._call(
                        found_url[0], f"category domain {tag}", found_url[1] or country
                    )
        for tag in article.tags:
            found = self.label(tag)
            if found and found[0] in (WORLD, *self.places.topics):
                return self._call(found[0], f"feed category {tag!r}", found[1] or country)
            topic = self._topic(tag)
            if topic:
                return self._call(topic, f"feed category {tag!r} ({topic})", country)
        if not self.use_fallback:
            return self._call("", "no section label (fallback classifier off)", country)
        return self.fallback(article)

    def fallback(self, article: Article) -> SectionCall:
        """Guess for an unlabelled item: weigh foreign against home-country evidence."""
        evidence: dict[str, float] = defaultdict(float)
        said: list[str] = []
        place = self._dateline(article)
        if place:
            evidence[place] += _DATELINE
            said.append(f"dateline {article.dateline} ({place})")
        agency = article.agency.lower()
        if agency in self.home_agencies:
            evidence[self.home] += _AGENCY
            said.append(f"home agency {article.agency}")
        elif agency in WIRE_AGENCIES:
            evidence[INTERNATIONAL] += _AGENCY
            said.append(f"foreign agency {article.agency}")
        mentions = self._mentions(article)
        if mentions:
            for code, n in mentions.items():
                evidence[code] += n
            named = ", ".join(f"{c} {n:g}" for c, n in _ranked(mentions)[:3])
            said.append(f"places named ({named})")
        home = evidence.get(self.home, 0.0)
        foreign = sum(n for c, n in evidence.items() if c != self.home)
        topic = "sports" if self._topic(article.title) == "sports" else ""
        summary = f"{'; '.join(said) or 'no places'}: foreign {foreign:g} vs home {home:g}"
        if topic:
            return self._call(topic, f"no section label; headline reads as {topic}", "")
        if foreign >= _DECIDES and foreign > home:
            return self._call(WORLD, f"no section label; fallback: {summary}", self._main(evidence))
        if home > 0 and home >= foreign:
            return self._call(NATIONAL, f"no section label; fallback: {summary}", self.home)
        return self._call("", f"no section label; fallback undecided: {summary}", "")

    def country(self, article: Article) -> str:
        """The country a story is mostly about (dateline first), or ``""``."""
        evidence = self._mentions(article)
        place = self._dateline(article)
        if place:
            evidence[place] = evidence.get(place, 0.0) + _DATELINE
        return self._main(evidence)

    # -- helpers -------------------------------------------------------------------

    def _call(self, section: str, reason: str, country: str) -> SectionCall:
        counted = section in self.counted
        verdict = "counts" if counted else "does not count"
        shown = section or "unknown"
        return SectionCall(section, counted, f"section {shown} ({reason}; {verdict})", country)

    def _dateline(self, article: Article) -> str:
        if not article.dateline:
            return ""
        if article.dateline in self.home_places:
            return self.home
        return dateline_country(article.dateline, self.places)

    def _mentions(self, article: Article) -> dict[str, float]:
        lead = article.body.split("\n\n", 1)[0][:400]
        texts = [(article.title, _TITLE), (article.summary, _SUMMARY), (lead, _SUMMARY)]
        texts += [(tag, _TAG) for tag in article.tags[:5]]
        counts = country_counts(texts, self.places)
        for name in self.home_places:
            if name in article.title or name in article.summary:
                counts[self.home] += _TITLE
        return counts

    def _main(self, evidence: dict[str, float]) -> str:
        ranked = [c for c, _ in _ranked(evidence) if c != INTERNATIONAL]
        return ranked[0] if ranked else ""

    def _topic(self, text: str) -> str:
        lowered = f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))} "
        for topic, words in self.places.topics.items():
            if any(f" {w} " in lowered for w in words):
                return topic
        return ""


def _ranked(evidence: dict[str, float]) -> list[tuple[str, float]]:
    # Heaviest first; ties by code so runs repeat exactly.
    return sorted(evidence.items(), key=lambda pair: (-pair[1], pair[0]))


__all__ = ["NATIONAL", "WORLD", "SectionCall", "SectionDetector"]
