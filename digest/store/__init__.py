"""The store: everything `digest` remembers.

:class:`Store` (:mod:`digest.store.protocol`) is the contract the application
codes against: every method raises :class:`~digest.errors.StoreError` on a backend
failure, and every time is UTC.  :func:`open_store` opens an SQLite file (the
default) or a PostgreSQL database (``postgresql://…``); both run the concern
modules' portable SQL (``?`` parameters) through a
:class:`~digest.store.database.Database`:

==================  ============================================================
module              concern
==================  ============================================================
``articles``        articles upserted by id; inputs kept aside (``skipped``)
``httpcache``       ETag / Last-Modified of fetched sources
``editions``        editions, renditions, what sent editions picked, the archive;
                    old records slimmed or deleted (retention)
``deliveries``      the delivery log, and the totals kept when it is pruned
``claims``          workers' claims on pending deliveries (``digest worker``)
``runs``            runs of editions and their status
``locks``           edition locks with a time to live
``subscribers``     subscribers and their lists
``audience``        subscriber history, sign-up, bounces and suppression, replays
``push``            browsers' Web Push subscriptions
``files``           local source files as last read (ingest skips unchanged ones)
``tables``          the concern modules together (all but locks)
``database``        what the concern modules ask of a backend's connection
``schema``          the SQLite migrations
``sqlite``          SQLite: opening, WAL, migrating, errors wrapped
``sqlitelog``       SQLite: a page of recipients registered in one statement
``pgschema``        the PostgreSQL migrations (``schema_version`` table)
``postgres``        PostgreSQL: connecting, ``?`` as ``$n``, errors naming the server
``advisory``        PostgreSQL edition locks: advisory locks plus the ``locks`` row
``pgdeliveries``    PostgreSQL: recipients registered with ``COPY``
``pgstore``         :class:`PostgresStore` (imported when a URL needs it)
==================  ============================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StoreError
from .locks import LockTable
from .protocol import Store
from .sqlite import Database, connect
from .sqlitelog import SqliteDeliveryTable
from .tables import Tables

if TYPE_CHECKING:
    from .pgstore import PostgresStore
from .types import (
    SOFT_BOUNCE_LIMIT,
    ArchivedRecord,
    BounceKind,
    BounceResult,
    Claim,
    DeliveryCounts,
    DeliveryTotals,
    FileFingerprint,
    PushSubscription,
    RunRecord,
    Subscriber,
    SubscriberCounts,
    SubscriberEvent,
    Suppression,
    UpsertCounts,
)


class SqliteStore(LockTable, SqliteDeliveryTable, Tables):
    """The :class:`Store` on an SQLite file (WAL mode, no server).

    Open one per thread with :func:`open_store` (or :meth:`reopen`); close it when
    done (it is also a context manager).
    """

    def __init__(self, db: Database) -> None:
        self._db = self._file = db

    @property
    def path(self) -> str:
        """The database file (``:memory:`` for a throw-away store)."""
        return self._file.path

    @property
    def backend(self) -> str:
        """``"sqlite"``."""
        return "sqlite"

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def reopen(self) -> SqliteStore | None:
        """Another connection to the same file, for another thread (``None`` for
        an in-memory store)."""
        db = self._file.reopen()
        return SqliteStore(db) if db is not None else None

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(target: str | Path, *, password: str | None = None) -> SqliteStore | PostgresStore:
    """Open the store ``target`` names and bring its schema up to date.

    ``target`` is an SQLite file (a path, or ``sqlite:///relative/path``,
    ``sqlite:////absolute/path``; created if needed; ``":memory:"`` gives a
    throw-away store) or a PostgreSQL database
    (``postgresql://user@host:port/dbname``, never with a password in it: give
    ``password``, or let libpq find it in ``PGPASSWORD`` or ``~/.pgpass``).

    Raises :class:`StoreError` if the store cannot be opened, reached or migrated.
    """
    name = str(target)
    if is_postgres(name):
        try:
            from .pgstore import PostgresStore
        except ImportError as exc:
            raise StoreError(
                f"{name}: PostgreSQL needs psycopg ({exc}); install digest[postgres]"
            ) from exc
        return PostgresStore.open(name, password)
    if name.startswith("sqlite://"):
        name = sqlite_path(name)
    return SqliteStore(connect(name))


def is_postgres(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database (``postgresql://…``)."""
    return str(target).startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> str:
    """The file an ``sqlite:///…`` URL names (SQLAlchemy's form: three slashes and
    a relative path, four and an absolute one)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///":
        raise StoreError(
            f"{url!r}: an SQLite URL is sqlite:///relative/path or sqlite:////abs/path"
        )
    return url.removeprefix("sqlite:///")


__all__ = [
    "SOFT_BOUNCE_LIMIT",
    "ArchivedRecord",
    "BounceKind",
    "BounceResult",
    "Claim",
    "DeliveryCounts",
    "DeliveryTotals",
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
    "is_postgres",
    "open_store",
    "sqlite_path",
]
