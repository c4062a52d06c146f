"""PostgreSQL as the store: configured by URL with the password from the
environment, migrated once however many processes open it, errors that name the
server and never the password, and a whole send through the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.check import check_setup
from digest.cli import main
from digest.config import parse_config
from digest.errors import ConfigError, StoreError
from digest.store import Subscriber, open_store
from digest.store.pgstore import ANALYZE_AFTER
from digest.store.postgres import schema_version

from .pg_server import PgServer
from .recording_sender import received
from .sample_files import write_sample_config

AS_OF = "2020-11-23T10:00+05:30"


@pytest.fixture
def database(pg_server: PgServer) -> Iterator[str]:
    """The URL of a new, empty database (not migrated)."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


def test_a_wrong_password_names_the_server_and_not_the_password(
    pg_server: PgServer, database: str
) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(database, password="not-" + pg_server.password)
    assert str(caught.value).startswith(f"{database}: cannot connect")
    assert "password authentication failed" in str(caught.value)
    assert pg_server.password not in str(caught.value)


def test_a_password_in_the_url_is_refused(pg_server: PgServer) -> None:
    url = pg_server.url().replace("digest@", f"digest:{pg_server.password}@")
    with pytest.raises(StoreError, match="must not contain a password") as caught:
        open_store(url)
    assert pg_server.password not in str(caught.value)
    with pytest.raises(StoreError, match="must not contain a password"):
        open_store(pg_server.url() + "?password=x")


def test_libpq_finds_the_password_in_pgpassword(
    pg_server: PgServer, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_server.password)
    with open_store(database) as store:
        assert store.count_articles() == 0
        other = store.reopen()  # a connection of its own, same credentials
        with other:
            assert other.count_articles() == 0


# -- configuration ------------------------------------------------------------------


def _store_config(store: dict[str, str], tmp_path: Path) -> str:
    try:
        parse_config({"store": store}, base_dir=tmp_path)
    except ConfigError as exc:
        return str(exc)
    return ""


def test_store_settings_are_checked(tmp_path: Path) -> None:
    url = "postgresql://digest@db.example:5432/news"
    assert _store_config({"url": url, "password_env": "DIGEST_STORE_PASSWORD"}, tmp_path) == ""
    secret = _store_config({"url": "postgresql://digest:hunter2@db.example/news"}, tmp_path)
    assert "store.url: must not contain a password" in secret
    assert "hunter2" not in secret
    assert "must not contain a password" in _store_config(
        {"url": url + "?password=hunter2"}, tmp_path
    )
    assert "store.url: must be postgresql://" in _store_config({"url": "mysql://x/y"}, tmp_path)
    libpq = _store_config({"url": "host=db.example user=digest password=hunter2"}, tmp_path)
    assert "store.url: must be postgresql://" in libpq and "hunter2" not in libpq
    assert "set url or path, not both" in _store_config({"url": url, "path": "x.db"}, tmp_path)
    assert "only a PostgreSQL store.url takes a password" in _store_config(
        {"path": "x.db", "password_env": "P"}, tmp_path
    )
    config = parse_config({"store": {"url": "sqlite:///state/digest.sqlite3"}}, base_dir=tmp_path)
    assert config.store_location == str(tmp_path / "state" / "digest.sqlite3")
    config = parse_config({"store": {"url": url, "password_env": "UNSET_VAR_X"}}, base_dir=tmp_path)
    with pytest.raises(ConfigError, match="environment variable UNSET_VAR_X is not set"):
        config.store_password()


def _pg_config(tmp_path: Path, url: str, extra: dict[str, object] | None = None) -> Path:
    store = {"url": url, "password_env": "DIGEST_TEST_STORE_PASSWORD"}
    config = write_sample_config(tmp_path, extra={"store": store, **(extra or {})})
    return config


