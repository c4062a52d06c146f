"""The store: everything `digest` remembers.

:class:`Store` (:mod:`digest.store.protocol`) is the contract the application
codes against: every method raises :class:`~digest.errors.StoreError` on a backend
failure, and every time is UTC.  :func:`open_store` opens the SQLite backend:

==================  ============================================================
module              concern
==================  ============================================================
``articles``        articles upserted by id; inputs kept aside (``skipped``)
``httpcache``       ETag / Last-Modified of fetched sources
``editions``        editions, renditions, what sent editions picked, the archive
``deliveries``      the delivery log
``claims``          workers' claims on pending deliveries (``digest worker``)
``runs``            runs of editions and their status
``locks``           edition locks with a time to live
``subscribers``     subscribers and their lists
``audience``        subscriber history, sign-up, bounces and suppression, replays
``push``            browsers' Web Push subscriptions
``files``           local source files as last read (ingest skips unchanged ones)
``schema``          the SQLite migrations
``sqlite``          the connection: opening, WAL, migrating, errors wrapped
==================  ============================================================
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .articles import ArticleTables
from .audience import AudienceTables
from .claims import ClaimTable
from .deliveries import DeliveryTable
from .editions import EditionTables
from .files import FileTable
from .httpcache import HttpCacheTable
from .locks import LockTable
from .protocol import Store
from .push import PushTable
from .runs import RunTable
from .sqlite import Database, connect
from .subscribers import SubscriberTables
from .types import (
    SOFT_BOUNCE_LIMIT,
    ArchivedRecord,
    BounceKind,
    BounceResult,
    Claim,
    DeliveryCounts,
    FileFingerprint,
    PushSubscription,
    RunRecord,
    Subscriber,
    SubscriberCounts,
    SubscriberEvent,
    Suppression,
    UpsertCounts,
)


class SqliteStore(
    ArticleTables,
    HttpCacheTable,
    EditionTables,
    DeliveryTable,
    ClaimTable,
    RunTable,
    LockTable,
    SubscriberTables,
    AudienceTables,
    PushTable,
    FileTable,
):
    """The :class:`Store` on an SQLite file (WAL mode, no server).

    Open one per thread with :func:`open_store` (or :meth:`reopen`); close it when
    done (it is also a context manager).
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def path(self) -> str:
        """The database file (``:memory:`` for a throw-away store)."""
        return self._db.path

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def reopen(self) -> SqliteStore | None:
        """Another connection to the same file, for another thread (``None`` for
        an in-memory store)."""
        db = self._db.reopen()
        return SqliteStore(db) if db is not None else None

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: str | Path) -> SqliteStore:
    """Open (creating if needed) the SQLite store at ``path`` and bring its schema up
    to date.  ``":memory:"`` gives a throw-away store.

    Raises :class:`StoreError` if the file cannot be opened or is not a database.
    """
    return SqliteStore(connect(path))


__all__ = [
    "SOFT_BOUNCE_LIMIT",
    "ArchivedRecord",
    "BounceKind",
    "BounceResult",
    "Claim",
    "DeliveryCounts",
    "FileFingerprint",
    "PushSubscription",
    "RunRecord",
    "SqliteStore",
    "Store",
    "StoreError",
    "Subscriber",
    "SubscriberCounts",
    "SubscriberEvent",
    "Suppression",
    "UpsertCounts",
    "open_store",
]
