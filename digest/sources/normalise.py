"""Turn raw fields from any reader into clean, comparable article fields.

Text is NFC-normalised with HTML tags and entities removed (never interpreted),
times become tz-aware UTC with the source's zone understood, section labels map to
a canonical set, and ids are stable so a re-read story updates its row.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser
from dateutil.parser import UnknownTimezoneWarning
from dateutil.tz import tzoffset

from ..addresses import host_of, site_of

# Zone abbreviations that news sites print.  Ambiguous ones (IST is also Irish and
# Israeli time) are resolved for the publishers this tool serves; a source's own
# `timezone` setting covers times printed with no zone at all.
ZONE_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": 3600, "CET": 3600,
    "CEST": 7200, "EET": 7200, "EEST": 10800, "MSK": 10800, "GST": 14400,
    "PKT": 18000, "IST": 19800, "NPT": 20700, "BDT": 21600, "ICT": 25200,
    "WIB": 25200, "SGT": 28800, "HKT": 28800, "CST": -21600, "CDT": -18000,
    "EST": -18000, "EDT": -14400, "MST": -25200, "MDT": -21600, "PST": -28800,
    "PDT": -25200, "JST": 32400, "KST": 32400, "AEST": 36000, "AEDT": 39600,
    "WAT": 3600, "CAT": 7200, "SAST": 7200, "EAT": 10800, "IRST": 12600, "AFT": 16200,
    "MYT": 28800, "PHT": 28800, "AWST": 28800, "NZST": 43200, "NZDT": 46800,
    "AKST": -32400, "HST": -36000,
}  # fmt: skip
_TZINFOS: dict[str, tzinfo] = {
    name: tzoffset(name, offset) for name, offset in ZONE_ABBREVIATIONS.items()
}
# US sites print the zone without its season ("8:21 am ET"): the region's own rules.
_TZINFOS |= {
    "ET": ZoneInfo("America/New_York"), "CT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"), "PT": ZoneInfo("America/Los_Angeles"),
}  # fmt: skip

# Publisher labels → canonical section.  Matching is on the lower-cased label.
SECTION_ALIASES: dict[str, str] = {
    "world": "world", "world news": "world", "international": "world",
    "international news": "world", "global": "world", "world-news": "world",
    "foreign": "world", "abroad": "world", "worldnews": "world",
    "india": "india", "india news": "india", "national": "national",
    "national news": "national", "nation": "national",
    "mumbai": "city", "mumbai news": "city", "city": "city", "metro": "city",
    "sport": "sports", "sports": "sports", "cricket": "sports", "cricket news": "sports",
    "football": "sports", "sports news": "sports",
    "business": "business", "business news": "business", "economy": "business",
    "markets": "business", "money": "business",
    "entertainment": "entertainment", "bollywood": "entertainment",
    "bollywood news": "entertainment", "culture": "entertainment", "film": "entertainment",
    "opinion": "opinion", "comment": "opinion", "commentisfree": "opinion",
    "technology": "technology", "tech": "technology", "science": "science",
    "lifestyle": "lifestyle", "life and style": "lifestyle", "us news": "us",
    "us-news": "us", "uk news": "uk", "uk-news": "uk", "politics": "politics",
    # World regions as news sites label their foreign desks.
    "asia": "world", "asia pacific": "world", "asia-pacific": "world", "south asia": "world",
    "europe": "world", "africa": "world", "middle east": "world", "americas": "world",
    "latin america": "world", "us & canada": "world", "australia": "world",
    "asia news": "world", "europe news": "world", "africa news": "world",
    "middle east news": "world", "rest of world": "world", "world news desk": "world",
    # Hindi desks (videsh, duniya, antarrashtriya, world; desh, khel, karobar...).
    "विदेश": "world", "दुनिया": "world", "वर्ल्ड": "world", "अंतरराष्ट्रीय": "world",
    "अंतर्राष्ट्रीय": "world", "देश": "national", "खेल": "sports", "क्रिकेट": "sports",
    "कारोबार": "business", "बिज़नेस": "business", "बिजनेस": "business",
    "मनोरंजन": "entertainment", "राजनीति": "politics",
}  # fmt: skip

# Script, style and comment contents are dropped whole: they are code, not text.
_CODE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_IANA_ZONE = re.compile(r"\s+\(?([A-Z][A-Za-z_+-]*(?:/[A-Za-z_+-]+)+)\)?$")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|tr)\s*>|<br\s*/?>", re.I)
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
# Hindi month and weekday names as Hindi sites print them, for parse_time.
_HINDI_MONTHS = {
    "जनवरी": "January", "फरवरी": "February", "फ़रवरी": "February", "मार्च": "March",
    "अप्रैल": "April", "मई": "May", "जून": "June", "जुलाई": "July", "अगस्त": "August",
    "सितंबर": "September", "सितम्बर": "September", "अक्टूबर": "October",
    "अक्तूबर": "October", "नवंबर": "November", "नवम्बर": "November",
    "दिसंबर": "December", "दिसम्बर": "December",
}  # fmt: skip
_HINDI_WORD = re.compile(r"[\u0900-\u097F]+")
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
# "08.55 GMT" (Guardian) → "08:55 GMT"; only before a zone, am/pm or the end.
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\.?|[A-Z]{2,4}\b|$))", re.I)
_ZONE_WORD = re.compile(
    r"\(?\b(" + "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True)) + r")\b\)?", re.I
)
#: North American time zone abbreviations (standard and daylight time).
US_ZONE = re.compile(r"\b(?:E|C|M|P|AK|H)[SD]T\b")
_DAY_FIRST = re.compile(r"^\D{0,12}\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b")
_TRACKING_PARAMS = re.compile(
    r"^(utm_|fbclid$|gclid$|mc_[ce]id$|ref$|ito$|cmp$|at_(medium|campaign)$)", re.I
)


def clean_text(value: str | None, *, keep_paragraphs: bool = False) -> str:
    """Plain text from a field that may hold HTML, entities or odd spacing.

    Tags are removed, never interpreted; entities decoded once; control characters
    dropped; NFC applied.  With ``keep_paragraphs`` block ends become blank lines.
    """
    if not value:
        return ""
    text = value
    if (
        "&" not in text
        and "<" not in text
        and text.isprintable()
        and unicodedata.is_normalized("NFC", text)
    ):
        # The common plain line: no tag, no entity, no control character, no
        # space but " " (all of those are unprintable), nothing to normalise.
        return " ".join(text.split())
    if "<" in text:
        text = _CODE.sub(" ", text)
        if keep_paragraphs:
            text = _BLOCK_END.sub("\n\n", text)
        text = _TAG.sub(" " if not keep_paragraphs else "", text)
    text = html.unescape(text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = unicodedata.normalize("NFC", text)
    if keep_paragraphs:
        paragraphs = (_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text))
        return "\n\n".join(" ".join(p.split("\n")).strip() for p in paragraphs if p)
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()


def item_error(exc: BaseException) -> str:
    """The reason an item is skipped, from what reading it raised: a reader's own
    :class:`ValueError` says it in words; anything else (a parser's bug on odd input)
    is named by its type."""
    if isinstance(exc, ValueError) and type(exc) is ValueError:
        return str(exc)
    return f"cannot read this item ({type(exc).__name__}: {str(exc)[:200]})"


def parse_time(
    value: str,
    *,
    default_zone: tzinfo = UTC,
    default: datetime | None = None,
    month_first: bool | None = None,
) -> datetime:
    """Parse a date and time as news sites print them and return it in UTC.

    Understands ISO 8601, RFC 822, ``23 November,2020 08:55 AM IST`` and similar,
    zone abbreviations (``IST``), offsets, a trailing IANA zone name
    (``2020-11-23 08:55 Asia/Kolkata``) and times with no zone (taken to be in
    ``default_zone``); also ``Sun 22 Nov 2020 14.10 GMT``, ``08:55 AM (IST)``,
    ``Nov 23, 2020 · 08:55 am`` and Hindi (``22 नवंबर 2020``, Devanagari digits).
    Numeric dates that read both ways (``9/11/13``) follow ``month_first`` (the
    page's habit) when it is known; else they are read day first, as most of the
    world writes them, unless a North American zone (``EDT``) follows.
    Parts the text leaves out (a year) come from ``default`` (naive, in
    ``default_zone``), else from today.
    Raises :class:`ValueError` if nothing sensible is found or the moment is out of
    range in UTC.
    """
    text = _plain_date(clean_text(value))
    if named := _IANA_ZONE.search(text):
        try:
            default_zone = ZoneInfo(named[1])
        except (ValueError, KeyError):
            raise ValueError(f"unknown time zone {named[1]!r} in {value!r}") from None
        text = text[: named.start()]
    try:
        # Numeric dates that open with the day (23-11-2020, 05.11.2020) are read day
        # first, as the sites served print them; ISO dates are year first.
        # A North American zone (EDT, PST) says the date is written month first.
        # (Only there: dateutil's dayfirst reads "2025-06-04" as 6 April.)
        dayfirst = bool(_DAY_FIRST.match(text)) and (
            not US_ZONE.search(text) if month_first is None else not month_first
        )
        with warnings.catch_warnings():
            # A zone name dateutil does not know ("08:55 G" in a cut line) leaves the
            # time zoneless: it is then read in default_zone, without a warning.
            warnings.simplefilter("ignore", UnknownTimezoneWarning)
            parsed = dateparser.parse(
                text, default=default, tzinfos=_TZINFOS, fuzzy=False, dayfirst=dayfirst
            )
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unreadable date {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_zone)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):  # 31 Dec 9999 23:00 HST is in the year 10000 UTC
        raise ValueError(f"date out of range {value!r}") from None


def _plain_date(text: str) -> str:
    """A printed date made readable for dateutil: Hindi month names and Devanagari
    digits in English, weekday names and separators (``·``, ``बजे``) out, zone
    abbreviations upper-cased and unbracketed (``(ist)`` → ``IST``)."""
    text = text.translate(_DEVANAGARI_DIGITS)
    if _HINDI_WORD.search(text):
        # Any other Devanagari word (weekday, "बजे" = o'clock) carries no date.
        text = _HINDI_WORD.sub(lambda m: _HINDI_MONTHS.get(m[0], " "), text)
    text = text.replace("·", " ").replace(",", ", ")
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    text = _ZONE_WORD.sub(lambda m: m[1].upper(), text)
    return " ".join(text.split())


def zone(name: str) -> tzinfo:
    """A tzinfo for an IANA name (``Asia/Kolkata``) or ``UTC``."""
    return UTC if name.upper() == "UTC" else ZoneInfo(name)


def canonical_section(label: str) -> str:
    """Map a publisher's section label (``World News``, ``International``) to the
    canonical name (``world``); unknown labels are slugged as they are."""
    key = clean_text(label).lower().strip(" /")
    if key in SECTION_ALIASES:
        return SECTION_ALIASES[key]
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")


def section_from_url(url: str) -> str:
    """The canonical section a URL path points to (``/world/…`` → ``world``), or ``""``."""
    # Up to six path parts: "/2020/11/22/world/africa/story.html" (NYT) too.
    for part in urlsplit(url).path.lower().split("/")[:7]:
        if part in SECTION_ALIASES:
            return SECTION_ALIASES[part]
        if part.startswith(("world-", "international-")):
            return "world"
    return ""


def own_sites(item_urls: Iterable[str], feed_url: str) -> frozenset[str]:
    """The sites whose items are a feed's own: its home page's, and the one site
    most of its items are on (a publisher's feed may link through another host).
    An aggregated feed has no such majority: each of its items is its site's.
    Sites go by name across their domains (:func:`_site_name`): a publisher's
    ``bbc.com`` and ``bbc.co.uk`` are one."""
    own = {_site_name(home)} if (home := host_of(feed_url)) else set()
    sites = Counter(_site_name(host) for host in map(host_of, item_urls) if host)
    if sites:
        site, count = sites.most_common(1)[0]
        if 2 * count > sum(sites.values()):
            own.add(site)
    return frozenset(own)


def item_publisher(url: str, own: frozenset[str], feed_publisher: str) -> str:
    """An item's publisher in a feed whose own sites are ``own`` (see
    :func:`own_sites`): the feed's publisher (its title or the configured name) for
    its own items, the host of an item on another site."""
    host = host_of(url)
    if host and _site_name(host) not in own:
        return host
    return feed_publisher


def _site_name(host: str) -> str:
    """A site's name without its top-level domains (``bbc`` for ``news.bbc.co.uk``
    and ``bbc.com``): one publisher's sites in several countries share it."""
    return site_of(host).split(".")[0]


def canonical_url(url: str) -> str:
    """The URL with tracking parameters, fragment and trailing slash removed and the
    host lower-cased, so two links to one story compare equal."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)])
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower() or "https", host, path, query, ""))


def article_id(*, url: str = "", source: str = "", guid: str = "") -> str:
    """A stable id: from the canonical URL when there is one, else source + guid."""
    key = canonical_url(url) if url else f"{source}\x1f{guid}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def slug(text: str, *, limit: int = 80) -> str:
    """A lower-case ASCII slug of a title, for URLs and file names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].rstrip("-")
