"""The reader's side of the store: subscriber history, lists, suppression.

Every change of a subscriber's state is kept in ``subscriber_events`` with its time
(UTC), what happened and where it came from, so a newsroom can show why a reader
stopped getting mail:

==============  =============================================================
event           meaning
==============  =============================================================
``imported``    added by ``digest subscribers import``
``subscribed``  asked to subscribe (double opt-in: not yet active)
``confirmed``   followed the confirmation link: active on the given lists
``lists``       changed which lists they get (preferences page)
``unsubscribed``left, with the source (``one-click``, ``web``, ``cli``, ``import``)
``bounced``     a bounce (``hard`` or ``soft``, with the provider's diagnosis)
``complained``  marked the mail as spam
``suppressed``  no longer mailed because of bounces or a complaint
==============  =============================================================

A suppressed address is left out of every list (:meth:`Store.iter_subscribers`)
until it confirms a new sign-up.  :class:`AudienceStore` is mixed into
:class:`digest.store.Store`; its methods use the store's connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

#: What a bounce source can say about one address.
BounceKind = Literal["hard", "soft", "complaint", "delivered"]
#: Soft bounces in a row (without a delivery in between) that suppress an address.
SOFT_BOUNCE_LIMIT = 3


def _now() -> str:
    return datetime.now(UTC).isoformat()


def record_event(
    db: sqlite3.Connection, address: str, event: str, source: str, detail: str, now: str
) -> None:
    """Append one entry to an address's history (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO subscriber_events (address, at, event, source, detail) VALUES (?,?,?,?,?)",
        (address.lower(), now, event, source[:60], detail[:500]),
    )


def join_list(db: sqlite3.Connection, address: str, list_name: str, now: str) -> None:
    """Put an address on a list (nothing if it is already there)."""
    db.execute(
        "INSERT INTO memberships (address, list, joined_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
        (address, list_name, now),
    )


