"""JSON Feed 1.1 documents and plain JSON lists of articles.

A plain list holds objects with the :class:`~digest.model.Article` field names
(``url``, ``title``, ``summary``, ``body``, ``section``, ``published_at``...; times
in ISO 8601 with an offset).  JSON Feed items may carry a ``_digest`` extension
object with ``section``, ``dateline``, ``agency`` and ``publisher``.

An aggregated feed carries many outlets' items: an item's publisher is its own
(``_digest.publisher``, or a ``source`` name as news APIs give it), else, for an
item on another site than the feed's own (its ``home_page_url``, and the site most
of its items are on), that site's host name.  Only the feed's own items are named
after the feed, or after the ``publisher`` the config gives the source.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..errors import SourceError
from ..model import Article, Image, Skipped, SourceResult
from .base import ReadOptions
from .normalise import (
    article_id,
    canonical_section,
    clean_text,
    item_error,
    item_publisher,
    own_sites,
    parse_time,
    section_from_url,
)


def read_json(data: bytes, options: ReadOptions) -> SourceResult:
    """Parse a JSON Feed or a JSON list of articles; bad items are skipped with a
    reason.  Raises :class:`SourceError` if the document is neither."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SourceError(options.source, "JSON is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise SourceError(options.source, f"invalid JSON: {exc}") from None

    if isinstance(document, dict) and str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        items = document.get("items")
        if not isinstance(items, list):
            raise SourceError(options.source, "JSON Feed has no 'items' list")
        publisher = options.publisher or clean_text(document.get("title"))
        language = str(document.get("language") or "en")
        convert = _feed_item
        home = str(document.get("home_page_url") or "")
    elif isinstance(document, list):
        items, publisher, language, convert = document, options.publisher, "en", _plain_item
        home = ""
    else:
        raise SourceError(options.source, "neither a JSON Feed nor a list of articles")

    own = own_sites((_link(item) for item in items if isinstance(item, dict)), home)
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for index, item in enumerate(items):
        name = f"item {index + 1}"
        if isinstance(item, dict) and isinstance(item.get("id") or item.get("url"), str):
            name = str(item.get("id") or item.get("url"))
        try:
            if not isinstance(item, dict):
                raise ValueError("item is not a JSON object")
            article = convert(item, options, _own_publisher(item, publisher, own), language)
            articles.append(article)
        except Exception as exc:  # one bad item skips itself, never the feed
            skipped.append(Skipped(options.source, name[:200], item_error(exc)))
    return SourceResult(options.source, tuple(articles), tuple(skipped))


def _own_publisher(item: dict[str, Any], publisher: str, own: frozenset[str]) -> str:
    """The item's own publisher in an aggregated feed (see the module docstring)."""
    ext = item.get("_digest")
    named = ext.get("publisher") if isinstance(ext, dict) else None
    source = item.get("source")
    if isinstance(source, dict):
        source = source.get("name") or source.get("title")
    for candidate in (named, source):
        if isinstance(candidate, str) and clean_text(candidate):
            return clean_text(candidate)
    return item_publisher(_link(item), own, publisher)


def _link(item: dict[str, Any]) -> str:
    url = item.get("url") or item.get("external_url")
    return url if isinstance(url, str) else ""


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string")
    return value


def _time(item: dict[str, Any], key: str, options: ReadOptions) -> datetime | None:
    raw = _text(item, key)
    return parse_time(raw, default_zone=options.timezone) if raw else None


def _feed_item(
    item: dict[str, Any], options: ReadOptions, publisher: str, language: str
) -> Article:
    ext = item.get("_digest") if isinstance(item.get("_digest"), dict) else {}
    assert isinstance(ext, dict)
    url = _text(item, "url") or _text(item, "external_url")
    title = clean_text(_text(item, "title"))
    if not title:
        raise ValueError("item has no title")
    if not url.startswith(("http://", "https://")):
        raise ValueError("item has no http(s) url")
    published = _time(item, "date_published", options) or _time(item, "date_modified", options)
    if published is None:
        raise ValueError("item has no date_published")
    body = clean_text(_text(item, "content_text"), keep_paragraphs=True) or clean_text(
        _text(item, "content_html"), keep_paragraphs=True
    )
    summary = clean_text(_text(item, "summary"))
    if not summary and body:
        summary = body.split("\n\n")[0]
    tags = tuple(clean_text(t) for t in item.get("tags") or [] if isinstance(t, str))
    section_label = clean_text(str(ext.get("section") or ""))
    section = canonical_section(section_label) if section_label else ""
    if not section:
        section = next((canonical_section(t) for t in tags if canonical_section(t) == "world"), "")
    section = section or section_from_url(url)
    authors = item.get("authors") or []
    byline = ", ".join(
        clean_text(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")
    )
    image_url = _text(item, "image") or _text(item, "banner_image")
    updated = _time(item, "date_modified", options)
    return Article(
        id=article_id(url=url),
        url=url,
        title=title,
        summary=summary,
        body=body,
        section=section,
        tags=tags,
        published_at=published,
        updated_at=updated if updated and updated != published else None,
        dateline=clean_text(str(ext.get("dateline") or "")),
        agency=clean_text(str(ext.get("agency") or "")),
        byline=byline,
        image=Image(url=image_url, alt=title) if image_url.startswith("http") else None,
        language=str(item.get("language") or language).split("-")[0].lower(),
        publisher=publisher,
        source=options.source,
    )


def _plain_item(
    item: dict[str, Any], options: ReadOptions, publisher: str, language: str
) -> Article:
    url = _text(item, "url")
    title = clean_text(_text(item, "title"))
    if not title:
        raise ValueError("item has no title")
    if not url.startswith(("http://", "https://")):
        raise ValueError("item has no http(s) url")
    published = _time(item, "published_at", options)
    if published is None:
        raise ValueError("item has no published_at")
    raw_image = item.get("image")
    image = None
    if isinstance(raw_image, dict) and str(raw_image.get("url", "")).startswith("http"):
        image = Image(
            url=str(raw_image["url"]),
            alt=clean_text(str(raw_image.get("alt") or "")) or title,
            caption=clean_text(str(raw_image.get("caption") or "")),
        )
    section_label = clean_text(_text(item, "section"))
    tags = item.get("tags") or []
    if not isinstance(tags, list):
        raise ValueError("'tags' must be a list")
    return Article(
        id=article_id(url=url),
        url=url,
        title=title,
        summary=clean_text(_text(item, "summary")),
        body=clean_text(_text(item, "body"), keep_paragraphs=True),
        section=canonical_section(section_label) if section_label else section_from_url(url),
        tags=tuple(clean_text(str(t)) for t in tags),
        published_at=published,
        updated_at=_time(item, "updated_at", options),
        dateline=clean_text(_text(item, "dateline")),
        agency=clean_text(_text(item, "agency")),
        byline=clean_text(_text(item, "byline")),
        image=image,
        language=(_text(item, "language") or language).split("-")[0].lower(),
        publisher=clean_text(_text(item, "publisher")) or publisher,
        source=_text(item, "source") or options.source,
    )
