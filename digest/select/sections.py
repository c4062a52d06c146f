"""Which section a story belongs to, and why, from the publisher's point of view.

Desk labels are relative to the outlet that wrote them: a US outlet's
``/politics/`` is US national news, which is World News for a publisher in India
and national news for one in the US.  Evidence is taken in order of trust, and
the first that decides wins:

1. the section the source gave (breadcrumb, feed section, JSON ``section``);
2. the URL path (``/world/…``, ``/international/…``, ``/news/world-africa-123``,
   ``/us-news/…``, ``/politics/…``) and category domain URLs among the tags;
3. feed categories (``World``, ``Soccer``, ``Business``);
4. for items nothing labels, what they are about: the dateline's country, a home
   or foreign news agency, and the countries of the places, people and
   institutions named in the headline, standfirst, first paragraph and tags are
   weighed against the home country (``select.home_country``); when they say
   nothing, the outlet's country decides.

Labels that name a country ("US news", "India", ``/world-asia-india-…``) mean
"national" for the home country and "world" for any other; national desks
(``national``, ``politics``, ``city``…) mean the outlet's own country (taken as
the home country when the outlet's country is unknown).  A foreign outlet's world
desk story that is about the home country is national.  Every item gets a
decision with a sentence saying what decided it; none is left "unknown".
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..config import SelectSettings
from ..model import Article
from .disputes import company_dispute, dispute_words
from .genre import host_desks, registered_name, running_page
from .outlets import NO_COUNTRY, Outlet, without_credit
from .places import (
    INTERNATIONAL,
    PlaceData,
    Region,
    country_counts,
    dateline_country,
    find_countries,
    find_towns,
    place_data,
    region_key,
)

WORLD = "world"
NATIONAL = "national"
#: Agencies that file from everywhere: a weak hint that an item is foreign news.
WIRE_AGENCIES = frozenset(
    {"reuters", "afp", "ap", "associated press", "bloomberg", "dpa", "efe", "ansa", "xinhua",
     "kyodo", "yonhap", "tass", "anadolu", "bernama"}
)  # fmt: skip
#: Desks that cover the outlet's own country, whatever they are called.
NATIONAL_DESKS = frozenset({NATIONAL, "politics", "city", "local", "domestic", "regional"})
#: Countries an item is about, weighted, and the evidence in words.
Evidence = tuple[dict[str, float], list[str]]
_SLUG_WITH_NUMBER = re.compile(r"^([a-z][a-z&-]*?)-\d{4,}$")
# The most words a desk's code in an address has ("uk-scotland-scotland-politics").
_DESK_WORDS = 4
# A file's extension after an address's slug ("…-returns-alabama.html", ".aspx").
_EXTENSION = re.compile(r"\.[a-z]{2,5}$")
# A word of letters in any script ("München"), as a slug's words are read.
_LETTERS = re.compile(r"[^\W\d_]+")
# Content weights: a dateline is the strongest hint, then the headline's names.
_DATELINE, _AGENCY, _TITLE, _TAG, _SUMMARY = 2.0, 0.75, 1.0, 0.75, 0.5
# One foreign name in the headline is enough when nothing points home.
_DECIDES = 1.0
# A home outlet's national desk is overruled by this much of abroad and no home:
# two names of abroad ("Putin ally Belarusian President"), since one is often where
# a home politician went ("Harris, in Ghana, promises Africa support").
_FOREIGN_DESK = 2.0
# A specialist outlet's item naming this much of abroad is placed by content.
_NEWSY_DESKS = frozenset({"business", "science", "technology"})
_NEWS_ON_A_DESK = 1.0
# Desks a host's own label can name ("sports.yahoo.com", "finance.yahoo.com").
_HOST_DESKS = frozenset({"sports", "business", "entertainment", "technology", "science"})
# A sport's name spelled into a host ("nbcsports", "planetrugby"): one word, long
# enough not to hide inside others; and words that hide "sport" itself.
_SPORT_IN_HOST = re.compile(r"[a-z]{5,}")
# "newsportal" is "news" and "portal"; "newsflashes" hides "ashes".
_NOT_SPORT = re.compile(r"transport|passport|newsport(?!s)|(?:cl|fl|cr|spl|w)ashes")
# Sports words that name a town as well as its tournament or race: the Wimbledon
# Guardian is a local paper.
_TOWN_SPORT_WORDS = frozenset({"wimbledon", "bathurst"})
#: Items that must place a summit at home before its news counts as home news.
HOSTED_AGREE = 2
# "in New Delhi", "at Delhi summit": up to three capitalised words after in/at.
_PLACED = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'’.-]*\s?){1,3})")
# What a group of countries does as one: meets, admits or invites members.
_BLOC_ACTS = re.compile(
    r"\b(summit|leaders|members?|membership|join(s|ed|ing)?|invit(e|es|ed|ing)|"
    r"admi(t|ts|tted|ssion)|expan(d|ds|ded|sion)|bloc)\b",
    re.I,
)
# Desks whose sub-desks are never news beats: the news desks, and science (its
# environment and climate desks report research: "Climate tipping points near for
# Greenland, researchers say").
_BEATLESS = frozenset({WORLD, NATIONAL, "science"})
#: Topics whose headline words outweigh a world-desk label (``places.toml``).
OVERRIDING_TOPICS = frozenset({"science"})
#: A court's or the police's word in a headline: a sportsman found guilty of a
#: crime is crime news, though the headline names his sport ("former NRL player").
_CRIME = re.compile(
    r"\b(guilty|convicted|sentenced|jailed|charged with|arrested|acquitted|"
    r"sexual assault|murder|manslaughter|rape)\b",
    re.I,
)
#: A death a headline reports ("dies aged 89", "dead at 71", "cause of death"); not
#: "death" naming something else (a disaster's "death toll", a "death threat").
_DEATH = re.compile(
    r"\b(dies|died|dead|passes away|passed away|obituary"
    r"|death(?! (?:toll|threats?|penalty|sentence|row|trap)s?\b))\b",
    re.I,
)
#: A killing's words ("shot to death", "shot dead"): a crime's news.
_KILLING = re.compile(r"\b(to death|shot dead|gunned down)\b", re.I)
#: A hotel's or a restaurant's rating ("three-star hotel"): no star of the arts.
_RATING = re.compile(r"\b(?:one|two|three|four|five|seven|\d)[- ]star\b", re.I)
#: Violence at an occasion ("gunman kills two outside Grammys party"): the news of
#: what happened, not of the occasion.  Not "killing" ("'Killing Eve' tops Emmy
#: nominations" names a show).
_VIOLENCE = re.compile(r"\b(kills|killed|shooting|gunman|gunmen|stabbed|stabbing)\b", re.I)
#: Someone named through another ("actor's son", "singer's mother"), in
#: :func:`_spaced_words`' spelling: the one who died is not the artist, unless the
#: possessive is the death itself ("actor's death").
_THROUGH_ANOTHER = re.compile(r" [a-z0-9]+ s (?!(?:death|funeral|obituary) )")
#: A war's, a spy service's or a protest's word in a headline: a country that
#: "shares intelligence" or oligarchs who "profit from war" are no business news,
#: though the headline uses a business word that is a common word too
#: (:data:`_COMMON_BUSINESS_WORDS`); "wars risk keeping interest rates higher" is.
_CONFLICT = re.compile(
    r"\b(war|wars|invasion|troops|military|missiles?|airstrikes?|ceasefire|hostages?|"
    r"intelligence|protests?|protesters)\b",
    re.I,
)
_COMMON_BUSINESS_WORDS = frozenset(
    {"shares", "profit", "profits", "stock", "investors", "revenue", "revenues",
     "acquisition", "acquisitions", "liquidation",
     # Coins a state's hackers steal for its missiles are loot, not markets news.
     "bitcoin", "crypto exchange", "cryptocurrency exchange"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SectionCall:
    """The section decided for an article, whether it counts, why, and the country
    the story is about (ISO code, ``""`` when unknown; used for diversity)."""

    section: str
    counted: bool
    reason: str
    country: str = ""
    #: Placed abroad on weak evidence: only its outlet is foreign, or what it names
    #: abroad is too little to decide (a place its standfirst names in passing).
    by_outlet: bool = False


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
        #: Summits meeting at home in this run's pool: body → where ("G20" → "New Delhi").
        self.hosted: dict[str, str] = {}
        #: The small groups of countries the home country belongs to ("BRICS").
        self.blocs = home_blocs(self.places, self.home)
        self.disputes = dispute_words()

    # -- the day's context -----------------------------------------------------------

    def learn_summits(self, articles: Iterable[Article]) -> None:
        """Find the summits the pool places at home: a body of ``places.toml``'s
        ``[summits]`` whose summit at least :data:`HOSTED_AGREE` items put in a home
        place ("world leaders gather in New Delhi for G20 summit").  That day every
        item naming the body is the home country's own news."""
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for article in articles:
            text = f"{article.title} {article.summary}"
            if "summit" not in text.lower():
                continue
            bodies = {b for b in self.places.summits if re.search(rf"\b{re.escape(b)}\b", text)}
            if not bodies:
                continue
            for where in _PLACED.findall(text):
                found = find_countries(where, self.places.dateline_names)
                if found and found[0][1] == self.home:
                    for body in bodies:
                        seen[body][found[0][0]] += 1
                    break
        self.hosted = {
            body: places.most_common(1)[0][0]
            for body, places in seen.items()
            if sum(places.values()) >= HOSTED_AGREE
        }

    # -- labels --------------------------------------------------------------------

    def label(self, text: str) -> tuple[str, str] | None:
        """``(section, country)`` a label means, ``("", "")`` for a label that says
        nothing ("News"), ``None`` for one not understood."""
        key = " ".join(text.lower().replace("_", " ").split()).strip(" /")
        if key in NATIONAL_DESKS:
            return NATIONAL, ""
        # "Tennis News", "tennis-news", "US news": the label without "news".
        bare = key.replace("-", " ").removesuffix(" news").strip()
        code = self.places.label_countries.get(bare)
        alias = self.aliases.get(key, self.aliases.get(bare) or None)
        # A national desk that names its country ("India News") is that country's.
        if code and alias in (None, NATIONAL):
            return (NATIONAL if code == self.home else WORLD), code
        return None if alias is None else (alias, "")

    def from_url(self, url: str) -> tuple[str, str, str] | None:
        """``(section, country, path part)`` from a URL path, or ``None``."""
        parts = [p for p in urlsplit(url).path.lower().split("/") if p]
        for index, part in enumerate(parts[:4]):
            slugged = _SLUG_WITH_NUMBER.match(part)
            words = (slugged.group(1) if slugged else part).split("-")
            # The article's own slug: its words are the headline's (see _desk_code).
            if index == len(parts) - 1 and not _desk_code(part):
                break
            # Longest known prefix: "world-asia-india" is world, then asia, then India.
            for size in range(len(words), 0, -1):
                found = self.label(" ".join(words[:size]))
                if found is None or (not found[0] and size < len(words)):
                    continue
                section, code = found
                if not section or both_desks(self, found, words[size:]):
                    break
                # "world-asia-india": the country at the end decides home or abroad;
                # so does the home country's desk under the world desk ("/world/us/"
                # for a publisher in the US; another country's says no more than
                # the world desk, and what the item names may still make it home's).
                sub = tail_country(words[size:], self.places)
                if not sub and found == (WORLD, ""):
                    below = country_subdesk(parts, index, self.places)
                    if below == self.home:
                        return NATIONAL, below, f"{part}/{parts[index + 1]}"
                if section == WORLD and sub:
                    section, code = (NATIONAL if sub == self.home else WORLD), sub
                return section, code, part
        return None

    # -- the decision --------------------------------------------------------------

    def classify(self, article: Article, outlet: Outlet | None = None) -> SectionCall:
        """The section of ``article`` (from ``outlet``, when known) with the reason;
        never raises."""
        outlet = outlet or Outlet("", article.publisher)
        evidence = self._evidence(article, outlet.country)
        country = main_country(evidence[0])
        labelled = self._labelled(article)
        summit = hosted_summit(article, self.hosted) or acting_bloc(article, self.blocs)
        if summit and (labelled[0] in (WORLD, NATIONAL) if labelled else not outlet.desk):
            return self.call(NATIONAL, summit, self.home)
        if labelled is not None:
            section, code, how = labelled
            if section == NATIONAL and not code:
                return national_desk(self, outlet, how, evidence, article.title)
            if section == WORLD:
                # A world desk's moon rover is science news, wherever it is filed.
                topic, why = content_topic(self.places, article, OVERRIDING_TOPICS)
                if topic:
                    return self.call(topic, f"{how}, but {why}", "")
            if section == WORLD and code and code != self.home:
                # Another country's national desk ("uk-politics", "/uk/"), like a
                # foreign outlet's: a story told from home's side is home news too.
                about_home = self.about_home(evidence, article.title)
                if about_home:
                    return self.call(NATIONAL, f"{how}, but {about_home}", self.home)
            if section == WORLD and not code:
                about_home = self.about_home(evidence, article.title)
                if about_home:
                    return self.call(NATIONAL, f"{how}, but {about_home}", self.home)
                region = desk_region(article, self.places)
                if region and self.home in region.countries and outlet.country != self.home:
                    return self.call(*regional_desk(self.home, self.places, how, region, evidence))
            return self.call(section, how, code or country)
        desk = outlet.desk or host_desk(article.url, self.places)
        if desk:
            news = news_on_desk(self.places, self.home, article, outlet.country, evidence[0])
            if (desk in _NEWSY_DESKS and news) or reports_crime(self.places, desk, article):
                return self._by_content(article, outlet, evidence)
            return self.call(desk, f"no section label; {outlet.name} covers {desk}", country)
        if not self.use_fallback:
            return self.call("", "no section label (fallback classifier off)", country)
        return self._by_content(article, outlet, evidence)

    def _labelled(self, article: Article) -> tuple[str, str, str] | None:
        """``(section, country, how)`` from the source's label, the URL path or the
        feed categories, or ``None`` when nothing usable labels the item (nor when
        a topical desk's sub-desk in its address is a news beat: :func:`news_beat`)."""
        found = self._label_of(article)
        # (A science desk's environment or climate is its own: research, not news.)
        if found and found[0] not in _BEATLESS and news_beat(article.url, self.places):
            return None
        # A killing a business, technology or arts desk files ("Arrest made over
        # death of Cash App founder"), or a criminal trial's testimony a business
        # desk files ("Bankman-Fried tells jury…"), is news, placed by what it names.
        if found and reports_crime(self.places, found[0], article):
            return None
        return found

    def _label_of(self, article: Article) -> tuple[str, str, str] | None:
        """What :meth:`_labelled` reads, before the news beats."""
        if article.section:
            found = self.label(article.section)
            if found is None:
                return article.section.lower(), "", f"labelled {article.section!r} by the source"
            # A bare "World" says less than the address's home desk under the world
            # desk ("/world/us/"), or than a topic's desk in it: a sports site that
            # labels every item "World" files its rugby under "/rugby-union/" (the
            # address decides).
            sub = self.from_url(article.url) if found == (WORLD, "") else None
            if sub and ("/" in sub[2] or sub[0] in self.places.topics):
                how = f"labelled {article.section!r} by the source, URL path /{sub[2]}/"
                return sub[0], sub[1], how
            if found[0]:
                return found[0], found[1], f"labelled {article.section!r} by the source"
        from_url = self.from_url(article.url)
        if from_url:
            return from_url[0], from_url[1], f"URL path /{from_url[2]}/"
        for tag in article.tags:
            if tag.startswith(("http://", "https://")):
                # A category domain is a section URL with no article slug after it.
                found_url = self.from_url(tag.rstrip("/") + "/-")
                if found_url:
                    return found_url[0], found_url[1], f"category domain {tag}"
        for tag in article.tags:
            found = self.label(tag)
            if found and found[0] in (WORLD, *self.places.topics):
                return found[0], found[1], f"feed category {tag!r}"
            topic = headline_topic(self.places, tag)
            if topic:
                return topic, "", f"feed category {tag!r} ({topic})"
        return None

    def about_home(self, evidence: Evidence, title: str) -> str:
        """Why a story is the home country's own news, or ``""``: mostly about it,
        or told from its angle (the headline names it first, or as often as any
        other country: "Biden condemns attack in Israel", "Britons flee Sudan")."""
        counts, said = evidence
        home = counts.get(self.home, 0.0)
        foreign = sum(n for c, n in counts.items() if c != self.home)
        where = self.places.country_names.get(self.home, self.home)
        if home >= _DECIDES and home > foreign:
            return f"it is about {where} ({'; '.join(said)})"
        named = leading_names(title, self.places)
        codes = [settled(self.places.ambiguous.get(n, (c,)), counts) for n, c in named]
        if self.home not in codes:
            return ""
        # A running page named for another country ("Australia news LIVE: …;
        # Matildas prepare for semi-final with England") is that country's page:
        # home named only in a later item is a party to its news, not its angle
        # (its lead item's, "Ukraine war live: UK sends tanks", is still home's).
        if running_label_country(title, self.places) not in ("", self.home) and not any(
            c == self.home for _, c in find_countries(lead_clause(title), self.places.text_names)
        ):
            return ""
        first = next(c for c in codes if c != INTERNATIONAL)
        others = [c for c in codes if c not in (self.home, INTERNATIONAL)]
        most = max((others.count(c) for c in others), default=0)
        # Named once among three or more others ("German tanks, U.S. vehicles
        # captured in Ukraine"), home is one party of foreign news.
        if first == self.home or (codes.count(self.home) >= most and len(set(others)) < 3):
            return f"the headline tells it from {where}'s side"
        return ""

    def _by_content(self, article: Article, outlet: Outlet, evidence: Evidence) -> SectionCall:
        """Place an unlabelled item by what it is about, then by its outlet."""
        counts, said = evidence
        home = counts.get(self.home, 0.0)
        foreign = sum(n for c, n in counts.items() if c != self.home)
        summary = f"{'; '.join(said) or 'no places named'}: foreign {foreign:g} vs home {home:g}"
        topic, why = content_topic(self.places, article)
        if topic:
            return self.call(topic, f"no section label; {why}", "")
        company = company_dispute(article, self.places, self.disputes)
        if company:
            why = f"no section label; a labour dispute at a company ({company}) is business news"
            return self.call("business", why, main_country(counts))
        about_home = self.about_home(evidence, article.title)
        if about_home:
            return self.call(NATIONAL, f"no section label; {summary}; {about_home}", self.home)
        if _abroad(counts, self.home):
            call = self.call(WORLD, f"no section label; {summary}", main_country(counts))
            weak = placed_in_passing(self.places, self.home, article, foreign)
            return dataclasses.replace(call, by_outlet=weak)
        if home > 0 and home >= foreign:
            return self.call(NATIONAL, f"no section label; {summary}", self.home)
        own = outlet.country if outlet.country != NO_COUNTRY else ""
        if own and own != self.home:
            # Nothing read names a place: a foreign outlet's address may name home.
            named = slug_home(self.places, self.home, article) if home == foreign == 0 else ""
            if named:
                return self.call(NATIONAL, f"no section label; {summary}; {named}", self.home)
            name = self.places.country_names.get(own, own)
            call = self.call(
                WORLD, f"no section label; {summary}; outlet {outlet.name} is from {name}", own
            )
            return dataclasses.replace(call, by_outlet=True)
        if own == self.home:
            return self.call(
                NATIONAL, f"no section label; {summary}; {outlet.name} is a home outlet", own
            )
        return self.call(NATIONAL, f"no section label; {summary}; no sign of abroad", "")

    def _evidence(self, article: Article, near: str = "") -> Evidence:
        """Weighted countries an item is about (dateline, agency, names) and what
        was found, in words (``near``: the outlet's country, for ambiguous names)."""
        counts: dict[str, float] = defaultdict(float)
        said: list[str] = []
        place = dateline_of(article, self.home_places, self.places)
        if place:
            counts[place] += _DATELINE
            said.append(f"dateline {article.dateline} ({place})")
        agency = article.agency.lower()
        if agency in self.home_agencies:
            counts[self.home] += _AGENCY
            said.append(f"home agency {article.agency}")
        elif agency in WIRE_AGENCIES:
            counts[INTERNATIONAL] += _AGENCY
            said.append(f"foreign agency {article.agency}")
        mentions = mentions_of(article, self.places, self.home_places, near)
        if mentions:
            for code, n in mentions.items():
                counts[code] += n
            named = ", ".join(f"{c} {n:g}" for c, n in _ranked(mentions)[:3])
            said.append(f"names ({named})")
        region = "" if mentions else named_region(self.places, self.home, article)
        if region:  # a region named and no country: abroad, if home is not in it
            counts[INTERNATIONAL] += _SUMMARY
            said.append(f"names {region}, which does not take in {self.home}")
        return counts, said

    def country(self, article: Article) -> str:
        """The country a story is mostly about (dateline first), or ``""``."""
        return main_country(self._evidence(article)[0])

    # -- helpers -------------------------------------------------------------------

    def call(self, section: str, reason: str, country: str) -> SectionCall:
        """The decision to place an item in ``section`` for ``reason``, counted
        when the section is one this run selects from."""
        counted = section in self.counted
        verdict = "counts" if counted else "does not count"
        shown = section or "unknown"
        return SectionCall(section, counted, f"section {shown} ({reason}; {verdict})", country)


