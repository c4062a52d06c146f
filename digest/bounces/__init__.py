"""Bounces and complaints: what mailbox providers said about an address.

Every source (provider webhooks in :mod:`digest.bounces.providers`, DSNs in
:mod:`digest.bounces.dsn`, synchronous SMTP refusals here) turns what it reads into
:class:`BounceEvent` values; :func:`apply_events` records them in the store, where a
hard bounce or a complaint suppresses the address at once and soft bounces do after
``[bounces] soft_limit`` in a row (see :mod:`digest.store.audience`).  An event carrying a
provider id is applied once, however often it is replayed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..message import check_address
from ..store import Store
from ..store.types import BounceKind

#: Enhanced status classes that say something about the message or the sender,
#: not the address (policy blocks, size, content): counted as soft, so a block
#: list or an oversized edition never wipes the whole list at once.
_NOT_THE_ADDRESS = re.compile(r"\b5\.(3|6|7)\.\d{1,3}\b")


@dataclass(frozen=True, slots=True)
class BounceEvent:
    """One thing a source said about one address."""

    address: str
    kind: BounceKind
    #: Where it came from: ``ses``, ``sendgrid``, ``postmark``, ``mailgun``,
    #: ``dsn``, ``smtp <sender>``.
    source: str
    #: The provider's diagnosis (``550 5.1.1 user unknown``), shortened.
    detail: str = ""
    #: The provider's own id of the event (a replay carries the same one), or ``""``.
    event_id: str = ""


def apply_events(store: Store, events: Iterable[BounceEvent], *, soft_limit: int) -> list[str]:
    """Record ``events``; returns the outcome of each (``suppressed``, ``counted``,
    ``reset``, ``unchanged``, ``replayed`` or ``ignored`` for a malformed
    address)."""
    outcomes = []
    for event in events:
        try:
            address = check_address(event.address)
        except ValueError:
            outcomes.append("ignored")
            continue
        key = f"{event.source}:{event.event_id}:{address.lower()}:{event.kind}"
        if event.event_id and not store.first_time(key):
            outcomes.append("replayed")
            continue
        outcomes.append(
            store.record_bounce(
                address,
                event.kind,
                source=event.source,
                detail=" ".join(event.detail.split())[:300],
                soft_limit=soft_limit,
            )
        )
    return outcomes


def smtp_kind(error: str) -> BounceKind:
    """How a synchronous 5xx answer counts: ``hard``, unless its enhanced status
    blames the message or the sender (5.3.x, 5.6.x, 5.7.x), then ``soft``."""
    return "soft" if _NOT_THE_ADDRESS.search(error) else "hard"


def record_refusals(store: Store, edition_id: str, sender: str, soft_limit: int) -> int:
    """Count the 5xx answers a server gave while ``sender`` sent an edition as
    bounces (each once); returns how many were new."""
    events = [
        BounceEvent(
            recipient, smtp_kind(error), f"smtp {sender}", error, f"{edition_id}:{recipient}"
        )
        for recipient, error in store.permanent_failures(edition_id, sender)
    ]
    outcomes = apply_events(store, events, soft_limit=soft_limit)
    return sum(1 for o in outcomes if o != "replayed")


__all__ = ["BounceEvent", "apply_events", "record_refusals", "smtp_kind"]
