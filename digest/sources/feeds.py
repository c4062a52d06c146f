"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser from bytes we fetched.

feedparser is only ever handed bytes (never a URL or path), so nothing in a
feed can make it read a file or open a connection.  DOCTYPEs are refused before
parsing: a news feed has no use for one, and they carry entity bombs and external
entity references.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..errors import SourceError
from ..model import Article, Image, Skipped, SourceResult
from .base import ReadOptions
from .normalise import (
    article_id,
    canonical_section,
    clean_text,
    parse_time,
    section_from_url,
)

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)


def read_feed(data: bytes, options: ReadOptions) -> SourceResult:
    """Parse an RSS or Atom document into articles; bad entries are skipped with a
    reason.  Raises :class:`SourceError` if the bytes are not a feed."""
    head = data[:4096].lstrip()
    if _DOCTYPE.search(data[:65536]):
        raise SourceError(options.source, "feed has a DOCTYPE (refused: entity expansion risk)")
    if not head.startswith((b"<", b"\xef\xbb\xbf<")):
        raise SourceError(options.source, "not an XML feed")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "no RSS or Atom structure")
        raise SourceError(options.source, f"not an RSS or Atom feed ({reason})")
    feed_title = clean_text(parsed.feed.get("title", ""))
    publisher = options.publisher or feed_title
    language = (parsed.feed.get("language") or "en").split("-")[0].lower()

    articles: list[Article] = []
    skipped: list[Skipped] = []
    for index, entry in enumerate(parsed.entries):
        label = clean_text(entry.get("id") or entry.get("link") or entry.get("title") or "")
        item = label or f"item {index + 1}"
        try:
            articles.append(_article(entry, options, publisher, language))
        except ValueError as exc:
            skipped.append(Skipped(options.source, item, str(exc)))
    return SourceResult(options.source, tuple(articles), tuple(skipped))


def _article(entry: Any, options: ReadOptions, publisher: str, language: str) -> Article:
    title = clean_text(entry.get("title"))
    url = (entry.get("link") or "").strip()
    if not title:
        raise ValueError("item has no title")
    if not url.startswith(("http://", "https://")):
        raise ValueError("item has no http(s) link")
    published = _entry_time(entry, "published", options) or _entry_time(entry, "updated", options)
    if published is None:
        raise ValueError("item has no usable publication date")
    updated = _entry_time(entry, "updated", options)

    description = entry.get("summary") or ""
    content = "".join(c.get("value", "") for c in entry.get("content", []) or [])
    paragraphs = clean_text(content or description, keep_paragraphs=True).split("\n\n")
    paragraphs = [p for p in paragraphs if p and not p.lower().startswith("continue reading")]
    summary = paragraphs[0] if paragraphs else ""
    body = "\n\n".join(paragraphs[1:] if not content else paragraphs)

    tags: list[str] = []
    section = ""
    for tag in entry.get("tags", []) or []:
        term = clean_text(tag.get("term") or tag.get("label"))
        if term:
            tags.append(term)
        scheme = tag.get("scheme") or ""
        if not section:
            section = section_from_url(scheme) if scheme.startswith("http") else ""
        if not section and term and canonical_section(term) in ("world",):
            section = "world"
    section = section or section_from_url(url)

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
        byline=clean_text(entry.get("author")),
        image=_image(entry, title),
        language=language,
        publisher=publisher,
        source=options.source,
    )


def _entry_time(entry: Any, key: str, options: ReadOptions) -> datetime | None:
    struct = entry.get(f"{key}_parsed")
    if struct:
        year, month, day, hour, minute, second = struct[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    raw = entry.get(key)
    if raw:
        try:
            return parse_time(raw, default_zone=options.timezone)
        except ValueError:
            return None
    return None


def _image(entry: Any, title: str) -> Image | None:
    candidates = [m for m in entry.get("media_content", []) or [] if m.get("url")]
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
    caption = (
        clean_text(entry.get("media_credit", [{}])[0].get("content", ""))
        if entry.get("media_credit")
        else ""
    )
    return Image(url=url, alt=title, caption=caption)
