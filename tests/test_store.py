"""The SQLite store: upserts by stable id, editions, deliveries, runs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.model import Article, Skipped
from digest.store import Store, open_store


def article(**changes: object) -> Article:
    base = Article(
        id="a1",
        url="https://news.example/world/2020/11/23/story",
        title="Talks resume in Geneva",
        summary="Diplomats return to the table.",
        body="First paragraph.\n\nSecond paragraph.",
        section="world",
        published_at=datetime(2020, 11, 23, 3, 0, tzinfo=UTC),
        agency="Reuters",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_upsert_counts_new_unchanged_and_updated(store: Store) -> None:
    assert store.upsert_articles([article()]).new == 1
    assert store.upsert_articles([article()]).unchanged == 1
    later = datetime(2020, 11, 23, 5, 0, tzinfo=UTC)
    counts = store.upsert_articles(
        [article(title="Talks resume in Geneva, with a deal", updated_at=later)]
    )
    assert (counts.new, counts.updated) == (0, 1)
    assert store.count_articles() == 1
    stored = store.article("a1")
    assert stored is not None
    assert stored.title.endswith("with a deal")
    assert stored.updated_at == later


def test_articles_round_trip_with_every_field(store: Store) -> None:
    from digest.model import Image

    original = article(
        tags=("Geneva", "Diplomacy"),
        dateline="Geneva",
        byline="A. Writer",
        image=Image("https://img.example/a.jpg", "Delegates", "Delegates arrive. Pic/AFP"),
        language="en",
        publisher="Global Wire",
        source="feed.rss",
        updated_at=datetime(2020, 11, 23, 4, 0, tzinfo=UTC),
    )
    store.upsert_articles([original])
    assert store.article("a1") == original


def test_articles_between_uses_published_or_updated_time(store: Store) -> None:
    t = datetime(2020, 11, 23, 3, 0, tzinfo=UTC)
    store.upsert_articles(
        [
            article(id="old", published_at=t - timedelta(days=2)),
            article(id="bumped", published_at=t - timedelta(days=2), updated_at=t),
            article(id="fresh", published_at=t),
        ]
    )
    found = {a.id for a in store.articles_between(t - timedelta(hours=1), t + timedelta(hours=1))}
    assert found == {"bumped", "fresh"}


def test_store_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as first:
        first.upsert_articles([article()])
        first.record_skipped([Skipped("feed.rss", "item 3", "item has no title")])
    with open_store(path) as second:
        assert second.count_articles() == 1
        assert second.skipped() == [Skipped("feed.rss", "item 3", "item has no title")]


def test_delivery_is_recorded_before_and_after(store: Store) -> None:
    from digest.model import Delivery

    edition = "world-2020-11-23"
    assert store.register_deliveries(edition, "out", ["out"]) == {"out": ("pending", 0)}
    store.record_deliveries(
        edition, "out", [Delivery(edition, "out", "out", "sent", attempts=1, provider_id="x1")]
    )
    # Registering again (a restart) leaves a finished delivery as it was.
    assert store.register_deliveries(edition, "out", ["out"]) == {"out": ("sent", 1)}
    again = store.delivery(edition, "out", "out")
    assert again is not None
    assert (again.status, again.attempts, again.provider_id) == ("sent", 1, "x1")