def dateline_of(article: Article, home_places: dict[str, str], places: PlaceData) -> str:
    """The country of an item's dateline (a configured home place's first), or ``""``."""
    if not article.dateline:
        return ""
    if article.dateline in home_places:
        return home_places[article.dateline]
    return dateline_country(article.dateline, places)


def national_desk(
    detector: SectionDetector, outlet: Outlet, how: str, evidence: Evidence, title: str
) -> SectionCall:
    """A national desk means the outlet's own country (seen from ``detector``'s home)."""
    home, call = detector.home, detector.call
    own = outlet.country if outlet.country != NO_COUNTRY else ""
    if not own:  # whose nation, the places named tell ("Phoenix heat wave": the US)
        how = f"{how}: a national desk of {outlet.name or 'the source'}, country not known"
        if _abroad(evidence[0], home) and not detector.about_home(evidence, title):
            return call(WORLD, f"{how}; {'; '.join(evidence[1])}", main_country(evidence[0]))
        return call(NATIONAL, how, home)
    name = detector.places.country_names.get(own, own)
    if own == home:
        abroad = foreign_only(evidence, home)
        if abroad:
            why = f"{how} of {outlet.name} ({name}), but {abroad}"
            return call(WORLD, why, main_country(evidence[0]))
        return call(NATIONAL, f"{how}: {outlet.name}'s national desk ({name})", own)
    about_home = detector.about_home(evidence, title)
    if about_home:
        return call(NATIONAL, f"{how} of {outlet.name} ({name}), but {about_home}", home)
    return call(WORLD, f"{how}: {outlet.name}'s national desk, news of {name}", own)


