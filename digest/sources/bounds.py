"""Upper bounds on the size of every article field, checked at ingest.

A reader keeps whatever a source gives; a field far beyond anything a news site
prints (a 10,000,000-character headline) would make every later stage slow and
every rendition large, so such an item is kept aside (``skipped``) with a reason
naming the field, its length and the bound.  The bounds are far above real
articles: a headline of 1,000 characters, a body of 200,000.
"""

from __future__ import annotations

from ..model import Article

#: Characters per field (``tags`` also caps their count).
FIELD_LIMITS: dict[str, int] = {
    "id": 200,
    "url": 4_096,
    "title": 1_000,
    "summary": 10_000,
    "body": 200_000,
    "section": 200,
    "dateline": 500,
    "agency": 500,
    "byline": 500,
    "publisher": 500,
    "language": 35,
    "source": 4_096,
    "tag": 200,
    "image.url": 4_096,
    "image.alt": 2_000,
    "image.caption": 2_000,
}
MAX_TAGS = 100


def oversize(article: Article) -> str:
    """Why ``article`` is too big to keep (the first field over its bound), or ``""``."""
    fields: list[tuple[str, str]] = [
        (name, getattr(article, name))
        for name in ("id", "url", "title", "summary", "body", "section", "dateline")
    ]
    fields += [
        (name, getattr(article, name))
        for name in ("agency", "byline", "publisher", "language", "source")
    ]
    if article.image is not None:
        fields += [
            ("image.url", article.image.url),
            ("image.alt", article.image.alt),
            ("image.caption", article.image.caption),
        ]
    fields += [("tag", tag) for tag in article.tags]
    for name, value in fields:
        if len(value) > FIELD_LIMITS[name]:
            return (
                f"{name} is {len(value):,} characters, over the bound of "
                f"{FIELD_LIMITS[name]:,} (kept aside)"
            )
    if len(article.tags) > MAX_TAGS:
        return f"{len(article.tags):,} tags, over the bound of {MAX_TAGS} (kept aside)"
    return ""
