"""Who published an item: its outlet's name, country and weight.

A story's importance is how many distinct outlets tell it, and a desk label
("politics", "national") means national news only for the outlet's own country,
so every item is tied to an :class:`Outlet` first.  The outlet is found, in order,
from:

1. the item's web address, in ``[outlets."host"]`` of the config, then in the
   built-in table ``outlets.toml`` (a subdomain matches its parent);
2. the publisher the reader gave it (a feed's title, a source's ``publisher``);
3. the web address itself (``example.org``).

An outlet found by name or host alone takes its country from a country-code
top-level domain (``.co.uk`` is GB) and is otherwise of unknown country ``""``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from urllib.parse import urlsplit

from ..model import Article

#: Country code of outlets with no national desk of their own (wire agencies).
NO_COUNTRY = "XX"
# Country-code domains that are sold as generic names and say nothing of a country.
_GENERIC_CCTLDS = frozenset({"co", "tv", "io", "me", "ai", "fm", "ly", "am", "to", "cc", "ws"})
_CCTLD_COUNTRY = {"uk": "GB"}


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


@dataclass(frozen=True, slots=True)
class OutletEntry:
    """One row of an outlet table (built-in or ``[outlets."host"]``)."""

    name: str
    country: str = ""
    weight: float = 1.0


@cache
def builtin_outlets() -> Mapping[str, OutletEntry]:
    """The built-in host → outlet table (``outlets.toml``; loaded once, read-only)."""
    raw = tomllib.loads(
        resources.files("digest.select").joinpath("outlets.toml").read_text("utf-8")
    )
    table = {
        host.lower(): OutletEntry(
            name=str(row["name"]),
            country=str(row.get("country", "")).upper(),
            weight=float(row.get("weight", 1.0)),
        )
        for host, row in raw.items()
    }
    return MappingProxyType(table)


def host_of(url: str) -> str:
    """The lower-case host of a URL without ``www.`` (``""`` if it has none)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def country_from_host(host: str) -> str:
    """The country a host's country-code domain names (``bbc.co.uk`` → GB), or ``""``."""
    tld = host.rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return ""
    return _CCTLD_COUNTRY.get(tld, tld.upper())


class OutletTable:
    """Finds the outlet of each item; configured entries win over built-in ones."""

    def __init__(self, configured: Mapping[str, OutletEntry] | None = None) -> None:
        self._table = {**builtin_outlets(), **{h.lower(): e for h, e in (configured or {}).items()}}
        # Publishers named like a known outlet ("BBC News" feeds) get its entry.
        self._by_name = {e.name.lower(): (h, e) for h, e in reversed(self._table.items())}
        self._found: dict[tuple[str, str], Outlet] = {}

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
        publisher = article.publisher.strip()
        cache_key = (host, publisher)
        found = self._found.get(cache_key)
        if found is None:
            found = self._resolve(host, publisher)
            self._found[cache_key] = found
        return found

    def _resolve(self, host: str, publisher: str) -> Outlet:
        row = self.lookup(host) if host else None
        if row is not None:
            listed, entry = row
            return Outlet(entry.name.lower(), entry.name, entry.country, entry.weight, listed)
        named = self._by_name.get(publisher.lower()) if publisher else None
        if named is not None:
            listed, entry = named
            return Outlet(entry.name.lower(), entry.name, entry.country, entry.weight, listed)
        if publisher:
            return Outlet(publisher.lower(), publisher, country_from_host(host), 1.0, "publisher")
        name = host or "unknown outlet"
        return Outlet(name, name, country_from_host(host), 1.0, "web address")


__all__ = [
    "NO_COUNTRY",
    "Outlet",
    "OutletEntry",
    "OutletTable",
    "builtin_outlets",
    "country_from_host",
    "host_of",
]