def mentions_of(
    article: Article, places: PlaceData, home_places: dict[str, str], near: str = ""
) -> dict[str, float]:
    """Weighted countries an item's headline, standfirst, first paragraph and tags
    name (``near``: the outlet's country, for ambiguous names); the configured
    ``home_places``; and, when nothing else is named, a town where one is
    expected ("Whittier police officer shot": :func:`places.find_towns`)."""
    title, lead = without_credit(article.title), article.body.split("\n\n", 1)[0][:400]
    texts = [(title, _TITLE), (article.summary, _SUMMARY), (lead, _SUMMARY)]
    texts += [(tag, _TAG) for tag in article.tags[:5]]
    counts = country_counts(texts, places, near)
    for name, code in home_places.items():
        if name in article.title or name in article.summary:
            counts[code] += _TITLE
    if not counts:
        for text, weight in texts[:3]:
            for _, code in find_towns(text, places, "" if near == NO_COUNTRY else near):
                counts[code] += weight
    return counts


def slug_names(article: Article, places: PlaceData) -> str:
    """The words an item's address slug adds to its headline, capitalised as names
    ("virginia" → "Virginia"), or ``""``.  A word the headline has too was read
    there already, in its own case ("Dalian Atkinson"), and ``places.toml``'s
    ``[slugs] words`` name places but are mostly ordinary words ("male", "van").
    The slug is the last part of the address's path with words joined by hyphens
    that is not a desk's code ("world-us-canada-65257806"), percent-decoded and
    without a file's extension ("…-alabama.html"); its words of letters only are
    read (not "6" nor an id)."""
    path = urlsplit(article.url).path
    parts = [_EXTENSION.sub("", unquote(p).lower()) for p in path.split("/") if "-" in p]
    slug = next((p for p in reversed(parts) if not _desk_code(p)), "")
    used = {w.lower() for w in _LETTERS.findall(article.title)} | places.slug_words
    words = [w for w in slug.split("-") if w.isalpha() and w not in used]
    return " ".join(w.capitalize() for w in words)


