"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser from bytes we fetched.

feedparser is only ever handed a stream of bytes (never a URL or path), so
nothing in a feed can make it read a file or open a connection.  The prolog is
checked before parsing: a DOCTYPE with an internal subset (where entity bombs and
external entities live) is refused, a plain DOCTYPE (``<!DOCTYPE rss PUBLIC ...>``
of RSS 0.91) is removed unread.  Over-long authors and dates are cut first
(:mod:`.feedfields`): feedparser is quadratic in an author's length.

Real feeds differ: relative item links are resolved against the channel link,
times feedparser misreads (``IST`` as UTC) are parsed by us, pictures come from
``media:content``/``media:thumbnail``/enclosures or the item's HTML, an
aggregator's ``<source>`` (Google News) names the outlet, sections come from
categories, the link's path or the feed's own title, and an item dated nowhere
is dated by when the feed was read (``ReadOptions.reference_time``).
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from ..errors import SourceError
from ..model import Article, Image, Skipped, SourceResult
from .base import ReadOptions
from .feedfields import cut_long_fields
from .normalise import (
    SECTION_ALIASES,
    article_id,
    canonical_section,
    clean_text,
    item_error,
    item_publisher,
    own_sites,
    parse_time,
    section_from_url,
)
from .pagemeta import AGENCY_NAME, body_dateline
from .prolog import without_doctype

# Byte patterns of XML in wide encodings: (prefix, codec, prefix is a BOM).
# UTF-32 before UTF-16, whose BOMs are a prefix of UTF-32's.
_WIDE = (
    (b"\x00\x00\xfe\xff", "utf-32-be", True),
    (b"\xff\xfe\x00\x00", "utf-32-le", True),
    (b"\xfe\xff", "utf-16-be", True),
    (b"\xff\xfe", "utf-16-le", True),
    (b"\x00\x00\x00<", "utf-32-be", False),
    (b"<\x00\x00\x00", "utf-32-le", False),
    (b"\x00<", "utf-16-be", False),
    (b"<\x00", "utf-16-le", False),
)
_DECLARED = re.compile(
    rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']"
)
_DECLARED_TEXT = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])[^\"']*([\"'])")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.I)
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_NAVIGATION = re.compile(
    r"^(?:continue reading|related:|see also:|view full coverage|read more\b.{0,60}$"
    r"|the post .* appeared first on|this article originally appeared)",
    re.I,
)
# Times feedparser reads right: a numeric offset or an RFC 822 zone.
_FEEDPARSER_ZONE = re.compile(r"(?:[+-]\d{2}:?\d{2}|\b(?:GMT|UTC?|Z|[ECMP][SD]T))\s*$|\dZ$")
_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
# An <img> tag ends at the next "<" too: an unclosed one must not take a later
# tag's src, and each try stops there (with [^>]*, "<img src=" repeated in a
# description costs time quadratic in its length).
_IMG_SRC = re.compile(r"<img\b[^<>]*?\bsrc\s*=\s*[\"']([^\"'<>\s]+)[\"']", re.I)
# "BBC News - World", "NYT > World News", "Daily Chronicle | World": a feed title
# that names a section gives it to items that name none.
_TITLE_PARTS = re.compile(r"\s+[-–—]\s+|\s*[>|:»]\s*")


@dataclass(frozen=True, slots=True)
class _Channel:
    """What a feed says about all its items."""

    publisher: str
    language: str
    #: Items with no date of their own are as new as the channel.
    time: datetime | None
    #: Base for relative item links.
    link: str
    #: Section the feed's title names (``world`` for "BBC News - World").
    section: str
    #: Sites whose items are the feed's own (:func:`own_sites`).
    own: frozenset[str]


def read_feed(data: bytes, options: ReadOptions) -> SourceResult:
    """Parse an RSS or Atom document into articles; bad entries are skipped with a
    reason.  Raises :class:`SourceError` if the bytes are not a feed or declare
    entities (billion laughs, external entities)."""
    data = _utf8(data, options.content_type, options.source)
    data = without_doctype(data, options.source, "feed")
    # feedparser's search for an e-mail address in an author is quadratic in its length.
    data = cut_long_fields(data, options.source)
    parsed = feedparser.parse(
        io.BytesIO(data),
        sanitize_html=False,
        resolve_relative_uris=False,
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    if not parsed.get("version") and not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "no RSS or Atom structure")
        raise SourceError(options.source, f"not an RSS or Atom feed ({reason})")
    feed_title = clean_text(parsed.feed.get("title", ""))
    link = str(parsed.feed.get("link") or "")
    channel = _Channel(
        publisher=options.publisher or feed_title,
        language=(parsed.feed.get("language") or "en").split("-")[0].lower(),
        # RSS 0.9x items often carry no date: they are as new as the channel.
        time=_readable_time(parsed.feed, "published", options)
        or _readable_time(parsed.feed, "updated", options),
        link=link if link.startswith(("http://", "https://")) else "",
        section=next(
            (
                SECTION_ALIASES[part.lower()]
                for part in _TITLE_PARTS.split(feed_title)
                if part.lower() in SECTION_ALIASES
            ),
            "",
        ),
        own=own_sites((str(e.get("link") or "") for e in parsed.entries), link),
    )
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for index, entry in enumerate(parsed.entries):
        label = clean_text(entry.get("id") or entry.get("link") or entry.get("title") or "")
        item = label or f"item {index + 1}"
        try:
            articles.append(_article(entry, options, channel))
        except Exception as exc:  # one bad item skips itself, never the feed
            skipped.append(Skipped(options.source, item, item_error(exc)))
    return SourceResult(options.source, tuple(articles), tuple(skipped))


