"""What the concern modules ask of a backend's connection, whatever the backend.

The concern modules (``articles``, ``deliveries``...) write plain SQL with ``?``
parameters and talk to a :class:`Database` through three doors:
:meth:`Database.transaction` (a :class:`Connection` for writes and reads that must
see the same state), :meth:`Database.rows` and :meth:`Database.row` (reads).  Rows
are read by position or by column name (``row[0]``, ``row["status"]``, ``dict(row)``).

:mod:`digest.store.sqlite` and :mod:`digest.store.postgres` implement these; each
wraps its driver's errors in :class:`~digest.errors.StoreError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

#: One statement's parameters.
Params = Sequence[Any]


class Cursor(Protocol):
    """What a statement run inside a transaction answers."""

    @property
    def rowcount(self) -> int:
        """How many rows the statement changed."""

    def fetchone(self) -> Any:
        """The next row, or ``None``."""

    def fetchall(self) -> list[Any]:
        """Every remaining row."""


class Connection(Protocol):
    """A connection inside a transaction (``?`` parameters)."""

    def execute(self, sql: str, params: Params = ..., /) -> Cursor:
        """Run one statement."""

    def executemany(self, sql: str, params: Iterable[Params], /) -> Cursor:
        """Run one statement once per parameter set."""


class Database(Protocol):
    """One connection to a backend, every call wrapped in ``StoreError``."""

    @property
    def name(self) -> str:
        """The store as error messages name it (a path, a URL without password)."""

    def close(self) -> None:
        """Close the connection."""

    def reopen(self) -> Database | None:
        """Another connection to the same store, or ``None`` if it cannot be shared."""

    def transaction(self) -> AbstractContextManager[Connection]:
        """A write transaction: committed on success, rolled back on error."""

    def rows(self, sql: str, params: Params = ()) -> list[Any]:
        """Every row a read returns."""

    def row(self, sql: str, params: Params = ()) -> Any:
        """The first row a read returns, or ``None``."""