def slug_home(places: PlaceData, home: str, article: Article) -> str:
    """Why an item's address slug places it at ``home`` ("its address names United
    States (Alabama)"), when home is all it names of any country and no name of two
    countries ("Georgia") is among it ("/girl-disappears-america-returns-…-alabama/"),
    or ``""``: a rewritten headline ("Girl who vanished … walks into police
    station") leaves the place to the address."""
    found = find_countries(slug_names(article, places), places.text_names, people=places)
    if {c for _, c in found} != {home} or any(n in places.ambiguous for n, _ in found):
        return ""
    names = ", ".join(dict.fromkeys(n for n, _ in found))
    return f"its address names {places.country_names.get(home, home)} ({names})"


def hosted_summit(article: Article, hosted: dict[str, str]) -> str:
    """Why an item is news of a summit meeting at home today (``hosted``: body →
    where, :meth:`SectionDetector.learn_summits`), or ``""``."""
    text = f"{article.title} {article.summary}"
    for body, where in sorted(hosted.items()):
        if re.search(rf"\b{re.escape(body)}\b", text):
            return f"the {body} summit meets at home today (in {where})"
    return ""


def leading_names(title: str, places: PlaceData) -> list[tuple[str, str]]:
    """The places and actors a headline names in the clause it leads with (all of
    the headline's when that clause names none): "…Gaza hospital blast kills
    hundreds; Biden set to travel" names the US only in passing."""
    title = without_credit(title)
    names = places.text_names
    return find_countries(lead_clause(title), names, people=places) or find_countries(
        title, names, people=places
    )