@dataclass(frozen=True, slots=True)
class SubscriberEvent:
    """One entry of a subscriber's history."""

    address: str
    at: datetime
    event: str
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why and since when an address gets no mail."""

    address: str
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ArchivedRecord:
    """An edition that reached someone, as recorded: its moment and renditions."""

    edition_id: str
    as_of: datetime
    #: The edition as recorded (picks with their articles), plain data.
    edition: dict[str, Any]
    renditions: dict[str, Any]


class AudienceStore:
    """Subscriber history, lists and suppression (mixed into the store)."""

    _db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction (the store's)."""
        raise NotImplementedError

    # -- history -------------------------------------------------------------------

    def history(self, address: str) -> list[SubscriberEvent]:
        """Every recorded change of an address's state, oldest first."""
        rows = self._db.execute(
            "SELECT address, at, event, source, detail FROM subscriber_events "
            "WHERE address = ? ORDER BY id",
            (address,),
        )
        return [SubscriberEvent(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4]) for r in rows]

    def record_signup(self, address: str, *, source: str, detail: str = "") -> None:
        """Note that someone asked to subscribe ``address`` (not active until
        confirmed)."""
        with self.transaction() as db:
            record_event(db, address, "subscribed", source, detail, _now())

    # -- lists ---------------------------------------------------------------------

    def lists_of(self, address: str) -> list[str]:
        """The lists an address is on (whether or not it is active), sorted."""
        rows = self._db.execute(
            "SELECT list FROM memberships WHERE address = ? ORDER BY list", (address,)
        )
        return [str(r[0]) for r in rows]

    def is_active(self, address: str) -> bool:
        """Whether an address is known, subscribed and not suppressed."""
        row = self._db.execute(
            "SELECT 1 FROM subscribers WHERE address = ? AND unsubscribed = 0 "
            "AND suppressed_at IS NULL",
            (address,),
        ).fetchone()
        return row is not None

    def confirm_subscriber(
        self, address: str, *, name: str, lists: Iterable[str], source: str
    ) -> None:
        """Make ``address`` an active subscriber of ``lists`` after it confirmed a
        sign-up: an earlier unsubscribe or suppression ends here, since the owner
        of the address asked again and proved it reads it."""
        wanted = sorted(set(lists)) or ["default"]
        now = _now()
        with self.transaction() as db:
            row = db.execute(
                "SELECT name FROM subscribers WHERE address = ?", (address,)
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO subscribers (address, name, list, unsubscribed, subscribed_at) "
                    "VALUES (?,?,?,0,?)",
                    (address, name, wanted[0], now),
                )
            else:
                db.execute(
                    "UPDATE subscribers SET name = ?, unsubscribed = 0, unsubscribed_at = NULL, "
                    "suppressed_at = NULL, suppressed_reason = '', soft_bounces = 0 "
                    "WHERE address = ?",
                    (name or row[0], address),
                )
            for list_name in wanted:
                join_list(db, address, list_name, now)
            record_event(db, address, "confirmed", source, "lists " + ", ".join(wanted), now)

    def set_lists(self, address: str, lists: Iterable[str], *, source: str) -> bool:
        """Make ``lists`` the lists a known address gets; ``False`` if it is unknown."""
        wanted = sorted(set(lists))
        now = _now()
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM subscribers WHERE address = ?", (address,)).fetchone():
                db.execute("DELETE FROM memberships WHERE address = ?", (address,))
                for list_name in wanted:
                    join_list(db, address, list_name, now)
                record_event(db, address, "lists", source, ", ".join(wanted) or "(none)", now)
                return True
        return False

    # -- bounces and complaints ------------------------------------------------------

    def record_bounce(
        self,
        address: str,
        kind: BounceKind,
        *,
        source: str,
        detail: str = "",
        soft_limit: int = SOFT_BOUNCE_LIMIT,
    ) -> str:
        """Apply what a provider or a DSN said about ``address``.

        A hard bounce or a complaint suppresses it at once; a soft bounce counts,
        and ``soft_limit`` of them in a row suppress it; a delivery resets the
        count.  An address not in the list is recorded as suppressed all the same,
        so a later import cannot mail it.  Returns what happened: ``suppressed``,
        ``counted``, ``reset`` or ``unchanged``.
        """
        address = address.strip()
        now = _now()
        with self.transaction() as db:
            row = db.execute(
                "SELECT soft_bounces, suppressed_at FROM subscribers WHERE address = ?",
                (address,),
            ).fetchone()
            if kind == "delivered":
                if row is not None and row[0]:
                    db.execute(
                        "UPDATE subscribers SET soft_bounces = 0 WHERE address = ?", (address,)
                    )
                    return "reset"
                return "unchanged"
            event = "complained" if kind == "complaint" else "bounced"
            label = "" if kind == "complaint" else kind
            record_event(db, address, event, source, " ".join(filter(None, (label, detail))), now)
            if row is None:
                db.execute(
                    "INSERT INTO subscribers (address, name, list, unsubscribed, subscribed_at) "
                    "VALUES (?, '', 'default', 0, ?)",
                    (address, now),
                )
                row = (0, None)
            if row[1] is not None:
                return "unchanged"
            soft = int(row[0]) + 1 if kind == "soft" else int(row[0])
            if kind == "soft" and soft < soft_limit:
                db.execute(
                    "UPDATE subscribers SET soft_bounces = ? WHERE address = ?", (soft, address)
                )
                return "counted"
            if kind == "hard":
                reason = f"hard bounce ({source}): {detail}".rstrip(": ")
            elif kind == "complaint":
                reason = f"complaint ({source})" + (f": {detail}" if detail else "")
            else:
                reason = f"{soft} soft bounces in a row ({source})" + (
                    f", last: {detail}" if detail else ""
                )
            db.execute(
                "UPDATE subscribers SET suppressed_at = ?, suppressed_reason = ?, "
                "soft_bounces = ? WHERE address = ?",
                (now, reason[:500], soft, address),
            )
            record_event(db, address, "suppressed", source, reason, now)
            return "suppressed"

    def suppression(self, address: str) -> Suppression | None:
        """Why an address is suppressed, or ``None`` if it is not."""
        row = self._db.execute(
            "SELECT address, suppressed_at, suppressed_reason FROM subscribers "
            "WHERE address = ? AND suppressed_at IS NOT NULL",
            (address,),
        ).fetchone()
        return Suppression(row[0], datetime.fromisoformat(row[1]), row[2]) if row else None

    def suppressions(self) -> list[Suppression]:
        """Every suppressed address with its reason, newest first."""
        rows = self._db.execute(
            "SELECT address, suppressed_at, suppressed_reason FROM subscribers "
            "WHERE suppressed_at IS NOT NULL ORDER BY suppressed_at DESC, address"
        )
        return [Suppression(r[0], datetime.fromisoformat(r[1]), r[2]) for r in rows]

    def was_mailed(self, address: str) -> bool:
        """Whether any delivery to ``address`` was recorded (a DSN about an address
        we never mailed is not ours)."""
        row = self._db.execute(
            "SELECT 1 FROM deliveries WHERE recipient = ? COLLATE NOCASE LIMIT 1", (address,)
        ).fetchone()
        return row is not None

    def permanent_failures(self, edition_id: str, sender: str) -> list[tuple[str, str]]:
        """``(recipient, error)`` of the deliveries of an edition that a server
        refused with a 5xx answer (synchronous hard bounces)."""
        rows = self._db.execute(
            "SELECT recipient, last_error FROM deliveries WHERE edition_id = ? AND sender = ? "
            "AND status = 'failed' AND last_error GLOB '5[0-9][0-9] *'",
            (edition_id, sender),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    # -- replays ---------------------------------------------------------------------

    def first_time(self, key: str) -> bool:
        """Remember ``key`` (a provider's event id, a single-use token's nonce);
        ``True`` the first time it is seen, ``False`` on every replay."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO seen_keys (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (key[:300], _now()),
            )
            return cur.rowcount == 1

    # -- archive ---------------------------------------------------------------------

    def delivered_edition_ids(self) -> list[str]:
        """Ids of the editions at least one message of which was sent, newest
        first (cheap: tells when the archive changed)."""
        rows = self._db.execute(
            "SELECT e.id FROM editions e WHERE EXISTS (SELECT 1 FROM deliveries d "
            "WHERE d.edition_id = e.id AND d.status = 'sent') ORDER BY e.as_of DESC, e.id"
        )
        return [str(r[0]) for r in rows]

    def delivered_editions(self) -> list[ArchivedRecord]:
        """Editions at least one message of which was sent, newest first, with
        their recorded renditions (placeholders left in)."""
        rows = self._db.execute(
            "SELECT e.id, e.as_of, e.data, r.data FROM editions e JOIN renditions r "
            "ON r.edition_id = e.id WHERE EXISTS (SELECT 1 FROM deliveries d "
            "WHERE d.edition_id = e.id AND d.status = 'sent') ORDER BY e.as_of DESC, e.id"
        )
        return [
            ArchivedRecord(r[0], datetime.fromisoformat(r[1]), json.loads(r[2]), json.loads(r[3]))
            for r in rows
        ]
