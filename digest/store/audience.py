"""The reader's side of the store: subscriber history, sign-up, suppression, replays.

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

A suppressed address is left out of every list (``iter_subscribers``) until it
confirms a new sign-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .clock import now_text
from .database import Database
from .subscribers import join_list, record_event
from .types import SOFT_BOUNCE_LIMIT, BounceKind, BounceResult, SubscriberEvent, Suppression


class AudienceTables:
    """Subscriber history, sign-up, suppression and replays (``subscriber_events``,
    ``seen_keys``; part of every store)."""

    _db: Database

    def history(self, address: str) -> list[SubscriberEvent]:
        """Every recorded change of an address's state, oldest first."""
        rows = self._db.rows(
            "SELECT address, at, event, source, detail FROM subscriber_events "
            "WHERE address = ? ORDER BY id",
            (address,),
        )
        return [SubscriberEvent(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4]) for r in rows]

    def record_signup(self, address: str, *, source: str, detail: str = "") -> None:
        """Note that someone asked to subscribe ``address`` (not active until
        confirmed)."""
        with self._db.transaction() as db:
            record_event(db, address, "subscribed", source, detail, now_text())

    # -- lists ---------------------------------------------------------------------

    def confirm_subscriber(
        self, address: str, *, name: str, lists: Iterable[str], source: str
    ) -> None:
        """Make ``address`` an active subscriber of ``lists`` after it confirmed a
        sign-up: an earlier unsubscribe or suppression ends here, since the owner
        of the address asked again and proved it reads it."""
        wanted = sorted(set(lists)) or ["default"]
        now = now_text()
        with self._db.transaction() as db:
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

    # -- bounces and complaints ------------------------------------------------------

    def record_bounce(
        self,
        address: str,
        kind: BounceKind,
        *,
        source: str,
        detail: str = "",
        soft_limit: int = SOFT_BOUNCE_LIMIT,
    ) -> BounceResult:
        """Apply what a provider or a DSN said about ``address``.

        A hard bounce or a complaint suppresses it at once; a soft bounce counts,
        and ``soft_limit`` of them in a row suppress it; a delivery resets the
        count.  An address not in the list is recorded as suppressed all the same,
        so a later import cannot mail it.  Returns what happened: ``suppressed``,
        ``counted``, ``reset`` or ``unchanged``.
        """
        address = address.strip()
        now = now_text()
        with self._db.transaction() as db:
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
        row = self._db.row(
            "SELECT address, suppressed_at, suppressed_reason FROM subscribers "
            "WHERE address = ? AND suppressed_at IS NOT NULL",
            (address,),
        )
        return Suppression(row[0], datetime.fromisoformat(row[1]), row[2]) if row else None

    def suppressions(self) -> list[Suppression]:
        """Every suppressed address with its reason, newest first."""
        rows = self._db.rows(
            "SELECT address, suppressed_at, suppressed_reason FROM subscribers "
            "WHERE suppressed_at IS NOT NULL ORDER BY suppressed_at DESC, address"
        )
        return [Suppression(r[0], datetime.fromisoformat(r[1]), r[2]) for r in rows]

    # -- replays ---------------------------------------------------------------------

    def first_time(self, key: str) -> bool:
        """Remember ``key`` (a provider's event id, a single-use token's nonce);
        ``True`` the first time it is seen, ``False`` on every replay."""
        with self._db.transaction() as db:
            cur = db.execute(
                "INSERT INTO seen_keys (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (key[:300], now_text()),
            )
            return cur.rowcount == 1
