"""Load and validate ``config.toml``.

Every mistake is reported by its dotted key with what is wrong and what was given
(``select.count: must be a positive integer, got "ten"``), all mistakes at once, as
a :class:`~digest.errors.ConfigError`.  Relative paths are resolved against the
folder of the config file.  Secrets never live here: settings name the environment
variable that holds them (``password_env = "SMTP_PASSWORD"``).
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ConfigError

#: Upper bound of any integer setting: far beyond every real count or size, and
#: far below what would overflow a C integer or be allocated at once.
MAX_INTEGER = 1_000_000_000
#: Upper bound of any number setting (weights, seconds, rates).
MAX_NUMBER = 1e9


def _positive_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("must be a positive integer")
    if value > MAX_INTEGER:
        raise ValueError(f"must be at most {MAX_INTEGER:,}")
    return value


def _finite(value: Any, words: str, *, bounded: bool = True) -> float:
    """``value`` as a float, if it is a finite number (TOML's ``nan`` and ``inf``
    are not), with ``bounded`` within :data:`MAX_NUMBER` of zero."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"must be {words}")
    if bounded and abs(value) > MAX_NUMBER:
        raise ValueError(f"must be {words} (at most {MAX_NUMBER:g})")
    return float(value)


def _finite_number(value: Any) -> Any:
    return _finite(value, "a finite number")


def _non_negative_number(value: Any) -> Any:
    number = _finite(value, "a number of zero or more")
    if number < 0:
        raise ValueError("must be a number of zero or more")
    return number


def _positive_number(value: Any, *, bounded: bool = True) -> Any:
    number = _finite(value, "a positive number", bounded=bounded)
    if number <= 0:
        raise ValueError("must be a positive number")
    return number


def _time_zone(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError('must be an IANA time zone name such as "Asia/Kolkata"')
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError('must be an IANA time zone name such as "Asia/Kolkata"') from None
    return value


def _site_url(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^/\s\"'<>]+(/\S*)?", value):
        raise ValueError('must be an http(s) address such as "https://www.example.com"')
    return value


def _id_prefix(value: Any) -> Any:
    # Edition ids go into Message-IDs, UTM tags, URLs and file names.
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}", value):
        raise ValueError("must be letters, digits, '.', '_' or '-' (up to 40), such as \"world\"")
    return value


