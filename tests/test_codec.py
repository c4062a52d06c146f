"""The one codec for articles and editions to and from plain data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from digest.codec import (
    article_from_plain,
    article_to_plain,
    edition_from_plain,
    edition_to_plain,
)
from digest.model import Article, CapLift, Edition, Image, LeftOut, Pick, Rejection

WHEN = datetime(2020, 11, 23, 3, 25, tzinfo=UTC)


def story(article_id: str, **changes: object) -> Article:
    fields: dict[str, object] = {
        "id": article_id,
        "url": f"https://example.com/{article_id}",
        "title": f"Story {article_id}",
        "published_at": WHEN,
        "tags": ("a", "b"),
        "image": Image("https://example.com/p.jpg", "alt"),
        **changes,
    }
    return Article(**fields)  # type: ignore[arg-type]


def test_an_article_survives_json_both_ways() -> None:
    article = story("x", updated_at=WHEN, time_from_crawl=True, byline="A. Writer")
    assert article_from_plain(json.loads(json.dumps(article_to_plain(article)))) == article


def test_an_edition_survives_json_both_ways() -> None:
    edition = Edition(
        id="world-2020-11-23",
        as_of=WHEN,
        timezone="Asia/Kolkata",
        picks=(
            Pick(story("a"), 2.5, ("3 outlets",), ("Reuters",), "Headline", "AP"),
            Pick(story("c"), 1.5, ("cap lifted",), cap_lifted=CapLift.BREADTH),
        ),
        rejections=(Rejection(story("b"), "ranked below a", 0.1, LeftOut.RANKED_BELOW),),
        window_start=WHEN,
    )
    assert edition_from_plain(json.loads(json.dumps(edition_to_plain(edition)))) == edition


def test_old_records_read_with_defaults_and_kinds_from_reasons() -> None:
    plain = edition_to_plain(
        Edition(
            "e",
            WHEN,
            "UTC",
            (Pick(story("a"), 1.0, cap_lifted=CapLift.BREADTH),),
            (Rejection(story("b"), "not World News: sports"),),
        )
    )
    del plain["window_start"]
    # Stored before picks were flagged past a diversity cap (stop 32).
    del plain["picks"][0]["cap_lifted"]
    del plain["rejections"][0]["kind"]
    del plain["rejections"][0]["article"]["time_from_crawl"]
    plain["rejections"][0]["article"]["dateline"] = None
    edition = edition_from_plain(plain)
    assert edition.window_start is None
    assert edition.picks[0].cap_lifted is None
    (rejection,) = edition.rejections
    assert rejection.kind is LeftOut.NOT_WORLD
    assert rejection.article.dateline == ""
    assert rejection.article.time_from_crawl is False
