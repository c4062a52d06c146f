"""Email subscribers and the lists they are on.

An unsubscribed address stays, flagged, so that no later import can mail it
again; every change of state is written to its history (:mod:`.audience`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .clock import now_text
from .database import Connection, Database
from .types import Subscriber, SubscriberCounts

#: Addresses read per statement by :meth:`SubscriberTables.iter_subscribers`.
PAGE = 1000


def record_event(
    db: Connection, address: str, event: str, source: str, detail: str, now: str
) -> None:
    """Append one entry to an address's history (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO subscriber_events (address, at, event, source, detail) VALUES (?,?,?,?,?)",
        (address.lower(), now, event, source[:60], detail[:500]),
    )


def join_list(db: Connection, address: str, list_name: str, now: str) -> None:
    """Put an address on a list (nothing if it is already there)."""
    db.execute(
        "INSERT INTO memberships (address, list, joined_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
        (address, list_name, now),
    )


def unsubscribe_in(
    db: Connection, address: str, now: str, source: str = "cli", detail: str = ""
) -> bool:
    """Flag ``address`` unsubscribed inside the caller's transaction; ``False`` if
    it is unknown."""
    row = db.execute(
        "SELECT unsubscribed FROM subscribers WHERE address = ?", (address,)
    ).fetchone()
    if row is None:
        return False
    if not row[0]:
        db.execute(
            "UPDATE subscribers SET unsubscribed = 1, unsubscribed_at = ? WHERE address = ?",
            (now, address),
        )
        record_event(db, address, "unsubscribed", source, detail, now)
    return True


class SubscriberTables:
    """The ``subscribers`` and ``memberships`` tables (part of every store)."""

    _db: Database

    def add_subscribers(self, subscribers: Iterable[Subscriber]) -> SubscriberCounts:
        """Add or update subscribers by address (case-insensitive).

        An address once unsubscribed stays unsubscribed whatever a later import says;
        a row marked unsubscribed unsubscribes its address.  A new address joins its
        list; an updated one moves to the row's list.  Each change is recorded in the
        subscriber's history (source ``import``).
        """
        new = updated = unsubscribed = 0
        now = now_text()
        with self._db.transaction() as db:
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
                        "UPDATE subscribers SET name = ?, list = ?, first_name = ? "
                        "WHERE address = ?",
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

    def unsubscribe(self, address: str, *, source: str = "cli", detail: str = "") -> bool:
        """Flag an address as unsubscribed for good; ``False`` if it is unknown.

        The change is recorded in the subscriber's history with ``source`` (``cli``,
        ``one-click``, ``web``...)."""
        with self._db.transaction() as db:
            return unsubscribe_in(db, address, now_text(), source, detail)

    def subscriber(self, address: str) -> Subscriber | None:
        """One subscriber by address, or ``None``."""
        row = self._db.row(
            "SELECT address, name, list, unsubscribed, first_name FROM subscribers "
            "WHERE address = ?",
            (address,),
        )
        return Subscriber(row[0], row[1], row[2], bool(row[3]), row[4]) if row else None

    def iter_subscribers(
        self, list_name: str = "default", *, page: int = PAGE
    ) -> Iterator[Subscriber]:
        """The active subscribers of a list (not unsubscribed, not suppressed by a
        bounce or complaint), by address, read a page at a time so that memory stays
        flat however long the list is.

        Each page is read fresh, so an address unsubscribed meanwhile is skipped.
        """
        after = ""
        while True:
            rows = self._db.rows(
                "SELECT s.address, s.name, m.list, s.first_name FROM memberships m "
                "JOIN subscribers s ON s.address = m.address WHERE m.list = ? AND "
                "s.unsubscribed = 0 AND s.suppressed_at IS NULL AND m.address > ? "
                "ORDER BY m.address LIMIT ?",
                (list_name, after, page),
            )
            if not rows:
                return
            for row in rows:
                yield Subscriber(row[0], row[1], row[2], first_name=row[3])
            after = rows[-1][0]

    def active_subscribers(self, list_name: str, addresses: Sequence[str]) -> list[Subscriber]:
        """Those of ``addresses`` that are active subscribers of a list (a worker's
        batch: who is still to be mailed, with their names), by address."""
        found: list[Subscriber] = []
        for start in range(0, len(addresses), PAGE):
            chunk = addresses[start : start + PAGE]
            rows = self._db.rows(
                "SELECT s.address, s.name, m.list, s.first_name FROM memberships m "
                "JOIN subscribers s ON s.address = m.address WHERE m.list = ? AND "
                "s.unsubscribed = 0 AND s.suppressed_at IS NULL AND "
                f"m.address IN ({','.join('?' * len(chunk))}) ORDER BY m.address",
                (list_name, *chunk),
            )
            found.extend(Subscriber(r[0], r[1], r[2], first_name=r[3]) for r in rows)
        return found

    def count_subscribers(self, list_name: str = "default") -> int:
        """How many active (not unsubscribed, not suppressed) subscribers a list has."""
        row = self._db.row(
            "SELECT count(*) FROM memberships m JOIN subscribers s ON s.address = m.address "
            "WHERE m.list = ? AND s.unsubscribed = 0 AND s.suppressed_at IS NULL",
            (list_name,),
        )
        return int(row[0]) if row else 0

    def lists_of(self, address: str) -> list[str]:
        """The lists an address is on (whether or not it is active), sorted."""
        rows = self._db.rows(
            "SELECT list FROM memberships WHERE address = ? ORDER BY list", (address,)
        )
        return [str(r[0]) for r in rows]

    def is_active(self, address: str) -> bool:
        """Whether an address is known, subscribed and not suppressed."""
        row = self._db.row(
            "SELECT 1 FROM subscribers WHERE address = ? AND unsubscribed = 0 "
            "AND suppressed_at IS NULL",
            (address,),
        )
        return row is not None

    def set_lists(self, address: str, lists: Iterable[str], *, source: str) -> bool:
        """Make ``lists`` the lists a known address gets; ``False`` if it is unknown."""
        wanted = sorted(set(lists))
        now = now_text()
        with self._db.transaction() as db:
            if db.execute("SELECT 1 FROM subscribers WHERE address = ?", (address,)).fetchone():
                db.execute("DELETE FROM memberships WHERE address = ?", (address,))
                for list_name in wanted:
                    join_list(db, address, list_name, now)
                record_event(db, address, "lists", source, ", ".join(wanted) or "(none)", now)
                return True
        return False
