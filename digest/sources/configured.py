"""Sources as the configuration describes them: ``[[sources]]``, ``[boilerplate.*]``
and ``[ingest]`` turned into :class:`SourceSpec` and :class:`FetchLimits`.

A location given on the command line inherits the settings of the configured
source it belongs to (the file inside a configured folder, a URL listed in the
config), so ``digest ingest --dry-run FILE`` shows exactly what a real run stores.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

from ..config import Config, IngestSettings, SourceSettings
from ..errors import ConfigError
from . import SourceSpec
from .base import Boilerplate, ReadOptions
from .fetch import FetchLimits, networks
from .normalise import zone

_URL_PREFIXES = ("http://", "https://")


def fetch_limits(settings: IngestSettings) -> FetchLimits:
    """The fetch limits of ``[ingest]``."""
    return FetchLimits(
        max_bytes=settings.max_bytes,
        timeout_seconds=settings.timeout_seconds,
        max_redirects=settings.max_redirects,
        user_agent=settings.user_agent,
        allow_networks=networks(settings.allow_networks),
    )


def rules(config: Config, name: str) -> Boilerplate:
    """The built-in boilerplate rules plus those of ``[boilerplate.NAME]``.

    Raises :class:`ConfigError` for a name with no table (``default`` is built in).
    """
    builtin = Boilerplate.builtin()
    if name == "default":
        return builtin
    extra = config.boilerplate.get(name)
    if extra is None:
        known = ", ".join(["default", *sorted(config.boilerplate)])
        raise ConfigError(f"no [boilerplate.{name}] table (known: {known})")
    try:
        return builtin.extended(
            Boilerplate.compile(extra.drop_lines, extra.stop_markers, extra.drop_with_next)
        )
    except re.error as exc:  # config validation catches these; rules built in code may not
        raise ConfigError(f"boilerplate.{name}: bad pattern ({exc})") from None


def _options(source: SourceSettings, location: str, boilerplate: Boilerplate) -> ReadOptions:
    return ReadOptions(
        source=location,
        publisher=source.publisher,
        timezone=zone(source.timezone),
        boilerplate=boilerplate,
        url_template=source.url_template,
        allow_networks=networks(source.allow_networks),
    )


def _covers(config: Config, source: SourceSettings, location: str) -> bool:
    """Whether a command-line location is (inside) a configured source."""
    if source.path.startswith(_URL_PREFIXES) or location.startswith(_URL_PREFIXES):
        return source.path == location
    configured = config.resolve(source.path)
    given = Path(location).expanduser().resolve()
    if any(ch in source.path for ch in "*?["):
        return fnmatch.fnmatch(str(given), str(configured))
    return given == configured or configured in given.parents


def specs(config: Config, locations: Iterable[str] = (), *, rule_set: str = "") -> list[SourceSpec]:
    """What to read: the given locations (each with the settings of the configured
    source it belongs to, else the defaults), or every configured source.

    ``rule_set`` names a ``[boilerplate.*]`` table applied to every source instead of
    its own.  Raises :class:`ConfigError` for an unknown rule set.
    """
    chosen_rules = rules(config, rule_set) if rule_set else None
    # Each rule set is compiled once, not once a location: compiling the built-in
    # rules takes milliseconds, and a shell glob may name thousands of files.
    compiled: dict[str, Boilerplate] = {}

    def rules_of(name: str) -> Boilerplate:
        if name not in compiled:
            compiled[name] = rules(config, name)
        return compiled[name]

    found: list[SourceSpec] = []
    given = list(locations)
    if not given:
        for source in config.sources:
            options = _options(source, source.path, rules_of(source.boilerplate))
            found.append(SourceSpec(source.path, source.kind, options))
    for location in given:
        owner = next((s for s in config.sources if _covers(config, s, location)), None)
        if owner is None:
            options = ReadOptions(source=location, boilerplate=rules_of("default"))
            found.append(SourceSpec(location, "auto", options))
        else:
            options = _options(owner, location, rules_of(owner.boilerplate))
            found.append(SourceSpec(location, owner.kind, options))
    if chosen_rules is not None:
        found = [
            dataclasses.replace(s, options=dataclasses.replace(s.options, boilerplate=chosen_rules))
            for s in found
            if s.options is not None
        ]
    return found
