"""Everything SQLite-specific about the store but the schema: opening the file,
WAL mode, migrating, the file's identity, and turning every ``sqlite3.Error`` into
:class:`~digest.errors.StoreError`.

:class:`Database` is what the concern modules talk to.  Its three doors are the
only way to the connection, and each one wraps errors:

* :meth:`Database.transaction` for writes (and reads that must see the same state),
* :meth:`Database.rows` and :meth:`Database.row` for reads.

The PostgreSQL backend (:mod:`~digest.store.postgres`,
:mod:`~digest.store.pgschema`) replaces this module and
:mod:`~digest.store.schema` and keeps the concern modules, whose SQL is portable
(its :class:`~digest.store.postgres.PgDatabase` makes ``?`` parameters ``$n``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .schema import MIGRATIONS

#: One statement's parameters.
Params = Sequence[Any]


class Database:
    """One SQLite connection, with every call wrapped in :class:`StoreError`.

    Not shared across threads: open another with :meth:`reopen`.
    """

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self._connection = connection
        self.path = path
        #: The file's device and inode when opened: a write into a file that was
        #: deleted or replaced since would be lost, so every transaction checks it.
        self._identity = _identity(path)

    @property
    def name(self) -> str:
        """The database file, as error messages name it."""
        return self.path

    def close(self) -> None:
        """Close the connection."""
        with self._wrapped():
            self._connection.close()

    def reopen(self) -> Database | None:
        """Another connection to the same file (for another thread), or ``None``
        for an in-memory store, which nothing else can see."""
        if self.path == ":memory:":
            return None
        return connect(self.path)

    def check_identity(self) -> None:
        """Raise :class:`StoreError` if the store's file is no longer the one that
        was opened (deleted, moved away or replaced while the process runs)."""
        if self._identity is None:
            return
        now = _identity(self.path)
        if now != self._identity:
            what = "deleted or moved" if now is None else "replaced by another file"
            raise StoreError(
                f"{self.path}: the store file was {what} while digest was using it; "
                "nothing more is written (the delivery log would be lost); restore it "
                "and run again"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on error.

        Raises :class:`StoreError` before anything is written if the store's file
        was deleted or replaced since it was opened (:meth:`check_identity`).
        """
        self.check_identity()
        with self._wrapped(), self._connection:
            yield self._connection

    def rows(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row a read returns."""
        with self._wrapped():
            return self._connection.execute(sql, params).fetchall()

    def row(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row a read returns, or ``None``."""
        with self._wrapped():
            found: sqlite3.Row | None = self._connection.execute(sql, params).fetchone()
            return found

    @contextmanager
    def _wrapped(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc


def connect(path: str | Path) -> Database:
    """Open (creating if needed) the SQLite file at ``path``, in WAL mode, with its
    schema brought up to date.  ``":memory:"`` gives a throw-away database.

    Raises :class:`StoreError` if the file cannot be opened or is not a database.
    """
    name = str(path)
    try:
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(name, timeout=30)
        db.row_factory = sqlite3.Row
        _set_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{name}: cannot open store ({exc})") from exc
    return Database(db, name)


def schema_version() -> int:
    """The schema version this code brings a store to."""
    return len(MIGRATIONS)


def _identity(path: str) -> tuple[int, int] | None:
    """The device and inode of the file at ``path`` (``None`` for ``:memory:`` or
    a file that is not there)."""
    if path == ":memory:" or path.startswith("file:"):
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _set_wal(db: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL mode, waiting while another process holds the file.

    SQLite answers "database is locked" at once here (no busy timeout), which two
    schedulers starting together on a new store would otherwise turn into an error.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the schema up to date in one write transaction.

    Two processes opening a new store at once (two schedulers) would otherwise both
    see version 0 and both create the tables; ``BEGIN IMMEDIATE`` makes the second
    wait for the first and then find nothing left to do.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        db.rollback()
        raise
    db.commit()


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one by one (``executescript`` would commit)."""
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            yield current.strip()
            current = ""
    if current.strip():
        yield current.strip()
