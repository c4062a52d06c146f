"""One codec for the model's articles and editions to and from plain data.

Plain data is what JSON holds: dicts, lists, strings, numbers, ``None``; times are
ISO 8601 strings (UTC inside `digest`).  The store keeps editions in this form, the
export writes articles in it, and tests build their fixtures from it, so a field
added to :class:`~digest.model.Article` or :class:`~digest.model.Edition` is
written and read back in one place.

Decoding is lenient about records written by older versions: a missing field
takes its default, and a rejection recorded before kinds were kept gets its kind
from the start of its reason.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from .model import Article, CapLift, Edition, Image, LeftOut, Pick, Rejection, to_plain

#: An article, edition, pick or rejection as plain data.
Plain = dict[str, Any]
_ARTICLE_FIELDS = frozenset(f.name for f in dataclasses.fields(Article))


def article_to_plain(article: Article) -> Plain:
    """An article as plain data (every field; times as ISO 8601)."""
    plain: Plain = to_plain(article)
    return plain


def article_from_plain(data: Plain) -> Article:
    """An article from :func:`article_to_plain`'s form.

    Keys that are not fields are ignored, and a field that is missing or ``None``
    takes its default.
    """
    values = {k: v for k, v in data.items() if k in _ARTICLE_FIELDS and v is not None}
    image = values.get("image")
    values.update(
        tags=tuple(values.get("tags", ())),
        published_at=_time(data["published_at"]),
        updated_at=_time(values.get("updated_at")),
        image=Image(**image) if image else None,
        time_from_crawl=bool(values.get("time_from_crawl", False)),
    )
    return Article(**values)


def edition_to_plain(edition: Edition) -> Plain:
    """An edition as plain data: its picks and rejections with their articles."""
    plain: Plain = to_plain(edition)
    return plain


def edition_from_plain(data: Plain) -> Edition:
    """An edition from :func:`edition_to_plain`'s form."""
    as_of = _time(data["as_of"])
    assert as_of is not None
    return Edition(
        id=data["id"],
        as_of=as_of,
        timezone=data["timezone"],
        picks=tuple(pick_from_plain(p) for p in data["picks"]),
        rejections=tuple(rejection_from_plain(r) for r in data.get("rejections", ())),
        window_start=_time(data.get("window_start")),
    )


def pick_from_plain(data: Plain) -> Pick:
    """A pick from its plain form (inside an edition's)."""
    return Pick(
        article=article_from_plain(data["article"]),
        score=data["score"],
        reasons=tuple(data.get("reasons", ())),
        also_reported_by=tuple(data.get("also_reported_by", ())),
        headline=data.get("headline", ""),
        outlet=data.get("outlet", ""),
        cap_lifted=CapLift(lifted) if (lifted := data.get("cap_lifted")) else None,
    )


def rejection_from_plain(data: Plain) -> Rejection:
    """A rejection from its plain form (inside an edition's)."""
    kind = data.get("kind")
    return Rejection(
        article_from_plain(data["article"]),
        data["reason"],
        data.get("score"),
        LeftOut(kind) if kind else LeftOut.of_reason(data["reason"]),
    )


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