def running_label_country(title: str, places: PlaceData) -> str:
    """The one country a running page's label names ("Australia news LIVE:" → AU,
    "Ukraine war live:" → UA), or ``""``: none, several, or no running page."""
    head, colon, _ = without_credit(title).partition(":")
    if not colon or not running_page(f"{head}:"):
        return ""
    codes = {c for _, c in find_countries(head, places.text_names) if c != INTERNATIONAL}
    return codes.pop() if len(codes) == 1 else ""


def lead_clause(title: str) -> str:
    """The clause a headline leads with: after a running page's label ("Israel-Gaza
    war live updates: …"), up to the first semicolon, which starts the next item of
    a live page's headline ("…; Biden set to travel to Israel")."""
    head, colon, rest = title.partition(":")
    if colon and running_page(f"{head}:"):
        title = rest
    return title.split(";", 1)[0].strip()


def home_blocs(places: PlaceData, home: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The small groups of countries (``places.toml``'s ``[blocs]``) that ``home``
    belongs to, each with the pattern that finds its name."""
    return tuple(
        (name, re.compile(rf"\b{re.escape(name)}\b"))
        for name, members in sorted(places.blocs.items())
        if home in members
    )


def acting_bloc(article: Article, blocs: Sequence[tuple[str, re.Pattern[str]]]) -> str:
    """Why an item is news of one of ``blocs`` acting as one, or ``""``."""
    if not blocs:
        return ""
    text = f"{article.title} {article.summary}"
    # The group acting as one (meeting, admitting members), not one member's
    # debate about it ("ex-minister unloads on AUKUS" is that member's news).
    if not _BLOC_ACTS.search(text):
        return ""
    for name, pattern in blocs:
        if pattern.search(text):
            return f"the {name} group, which the home country belongs to, acts as one"
    return ""


def both_desks(detector: SectionDetector, found: tuple[str, str], rest: Sequence[str]) -> bool:
    """Whether a desk's name joins the national desk and the world's
    ("national-international", "nation-world"): it files both, so it says nothing
    of where a story happens.  (A desk named for a country and the world,
    "uk-world-news", is left as that country's.)"""
    after = detector.label(" ".join(rest)) if rest else None
    return found == (NATIONAL, "") and after == (WORLD, "")


def news_beat(url: str, places: PlaceData) -> bool:
    """Whether an address's desks (its parts before the article's slug) name a
    news beat (``places.toml``'s ``[news_beats]``: "/technology/environment/",
    "/technology/innovation/military/"): an outlet that files weather, war and
    spies under technology files news there."""
    parts = [p for p in urlsplit(url).path.lower().split("/") if p][:-1]
    return any(p in places.news_beats for p in parts[:4])


def tail_country(words: Sequence[str], places: PlaceData) -> str:
    """The country that ends a desk's name ("asia india" → IN), or ``""``; a
    region's name ("us canada") names none, though it ends in one."""
    for start in range(len(words)):
        tail = " ".join(words[start:])
        if region_key(tail) in places.regions:
            return ""
        code = places.label_countries.get(tail)
        if code:
            return code
    return ""


def country_subdesk(parts: Sequence[str], index: int, places: PlaceData) -> str:
    """The country whose desk is the address's part after ``parts[index]``, the
    world desk ("/world/us/", "/world/uk/", "/news/world/india/"), or ``""``: not
    the article's own slug ("/world/us-launch-airstrikes-…/"), nor a region's desk
    ("/world/europe/")."""
    if index + 1 >= len(parts) - 1 and not (
        index + 1 < len(parts) and _desk_code(parts[index + 1])
    ):
        return ""
    return places.label_countries.get(parts[index + 1].replace("-", " "), "")


def desk_region(article: Article, places: PlaceData) -> Region | None:
    """The region of a regional desk that labels ``article`` (its source's label,
    a part of its address or a feed category: "US & Canada", ``/world/americas/``,
    ``/news/world-us-canada-123``), the narrowest when several do, or ``None``."""
    parts = [p for p in urlsplit(article.url).path.lower().split("/") if p]
    if parts and not _desk_code(parts[-1]):
        parts.pop()  # the article's own slug: its words are the headline's
    found: list[Region] = []
    for text in (article.section, *parts, *article.tags[:5]):
        slugged = _SLUG_WITH_NUMBER.match(text)
        words = region_key(slugged.group(1) if slugged else text).split()
        for start in range(len(words)):
            region = places.regions.get(" ".join(words[start:]))
            if region:
                found.append(region)
                break
    return min(found, key=lambda r: len(r.countries)) if found else None


def _desk_code(part: str) -> bool:
    """Whether an address's last part is a desk's code with a number
    ("world-us-canada-123"), which is short, not a headline's slug with an id
    ("record-heatwave-grips-north-america-12345678", "who-will-foot-bill-…-c-11076248")."""
    slugged = _SLUG_WITH_NUMBER.match(part)
    return slugged is not None and len(slugged.group(1).split("-")) <= _DESK_WORDS


def regional_desk(
    home: str, places: PlaceData, how: str, region: Region, evidence: Evidence
) -> tuple[str, str, str]:
    """``(section, reason, country)`` for a foreign outlet's desk of a region that
    takes in the home country (a British outlet's Americas desk for a publisher in
    the US): it says nothing of abroad, so what the item names decides, and when it
    names nothing, the country most of the region's stories are about (its lead)."""
    counts, said = evidence
    at_home = counts.get(home, 0.0)
    foreign = sum(n for c, n in counts.items() if c != home)
    where = places.country_names.get(home, home)
    desk = f"{how}, a desk of the region '{region.name}', which takes in {where}"
    if (foreign > 0 and at_home == 0) or (foreign >= _DECIDES and foreign > at_home):
        why = f"{desk}; {'; '.join(said)}: foreign {foreign:g} vs home {at_home:g}"
        return WORLD, why, main_country(counts)
    if at_home > 0:
        return NATIONAL, f"{desk}; {'; '.join(said)}: foreign {foreign:g} vs home {at_home:g}", home
    if region.lead == home:
        return NATIONAL, f"{desk}; no places named, and {where} leads the region's news", home
    return WORLD, f"{desk}; no places named, and {where} does not lead the region's news", ""


def headline_topic(places: PlaceData, text: str, only: frozenset[str] | None = None) -> str:
    """The topic (``places.toml``'s ``[topics]``: sports, business…) whose words
    ``text`` uses, or ``""``; only those in ``only`` when given."""
    lowered = _spaced_words(text)
    for topic, words in places.topics.items():
        if only is not None and topic not in only:
            continue
        if any(f" {w} " in lowered for w in words):
            return topic
    return ""


def _spaced_words(text: str) -> str:
    """``text``'s words, lower-cased, each with a space either side."""
    return f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))} "


