"""Who published an item: its outlet's name, country and weight.

A story's importance is how many distinct outlets tell it, and a desk label
("politics", "national") means national news only for the outlet's own country,
so every item is tied to an :class:`Outlet` first.  The outlet is found, in order,
from:

1. the item's web address, in ``[outlets."host"]`` of the config, then in the
   built-in table ``outlets.toml`` (a subdomain matches its parent);
2. the publisher or an author named like a listed outlet ("BBC News", "Reuters":
   an aggregator's own links say nothing of the outlet);
3. the publisher the reader gave it (a feed's title, a source's ``publisher``);
4. the web address itself (``example.org``).

An outlet found by name or host alone takes its country from a country-code
top-level domain (``.co.uk`` is GB) and is otherwise of unknown country ``""``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from ..addresses import host_of
from ..model import Article
from .places import city_rows, find_countries, place_data

#: Country code of outlets with no national desk of their own (wire agencies).
NO_COUNTRY = "XX"
# Country-code domains that are sold as generic names and say nothing of a country.
_GENERIC_CCTLDS = frozenset({"co", "tv", "io", "me", "ai", "fm", "ly", "am", "to", "cc", "ws"})
_CCTLD_COUNTRY = {"uk": "GB"}
# Two-letter first labels of a host that are words, not a country's edition ("my.",
# "go."), or a city's desk ("la." Los Angeles's, never Laos's).
_GENERIC_PREFIXES = frozenset(
    {"my", "go", "me", "id", "tv", "am", "fm", "ai", "io", "co", "to", "la"}
)
# US broadcasters' call signs: K or W and two or three letters, maybe "tv" or a number.
_CALL_SIGN = re.compile(r"[kw][a-z]{2,3}(?:tv|\d{1,2})?")
# A US network's local station named by its channel ("fox8", "abc12", "fox4news",
# "nbc4i"): the networks brand their affiliates so; elsewhere a broadcaster's
# site has its country's domain ("abc.net.au").
_AFFILIATE = re.compile(r"(?:fox|abc|nbc|cbs|cw)\d{1,2}[a-z]{0,4}")
_MIN_HOST_PLACE = 5
_AUTHORS = re.compile(r",|;|\band\b|&")
_HOST_CITY_POPULATION = 250_000
#: Domain labels of governments' and armies' own sites (never an address's first label).
_OFFICIAL_LABELS = frozenset({"gov", "gouv", "gob", "govt", "mil", "gc"})
#: What a government's own site counts for among the outlets telling a story.
OFFICIAL_WEIGHT = 0.5
# An outlet's name ending a headline: a newsroom's word, a network's channel
# ("NBC 5 Dallas-Fort Worth") or a US station's call sign ("KABC-TV").
_CREDIT = re.compile(
    r"^(?:[^:;?!]{0,40}\b(?:News|NEWS|TV|(?:NBC|ABC|CBS|FOX|CW) \d+)\b[^:;?!]{0,40}"
    r"|[KW][A-Z]{2,3}(?:-TV)?)$"
)
_STATION = re.compile(r"[KW][A-Z]{2,3}(?:-TV)?")
# The table of ``outlets.toml`` that holds headline credits, not a host.
_CREDITS = "credits"


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet as the selector counts it.

    ``key`` tells outlets apart (two hosts of one outlet share it); ``country`` is
    an ISO 3166 code, ``"XX"`` for agencies with no home desk, ``""`` when unknown;
    ``how`` says what identified it, for explanations.
    """

    key: str
    name: str
    country: str = ""
    weight: float = 1.0
    how: str = ""
    #: The one section a specialist outlet covers (``sports``…), ``""`` for most.
    desk: str = ""


@dataclass(frozen=True, slots=True)
class OutletEntry:
    """One row of an outlet table (built-in or ``[outlets."host"]``)."""

    name: str
    country: str = ""
    weight: float = 1.0
    desk: str = ""


@cache
def _outlets_toml() -> dict[str, Any]:
    """``outlets.toml`` as read (once per process)."""
    return tomllib.loads(
        resources.files("digest.select").joinpath("outlets.toml").read_text("utf-8")
    )


