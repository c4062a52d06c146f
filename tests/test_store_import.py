"""``add_subscribers`` (a few statements a page) against the sequential import it
replaced (a SELECT, then an INSERT or UPDATE, per subscriber), on random import
sequences, on both stores: the same counts, rows, lists and history.

Both run in the same store, on two domains, so that each backend's own address
comparison (SQLite ``COLLATE NOCASE``, PostgreSQL ``citext COLLATE "C"``: ASCII
letters only) decides what is "the same address" for both.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from digest.store import Store, Subscriber, SubscriberCounts
from digest.store import subscribers as module
from digest.store.clock import now_text
from digest.store.subscribers import join_list, record_event, unsubscribe_in

#: Local parts that are the same address in some spellings and not in others:
#: ASCII case folds, a non-ASCII letter's case does not (to either database).
LOCALS = ("ann", "Ann", "ANN", "bob", "Bob", "josé", "JOSÉ", "José", "zoë", "ZOË", "eve")
LISTS = ("default", "sport", "news")


def sequential_import(store: Store, subscribers: list[Subscriber]) -> SubscriberCounts:
    """The import as it was before it went a page at a time (7ea74ac^), the oracle."""
    new = updated = unsubscribed = 0
    now = now_text()
    with store._db.transaction() as db:
        for sub in subscribers:
            row = db.execute(
                "SELECT unsubscribed, list FROM subscribers WHERE address = ?", (sub.address,)
            ).fetchone()
            if row is None:
                new += 1
                db.execute(
                    "INSERT INTO subscribers (address, name, list, unsubscribed, "
                    "subscribed_at, unsubscribed_at, first_name) VALUES (?,?,?,?,?,?,?)",
                    (sub.address, sub.name, sub.list, int(sub.unsubscribed), now,
                     now if sub.unsubscribed else None, sub.first_name),
                )  # fmt: skip
                join_list(db, sub.address, sub.list, now)
                record_event(db, sub.address, "imported", "import", f"list {sub.list}", now)
                if sub.unsubscribed:
                    record_event(db, sub.address, "unsubscribed", "import", "", now)
            else:
                updated += 1
                db.execute(
                    "UPDATE subscribers SET name = ?, list = ?, first_name = ? WHERE address = ?",
                    (sub.name, sub.list, sub.first_name, sub.address),
                )
                if row[1] != sub.list:
                    join_list(db, sub.address, sub.list, now)
                    db.execute(
                        "DELETE FROM memberships WHERE address = ? AND list = ?",
                        (sub.address, row[1]),
                    )
                if sub.unsubscribed and not row[0]:
                    unsubscribe_in(db, sub.address, now, "import")
            if sub.unsubscribed or (row is not None and row[0]):
                unsubscribed += 1
    return SubscriberCounts(new, updated, unsubscribed)


def random_imports(rng: random.Random, domain: str) -> list[list[Subscriber]]:
    """A few imports of rows drawn from a small set of spellings, so that repeats
    (in one import and across imports), list moves and unsubscriptions are common."""
    imports = []
    for _ in range(rng.randint(2, 6)):
        rows = []
        for _ in range(rng.randint(0, 25)):
            local = rng.choice(LOCALS)
            rows.append(
                Subscriber(
                    f"{local}@{domain}",
                    name=rng.choice(["", "Ann Lee", "José Ruiz", f"N{rng.randint(0, 9)}"]),
                    list=rng.choice(LISTS),
                    unsubscribed=rng.random() < 0.2,
                    first_name=rng.choice(["", "Ann", "Zoë"]),
                )
            )
        imports.append(rows)
    return imports


def state(store: Store, domain: str) -> dict[str, Any]:
    """What an import leaves behind for ``domain``'s addresses, times left out
    (but whether an unsubscription has one kept)."""
    pattern = f"%@{domain}"
    strip = len(domain)
    subscribers = store._db.rows(
        "SELECT address, name, list, unsubscribed, first_name, unsubscribed_at IS NULL "
        "FROM subscribers WHERE address LIKE ? ORDER BY address",
        (pattern,),
    )
    memberships = store._db.rows(
        "SELECT address, list FROM memberships WHERE address LIKE ? ORDER BY address, list",
        (pattern,),
    )
    events = store._db.rows(
        "SELECT address, event, source, detail FROM subscriber_events "
        "WHERE address LIKE ? ORDER BY id",
        (pattern,),
    )
    return {
        "subscribers": sorted(
            (r[0][:-strip], r[1], r[2], bool(r[3]), r[4], bool(r[5])) for r in subscribers
        ),
        "memberships": sorted((r[0][:-strip], r[1]) for r in memberships),
        "events": [(r[0][:-strip], r[1], r[2], r[3]) for r in events],
    }


@pytest.mark.parametrize("page", [3, 500])
def test_a_paged_import_does_what_the_sequential_one_did(
    store: Store, page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random import sequences, each through both imports, agree on every count
    and leave the same subscribers, lists and history (pages of 3 put repeats on
    both sides of a page boundary; 500 keeps each import in one page)."""
    monkeypatch.setattr(module, "IMPORT_PAGE", page)
    for seed in range(12):
        rng = random.Random(seed)
        paged, sequential = f"p{seed}.example", f"s{seed}.example"
        for rows in random_imports(rng, "DOMAIN"):
            ours = store.add_subscribers(
                Subscriber(r.address.replace("DOMAIN", paged), r.name, r.list, r.unsubscribed,
                           r.first_name)
                for r in rows
            )  # fmt: skip
            theirs = sequential_import(
                store,
                [Subscriber(r.address.replace("DOMAIN", sequential), r.name, r.list,
                            r.unsubscribed, r.first_name) for r in rows],
            )  # fmt: skip
            assert ours == theirs, (seed, rows)
        assert state(store, paged) == state(store, sequential), seed


def test_addresses_differing_in_a_non_ascii_letters_case_are_as_the_database_says(
    store: Store,
) -> None:
    """SQLite (``NOCASE``) folds ASCII letters only, so "JOSÉ@…" and "josé@…" are two
    subscribers there; PostgreSQL's ``citext`` folds by the database's character
    type, which may make them one.  Either way the import matches rows as its
    database does: nobody is lost, no key clashes, the counts are the rows."""
    counts = store.add_subscribers(
        [Subscriber("JOSÉ@example.org", "Upper", "sport"), Subscriber("josé@example.org", "Lower")]
    )
    rows = store._db.rows("SELECT address FROM subscribers WHERE address LIKE '%@example.org'")
    assert counts.new == len(rows) and counts.new + counts.updated == 2
    lower, upper = store.subscriber("josé@example.org"), store.subscriber("JOSÉ@example.org")
    assert lower is not None and (lower.name, lower.list) == ("Lower", "default")
    assert upper is not None and upper.name == ("Upper" if len(rows) == 2 else "Lower")
    # ASCII letters fold in both: "Jos" spelt two ways in one import is one subscriber.
    again = store.add_subscribers(
        [Subscriber("JOS@example.org", "A"), Subscriber("jos@example.org", "B", unsubscribed=True)]
    )
    assert again == SubscriberCounts(1, 1, 1)
    jos = store.subscriber("Jos@example.org")
    assert jos is not None and (jos.name, jos.unsubscribed) == ("B", True)
