"""Article HTML pages: the story extracted with trafilatura, times from the page's
own metadata (``article:published_time``, JSON-LD, ``<time datetime>``).

A DOCTYPE with entities is refused before parsing (see :mod:`.prolog`); the page is
then parsed once by lxml's HTML parser, which never touches the network; scripts
are never run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..errors import SourceError
from ..model import Article, Image, SourceResult
from .base import FETCHED_NOTE_LABEL, ReadOptions
from .errorpage import refuse_error_page
from .normalise import article_id, canonical_section, clean_text, parse_time, section_from_url
from .prolog import without_doctype

_PUBLISHED = (
    "article:published_time", "og:article:published_time", "datePublished",
    "pubdate", "publish-date", "dc.date.issued", "date",
)  # fmt: skip
_MODIFIED = ("article:modified_time", "og:updated_time", "dateModified", "last-modified")
#: A crawler's note of when it saved the page, as the text dumps' ``fetched_at:``
#: line: on a line of its own before the markup, or in a comment near the top
#: (``<!-- fetched_at: 2020-11-23T06:00:00Z -->``).
_FETCHED_NOTE = rb"[ \t]*" + FETCHED_NOTE_LABEL.encode() + rb"[ \t]*:[ \t]*"
#: The line may open a file that starts with a UTF-8 byte order mark (kept).
_FETCHED_LINE = re.compile(
    rb"^(?:\xef\xbb\xbf)?(?P<line>" + _FETCHED_NOTE + rb"(?P<when>[^<>\r\n]+?)\s*)$", re.I | re.M
)
_FETCHED_COMMENT = re.compile(rb"<!--" + _FETCHED_NOTE + rb"(?P<when>[^<>]+?)\s*-->", re.I)
#: Control characters XML forbids: libxml2 stops reading the body at one (a stray
#: backspace in a page's text left trafilatura no article), so they are dropped,
#: as trafilatura's own loader does.  In bytes of an unknown encoding, escape
#: (ISO-2022-JP) is kept, and bytes holding a nul (UTF-16 or UTF-32, where
#: 0x01-0x1f are halves of letters: Cyrillic "М" is 1c 04) are left whole.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]")
#: How far into the file the comment is looked for (the head's first lines).
_FETCHED_REACH = 2048


def read_html(data: bytes, options: ReadOptions) -> SourceResult:
    """Extract the main article of an HTML page.

    A page without a canonical URL is identified by its source and title; one
    without a readable publication time is dated by its crawl (a crawler's
    ``fetched_at:`` note atop the file, else ``options.reference_time``: the
    fetch, or the file's modification time, else the time it is read) and
    flagged (``Article.time_from_crawl``), never refused.

    Raises :class:`SourceError` naming the file when no article text or title is
    found, or when the page is a server's error page (``404 Not Found`` over a
    few lines).
    """
    import trafilatura  # slow to import; only HTML sources need it

    data, options = _crawl_note(data, options)
    data = without_doctype(data, options.source, "HTML page")
    markup: bytes | str = data if b"\x00" in data else _CONTROL_BYTES.sub(b"", data)
    # Bytes that are valid UTF-8 are UTF-8, whatever a <meta charset> claims;
    # anything else is left to the page's declaration.
    with contextlib.suppress(UnicodeDecodeError):
        markup = _CONTROL_CHARS.sub("", data.decode("utf-8-sig"))
    try:
        tree = lxml_html.document_fromstring(markup, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(options.source, f"not an HTML page ({exc})") from None
    times = _page_times(tree)
    try:
        extracted = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            # trafilatura's own defaults (tables kept: they are often the story's
            # figures), only reader comments left out.
            include_comments=False,
            # Only dates the page states: no guess from a copyright year or a URL.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise SourceError(options.source, f"cannot extract article ({exc})") from None
    document: dict[str, Any] = {}
    if isinstance(extracted, dict):
        document = extracted
    elif extracted is not None:
        document = extracted.as_dict()
    if not document.get("text"):
        raise SourceError(options.source, "no article text found in HTML page")
    title = clean_text(document.get("title"))
    url = document.get("url") or ""
    if not title:
        raise SourceError(options.source, "HTML page has no title")
    if not url.startswith(("http://", "https://")):
        url = ""
    published = _time(times.get("published") or document.get("date"), options)
    crawled = published is None
    if published is None:
        # No crawl time given (no file time, no note): the page is being read
        # now.  The clock is the options' (injected), in UTC as every article time.
        published = (options.reference_time or options.clock()).astimezone(UTC)
    updated = _time(times.get("modified"), options)
    byline = clean_text(document.get("author"))
    paragraphs = [clean_text(p) for p in str(document["text"]).split("\n")]
    # trafilatura keeps the headline and the byline line as the first paragraphs.
    while paragraphs and (
        not paragraphs[0] or paragraphs[0] == title or _is_byline(paragraphs[0], byline)
    ):
        paragraphs.pop(0)
    body = "\n\n".join(p for p in paragraphs if p)
    refuse_error_page(options.source, title, body)
    categories = [clean_text(c) for c in (document.get("categories") or []) if c]
    section = next((canonical_section(c) for c in categories), "") or section_from_url(url)
    image_url = document.get("image") or ""
    article = Article(
        id=article_id(url=url) if url else article_id(source=options.publisher, guid=title),
        url=url,
        title=title,
        summary=clean_text(document.get("description")),
        body=body,
        section=section,
        tags=tuple(categories + [clean_text(t) for t in document.get("tags") or []]),
        published_at=published,
        updated_at=updated if updated and updated != published else None,
        byline=byline,
        image=Image(url=image_url, alt=title) if image_url.startswith("http") else None,
        language=str(document.get("language") or "en").split("-")[0].lower(),
        publisher=options.publisher or clean_text(document.get("sitename")),
        source=options.source,
        time_from_crawl=crawled,
    )
    return SourceResult(options.source, (article,))


def _crawl_note(data: bytes, options: ReadOptions) -> tuple[bytes, ReadOptions]:
    """The markup without a crawler's ``fetched_at:`` line before it, and the
    options with the crawl time the line or a comment atop the head gives.  An
    unreadable note leaves the file's time in place (as in page dumps)."""
    head = data[: min(_FETCHED_REACH, max(data.find(b"<"), 0))]
    noted = _FETCHED_LINE.search(head)
    if noted is not None:
        data = data[: noted.start("line")] + data[noted.end("line") :]
    else:
        noted = _FETCHED_COMMENT.search(data[:_FETCHED_REACH])
    if noted is not None:
        fetched = _time(noted["when"].decode("ascii", "replace"), options)
        if fetched is not None:
            options = dataclasses.replace(options, reference_time=fetched.astimezone(UTC))
    return data, options


