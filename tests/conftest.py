"""Shared fixtures: paths, configs and an application on a throw-away store.

The ``store`` fixture (and everything built on it) runs twice: on a real SQLite
file and on a real PostgreSQL server (:mod:`tests.pg_server`, started once per
session), each test with a fresh database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from digest.config import Config, parse_config
from digest.edition import Digest, make_digest
from digest.store import Store, open_store
from tools.chromium import Chromium, ChromiumError

from .pg_server import MissingPostgres, PgServer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The moment of the bundled sample edition (the mid-day Putin page's morning).
SAMPLE_AS_OF = datetime.fromisoformat("2020-11-23T10:00:00+05:30")


def sample_config_data() -> dict[str, Any]:
    """The repository's own config.toml, as data."""
    return tomllib.loads((ROOT / "config.toml").read_text("utf-8"))


def config_from(data: dict[str, Any], base_dir: Path = ROOT) -> Config:
    """A validated config from a mapping, relative paths against ``base_dir``."""
    return parse_config(data, base_dir=base_dir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is also a slow one."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the whole session, with a migrated template database
    each test's database is copied from."""
    try:
        server = PgServer.start()
    except MissingPostgres as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.template = server.create_database()
        open_store(server.url(server.template), password=server.password).close()
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class StoreTarget:
    """Where a test's store lives: ``open()`` connects to it (again)."""

    backend: str
    location: str
    password: str | None = None

    def open(self) -> Store:
        """A new connection to the test's store."""
        return open_store(self.location, password=self.password)

    def raw_contents(self) -> str:
        """Everything the store holds as the backend keeps it: the SQLite file's
        bytes, or every row of every table as PostgreSQL prints it."""
        if self.backend == "sqlite":
            return Path(self.location).read_bytes().decode("latin-1")
        import psycopg

        with psycopg.connect(self.location, password=self.password) as db:
            tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables "
                                               "WHERE schemaname = 'public'")]  # fmt: skip
            return "\n".join(
                str(row[0]) for t in tables for row in db.execute(f'SELECT t::text FROM "{t}" t')
            )


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreTarget]:
    """A fresh store on each backend: an SQLite file in ``tmp_path``, or a new
    database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        yield StoreTarget("sqlite", str(tmp_path / "test.sqlite3"))
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database(server.template)
    try:
        yield StoreTarget("postgresql", server.url(name), server.password)
    finally:
        server.drop_database(name)


@pytest.fixture
def store(store_target: StoreTarget) -> Iterator[Store]:
    """A real store on each backend (SQLite file, PostgreSQL database)."""
    with store_target.open() as s:
        yield s


@pytest.fixture
def sample_app(tmp_path: Path, store: Store) -> Digest:
    """The bundled config and sample data, writing its output under ``tmp_path``."""
    data = sample_config_data()
    data["senders"] = {"out": {"type": "file", "path": str(tmp_path / "out")}}
    return make_digest(config=config_from(data), store=store)


@contextmanager
def started_chromium(profile: Path) -> Iterator[Chromium]:
    """Headless Chromium on ``profile``, quit when the block ends; a clear test
    failure (not a skip) if Chromium is not installed."""
    try:
        instance = Chromium(profile)
    except ChromiumError as exc:
        pytest.fail(str(exc))
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    """Headless Chromium on a fresh profile, for one test."""
    with started_chromium(tmp_path / "profile") as instance:
        yield instance