def _business_in_conflict(places: PlaceData, title: str) -> bool:
    """Whether a headline's business words are only common words in a report of
    a war, a spy service or a protest (:data:`_CONFLICT`)."""
    if not _CONFLICT.search(title):
        return False
    lowered = _spaced_words(title)
    words = places.topics.get("business", ())
    return not any(f" {w} " in lowered for w in words if w not in _COMMON_BUSINESS_WORDS)


def host_desk(url: str, places: PlaceData) -> str:
    """The one desk a web address's host says it covers, or ``""``: a desk's label
    in front of the registered name (``sports.yahoo.com``), or a sport named in the
    registered name itself (``nbcsports.com``, ``planetrugby.com``); the single
    words of ``places.toml``'s sports topic, five letters or more, save a town's
    name ("wimbledon"), and never inside another word that contains them
    ("transport")."""
    host = (urlsplit(url).hostname or "").lower()
    for label in host_desks(host):
        section = places.sections.get(label, "")
        if section in _HOST_DESKS:
            return section
    name = _NOT_SPORT.sub("", registered_name(host)) if host else ""
    words = places.topics.get("sports", ())
    if any(w in name for w in words if _SPORT_IN_HOST.fullmatch(w) and w not in _TOWN_SPORT_WORDS):
        return "sports"
    return ""