def _parser() -> lxml_html.HTMLParser:
    # Defaults spelled out: no network, no huge-tree mode.
    return lxml_html.HTMLParser(no_network=True, huge_tree=False)


def _is_byline(line: str, author: str) -> bool:
    return bool(author) and line.lower().startswith("by ") and author.lower() in line.lower()


def _time(value: Any, options: ReadOptions) -> datetime | None:
    if not value:
        return None
    try:
        return parse_time(str(value), default_zone=options.timezone)
    except ValueError:
        return None


def _page_times(tree: Any) -> dict[str, str]:
    """Publication and modification times the page states about itself."""
    found: dict[str, str] = {}
    metas = {
        (m.get("property") or m.get("name") or m.get("itemprop") or "").lower(): m.get("content")
        for m in tree.iter("meta")
    }
    for key, names in (("published", _PUBLISHED), ("modified", _MODIFIED)):
        value = next((metas[n.lower()] for n in names if metas.get(n.lower())), None)
        if value:
            found[key] = value
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                for key, name in (("published", "datePublished"), ("modified", "dateModified")):
                    if isinstance(item.get(name), str):
                        found.setdefault(key, item[name])
    if "published" not in found:
        stamp = next((t.get("datetime") for t in tree.iter("time") if t.get("datetime")), None)
        if stamp:
            found["published"] = stamp
    return found
