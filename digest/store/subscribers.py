"""Email subscribers and the lists they are on.

An unsubscribed address stays, flagged, so that no later import can mail it
again; every change of state is written to its history (:mod:`.audience`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

from .clock import now_text
from .database import Connection, Database, Params
from .types import Subscriber, SubscriberCounts

#: Addresses read per statement by :meth:`SubscriberTables.iter_subscribers`.
PAGE = 1000
#: Addresses imported per round of statements by :meth:`SubscriberTables.add_subscribers`
#: (under SQLite's oldest limit of 999 parameters a statement).
IMPORT_PAGE = 500
_JOIN = "INSERT INTO memberships (address, list, joined_at) VALUES (?,?,?) ON CONFLICT DO NOTHING"


def record_event(
    db: Connection, address: str, event: str, source: str, detail: str, now: str
) -> None:
    """Append one entry to an address's history (inside the caller's transaction)."""
    db.execute(_EVENT, _event_row(address, event, source, detail, now))


def join_list(db: Connection, address: str, list_name: str, now: str) -> None:
    """Put an address on a list (nothing if it is already there)."""
    db.execute(_JOIN, (address, list_name, now))


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
        counts = [0, 0, 0]  # new, updated, unsubscribed
        now = now_text()
        iterator = iter(subscribers)
        with self._db.transaction() as db:
            while page := list(itertools.islice(iterator, IMPORT_PAGE)):
                _import_page(db, page, now, counts)
        return SubscriberCounts(*counts)

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


def _event_row(address: str, event: str, source: str, detail: str, now: str) -> Params:
    return (address.lower(), now, event, source[:60], detail[:500])


_EVENT = "INSERT INTO subscriber_events (address, at, event, source, detail) VALUES (?,?,?,?,?)"


class _ImportWrites:
    """The statements of an import page, written a kind at a time: one round trip
    each on PostgreSQL rather than four per subscriber."""

    def __init__(self) -> None:
        self.inserts: list[Params] = []
        self.updates: list[Params] = []
        self.joins: list[Params] = []
        self.leaves: list[Params] = []
        self.unsubscribes: list[Params] = []
        self.events: list[Params] = []

    def flush(self, db: Connection) -> None:
        """Write what was gathered, in an order that keeps each address's story."""
        statements = (
            ("INSERT INTO subscribers (address, name, list, unsubscribed, subscribed_at, "
             "unsubscribed_at, first_name) VALUES (?,?,?,?,?,?,?)", self.inserts),
            ("UPDATE subscribers SET name = ?, list = ?, first_name = ? WHERE address = ?",
             self.updates),
            (_JOIN, self.joins),
            ("DELETE FROM memberships WHERE address = ? AND list = ?", self.leaves),
            ("UPDATE subscribers SET unsubscribed = 1, unsubscribed_at = ? WHERE address = ?",
             self.unsubscribes),
            (_EVENT, self.events),
        )  # fmt: skip
        for sql, rows in statements:
            if rows:
                db.executemany(sql, rows)
                rows.clear()


def _import_page(db: Connection, page: list[Subscriber], now: str, counts: list[int]) -> None:
    """Add or update one page of an import inside the caller's transaction,
    adding to ``counts`` (new, updated, unsubscribed)."""
    marks = ",".join("?" * len(page))
    known = {
        str(row[0]).lower(): [bool(row[1]), str(row[2])]
        for row in db.execute(
            f"SELECT address, unsubscribed, list FROM subscribers WHERE address IN ({marks})",
            [sub.address for sub in page],
        ).fetchall()
    }
    writes = _ImportWrites()
    gathered: set[str] = set()
    for sub in page:
        key = sub.address.lower()
        if key in gathered:  # the same address again: its first change goes in first
            writes.flush(db)
            gathered.clear()
        gathered.add(key)
        state = known.get(key)
        if state is None:
            counts[0] += 1
            writes.inserts.append(
                (sub.address, sub.name, sub.list, int(sub.unsubscribed), now,
                 now if sub.unsubscribed else None, sub.first_name)
            )  # fmt: skip
            writes.joins.append((sub.address, sub.list, now))
            writes.events.append(
                _event_row(sub.address, "imported", "import", f"list {sub.list}", now)
            )
            if sub.unsubscribed:
                writes.events.append(_event_row(sub.address, "unsubscribed", "import", "", now))
            known[key] = [sub.unsubscribed, sub.list]
        else:
            counts[1] += 1
            writes.updates.append((sub.name, sub.list, sub.first_name, sub.address))
            if state[1] != sub.list:
                writes.joins.append((sub.address, sub.list, now))
                writes.leaves.append((sub.address, state[1]))
                state[1] = sub.list
            if sub.unsubscribed and not state[0]:
                writes.unsubscribes.append((now, sub.address))
                writes.events.append(_event_row(sub.address, "unsubscribed", "import", "", now))
                state[0] = True
        if sub.unsubscribed or (state is not None and state[0]):
            counts[2] += 1
    writes.flush(db)