def _abroad(counts: dict[str, float], home: str) -> bool:
    """Whether what an item names puts it abroad: only foreign places, or foreign
    ones enough to decide and more than the home country's."""
    here = counts.get(home, 0.0)
    foreign = sum(n for c, n in counts.items() if c != home)
    return (foreign > 0 and here == 0) or (foreign >= _DECIDES and foreign > here)


def foreign_only(evidence: Evidence, home: str) -> str:
    """Why an item filed on a home outlet's national desk is news from abroad, or
    ``""``: it names enough of abroad to decide and nothing of home ("Who is Putin
    ally Belarusian President Lukashenko?" on a US paper's politics desk)."""
    counts, said = evidence
    foreign = sum(n for c, n in counts.items() if c not in (home, INTERNATIONAL))
    if counts.get(home, 0.0) > 0 or foreign < _FOREIGN_DESK:
        return ""
    return f"it names only abroad ({'; '.join(said)})"


def news_on_desk(
    places: PlaceData, home: str, article: Article, own: str, counts: dict[str, float]
) -> bool:
    """Whether a specialist outlet's item is news from abroad: it names enough of
    abroad (a markets outlet's report of a war or a summit is still that news), and
    not only its outlet's own country by name (:func:`own_market`)."""
    foreign = sum(n for c, n in counts.items() if c != home)
    return foreign >= _NEWS_ON_A_DESK and not own_market(places, article, own)


def own_market(places: PlaceData, article: Article, own: str) -> bool:
    """Whether all an item's headline and standfirst name is its outlet's own
    country, by its code or any name for the whole of it ("EV sales in the U.S.",
    "America's factories"): a markets outlet's home market, no news from abroad (its
    president, states or cities would be)."""
    full = places.country_names.get(own, "")
    found = [
        f
        for t in (article.title, article.summary)
        for f in find_countries(t, places.text_names, compounds=True)
    ]
    # (A territory's own name, "U.S. Virgin Islands", is no name for the whole.)
    return bool(found and own) and all(
        c == own and (n in (full, own) or n in places.whole_country or n.replace(".", "") == own)
        for n, c in found
    )


def placed_in_passing(places: PlaceData, home: str, article: Article, foreign: float) -> bool:
    """Whether an item is put abroad only in passing: by too little to decide
    (``foreign``, its weight of foreign evidence), none of it a place its headline
    names, and no region named.  A standfirst's "a recall of SUVs in the U.S." says
    where a story happens no more surely than its outlet's country does."""
    if foreign >= _DECIDES:
        return False
    if any(c != home for _, c in find_countries(article.title, places.text_names, True)):
        return False
    return not named_region(places, home, article)