def test_check_reports_the_backend_and_whether_it_is_reached(
    pg_server: PgServer, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _pg_config(tmp_path, database)
    monkeypatch.setenv("DIGEST_TEST_STORE_PASSWORD", pg_server.password)
    report = check_setup(config)
    assert report.ok, report.problems
    assert f"store: {database} reached (PostgreSQL " in "\n".join(report.fine)
    assert f"schema version 0 of {schema_version()}" in "\n".join(report.fine)

    monkeypatch.setenv("DIGEST_TEST_STORE_PASSWORD", "wrong")
    report = check_setup(config)
    assert [(p.kind, p.where) for p in report.problems] == [("reach", "store.url")]
    assert "password authentication failed" in report.problems[0].what
    assert report.exit_code == 1

    monkeypatch.delenv("DIGEST_TEST_STORE_PASSWORD")
    report = check_setup(config)
    assert [str(p) for p in report.problems] == [
        "store.password_env: environment variable DIGEST_TEST_STORE_PASSWORD is not set"
    ]


def test_a_send_through_the_cli_on_postgresql(
    pg_server: PgServer, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = {"type": "tests.recording_sender:RecordingSender",
              "folder": str(tmp_path / "received"), "recipients": 5}  # fmt: skip
    config = _pg_config(tmp_path, database, {"senders": {"rec": sender}})
    monkeypatch.setenv("DIGEST_TEST_STORE_PASSWORD", pg_server.password)
    run = ["--config", str(config)]
    ingest = CliRunner().invoke(main, [*run, "ingest"])
    assert ingest.exit_code == 0, ingest.output
    send = CliRunner().invoke(main, [*run, "send", "--as-of", AS_OF])
    assert send.exit_code == 0, send.output
    again = CliRunner().invoke(main, [*run, "send", "--as-of", AS_OF])
    assert again.exit_code == 0, again.output
    assert set(received(tmp_path / "received", "world-2020-11-23").values()) == {1}
    assert len(received(tmp_path / "received", "world-2020-11-23")) == 5
    with open_store(database, password=pg_server.password) as store:
        assert {(d.status, d.attempts) for d in store.deliveries()} == {("sent", 1)}
        assert store.count_articles() > 0
    assert not (tmp_path / "store.sqlite3").exists()  # nothing went to SQLite


def test_another_database_role_uses_the_store_but_cannot_cut_off_a_lapsed_holder(
    pg_server: PgServer, database: str
) -> None:
    """A role that may read and write the tables but not create any opens a
    migrated store; it cannot end another role's session, so a lapsed lock held by
    one stays busy rather than being taken from under it."""
    import secrets
    from datetime import UTC, datetime, timedelta

    open_store(database, password=pg_server.password).close()  # migrated by its owner
    role, password = f"worker_{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    with pg_server.admin(database.rsplit("/", 1)[1]) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        admin.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
    now = datetime.now(UTC)
    with open_store(database, password=pg_server.password) as holder:
        assert holder.acquire_lock("e", "hung:1:1", 60, now=now) == "hung:1:1"
        with open_store(database.replace("digest@", f"{role}@"), password=password) as other:
            assert other.count_articles() == 0
            later = now + timedelta(seconds=61)
            assert other.acquire_lock("e", "next:2:2", 60, now=later) == "hung:1:1"
        assert holder.count_articles() == 0  # still connected


def test_a_large_import_leaves_the_planner_statistics_of_the_subscribers_fresh(
    pg_server: PgServer, database: str
) -> None:
    # Stale statistics right after a bulk import made queueing an edition 6x slower.
    with open_store(database, password=pg_server.password) as store:

        def planned_rows() -> float:
            (found,) = store._db.rows(  # type: ignore[union-attr]
                "SELECT reltuples FROM pg_class WHERE relname = 'subscribers'"
            )
            return float(found[0])

        store.add_subscribers(Subscriber(f"r{i}@example.org") for i in range(ANALYZE_AFTER - 1))
        assert planned_rows() < 0  # a small import: never analysed yet
        store.add_subscribers(Subscriber(f"s{i}@example.org") for i in range(ANALYZE_AFTER))
        assert planned_rows() == 2 * ANALYZE_AFTER - 1
