"""Everything PostgreSQL-specific about the store but the schema and the advisory
locks: connecting, migrating, translating parameters, and turning every
``psycopg.Error`` into :class:`~digest.errors.StoreError` naming the server.

:class:`PgDatabase` has the same three doors as the SQLite one
(:mod:`digest.store.database`).  The concern modules' ``?`` parameters become
PostgreSQL's own ``$1, $2...`` (psycopg's :class:`~psycopg.RawCursor`), so no
statement is rewritten beyond that and ``%`` in SQL stays literal.

The connection is in autocommit mode: a read is its own statement and leaves no
transaction open; :meth:`PgDatabase.transaction` opens one.  One connection per
store object, and so per thread (:meth:`PgDatabase.reopen`), like SQLite's.

The password never comes from the URL (it is refused there): it is given by the
caller (``[store] password_env``), or libpq finds it itself (``PGPASSWORD``,
``~/.pgpass``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import psycopg
from psycopg.rows import RowMaker

from ..errors import StoreError
from .database import Params
from .pgschema import MIGRATIONS

#: URL schemes that name a PostgreSQL server.
SCHEMES = ("postgresql", "postgres")
#: Seconds to wait for the server to answer a connection, unless the URL says.
CONNECT_TIMEOUT = 10


class Row:
    """A row read by position or by column name, like :class:`sqlite3.Row`."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """The column names, in order (so ``dict(row)`` works)."""
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def _rows(cursor: Any) -> RowMaker[Row]:
    """psycopg row factory: :class:`Row` objects sharing one name index."""
    index = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        return Row(values, index)

    return make


def native(sql: str) -> str:
    """``sql`` with each ``?`` parameter outside quotes made ``$1``, ``$2``..."""
    out: list[str] = []
    number = 0
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out)


class _Translations:
    """``?`` statements and their native form, translated once per statement."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, sql: str) -> str:
        found = self._known.get(sql)
        if found is None:
            found = self._known[sql] = native(sql)
        return found


