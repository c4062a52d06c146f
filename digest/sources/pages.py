"""Scraped article pages saved as text dumps (the crawler format in ``examples/pages``).

A dump looks like::

    <navigation junk>
    Home > News > World News > Article > <slug>
    <title>
    Updated on: 23 November,2020 08:55 AM IST  |  Moscow
    IANS |
    <standfirst>
    <title again>
    <image caption>
    <body paragraphs>
    Keep scrolling to read more news
    <promos, disclaimers, cookie banner>

Breadcrumb, credit line, dateline, standfirst, repeated title and caption may
each be missing.  The time line (``Updated on``, ``Published on``, ``Posted on``,
``First Published`` / ``Last Updated``, in any date spelling ``parse_time``
reads) is the anchor: the title is the line above it, and lines above the title
are navigation.  The credit line is an agency (``IANS |``, ``PTI | New Delhi``) or
a byline (``By Asha Rao |``); wire copy may instead open its first paragraph with
``Geneva, Nov 22 (AFP):``.  Boilerplate rules (data, see ``boilerplate.toml``)
drop lines and cut the page at its first stop marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import SourceError
from ..model import Article, Image, Skipped, SourceResult
from .base import ReadOptions
from .normalise import SECTION_ALIASES, article_id, canonical_section, clean_text, parse_time, slug

_BREADCRUMB = re.compile(r"^home\s*(>|»|/|›)\s*.+", re.I)
_TIME_LINE = re.compile(
    r"^(?P<kind>updated|published|posted|last updated|first published)(?: on)?\s*:?\s*"
    r"(?P<when>[^|]+?)\s*(?:\|\s*(?P<dateline>[^|]*?)\s*)?$",
    re.I,
)
# "IANS |", "PTI | New Delhi", "By Asha Rao |", "mid-day online correspondent |"
_CREDIT_LINE = re.compile(
    r"^(?P<credit>[A-Za-z][\w .&'/,-]{0,58}?)\s*\|\s*(?P<place>[A-Z][\w .'-]{0,40})?$"
)
# Wire services and the catch-all credits pages print for them.
_AGENCY_NAME = re.compile(
    r"(?i:IANS|PTI|ANI|AFP|AP|Reuters|Bloomberg|Agencies|Agency|AAP|DPA|EFE|Xinhua|UNI"
    r"|Press Trust of India|Associated Press|Agence France-Presse)"
    r"(?:\s*(?:/|,|&|and)\s*(?i:IANS|PTI|ANI|AFP|AP|Reuters|Agencies))*"
)
_BODY_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'-]{1,30}), (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8})"
    r" \((?P<agency>[A-Z]{2,8})\)\s*[:-]?\s*"
)
_URL_LINE = re.compile(r"^(?:(?:canonical|url|source url|link)\s*:\s*)?(https?://\S+)$", re.I)
_CAPTION_HINT = re.compile(
    r"(\bpic\b|\bpics\b|photo|file pic|representational|image|courtesy|/afp|/reuters|/pti)",
    re.I,
)
_MIN_BODY_CHARS = 80


def read_page(data: bytes, options: ReadOptions) -> SourceResult:
    """Parse one page dump into (at most) one article.

    Raises :class:`SourceError` if the bytes are not text or hold no article.
    """
    text = _decode(data, options.source)
    lines = [clean_text(line) for line in text.splitlines()]
    url = next((m.group(1) for line in lines[:12] if (m := _URL_LINE.match(line))), "")

    # The breadcrumb opens the article; what stands above it is site navigation.
    crumb_at = next((i for i, line in enumerate(lines) if _BREADCRUMB.match(line)), None)
    crumbs: list[str] = []
    if crumb_at is not None:
        crumbs = [c.strip() for c in re.split(r"\s*(?:>|»|›)\s*", lines[crumb_at])]
        lines = lines[crumb_at + 1 :]

    lines = _strip_boilerplate(lines, options)
    paragraphs = [line for line in lines if line and not _URL_LINE.match(line)]
    if not paragraphs:
        raise SourceError(options.source, "no article text found in page dump")

    header = _header(paragraphs, options)
    title, published, updated = header.title, header.published, header.updated
    dateline, agency, byline = header.dateline, header.agency, header.byline
    paragraphs = paragraphs[header.consumed :]
    if paragraphs and not dateline and (m := _BODY_DATELINE.match(paragraphs[0])):
        # Wire copy often opens "Moscow, Nov 22 (IANS): ..." instead of a dateline line.
        dateline, agency = m["place"], agency or m["agency"]
        paragraphs[0] = paragraphs[0][m.end() :]

    summary = ""
    caption = ""
    if paragraphs and paragraphs[0] != title:
        summary = paragraphs.pop(0)
    # The page repeats the headline above the picture; the caption follows it.
    if title in paragraphs:
        at = paragraphs.index(title)
        following = paragraphs[at + 1] if at + 1 < len(paragraphs) else ""
        if (
            following
            and len(following) <= 160
            and (
                _CAPTION_HINT.search(following)
                or not following.endswith((".", '"', "”"))
                or len(following) < 60
            )
        ):
            caption = following
            del paragraphs[at + 1]
        del paragraphs[at]
    paragraphs = [p for p in paragraphs if p != title]
    body = "\n\n".join(paragraphs)
    if len(body) < _MIN_BODY_CHARS and not summary:
        raise SourceError(options.source, "page dump has a title but no article body")

    section_label = _section_label(crumbs)
    section = canonical_section(section_label) if section_label else ""
    if not url and options.url_template:
        url = options.url_template.format(slug=slug(title), section=section or "news")
    image = Image(url="", alt=caption or title, caption=caption) if caption else None
    article = Article(
        id=article_id(url=url) if url else article_id(source=options.publisher, guid=title),
        url=url,
        title=title,
        summary=summary,
        body=body,
        section=section,
        tags=_crumb_tags(crumbs),
        published_at=published,
        updated_at=updated,
        dateline=dateline,
        agency=agency,
        byline=byline,
        image=image,
        publisher=options.publisher,
        source=options.source,
    )
    skipped: tuple[Skipped, ...] = ()
    return SourceResult(options.source, (article,), skipped)


@dataclass(frozen=True, slots=True)
class _Header:
    title: str
    published: datetime
    updated: datetime | None
    dateline: str
    agency: str
    byline: str
    #: How many paragraphs the header took, title included.
    consumed: int


def _header(paragraphs: list[str], options: ReadOptions) -> _Header:
    """Title, times, dateline and credit line from the top of the article.

    The title is the line just above the first time line, so navigation left
    above it (a dump without breadcrumb) is dropped; several time lines
    (``Published on`` then ``Updated on``) are all read.
    """
    if not paragraphs:
        raise SourceError(options.source, "no article text found in page dump")
    at, found = next(
        ((i, line) for i, p in enumerate(paragraphs[1:40], 1) if (line := _time_line(p, options))),
        (0, None),
    )
    if found is None:
        raise SourceError(
            options.source, "no 'Updated on:' or 'Published on:' time line under the title"
        )
    title = paragraphs[at - 1]
    published: datetime | None = None
    updated: datetime | None = None
    dateline = agency = byline = ""
    while found is not None:
        kind, when, place = found
        if kind.startswith(("updated", "last updated")):
            updated = when
        elif published is None:
            published = when
        dateline = dateline or place
        at += 1
        found = _time_line(paragraphs[at], options) if at < len(paragraphs) else None
    if at < len(paragraphs) and (m := _CREDIT_LINE.match(paragraphs[at])):
        at += 1
        credit = m["credit"].strip()
        place = (m["place"] or "").strip()
        dateline = dateline or place
        if credit.lower().startswith("by "):
            byline = credit[3:].strip()
        elif _AGENCY_NAME.fullmatch(credit):
            agency = credit
        else:
            byline = credit
    first = published or updated
    if first is None:  # cannot happen: the line found above is a time line
        raise SourceError(options.source, "no readable time line")
    return _Header(
        title=title,
        # A page that shows only "Updated on" gives that time as both.
        published=first,
        updated=updated,
        dateline=dateline,
        agency=agency,
        byline=byline,
        consumed=at,
    )


def _time_line(line: str, options: ReadOptions) -> tuple[str, datetime, str] | None:
    """``(kind, time in UTC, dateline)`` if ``line`` is a readable time line."""
    m = _TIME_LINE.match(line)
    if m is None:
        return None
    try:
        when = parse_time(m["when"], default_zone=options.timezone)
    except ValueError:
        return None
    return m["kind"].lower(), when, (m["dateline"] or "").strip()


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:4096]:
        raise SourceError(source, "binary data, not a text page dump")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Crawlers on Windows save cp1252; anything else is not a dump.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError(source, "not UTF-8 or Windows-1252 text") from None


def _strip_boilerplate(lines: list[str], options: ReadOptions) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if line and options.boilerplate.stops(line):
            break
        if line and options.boilerplate.drops(line):
            continue
        kept.append(line)
    return kept


def _section_label(crumbs: list[str]) -> str:
    """The section in a breadcrumb: the deepest crumb that names a known section
    (``Home > World > Europe > Article`` → ``World``), else the crumb before
    ``Article``, else the last crumb that is not ``Home``/``News``."""
    labels = list(_crumb_tags(crumbs))
    known = [c for c in labels if clean_text(c).lower() in SECTION_ALIASES]
    if known:
        return known[-1]
    lowered = [c.lower() for c in crumbs]
    if "article" in lowered:
        at = lowered.index("article")
        if at > 0 and lowered[at - 1] not in ("home", "news"):
            return crumbs[at - 1]
    candidates = [c for c in crumbs[1:-1] if c.lower() not in ("home", "news", "article")]
    return candidates[-1] if candidates else ""


def _crumb_tags(crumbs: list[str]) -> tuple[str, ...]:
    """The breadcrumb's labels between ``Home`` and ``Article`` (not the page slug)."""
    lowered = [c.lower() for c in crumbs]
    end = lowered.index("article") if "article" in lowered else len(crumbs) - 1
    return tuple(c for c in crumbs[1:end] if c.lower() not in ("home", "news"))