def _utf8(data: bytes, content_type: str, source: str) -> bytes:
    """The document decoded by us and re-encoded as UTF-8 with a matching declaration.

    Decoding here, not in feedparser, means the prolog check sees exactly the text
    the parser will see, whatever the encoding (UTF-16/32 with or without a BOM,
    UTF-7...).  Valid UTF-8 is taken as UTF-8 whatever the declaration claims;
    otherwise the HTTP charset, then the declared encoding, then Windows-1252.
    Raises :class:`SourceError` for what cannot be an XML feed.
    """
    text = _decoded(data, content_type).lstrip("\ufeff")
    if not text.lstrip().startswith("<"):
        kind = "binary data" if _BINARY.search(data[:1024]) else "text"
        raise SourceError(source, f"not an XML feed ({kind} where '<' should start)")
    text = _DECLARED_TEXT.sub(r"\g<1>utf-8\g<2>", text, count=1)
    return text.encode("utf-8")


def _decoded(data: bytes, content_type: str) -> str:
    for prefix, codec, bom in _WIDE:
        if data.startswith(prefix):
            return data[len(prefix) if bom else 0 :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.match(data)
    charset = _CHARSET.search(content_type)
    for name in (charset and charset[1], declared and declared[1].decode("ascii")):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode("cp1252", errors="replace")


def _article(entry: Any, options: ReadOptions, channel: _Channel) -> Article:
    title = clean_text(entry.get("title"))
    url = (entry.get("link") or "").strip()
    if url and channel.link and not url.startswith(("http://", "https://")):
        url = urljoin(channel.link, url)  # "/world/story.html" in a site's own feed
    if not title:
        raise ValueError("item has no title")
    if not url.startswith(("http://", "https://")):
        raise ValueError("item has no http(s) link")
    # Aggregators (Google News) name the outlet in <source> and after the headline.
    outlet = clean_text((entry.get("source") or {}).get("title"))
    if outlet and title.endswith(f" - {outlet}"):
        title = title.removesuffix(f" - {outlet}").strip()
    published = _published(entry, options, channel)
    updated = _readable_time(entry, "updated", options)

    raw_summary = entry.get("summary") or ""
    description = _paragraphs(raw_summary, title, options)
    if outlet:
        # "<a>Headline</a>&nbsp;&nbsp;<font>Outlet</font>": the headline again.
        description = [p for p in description if p != f"{title} {outlet}"]
    if outlet and "<li" in raw_summary.lower():
        description = []  # an aggregator's list of links to the same story, not text
    raw_content = "".join(c.get("value", "") for c in entry.get("content", []) or [])
    raw_markup = raw_content + raw_summary
    content = _paragraphs(raw_content, title, options)
    caption = ""
    if content and description and len("".join(content)) < len("".join(description)):
        # Shorter than its own standfirst, "content" is not the article (feedparser
        # files NYT's media:description, the picture's caption, there).
        caption, content = " ".join(content), []
    if content:
        # Full text given: the description, when it says something else, is the standfirst.
        summary = description[0] if description and description != content[:1] else content[0]
        body = "\n\n".join(content)
    else:
        summary = description[0] if description else ""
        body = "\n\n".join(description[1:])
    dateline = agency = ""
    lead = (body.split("\n\n")[0] if content else summary) if (body or summary) else ""
    if lead and (found := body_dateline(lead, strict=True)):
        dateline, agency = found.place, found.agency
        if content:
            body = body.replace(lead, found.rest, 1)
        summary = found.rest if summary == lead else summary

    # "By Reuters" in dc:creator is the agency; "x@y.com (Name)" is a name.
    author = clean_text(entry.get("author"))
    if named := _EMAIL_NAME.match(author):
        author = named[1].strip()
    author = re.sub(r"(?i)^by\s+", "", author)
    byline = author
    if author and AGENCY_NAME.fullmatch(author):
        agency, byline = agency or re.sub(r"(?i)\s+staff$", "", author), ""

    tags: list[str] = []
    section = ""
    for tag in entry.get("tags", []) or []:
        term = clean_text(tag.get("label") or tag.get("term"))
        if term:
            tags.append(term)
        scheme = tag.get("scheme") or ""
        if not section:
            section = section_from_url(scheme) if scheme.startswith("http") else ""
        for name in (term, clean_text(tag.get("term"))):
            if not section and name and name.lower() in SECTION_ALIASES:
                section = canonical_section(name)
    section = section or section_from_url(url) or channel.section

    return Article(
        id=article_id(url=url),
        url=url,
        title=title,
        summary=summary,
        body=body,
        section=section,
        tags=tuple(dict.fromkeys(tags)),
        published_at=published,
        updated_at=updated if updated and updated != published else None,
        dateline=dateline,
        agency=agency,
        byline=byline,
        image=_image(entry, title, caption) or _markup_image(raw_markup, channel.link, title),
        language=channel.language,
        publisher=outlet or item_publisher(url, channel.own, channel.publisher),
        source=options.source,
    )


def _paragraphs(markup: str, title: str, options: ReadOptions) -> list[str]:
    text = clean_text(markup, keep_paragraphs=True)
    # "Continue reading..." and "Related: <link>" are the feed's navigation, not story;
    # a paragraph that only repeats the headline says nothing new.
    return [
        p
        for p in text.split("\n\n")
        if p and not _NAVIGATION.match(p) and p != title and not options.boilerplate.drops(p)
    ]


def _published(entry: Any, options: ReadOptions, channel: _Channel) -> datetime:
    """When an item was published: its own date (or its updated date), else the
    channel's, else when the feed was read.

    Raises :class:`ValueError` when the item prints a date that cannot be read (``30
    Feb``, a year past 9999): dating it by the moment of reading would make it the
    freshest news of the run.
    """
    unreadable = ""
    for key in ("published", "updated"):
        try:
            found = _entry_time(entry, key, options)
        except ValueError as exc:
            unreadable = unreadable or str(exc)
            continue
        if found is not None:
            return found
    if unreadable:
        raise ValueError(f"item has an unreadable date ({unreadable})")
    # Undated everywhere: the item is as new as its channel or the moment it was read.
    published = channel.time or options.reference_time
    if published is None:
        raise ValueError("item has no usable publication date")
    return published


def _readable_time(entry: Any, key: str, options: ReadOptions) -> datetime | None:
    """:func:`_entry_time`, with an unreadable date taken as none."""
    try:
        return _entry_time(entry, key, options)
    except ValueError:
        return None


def _entry_time(entry: Any, key: str, options: ReadOptions) -> datetime | None:
    """The item's ``key`` date in UTC, ``None`` if it has none.

    Raises :class:`ValueError` naming the date if it has one that cannot be read.
    """
    # dict.get: feedparser's own get() maps a missing "updated" to "published".
    raw = str(dict.get(entry, key) or "")
    struct = dict.get(entry, f"{key}_parsed")
    if struct and _FEEDPARSER_ZONE.search(raw):
        return _from_struct(struct, raw)
    # Our own parse otherwise: feedparser takes zones it does not know ("IST") for
    # UTC, and a time with no zone is in the source's zone, not UTC.
    problem = ""
    if raw:
        try:
            return parse_time(raw, default_zone=options.timezone)
        except ValueError as exc:
            problem = str(exc)
    if struct and not problem.startswith("date out of range"):
        return _from_struct(struct, raw)
    if problem:
        raise ValueError(problem)
    return None


def _from_struct(struct: Any, raw: str) -> datetime:
    try:
        year, month, day, hour, minute, second = struct[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"unreadable date {raw!r}") from None


def _markup_image(markup: str, base: str, title: str) -> Image | None:
    """The first picture in an item's HTML (Indian sites' feeds carry no media tags)."""
    found = _IMG_SRC.search(markup)
    if found is None:
        return None
    url = urljoin(base, html.unescape(found[1])) if base else html.unescape(found[1])
    return Image(url=url, alt=title) if url.startswith(("http://", "https://")) else None


def _image(entry: Any, title: str, description: str = "") -> Image | None:
    candidates = [m for m in entry.get("media_content", []) or [] if m.get("url")]
    candidates += [m for m in entry.get("media_thumbnail", []) or [] if m.get("url")]
    candidates += [
        e for e in entry.get("enclosures", []) or []
        if str(e.get("type", "")).startswith("image/") and e.get("href")
    ]  # fmt: skip
    if not candidates:
        return None
    best = max(candidates, key=lambda m: int(m.get("width") or 0))
    url = best.get("url") or best.get("href") or ""
    if not url.startswith(("http://", "https://")):
        return None
    credit = (
        clean_text(entry.get("media_credit", [{}])[0].get("content", ""))
        if entry.get("media_credit")
        else ""
    )
    caption = f"{description} ({credit})" if description and credit else description or credit
    return Image(url=url, alt=description or title, caption=caption)