@cache
def credit_countries() -> Mapping[str, str]:
    """Newsrooms' names as headlines credit them ("7NEWS", "ABC News") → country:
    ``outlets.toml``'s ``[credits]``, read before the listed outlets' names."""
    return MappingProxyType({str(k): str(v) for k, v in _outlets_toml().get(_CREDITS, {}).items()})


@cache
def builtin_outlets() -> Mapping[str, OutletEntry]:
    """The built-in host → outlet table (``outlets.toml``; loaded once, read-only)."""
    raw = {host: row for host, row in _outlets_toml().items() if host != _CREDITS}
    table = {
        host.lower(): OutletEntry(
            name=str(row["name"]),
            country=str(row.get("country", "")).upper(),
            weight=float(row.get("weight", 1.0)),
            desk=str(row.get("desk", "")),
        )
        for host, row in raw.items()
    }
    return MappingProxyType(table)


def country_from_host(host: str) -> str:
    """The country a web address names, or ``""``: its country-code domain
    (``bbc.co.uk`` → GB), a US broadcaster's call sign (``krqe.com``, ``wgntv.com``),
    or a big place spelled into the name (``nbclosangeles.com``, ``liverpoolecho``)."""
    labels = host.split(".")
    tld = labels[-1]
    if len(tld) == 2 and tld.isalpha() and tld not in _GENERIC_CCTLDS:
        return _CCTLD_COUNTRY.get(tld, tld.upper())
    code = edition_country(host)
    if code:
        return code
    name = labels[-2] if len(labels) > 1 else ""
    if _CALL_SIGN.fullmatch(name) or _AFFILIATE.fullmatch(name):
        return "US"
    return next((code for place, code in _host_places() if place in name), "")


def edition_country(host: str) -> str:
    """The country of an international site's edition its host names
    ("uk.yahoo.com", "in.reuters.com", "au.news.yahoo.com"), or ``""``."""
    labels = host.split(".")
    edition = labels[0] if len(labels) > 2 else ""
    code = _CCTLD_COUNTRY.get(edition, edition.upper())
    if edition not in _GENERIC_PREFIXES and code in place_data().country_names:
        return code
    return ""


@cache
def _host_places() -> tuple[tuple[str, str], ...]:
    """Names of countries, US states and cities of :data:`_HOST_CITY_POPULATION`
    people or more as web addresses spell them ("losangeles"), longest first; short
    ones are left out (too many words contain them)."""
    data = place_data()
    found: dict[str, str] = {}
    named = [
        *((name, code) for name, population, code in city_rows()
          if population >= _HOST_CITY_POPULATION),
        *data.text_names.items(),
    ]  # fmt: skip
    for name, code in named:
        key = "".join(ch for ch in name.lower() if ch.isalpha())
        if len(key) >= _MIN_HOST_PLACE and code not in ("XX", "") and name not in data.ambiguous:
            found.setdefault(key, code)
    return tuple(sorted(found.items(), key=lambda p: (-len(p[0]), p[0])))