def _regex(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a regular expression (a string)")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"is not a valid regular expression ({exc})") from None
    return value


def _hours(value: Any) -> Any:
    hours = _positive_number(value, bounded=False)
    if hours > MAX_HOURS:
        raise ValueError(f"must be at most {MAX_HOURS} (ten years)")
    return hours


#: Upper bound of a span in hours: ten years, far beyond any news window.
MAX_HOURS = 87_600
#: Upper bound of a network wait: an hour (sockets reject far larger timeouts).
MAX_TIMEOUT_SECONDS = 3600
#: Upper bound of ``ingest.max_bytes``: a gigabyte (a read allocates this at once).
MAX_BYTES = 1_000_000_000


def _share(value: Any) -> Any:
    number = _finite(value, "a number from 0 to 1")
    if not 0 <= number <= 1:
        raise ValueError("must be a number from 0 to 1")
    return number


def _max_bytes(value: Any) -> Any:
    size = _positive_int(value)
    if size > MAX_BYTES:
        raise ValueError(f"must be at most {MAX_BYTES:,} (a gigabyte)")
    return size


def _timeout(value: Any) -> Any:
    seconds = _positive_number(value, bounded=False)
    if seconds > MAX_TIMEOUT_SECONDS:
        raise ValueError(f"must be at most {MAX_TIMEOUT_SECONDS} (an hour)")
    return seconds


def _network(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError('must be an IP address or network such as "10.0.0.0/8"')
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise ValueError('must be an IP address or network such as "10.0.0.0/8"') from None
    return value.strip()


def _country_code(value: Any) -> Any:
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
        raise ValueError('must be a two-letter ISO 3166 country code such as "IN"')
    return value.upper()


PositiveInt = Annotated[int, BeforeValidator(_positive_int)]
Hours = Annotated[float, BeforeValidator(_hours)]
TimeoutSeconds = Annotated[float, BeforeValidator(_timeout)]
Share = Annotated[float, BeforeValidator(_share)]
Regex = Annotated[str, BeforeValidator(_regex)]
PositiveFloat = Annotated[float, BeforeValidator(_positive_number)]
NonNegativeFloat = Annotated[float, BeforeValidator(_non_negative_number)]
FiniteFloat = Annotated[float, BeforeValidator(_finite_number)]
MaxBytes = Annotated[int, BeforeValidator(_max_bytes)]
TimeZoneName = Annotated[str, BeforeValidator(_time_zone)]
SiteUrl = Annotated[str, BeforeValidator(_site_url)]
IdPrefix = Annotated[str, BeforeValidator(_id_prefix)]
Network = Annotated[str, BeforeValidator(_network)]


CountryCode = Annotated[str, BeforeValidator(_country_code)]


class _Section(BaseModel):
    """Base for config tables: unknown keys are mistakes, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DigestSettings(_Section):
    """``[digest]``: who publishes the digest and for whom."""

    name: str = "World News Digest"
    publisher: str = ""
    language: str = "en"
    direction: Literal["ltr", "rtl"] = "ltr"
    timezone: TimeZoneName = "UTC"
    #: Edition ids are ``<edition_prefix>-<local date>``.
    edition_prefix: IdPrefix = "world"
    #: Public site of the publisher, used for "view in browser" and footer links.
    site_url: SiteUrl = "https://example.com"
    #: The publisher's postal address, printed in every email's footer (CAN-SPAM).
    postal_address: str = ""


#: The shortest retention: the scheduler looks a week back for editions to catch
#: up on, and late bounce reports need the log of the last days.
MIN_RETENTION_DAYS = 8


def _retention_days(value: Any) -> Any:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (value == 0 or MIN_RETENTION_DAYS <= value <= MAX_HOURS // 24)
    ):
        raise ValueError(
            f"must be a whole number of days from {MIN_RETENTION_DAYS} to {MAX_HOURS // 24}, "
            "or 0 to keep everything"
        )
    return value


def _optional_clock_time(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"(([01]\d|2[0-3]):[0-5]\d)?", value):
        raise ValueError('must be a 24-hour local time "HH:MM" such as "03:30", or "" for never')
    return value


RetentionDays = Annotated[int, BeforeValidator(_retention_days)]


class RetentionSettings(_Section):
    """``[store.retention]``: how long the delivery log and edition records are kept
    (``digest prune``; 0 keeps everything; ``[schedule] prune_at`` runs it daily)."""

    #: Days an edition's per-recipient delivery log is kept; then only its totals
    #: per sender (sent, failed, pending, refused) stay.
    keep_deliveries_days: RetentionDays = 90
    #: Days edition records are kept whole; then unsent ones go and sent ones
    #: lose their rejections (picks and renditions stay for the archive).
    keep_editions_days: RetentionDays = 30
    #: Rows deleted per transaction, so a prune never holds the write lock long.
    chunk_rows: PositiveInt = 5000


class _NoEcho(ValueError):
    """A mistake whose value must not be repeated in the message (a secret)."""


#: URL schemes of ``[store] url``.
_STORE_SCHEMES = ("postgresql", "postgres", "sqlite")


def _store_url(value: str) -> str:
    if not value:
        return value
    try:
        parts = urlsplit(value)
        secret = parts.password is not None or "password" in dict(parse_qsl(parts.query))
    except ValueError:
        raise _NoEcho("is not a valid URL") from None
    if secret:
        raise _NoEcho(
            "must not contain a password: give it in the environment (PGPASSWORD, or "
            "the variable named by store.password_env)"
        )
    if parts.scheme not in _STORE_SCHEMES:
        # Not echoed: a libpq "key=value" string may hold password=...
        raise _NoEcho("must be postgresql://user@host:port/dbname or sqlite:///path/to/file")
    if parts.scheme == "sqlite" and (not value.startswith("sqlite:///") or value == "sqlite:///"):
        raise ValueError("an SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
    return value


class StoreSettings(_Section):
    """``[store]``: where digest keeps its state.

    ``path``: an SQLite file (the default, embedded).  ``url``: a PostgreSQL
    database for several processes or hosts (``postgresql://user@host:port/db``),
    or an SQLite file (``sqlite:///relative/path``, ``sqlite:////absolute/path``).
    The password never goes in the file: libpq reads ``PGPASSWORD`` (or
    ``~/.pgpass``), or ``password_env`` names the variable holding it.
    ``retention``: what the store keeps, and for how long.
    """

    path: Path = Path("digest.sqlite3")
    url: Annotated[str, BeforeValidator(_store_url)] = ""
    password_env: str = ""
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @model_validator(mode="after")
    def _one_place(self) -> StoreSettings:
        if self.url and "path" in self.model_fields_set:
            raise ValueError("store: set url or path, not both")
        if self.password_env and not self.url.startswith(("postgresql:", "postgres:")):
            raise ValueError("store.password_env: only a PostgreSQL store.url takes a password")
        return self

    @property
    def is_postgres(self) -> bool:
        """Whether the store is a PostgreSQL database."""
        return self.url.startswith(("postgresql:", "postgres:"))


class SourceSettings(_Section):
    """One ``[[sources]]`` entry: a file, a folder (or glob) or an http(s) URL."""

    path: str
    kind: Literal["auto", "page", "feed", "json", "html"] = "auto"
    publisher: str = ""
    #: Name of a ``[boilerplate.NAME]`` rule set for page dumps.
    boilerplate: str = "default"
    #: The source's local time zone for times written without one.
    timezone: TimeZoneName = "UTC"
    #: Link for page dumps that carry no URL line: ``{slug}`` (from the title) and
    #: ``{section}`` are filled in.
    url_template: str = ""
    #: Non-public networks this source may be fetched from or redirected to
    #: (``["10.0.0.0/8"]``); every other loopback, private or link-local address is
    #: refused.
    allow_networks: list[Network] = Field(default_factory=list)


class BoilerplateRules(_Section):
    """``[boilerplate.NAME]``: lines to drop from scraped page dumps.

    ``drop_lines`` are regular expressions matched against whole stripped lines;
    a line matching any ``stop_markers`` pattern ends the article: it and everything
    after it are dropped.
    """

    drop_lines: list[Regex] = Field(default_factory=list)
    stop_markers: list[Regex] = Field(default_factory=list)
    #: A line matching one of these is dropped together with the line after it.
    drop_with_next: list[Regex] = Field(default_factory=list)


class IngestSettings(_Section):
    """``[ingest]``: limits on what is read.

    ``max_bytes`` caps every file (refused before it is read) and every download
    (counted after decompression); ``timeout_seconds`` bounds each whole request,
    from connecting to the last byte, redirects included; redirects beyond
    ``max_redirects`` fail the source.  A URL or redirect that leads to a loopback,
    private or link-local address is refused unless ``allow_networks`` (here, for
    every source, or in the source's own table) lists it.
    """

    max_bytes: MaxBytes = 20_000_000
    timeout_seconds: TimeoutSeconds = 20.0
    max_redirects: PositiveInt = 5
    user_agent: str = "digest/0.1 (+https://example.com/digest)"
    allow_networks: list[Network] = Field(default_factory=list)


class ScoreWeights(_Section):
    """``[select.weights]``: the weights of the importance score (``digest.select.importance``).

    ``score = recency × source × (1 + quality) × coverage × spreading × placed +
    boost``, where ``coverage = 1 + story_size × min(other outlets' weights,
    story_size_cap)``, ``spreading = 1 + spread × (share of the story's outlets that
    joined in the last select.spread_hours)`` and ``placed`` is ``unplaced`` for a
    story whose lead is placed abroad only by its outlet's country or a place named
    in passing (1 otherwise, and for a story told by at least ``placed_outlets``
    distinct outlets), lifted toward 1 by the share of its outlets that place it
    abroad by what their reports say when at least ``placed_by`` do; outlets telling
    only other stories of the same event count ``event_share`` each; ``quality`` adds
    ``image``, ``summary`` and ``length`` (body of at least ``long_body_chars``).  A
    story picked before and since updated is multiplied by ``repeat``; each earlier
    pick of the same event or country multiplies by ``same_event`` /
    ``same_country`` (diversity); a story told by at least ``country_outlets``
    distinct outlets is not weighed down for its country's earlier picks.
    """

    image: NonNegativeFloat = 0.1
    summary: NonNegativeFloat = 0.1
    length: NonNegativeFloat = 0.1
    long_body_chars: PositiveInt = 600
    story_size: NonNegativeFloat = 1.0
    story_size_cap: PositiveInt = 20
    spread: NonNegativeFloat = 0.25
    event_share: Share = 0.25
    unplaced: Share = 0.6
    placed_outlets: PositiveInt = 5
    placed_by: PositiveInt = 2
    repeat: Share = 0.5
    same_event: Share = 0.75
    same_country: Share = 0.85
    country_outlets: PositiveInt = 4


Genre = Literal["news", "opinion", "analysis", "feature", "soft"]


class SelectSettings(_Section):
    """``[select]``: how the top stories are chosen.

    Score = recency × source weight × (1 + quality) + story size + boost; see
    ``digest.select`` and :class:`ScoreWeights`.
    """

    count: PositiveInt = 8
    min_picks: PositiveInt = 3
    #: Send an edition with fewer than ``min_picks`` picks anyway (never an empty one).
    send_when_thin: bool = False
    window_hours: Hours = 24.0
    #: Recency halves every this many hours (a day: coverage, not the clock, leads).
    half_life_hours: Hours = 24.0
    #: Outlets that joined a story in this many hours before the edition say it spreads.
    spread_hours: Hours = 6.0
    sections: list[str] = Field(default_factory=lambda: ["world"])
    #: Genres that may be picked: ``news`` (hard news), ``opinion``, ``analysis``,
    #: ``feature``, ``soft``.
    genres: list[Genre] = Field(default_factory=lambda: list[Genre](["news"]))
    source_weights: dict[str, NonNegativeFloat] = Field(default_factory=dict)
    #: ``"ID"`` or ``"ID:POSITION"`` (1-based): always picked, at that place.
    pin: list[str] = Field(default_factory=list)
    block: list[str] = Field(default_factory=list)
    headlines: dict[str, str] = Field(default_factory=dict)
    #: Article id → amount added to its score (negative to demote).
    boost: dict[str, FiniteFloat] = Field(default_factory=dict)
    weights: ScoreWeights = Field(default_factory=ScoreWeights)
    #: ISO 3166 code of the publisher's own country: stories there are national news.
    home_country: CountryCode = "IN"
    #: Extra place names (states, regions) that mean the home country.
    home_places: list[str] = Field(default_factory=list)
    #: Agencies based in the home country (a weak hint for unlabelled items).
    home_agencies: list[str] = Field(default_factory=lambda: ["PTI", "IANS", "ANI", "UNI"])
    #: Extra section labels (lower case) → canonical section, e.g. ``"foreign" = "world"``.
    section_aliases: dict[str, str] = Field(default_factory=dict)
    #: Label unlabelled items by place names, datelines and agencies.
    fallback_classifier: bool = True
    #: Stories whose keyword vectors are this similar (0..1) belong to one event.
    event_similarity: Share = 0.15
    #: At most this many picks about one event / one country (diversity).
    max_per_event: PositiveInt = 3
    max_per_country: PositiveInt = 3
    #: Stories picked in editions of the last ``memory_days`` are not picked again ...
    memory_days: NonNegativeFloat = 3.0
    #: ... unless updated since and at most this similar (0..1) to what was sent.
    update_similarity: Share = 0.75
    #: Cosine similarity (0..1) of weighted keywords at which two items are one story.
    story_similarity: Share = 0.2
    #: ... or the share (0..1) of headline words two items share (3 at least).
    same_story_threshold: Share = 0.5


class UtmSettings(_Section):
    """``[render.utm]``: campaign tags added to every article link."""

    enabled: bool = True
    source: str = "digest"
    campaign: str = "{edition_id}"


class ImageSettings(_Section):
    """``[render.images]``: pictures resized for the email (``digest.render.images``).

    Off until ``base_url`` names the public address where the ``images/`` folder of
    an export is published; then each picture is fetched, resized to ``density``
    times the size it is shown at and recompressed at JPEG ``quality``.
    """

    base_url: str = ""
    #: Where resized pictures are kept between runs (relative to the config file).
    folder: Path = Path("images")
    density: int = Field(default=2, ge=1, le=3)
    quality: int = Field(default=80, ge=30, le=95)
    max_bytes: PositiveInt = 20_000_000
    timeout_seconds: PositiveFloat = 10.0

    @field_validator("base_url")
    @classmethod
    def _http_base(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(f"must be an http(s) address of a folder, got {value!r}")
        return value


def _hex_colour(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError('must be a colour like "#b3001b"')
    return value


HexColour = Annotated[str, BeforeValidator(_hex_colour)]


class RenderSettings(_Section):
    """``[render]``: templates, language and text patterns for the renditions.

    ``subject`` may use ``{lead}``, ``{date}``, ``{count}``, ``{name}`` and
    ``{edition_id}``; ``preheader`` also ``{others}`` (the next headlines) and
    ``{lead_summary}``.  Dates and labels come from ``locales/<language>.toml``.
    """

    #: A folder whose files override the default templates file by file.
    templates: Path | None = None
    #: Language of dates and labels; empty means ``digest.language``.
    language: str = ""
    subject: str = "{lead}: World News, {date}"
    #: Shorter patterns tried, in order, when a headline does not fit ``subject``,
    #: before another headline is tried; empty: ``subject`` without its ``{date}``,
    #: then ``{lead}`` alone.  Only a subject that cannot fit whole is cut, in
    #: ``subject`` without its date.
    subject_fallbacks: tuple[str, ...] = ()
    subject_max: PositiveInt = 78
    #: A headline that does not fit may be replaced by another outlet's headline of
    #: the same story (false: only the pick's own headline and its whole clauses).
    other_headlines: bool = True
    preheader: str = "{others}"
    preheader_min: PositiveInt = 40
    preheader_max: PositiveInt = 110
    #: strftime pattern for the edition date; empty means the locale's own.
    date_format: str = ""
    unsubscribe_url: str = "{site_url}/newsletter/unsubscribe"
    view_online_url: str = "{site_url}/newsletter/{edition_id}"
    #: The brand colour of masthead rule, kickers and buttons.
    accent_color: HexColour = "#b3001b"
    #: The accent on a dark background (kickers in dark mode): light enough to read.
    accent_color_dark: HexColour = "#ff8a9a"
    #: Stories the WhatsApp post shows with their summary; the rest are bullets.
    whatsapp_full: PositiveInt = 3
    #: The CSS inliner: ``premailer`` (the default) or ``css-inline`` (the same
    #: inlined email, several times faster; ``pip install "digest[css-inline]"``).
    inliner: Literal["premailer", "css-inline"] = "premailer"
    utm: UtmSettings = Field(default_factory=UtmSettings)
    images: ImageSettings = Field(default_factory=ImageSettings)


class SenderSettings(BaseModel):
    """``[senders.NAME]``: a destination.  ``type`` names a registered sender; the
    delivery keys below apply to every type; the other keys are that sender's own
    options, validated by the sender itself."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    enabled: bool = True
    #: Delivery (every sender type): attempts per message before a temporary
    #: failure counts as final, and the exponential backoff between them.
    max_attempts: PositiveInt = 5
    retry_base_seconds: PositiveFloat = 1.0
    retry_max_seconds: PositiveFloat = 300.0
    #: At most this many messages start in any one-second window.
    messages_per_second: PositiveFloat | None = None

    def options(self) -> dict[str, Any]:
        """The sender-specific keys (everything but ``type`` and ``enabled``)."""
        return dict(self.model_extra or {})


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock_time(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError('must be a 24-hour local time "HH:MM" such as "07:00"')
    return value


def _weekday(value: Any) -> Any:
    name = value.strip().lower() if isinstance(value, str) else ""
    if name[:3] not in _WEEKDAYS or name not in (name[:3], _FULL_WEEKDAYS[name[:3]]):
        raise ValueError("must be a weekday: " + ", ".join(_WEEKDAYS) + " (or the full name)")
    return name[:3]


def _edition_name(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", value):
        raise ValueError('must be lower-case letters, digits and dashes, such as "evening"')
    return value


_FULL_WEEKDAYS = dict(
    zip(
        _WEEKDAYS,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        strict=True,
    )
)
ClockTime = Annotated[str, BeforeValidator(_clock_time)]
Weekday = Annotated[str, BeforeValidator(_weekday)]


class EditionTime(_Section):
    """One ``[[schedule.editions]]`` entry: an edition of the day and when it goes out.

    ``at`` is a local time in ``[digest] timezone``.  ``name`` tells the editions of
    one day apart: an unnamed edition has the id ``<prefix>-<date>``, a named one
    ``<prefix>-<name>-<date>`` (``world-evening-2026-11-28``).
    """

    at: ClockTime
    name: Annotated[str, BeforeValidator(_edition_name)] = ""
    weekdays: list[Weekday] = Field(default_factory=lambda: list(_WEEKDAYS))

    @field_validator("weekdays")
    @classmethod
    def _some_day(cls, weekdays: list[str]) -> list[str]:
        if not weekdays:
            raise ValueError("must name at least one weekday")
        return weekdays


class ScheduleSettings(_Section):
    """``[schedule]``: when ``digest schedule`` runs editions and how it recovers.

    A missed edition is still run if the process is back within ``grace_minutes``
    of its time, and otherwise skipped (recorded and reported), never sent late.
    """

    editions: list[EditionTime] = Field(default_factory=lambda: [EditionTime(at="07:00")])
    grace_minutes: NonNegativeFloat = 120.0
    #: Hold an edition back when none of its stories is newer than the last edition sent.
    skip_if_nothing_new: bool = True
    #: A run still going after this long is marked failed and told to stop.
    time_limit_minutes: PositiveFloat = 30.0
    #: A run's lock on its edition expires this long after its holder's last heartbeat.
    lock_ttl_seconds: PositiveFloat = 60.0
    #: Longest sleep between two looks at the clock.
    poll_seconds: PositiveFloat = 30.0
    #: Local time of the daily ``digest prune`` (``[store.retention]``); "" never.
    prune_at: Annotated[str, BeforeValidator(_optional_clock_time)] = "03:30"

    @field_validator("editions")
    @classmethod
    def _names_unique(cls, editions: list[EditionTime]) -> list[EditionTime]:
        if not editions:
            raise ValueError('must list at least one edition, such as { at = "07:00" }')
        names = [e.name for e in editions]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(
                f"editions share the name {twice[0]!r}: give each edition of a day its own name"
            )
        return editions


class WebSettings(_Section):
    """``[web]``: ``digest serve`` (archive, unsubscribe, sign-up, preferences).

    ``secret_env`` names the environment variable holding the key that signs
    confirmation links and form tokens (default: derived from the confirmation
    sender's unsubscribe secret).  ``sender`` names the smtp sender that mails
    confirmation links (default: the first smtp sender).  The rate limits count
    confirmation requests per client address per hour and per email address per
    day.
    """

    secret_env: str = "DIGEST_WEB_SECRET"
    sender: str = ""
    #: The lists a reader may choose on the sign-up and preferences pages.
    lists: list[str] = Field(default_factory=lambda: ["default"])
    confirm_hours: PositiveFloat = 48.0
    signups_per_ip_per_hour: PositiveInt = 10
    signups_per_address_per_day: PositiveInt = 3
    #: Confirmation emails per hour in all (a storm from many addresses stops here).
    confirmations_per_hour: PositiveInt = 500
    max_body_bytes: PositiveInt = 65_536
    #: Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])


class BounceSettings(_Section):
    """``[bounces]``: where bounces and complaints come from and how they count.

    Webhooks are off until configured: SES through SNS (``sns_topics``), SendGrid
    (``sendgrid_key_env``: its verification public key), Postmark
    (``postmark_auth_env``: ``user:password`` of the webhook's basic auth) and
    Mailgun (``mailgun_key_env``: its HTTP webhook signing key).  DSNs are read
    from an IMAP mailbox (``imap_*``) or received by ``digest bounces listen``.
    """

    soft_limit: PositiveInt = 3
    #: Signed events older than this (by their own timestamp) are refused.
    max_age_seconds: PositiveFloat = 3600.0
    #: SNS: topics accepted (``arn:aws:sns:…``); empty accepts none (SNS off).
    sns_topics: list[str] = Field(default_factory=list)
    #: SNS: the certificate and subscribe URLs must match this.
    sns_url_pattern: Regex = r"^https://sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/"
    sendgrid_key_env: str = ""
    postmark_auth_env: str = ""
    mailgun_key_env: str = ""
    imap_host: str = ""
    imap_port: PositiveInt = 993
    imap_security: Literal["tls", "starttls", "none"] = "tls"
    imap_username: str = ""
    imap_password_env: str = ""
    imap_folder: str = "INBOX"
    listen_host: str = "127.0.0.1"
    listen_port: PositiveInt = 2525


def _outlet_country(value: Any) -> Any:
    if value in ("", "XX", "xx"):
        return str(value).upper()
    return _country_code(value)


def _redis_url(value: Any) -> Any:
    # Never echoed: a mistaken URL may well carry the password.
    shape = 'must be a Redis URL such as "redis://127.0.0.1:6379/0"'
    if not isinstance(value, str):
        raise _NoEcho(shape)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        raise _NoEcho(f"is not a valid URL: it {shape}") from None
    if "@" in value or "password" in parts.query.lower():
        raise _NoEcho("must not hold a password: name its variable in password_env")
    if (
        parts.scheme not in ("redis", "rediss")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or not re.fullmatch(r"(/\d+)?", parts.path)
    ):
        raise _NoEcho(shape)
    return value


RedisUrl = Annotated[str, BeforeValidator(_redis_url)]


class QueueSettings(_Section):
    """``[queue]``: fan the edition out to ``digest worker`` processes through Redis.

    Absent (the default), ``digest send`` and the scheduler send from one process.
    The password, if Redis has one, is read from the variable ``password_env``.
    """

    url: RedisUrl
    password_env: str = "DIGEST_REDIS_PASSWORD"
    #: Recipients per task.
    batch_size: PositiveInt = 500
    #: How long a worker's claim on a recipient lasts unless renewed (a worker renews
    #: its claims every third of it while it sends).
    lease_seconds: PositiveFloat = 300.0
    #: A worker not heard from for this long is taken for dead and its unfinished
    #: tasks go back on the queue (Dramatiq's heartbeat timeout).
    dead_worker_seconds: PositiveFloat = 60.0
    #: Seconds before a task whose recipients are held by another worker, or were
    #: left pending (a long Retry-After), is tried again.
    retry_seconds: PositiveFloat = 30.0
    #: How often a task is tried again before it is given up (its recipients stay
    #: pending in the delivery log; ``digest send`` enqueues them again).
    max_retries: PositiveInt = 20
    #: The Redis key prefix and queue name (two deployments may share one Redis).
    namespace: IdPrefix = "digest"


class OutletSettings(_Section):
    """``[outlets."host"]``: an outlet the selector should know by its web address
    (``country``: ISO code, ``"XX"`` for an agency with no home desk)."""

    name: str
    country: Annotated[str, BeforeValidator(_outlet_country)] = ""
    weight: NonNegativeFloat = 1.0
    #: The one section a specialist outlet covers (``sports``, ``business``…).
    desk: str = ""


class Config(_Section):
    """The whole configuration.  ``base_dir`` is the config file's folder."""

    base_dir: Path = Path(".")
    digest: DigestSettings = Field(default_factory=DigestSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    sources: list[SourceSettings] = Field(default_factory=list)
    boilerplate: dict[str, BoilerplateRules] = Field(default_factory=dict)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    select: SelectSettings = Field(default_factory=SelectSettings)
    outlets: dict[str, OutletSettings] = Field(default_factory=dict)
    render: RenderSettings = Field(default_factory=RenderSettings)
    senders: dict[str, SenderSettings] = Field(default_factory=dict)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    bounces: BounceSettings = Field(default_factory=BounceSettings)
    #: ``[queue]``: send through ``digest worker`` processes (absent: one process).
    queue: QueueSettings | None = None

    def resolve(self, path: str | Path) -> Path:
        """A path from the config, made absolute against the config file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p).resolve()

    @property
    def store_path(self) -> Path:
        """Absolute path of the SQLite store (``store.path``, or the file of a
        ``sqlite:///`` ``store.url``)."""
        if self.store.url.startswith("sqlite:"):
            return self.resolve(self.store.url.removeprefix("sqlite:///"))
        return self.resolve(self.store.path)

    @property
    def store_location(self) -> str:
        """What :func:`digest.store.open_store` opens: the PostgreSQL URL, or the
        SQLite file's absolute path."""
        return self.store.url if self.store.is_postgres else str(self.store_path)

    def store_password(self) -> str | None:
        """The PostgreSQL password from the variable ``store.password_env`` names
        (``None`` when none is named: libpq then reads ``PGPASSWORD``).

        Raises :class:`ConfigError` naming the variable (never a value) if unset.
        """
        variable = self.store.password_env
        if not variable:
            return None
        value = os.environ.get(variable)
        if not value:
            raise ConfigError(f"store.password_env: environment variable {variable} is not set")
        return value


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known setting",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "path_type": "must be a path",
}


def _describe(error: Any) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "value_error" and isinstance(error["ctx"]["error"], _NoEcho):
        return f"{key}: {error['ctx']['error']}"
    if kind == "value_error":
        what = str(error["ctx"]["error"])
    elif kind == "literal_error":
        what = "must be one of " + str(error["ctx"]["expected"])
    else:
        what = _MESSAGES.get(kind, error["msg"][:1].lower() + error["msg"][1:])
    if kind in ("missing", "extra_forbidden"):
        return f"{key}: {what}"
    return f"{key}: {what}, got {json.dumps(error['input'], default=str)}"


def parse_config(data: dict[str, Any], *, base_dir: Path, origin: str = "config") -> Config:
    """Validate a config mapping (as read from TOML) into a :class:`Config`.

    Raises :class:`ConfigError` listing every mistake by its dotted key.
    """
    try:
        config = Config.model_validate({**data, "base_dir": base_dir})
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors()]
        raise ConfigError(f"{origin}: {len(problems)} mistake(s)", problems) from None
    missing = [
        f"sources.{i}.boilerplate: no [boilerplate.{s.boilerplate}] table"
        for i, s in enumerate(config.sources)
        if s.boilerplate != "default" and s.boilerplate not in config.boilerplate
    ]
    if missing:
        raise ConfigError(f"{origin}: {len(missing)} mistake(s)", missing)
    return config


def load_config(path: str | Path) -> Config:
    """Read and validate a TOML config file.

    Raises :class:`ConfigError` naming the file for a missing or unreadable file,
    invalid TOML (with line and column) or invalid settings (with their keys).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from None
    data = read_toml(raw, str(path))
    return parse_config(data, base_dir=path.resolve().parent, origin=str(path))


#: How deep tables and arrays may nest in a config file (real ones: 3).
MAX_TOML_DEPTH = 20


def read_toml(raw: bytes, origin: str) -> dict[str, Any]:
    """The TOML document in ``raw`` as data.

    Raises :class:`ConfigError` naming ``origin`` for text that is not UTF-8, not
    TOML, or nested deeper than :data:`MAX_TOML_DEPTH` (5,000 levels exhaust the
    parser's stack: that too is a mistake in the file, not a crash).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{origin}: config file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{origin}: tables or arrays nested too deeply") from None
    if _depth(data) > MAX_TOML_DEPTH:
        raise ConfigError(f"{origin}: tables or arrays nested more than {MAX_TOML_DEPTH} deep")
    return data


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_TOML_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