class PgConnection:
    """The connection inside a transaction, taking ``?`` statements."""

    def __init__(self, connection: psycopg.Connection[Row], translate: _Translations) -> None:
        self._connection = connection
        self._translate = translate

    @property
    def raw(self) -> psycopg.Connection[Row]:
        """The psycopg connection (for ``COPY``, in this backend's own code)."""
        return self._connection

    def execute(self, sql: str, params: Params = (), /) -> psycopg.Cursor[Row]:
        """Run one statement."""
        return self._connection.execute(self._translate(sql), params)

    def copy(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """``COPY … FROM STDIN`` of ``rows`` (this backend's own fast path)."""
        with self._connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def executemany(self, sql: str, params: Iterable[Params], /) -> psycopg.Cursor[Row]:
        """Run one statement per parameter set, pipelined (one round trip)."""
        cursor = self._connection.cursor()
        cursor.executemany(self._translate(sql), params)
        return cursor


class PgDatabase:
    """One PostgreSQL connection, with every call wrapped in :class:`StoreError`.

    Not shared across threads: open another with :meth:`reopen`.
    """

    def __init__(
        self,
        connection: psycopg.Connection[Row],
        url: str,
        password: str | None,
        translate: _Translations,
    ) -> None:
        self._connection = connection
        self._url = url
        self._password = password
        self._translate = translate
        self._inside = PgConnection(connection, translate)

    def __repr__(self) -> str:
        return f"PgDatabase({self._url!r})"  # never the password

    @property
    def name(self) -> str:
        """The server and database, as the URL names them (no password)."""
        return self._url

    @property
    def url(self) -> str:
        """The store's URL (no password)."""
        return self._url

    def close(self) -> None:
        """Close the connection (its session's advisory locks are released)."""
        with self.wrapped():
            self._connection.close()

    def reopen(self) -> PgDatabase:
        """Another connection to the same database, for another thread."""
        return connect(self._url, self._password, translate=self._translate)

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """A transaction: committed on success, rolled back on error."""
        with self.wrapped(), self._connection.transaction():
            yield self._inside

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row a read returns."""
        with self.wrapped():
            return self._inside.execute(sql, params).fetchall()

    def row(self, sql: str, params: Params = ()) -> Row | None:
        """The first row a read returns, or ``None``."""
        with self.wrapped():
            return self._inside.execute(sql, params).fetchone()

    @contextmanager
    def wrapped(self) -> Iterator[None]:
        """Turn psycopg's errors into :class:`StoreError` naming the server."""
        try:
            yield
        except psycopg.Error as exc:
            raise StoreError(f"{self._url}: {_reason(exc)}") from exc


def public_url(url: str) -> str:
    """``url`` checked to name a PostgreSQL server without a password.

    Raises :class:`StoreError` if it is not a ``postgresql://`` URL or carries a
    password (in ``user:password@`` or ``?password=``).
    """
    try:
        parts = urlsplit(url)
        has_password = parts.password is not None
    except ValueError as exc:
        raise StoreError(f"{url!r} is not a valid PostgreSQL URL ({exc})") from exc
    if parts.scheme not in SCHEMES:
        raise StoreError(f"{url!r} is not a PostgreSQL URL (postgresql://user@host:port/db)")
    query = dict(parse_qsl(parts.query))
    if has_password or "password" in query:
        raise StoreError(
            "the store URL must not contain a password; give it in the environment "
            "(PGPASSWORD, or the variable named by [store] password_env)"
        )
    return url


def connect(
    url: str, password: str | None = None, *, translate: _Translations | None = None
) -> PgDatabase:
    """Connect to the PostgreSQL database at ``url`` and bring its schema up to date.

    ``password`` if given, else what libpq finds (``PGPASSWORD``, ``~/.pgpass``).
    Raises :class:`StoreError` naming the server if it cannot be reached, refuses
    the login, or the URL is wrong.
    """
    url = public_url(url)
    connection = _open(url, password)
    try:
        _migrate(connection)
    except psycopg.Error as exc:
        connection.close()
        raise StoreError(f"{url}: cannot bring the schema up to date ({_reason(exc)})") from exc
    return PgDatabase(connection, url, password, translate or _Translations())


def probe(url: str, password: str | None = None, *, timeout: float = 5.0) -> str:
    """Connect without changing anything: the server's version and the schema's
    (``"PostgreSQL 15.6, schema version 1 of 1"``).  Raises :class:`StoreError`."""
    url = public_url(url)
    connection = _open(url, password, timeout=timeout)
    try:
        with connection:
            server = connection.info.server_version
            version = _version(connection)
    except psycopg.Error as exc:
        raise StoreError(f"{url}: {_reason(exc)}") from exc
    major, minor = divmod(server, 10000)
    return f"PostgreSQL {major}.{minor}, schema version {version} of {len(MIGRATIONS)}" + (
        "" if version >= len(MIGRATIONS) else " (brought up to date on first use)"
    )


def schema_version() -> int:
    """The schema version this code brings a PostgreSQL store to."""
    return len(MIGRATIONS)


def _open(
    url: str, password: str | None, *, timeout: float | None = None
) -> psycopg.Connection[Row]:
    query = dict(parse_qsl(urlsplit(url).query))
    options: dict[str, Any] = {}
    if password is not None:
        options["password"] = password
    if timeout is not None or "connect_timeout" not in query:
        options["connect_timeout"] = max(1, round(timeout or CONNECT_TIMEOUT))
    if "application_name" not in query:
        options["application_name"] = "digest"
    try:
        connection: psycopg.Connection[Row] = psycopg.Connection.connect(
            url,
            autocommit=True,
            row_factory=_rows,
            cursor_factory=psycopg.RawCursor,
            **options,
        )
    except psycopg.Error as exc:
        raise StoreError(f"{url}: cannot connect ({_reason(exc)})") from exc
    return connection


#: Key of the transaction-level advisory lock that serialises migrations.
_MIGRATION_KEY = int.from_bytes(hashlib.sha256(b"digest schema").digest()[:8], "big", signed=True)


def _migrate(connection: psycopg.Connection[Row]) -> None:
    """Bring the schema up to date, one transaction per migration.

    A schema already up to date is only read (a role that may not create tables
    opens it all the same).  Processes opening a new database at once wait for
    each other on an advisory lock, so the second finds nothing left to do.
    """
    if _version(connection) >= len(MIGRATIONS):
        return
    while True:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock($1)", (_MIGRATION_KEY,))
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            version = _version(connection)
            if version >= len(MIGRATIONS):
                return
            connection.execute(MIGRATIONS[version])
            connection.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
                (version + 1, datetime.now(UTC).isoformat()),
            )


def _version(connection: psycopg.Connection[Row]) -> int:
    """The schema version a database is at (0: none yet)."""
    row = connection.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    row = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row is not None else 0


def _reason(exc: psycopg.Error) -> str:
    """psycopg's message on one line (libpq's never carry the password)."""
    return " ".join(str(exc).split()) or type(exc).__name__