class OutletTable:
    """Finds the outlet of each item; configured entries win over built-in ones."""

    def __init__(self, configured: Mapping[str, OutletEntry] | None = None) -> None:
        self._table = {**builtin_outlets(), **{h.lower(): e for h, e in (configured or {}).items()}}
        # Publishers named like a known outlet ("BBC News" feeds) get its entry.
        self._by_name = {_name_key(e.name): (h, e) for h, e in reversed(self._table.items())}
        self._found: dict[tuple[str, str, str], Outlet] = {}

    def lookup(self, host: str) -> tuple[str, OutletEntry] | None:
        """The table row for ``host`` or its nearest listed parent domain."""
        parts = host.split(".")
        for start in range(len(parts) - 1):
            candidate = ".".join(parts[start:])
            if candidate in self._table:
                return candidate, self._table[candidate]
        return None

    def of(self, article: Article) -> Outlet:
        """The outlet that published ``article`` (see the module docstring); never raises."""
        host = host_of(article.url)
        cache_key = (host, article.publisher.strip(), article.byline.strip())
        found = self._found.get(cache_key)
        if found is None:
            found = self._resolve(*cache_key)
            self._found[cache_key] = found
        if found.country:
            return found
        # A video site's or an aggregator's item credits its newsroom at the end of
        # the headline ("… | 9 News Australia", "… - KABC-TV"): its country.
        credit = credit_of(article.title)
        country = self._credit_country(credit) if credit else ""
        if not country:
            return found
        how = f"{found.how}, credited {credit!r}"
        return Outlet(found.key, found.name, country, found.weight, how, found.desk)

    def _credit_country(self, credit: str) -> str:
        """The country of the newsroom a headline credits: a US station's call
        sign, a listed outlet's name, or the one country its name places it in."""
        # A newsroom credited by another name than its site's first ("| ABC News"
        # signs Australia's ABC's videos), then a listed outlet's name: some foreign
        # newsrooms' names have a call sign's shape ("WION", India's).
        if credit in credit_countries():
            return credit_countries()[credit]
        row = self._by_name.get(_name_key(credit))
        if row is not None:
            return row[1].country
        if _STATION.fullmatch(credit):
            return "US"
        codes = {c for _, c in find_countries(credit, place_data().text_names, compounds=True)}
        return codes.pop() if len(codes) == 1 else ""

    def _resolve(self, host: str, publisher: str, byline: str) -> Outlet:
        row = self.lookup(host) if host else None
        # An aggregator's own links say nothing of the outlet: a publisher or an
        # author named like a known outlet ("BBC News", "Reuters") does.
        names = [publisher, *(n.strip() for n in _AUTHORS.split(byline))]
        for name in names if row is None else ():
            row = self._by_name.get(_name_key(name)) if name else None
            if row is not None:
                break
        if row is not None:
            listed, entry = row
            # A listed site's edition for another country ("au.news.yahoo.com" of
            # "news.yahoo.com") runs that country's national desk.
            edition = edition_country(host) if host != listed and entry.country else ""
            country = edition if edition and entry.country != NO_COUNTRY else entry.country
            return Outlet(entry.name.lower(), entry.name, country, entry.weight, listed, entry.desk)
        # A government's own site is where news comes from, not an outlet telling
        # it: its press release counts for part of one.
        weight = OFFICIAL_WEIGHT if official_host(host) else 1.0
        country = country_from_host(host)
        if publisher:
            return Outlet(publisher.lower(), publisher, country, weight, "publisher")
        name = host or "unknown outlet"
        return Outlet(name, name, country, weight, "web address")


def credit_of(title: str) -> str:
    """The newsroom's name some feeds end a headline with ("… - NBC 5 Dallas-Fort
    Worth", "… | 9 News Australia", "… - KABC-TV"), or ``""``."""
    return _split_credit(title)[1]


def without_credit(title: str) -> str:
    """A headline without its newsroom's name (:func:`credit_of`): the place in a
    station's name is where the station is, not where the story happens."""
    return _split_credit(title)[0]


def _split_credit(title: str) -> tuple[str, str]:
    """``title`` cut before the newsroom's name ending it, and that name; or
    ``(title, "")`` when it ends with none."""
    head, _, credit = title.rpartition(" - " if " - " in title else " | ")
    credit = credit.strip()
    if not head or not (_CREDIT.search(credit) or credit in credit_countries()):
        return title, ""
    # Capitals of a call sign's shape that name a body or a place ("- WHO") are
    # part of the headline, not its newsroom.
    if _STATION.fullmatch(credit) and credit in place_data().text_names:
        return title, ""
    return head, credit


def official_host(host: str) -> bool:
    """Whether a web address is a government's or an army's own site (``fda.gov``,
    ``www.gov.uk``, ``health.gov.au``, ``army.mil``, ``gouv.fr``)."""
    return any(label in _OFFICIAL_LABELS for label in host.split(".")[1:])


def _name_key(name: str) -> str:
    """An outlet's name as people vary it: "The Guardian", "guardian", "BBC News"
    and "BBC" meet."""
    key = " ".join(re.findall(r"[a-z0-9]+", name.lower()))
    key = key.removeprefix("the ").removesuffix(" online")
    return key.removesuffix(" news") or key


__all__ = [
    "NO_COUNTRY",
    "OFFICIAL_WEIGHT",
    "Outlet",
    "OutletEntry",
    "OutletTable",
    "builtin_outlets",
    "country_from_host",
    "credit_countries",
    "credit_of",
    "official_host",
    "without_credit",
]
