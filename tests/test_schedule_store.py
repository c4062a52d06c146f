"""The store under several schedulers at once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from digest.store import open_store
from digest.store.postgres import schema_version as pg_schema_version
from digest.store.sqlite import schema_version

from .pg_server import PgServer


@pytest.mark.parametrize("attempt", range(5))
def test_many_processes_can_open_a_new_store_at_once(tmp_path: Path, attempt: int) -> None:
    # Schedulers starting together on a new store must not both migrate it
    # ("table articles already exists") nor trip over the switch to WAL
    # ("database is locked").  A race, so it is tried a few times.
    path = tmp_path / "new.sqlite3"
    start = threading.Barrier(8, timeout=30)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            open_store(path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema_version()
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "runs", "locks"} <= tables
    db.close()


def test_opening_waits_while_another_process_is_writing_a_new_store(tmp_path: Path) -> None:
    # The moment a second scheduler meets: the first is inside its migration.
    path = tmp_path / "new.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE placeholder (x)")
    release = threading.Timer(0.3, lambda: writer.execute("ROLLBACK"))
    release.start()
    try:
        open_store(path).close()
    finally:
        release.join()
        writer.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema_version()
    db.close()


@pytest.mark.parametrize("attempt", range(3))
def test_many_processes_can_open_a_new_postgresql_database_at_once(
    pg_server: PgServer, attempt: int
) -> None:
    # The same race on PostgreSQL: migrations wait on an advisory lock, so only the
    # first one to get it creates the tables.
    name = pg_server.create_database()
    start = threading.Barrier(8, timeout=30)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            open_store(pg_server.url(name), password=pg_server.password).close()
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=open_it) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with pg_server.admin(name) as admin:
            versions = [r[0] for r in admin.execute("SELECT version FROM schema_version")]
            tables = {r[0] for r in admin.execute("SELECT tablename FROM pg_tables")}
        assert versions == list(range(1, pg_schema_version() + 1))
        assert {"articles", "deliveries", "runs", "locks", "subscribers"} <= tables
    finally:
        pg_server.drop_database(name)
