"""The store, on SQLite and on PostgreSQL: upserts by stable id, editions,
deliveries, runs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from digest.model import Article, Delivery, Skipped
from digest.store import FileFingerprint, PushSubscription, Store, Subscriber, open_store

from .conftest import StoreTarget


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


def test_store_survives_reopening(store_target: StoreTarget) -> None:
    with store_target.open() as first:
        first.upsert_articles([article()])
        first.replace_skipped("feed.rss", [Skipped("feed.rss", "item 3", "item has no title")])
    with store_target.open() as second:
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


def test_every_call_raises_store_error_when_the_backend_fails(store_target: StoreTarget) -> None:
    """Reads as well as writes: nothing backend-specific (sqlite3.Error,
    psycopg.Error) escapes."""
    from digest.errors import StoreError
    from digest.model import (
        Delivery,
        Edition,
        EmailRendition,
        PushRendition,
        Renditions,
        RunStatus,
        TelegramRendition,
        WhatsAppRendition,
    )

    store = store_target.open()
    store.close()  # every statement now fails inside the driver
    moment = datetime(2020, 11, 23, tzinfo=UTC)
    calls = {
        "upsert_articles": lambda: store.upsert_articles([article()]),
        "articles_between": lambda: store.articles_between(moment, moment + timedelta(1)),
        "article": lambda: store.article("x"),
        "article_ids_starting": lambda: store.article_ids_starting("x"),
        "count_articles": store.count_articles,
        "replace_skipped": lambda: store.replace_skipped("s", []),
        "skipped": store.skipped,
        "http_validators": lambda: store.http_validators("https://example.com/"),
        "remember_validators": lambda: store.remember_validators("https://e.com/", "e", ""),
        "save_edition": lambda: store.save_edition(Edition("e", moment, "UTC", ())),
        "save_renditions": lambda: store.save_renditions(
            Renditions(
                "e",
                EmailRendition("s", "p", "<p>h</p>", "t"),
                PushRendition("t", "b", "https://example.com/"),
                WhatsAppRendition("w"),
                TelegramRendition("t"),
            )
        ),
        "edition_data": lambda: store.edition_data("e"),
        "edition": lambda: store.edition("e"),
        "picked_articles": lambda: store.picked_articles(moment, moment),
        "last_sent_edition": lambda: store.last_sent_edition(moment, other_than="e"),
        "delivered_edition_ids": store.delivered_edition_ids,
        "delivered_editions": store.delivered_editions,
        "delivery": lambda: store.delivery("e", "s", "r"),
        "deliveries": store.deliveries,
        "register_deliveries": lambda: store.register_deliveries("e", "s", ["r"]),
        "record_deliveries": lambda: store.record_deliveries("e", "s", [Delivery("e", "s", "r")]),
        "delivery_counts": store.delivery_counts,
        "claim_deliveries": lambda: store.claim_deliveries(
            "e", "s", ["r"], "me", lease_seconds=60, now=datetime.now(UTC)
        ),
        "claimed_deliveries": lambda: store.claimed_deliveries("e", "s"),
        "renew_claims": lambda: store.renew_claims(
            "e", "s", ["r"], "me", lease_seconds=60, now=datetime.now(UTC)
        ),
        "release_claims": lambda: store.release_claims("e", "s", ["r"], "me"),
        "drop_deliveries": lambda: store.drop_deliveries("e", "s", ["r"], "me"),
        "active_subscribers": lambda: store.active_subscribers("default", ["a@example.com"]),
        "was_mailed": lambda: store.was_mailed("a@example.com"),
        "permanent_failures": lambda: store.permanent_failures("e", "s"),
        "start_run": lambda: store.start_run("e"),
        "finish_run": lambda: store.finish_run(1, RunStatus.DONE),
        "runs": store.runs,
        "last_run_status": lambda: store.last_run_status("e"),
        "fail_running": lambda: store.fail_running("e", "why"),
        "acquire_lock": lambda: store.acquire_lock("e", "me", 60),
        "renew_lock": lambda: store.renew_lock("e", "me", 60),
        "take_lock": lambda: store.take_lock("e", "them", "me", 60),
        "release_lock": lambda: store.release_lock("e", "me"),
        "add_subscribers": lambda: store.add_subscribers([Subscriber("a@example.com")]),
        "unsubscribe": lambda: store.unsubscribe("a@example.com"),
        "subscriber": lambda: store.subscriber("a@example.com"),
        "iter_subscribers": lambda: list(store.iter_subscribers()),
        "count_subscribers": store.count_subscribers,
        "lists_of": lambda: store.lists_of("a@example.com"),
        "is_active": lambda: store.is_active("a@example.com"),
        "set_lists": lambda: store.set_lists("a@example.com", ["x"], source="t"),
        "history": lambda: store.history("a@example.com"),
        "record_signup": lambda: store.record_signup("a@example.com", source="t"),
        "confirm_subscriber": lambda: store.confirm_subscriber(
            "a@example.com", name="", lists=["x"], source="t"
        ),
        "record_bounce": lambda: store.record_bounce("a@example.com", "hard", source="t"),
        "suppression": lambda: store.suppression("a@example.com"),
        "suppressions": store.suppressions,
        "first_time": lambda: store.first_time("k"),
        "save_push_subscription": lambda: store.save_push_subscription(
            PushSubscription("https://push.example/1", "k", "a")
        ),
        "delete_push_subscriptions": lambda: store.delete_push_subscriptions(["webpush:x"]),
        "push_subscriptions": lambda: list(store.push_subscriptions()),
        "count_push_subscriptions": store.count_push_subscriptions,
        "file_fingerprint": lambda: store.file_fingerprint("/x"),
        "remember_file": lambda: store.remember_file("/x", FileFingerprint(1, 1, "h", "s")),
        "delivery_totals": store.delivery_totals,
        "deliveries_pruned": lambda: store.deliveries_pruned("e"),
        "prunable_deliveries": lambda: store.prunable_deliveries(moment, now=moment),
        "prune_deliveries": lambda: store.prune_deliveries("e", limit=10, now=moment),
        "prunable_editions": lambda: store.prunable_editions(moment),
        "delete_edition": lambda: store.delete_edition("e"),
        "slim_edition": lambda: store.slim_edition("e", now=moment),
        "prune_runs": lambda: store.prune_runs(moment),
    }
    escaped = []
    for name, call in calls.items():
        try:
            call()
        except StoreError:
            continue
        except Exception as exc:
            escaped.append(f"{name}: {type(exc).__name__}")
        else:
            escaped.append(f"{name}: no error")
    assert escaped == []
    # Every method of the protocol is tried (record_run is start_run + finish_run).
    lifecycle = {"close", "reopen", "record_run"}
    members = {n for n in dir(Store) if not n.startswith("_")} - lifecycle
    assert members == set(calls)


def test_the_sqlite_store_is_a_store() -> None:
    from digest.store import Store
    from digest.store.protocol import Store as ProtocolStore

    assert Store is ProtocolStore
    store: Store = open_store(":memory:")  # mypy checks the protocol here
    with store:
        assert store.reopen() is None  # an in-memory store cannot be shared


def test_a_reopened_store_is_another_connection_to_the_same_data(
    store_target: StoreTarget,
) -> None:
    with store_target.open() as first:
        second = first.reopen()
        assert second is not None
        with second:
            first.upsert_articles([article()])
            assert second.article("a1") == first.article("a1") == article()


def test_addresses_compare_without_case_and_ids_byte_by_byte(store: Store) -> None:
    """SQLite's NOCASE and BINARY, as PostgreSQL's citext and "C" collation give them."""
    store.add_subscribers([Subscriber("Ann@Example.org"), Subscriber("bob@example.org")])
    found = store.subscriber("ann@EXAMPLE.org")
    assert found is not None and found.address == "Ann@Example.org"
    assert store.add_subscribers([Subscriber("ANN@example.org")]).new == 0
    assert [s.address for s in store.iter_subscribers()] == ["Ann@Example.org", "bob@example.org"]
    store.upsert_articles([article(id=i) for i in ("b", "B", "a-2", "a_1", "a.3")])
    assert store.article_ids_starting("") == sorted(["b", "B", "a-2", "a_1", "a.3"])
    assert store.article_ids_starting("a_") == ["a_1"]  # "_" is not a wildcard


def test_times_come_back_in_utc_and_in_order(store: Store) -> None:
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    on_the_second = datetime(2020, 11, 23, 4, 0, tzinfo=paris)
    store.upsert_articles(
        [
            article(id="whole", published_at=on_the_second),
            article(id="half", published_at=on_the_second + timedelta(microseconds=500_000)),
            article(id="before", published_at=on_the_second - timedelta(microseconds=1)),
        ]
    )
    found = store.articles_between(on_the_second - timedelta(hours=1), on_the_second + timedelta(1))
    assert [a.id for a in found] == ["half", "whole", "before"]
    assert found[1].published_at == on_the_second
    assert found[1].published_at.utcoffset() == timedelta(0)


def test_registering_again_keeps_what_is_there_and_adds_the_rest(store: Store) -> None:
    from digest.model import Delivery

    store.register_deliveries("e", "mail", ["a@x.org", "b@x.org"])
    store.record_deliveries("e", "mail", [Delivery("e", "mail", "a@x.org", "sent", attempts=1)])
    got = store.register_deliveries("e", "mail", ["a@x.org", "b@x.org", "c@x.org", "c@x.org"])
    assert got == {"a@x.org": ("sent", 1), "b@x.org": ("pending", 0), "c@x.org": ("pending", 0)}
    assert store.register_deliveries("e", "mail", []) == {}
    assert store.delivery_counts("e") == {("e", "mail"): {"sent": 1, "failed": 0, "pending": 2}}


def test_two_connections_registering_the_same_recipients_at_once(
    store_target: StoreTarget,
) -> None:
    import threading

    recipients = [f"r{i}@x.org" for i in range(500)]
    start = threading.Barrier(2, timeout=30)
    answers: list[dict[str, tuple[str, int]]] = []
    errors: list[BaseException] = []

    def register(shift: int) -> None:
        with store_target.open() as own:
            start.wait()
            try:
                answers.append(own.register_deliveries("e", "mail", recipients[shift:]))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=register, args=(n,)) for n in (0, 250)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(len(a) for a in answers) == [250, 500]
    with store_target.open() as store:
        assert len(store.deliveries("e")) == 500


def test_registering_deliveries_reports_each_recipients_standing(store: Store) -> None:
    # A first page is all new; a page mixing new and recorded recipients reads
    # the recorded ones back, whatever their outcome.
    first = store.register_deliveries("e", "s", ["a@x.org", "b@x.org"])
    assert first == {"a@x.org": ("pending", 0), "b@x.org": ("pending", 0)}
    store.record_deliveries("e", "s", [Delivery("e", "s", "a@x.org", "sent", 1)])
    mixed = store.register_deliveries("e", "s", ["a@x.org", "b@x.org", "c@x.org", "c@x.org"])
    assert mixed == {"a@x.org": ("sent", 1), "b@x.org": ("pending", 0), "c@x.org": ("pending", 0)}
