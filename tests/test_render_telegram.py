"""The Telegram rendition: Telegram's HTML parse mode, escaped, within its limits."""

from __future__ import annotations

import dataclasses
import html

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.model import Article, Edition, Image, Pick
from digest.render.telegram import (
    TELEGRAM_CAPTION_MAX,
    TELEGRAM_TAGS,
    TELEGRAM_TEXT_MAX,
    shown_length,
    shown_text,
    tags_used,
)

from .golden.edition import AS_OF, SCRIPT, edition, renderer


def test_only_telegram_tags_and_hostile_text_is_inert() -> None:
    telegram = renderer("en").render(edition()).telegram
    for post in (telegram.text, telegram.caption):
        assert tags_used(post) <= {"a", "b", "i"} <= TELEGRAM_TAGS
        assert "<script" not in post and "<img" not in post
        assert html.escape(SCRIPT).replace("&quot;", "&#34;") in post
        # No javascript: or data: link survives; every link is ours, http(s).
        for href in (part.split('"', 1)[0] for part in post.split('<a href="')[1:]):
            assert href.startswith("https://")
    assert shown_text("<b>AT&amp;T &lt;b&gt;</b>") == "AT&T <b>"


def test_lead_picture_gets_a_caption_within_1024() -> None:
    telegram = renderer("en").render(edition()).telegram
    assert telegram.photo.endswith("/g20-summit.jpg")
    assert 0 < shown_length(telegram.caption) <= TELEGRAM_CAPTION_MAX
    assert shown_length(telegram.text) <= TELEGRAM_TEXT_MAX
    assert telegram.preview_url.startswith("https://www.mid-day.com/news/world-news/article/g20")
    assert "utm_medium=telegram" in telegram.preview_url


def test_no_picture_no_photo() -> None:
    base = edition()
    lead = base.picks[0]
    bare = dataclasses.replace(lead, article=dataclasses.replace(lead.article, image=None))
    telegram = (
        renderer("en").render(dataclasses.replace(base, picks=(bare, *base.picks[1:]))).telegram
    )
    assert telegram.photo == "" and telegram.caption == ""


def test_emoji_outside_the_bmp_count_twice() -> None:
    assert shown_length("🇺🇦") == 4
    assert shown_length("<b>é</b>") == 1


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400),
        min_size=1,
        max_size=30,
    )
)
def test_any_stories_stay_within_the_limits(titles: list[str]) -> None:
    picks = tuple(
        Pick(
            Article(
                id=f"a{n}",
                url=f"https://example.com/{n}?q=<&>",
                title=title.strip() or "x",
                summary=title * 3,
                published_at=AS_OF,
                image=Image("https://example.com/p.jpg"),
            ),
            1.0,
        )
        for n, title in enumerate(titles)
    )
    built = Edition("world-2020-11-23", AS_OF, "Asia/Kolkata", picks)
    telegram = renderer("en").render_telegram(built)
    assert shown_length(telegram.text) <= TELEGRAM_TEXT_MAX
    assert shown_length(telegram.caption) <= TELEGRAM_CAPTION_MAX
    assert tags_used(telegram.text) <= {"a", "b", "i"}