def named_region(places: PlaceData, home: str, article: Article) -> str:
    """A region the headline or standfirst names ("New outbreaks in Africa") that
    leaves out the home country, or ``""``: news from abroad, though no one country
    is named."""
    text = f"{article.title} {article.summary}".lower()
    lowered = f" {' '.join(re.findall(r'[a-z]+', text))} "
    for key, region in places.regions.items():
        if home not in region.countries and f" {key} " in lowered:
            return region.name
    return ""


def content_topic(
    places: PlaceData, article: Article, only: frozenset[str] | None = None
) -> tuple[str, str]:
    """The topic (sports, science…) an item's words give it, and why, or
    ``("", "")``: its headline's topic words (only those in ``only`` when given;
    a sportsman's crime is no sports news, a war's profit no business news), an
    artist's death or an arts award (entertainment, whatever ``only`` says: a world
    desk's obituary of an actor or list of Emmy nominees is still the arts desk's),
    or a research finding its standfirst reports (science)."""
    topic = headline_topic(places, article.title, only)
    if (topic == "sports" and _CRIME.search(article.title)) or (
        topic == "business" and _business_in_conflict(places, article.title)
    ):
        topic = ""
    if topic:
        return topic, f"the headline reads as {topic}"
    if artist_death(places, article.title):
        return "entertainment", "the headline reports an artist's death"
    if arts_award(places, article.title):
        return "entertainment", "the headline reports an arts award"
    if reported_finding(places, article.summary):
        return "science", "the standfirst reports a research finding"
    return "", ""


def reports_crime(places: PlaceData, desk: str, article: Article) -> bool:
    """Whether ``desk`` is one whose items reporting a killing are news
    (``places.toml`` ``[killings]``) and the headline reports one, or one whose
    items reporting a criminal trial's testimony are (``[trials]``: a founder's
    fraud trial on the business desk) and the headline reports that.  A desk's
    running page ("… during fraud trial – live") stays on the desk: a business
    live page follows the desk's day, its headline only the hour's lead item."""
    title = article.title
    return (desk in places.killing_desks and bool(places.killing.search(title))) or (
        desk in places.trial_desks and bool(places.trial.search(title)) and not running_page(title)
    )


def artist_death(places: PlaceData, title: str) -> bool:
    """Whether a headline reports the death of someone it calls an artist
    (``places.toml``'s ``[obituaries]``: "Everwood star Treat Williams dies"), not a
    killing the police or a court speak of ("writer found shot to death"), nor an
    artist's relative's death ("singer's mother dies")."""
    if not _DEATH.search(title) or _KILLING.search(title) or _CRIME.search(title):
        return False
    lowered = _THROUGH_ANOTHER.sub(" ", _spaced_words(_RATING.sub(" ", title)))
    return any(f" {w} " in lowered for w in places.artists)


def arts_award(places: PlaceData, title: str) -> bool:
    """Whether a headline reports an arts award's night or nominations
    (``places.toml``'s ``[ceremonies]``: "'Succession' tops Emmy nominations"), not
    a crime or a killing at one ("man charged with murder after shooting near Oscars
    ceremony"), which is told by what happened, as an artist's is."""
    if _CRIME.search(title) or _KILLING.search(title) or _VIOLENCE.search(title):
        return False
    lowered = _spaced_words(title)
    return any(f" {w} " in lowered for w in places.ceremonies)


def reported_finding(places: PlaceData, standfirst: str) -> str:
    """``"science"`` when the standfirst's first sentence reports a research
    finding (``places.toml``'s ``[findings]``), else ``""``."""
    first = re.split(r"(?<=[.!?])\s+", standfirst.strip(), maxsplit=1)[0]
    lowered = f" {' '.join(re.findall(r'[a-z0-9]+', first.lower()))} "
    return "science" if any(f" {w} " in lowered for w in places.findings) else ""


def settled(codes: Sequence[str], counts: dict[str, float]) -> str:
    """Which of a place name's ``codes`` (likeliest first) the weighed evidence
    chose ("Birmingham" in an Alabama station's report: the item's other names and
    its outlet's country): the one it counts most for, else the likeliest."""
    return max(codes, key=lambda c: (counts.get(c, 0.0), -codes.index(c)))


def main_country(evidence: dict[str, float]) -> str:
    """The country an item names most (international bodies aside), or ``""``."""
    ranked = [c for c, _ in _ranked(evidence) if c != INTERNATIONAL]
    return ranked[0] if ranked else ""


def _ranked(evidence: dict[str, float]) -> list[tuple[str, float]]:
    # Heaviest first; ties by code so runs repeat exactly.
    return sorted(evidence.items(), key=lambda pair: (-pair[1], pair[0]))


__all__ = [
    "NATIONAL",
    "WORLD",
    "SectionCall",
    "SectionDetector",
    "acting_bloc",
    "artist_death",
    "arts_award",
    "country_subdesk",
    "dateline_of",
    "desk_region",
    "headline_topic",
    "home_blocs",
    "host_desk",
    "lead_clause",
    "leading_names",
    "main_country",
    "national_desk",
    "regional_desk",
    "running_label_country",
    "tail_country",
]
