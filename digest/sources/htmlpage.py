"""Article HTML pages, extracted with trafilatura."""

from __future__ import annotations

from typing import Any

from ..errors import SourceError
from ..model import Article, Image, SourceResult
from .base import ReadOptions
from .normalise import article_id, canonical_section, clean_text, parse_time, section_from_url


def read_html(data: bytes, options: ReadOptions) -> SourceResult:
    """Extract the main article of an HTML page.

    Raises :class:`SourceError` when no article text, title, URL or date is found.
    """
    import trafilatura  # slow to import; only HTML sources need it

    try:
        extracted = trafilatura.bare_extraction(
            data.decode("utf-8", errors="replace"),
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            as_dict=True,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise SourceError(options.source, f"cannot extract article ({exc})") from None
    document: dict[str, Any] = extracted if isinstance(extracted, dict) else {}
    if not document or not document.get("text"):
        raise SourceError(options.source, "no article text found in HTML page")
    title = clean_text(document.get("title"))
    url = document.get("url") or ""
    if not title:
        raise SourceError(options.source, "HTML page has no title")
    if not url.startswith(("http://", "https://")):
        raise SourceError(options.source, "HTML page has no canonical http(s) URL")
    date = document.get("date")
    if not date:
        raise SourceError(options.source, "HTML page has no publication date")
    try:
        published = parse_time(date, default_zone=options.timezone)
    except ValueError as exc:
        raise SourceError(options.source, str(exc)) from None
    paragraphs = [p.strip() for p in str(document["text"]).split("\n") if p.strip()]
    categories = [clean_text(c) for c in (document.get("categories") or []) if c]
    section = next((canonical_section(c) for c in categories), "") or section_from_url(url)
    image_url = document.get("image") or ""
    return SourceResult(
        options.source,
        (
            Article(
                id=article_id(url=url),
                url=url,
                title=title,
                summary=clean_text(document.get("description")),
                body="\n\n".join(paragraphs),
                section=section,
                tags=tuple(categories + [clean_text(t) for t in document.get("tags") or []]),
                published_at=published,
                byline=clean_text(document.get("author")),
                image=Image(url=image_url, alt=title) if image_url.startswith("http") else None,
                language=str(document.get("language") or "en"),
                publisher=options.publisher or clean_text(document.get("sitename")),
                source=options.source,
            ),
        ),
    )
