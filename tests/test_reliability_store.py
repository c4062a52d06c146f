"""The store's file is checked before every write: deleted or replaced during a run,
it stops the run loudly instead of losing the delivery log.  A PostgreSQL store
whose server goes away does the same, naming the server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.errors import StoreError
from digest.model import Delivery
from digest.store import open_store

from .pg_server import PgServer
from .sample_files import write_sample_config


def test_a_deleted_store_file_is_noticed_before_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        store.register_deliveries("e1", "mail", ["a@example.org"])
        path.unlink()
        with pytest.raises(StoreError, match="store file was deleted or moved"):
            store.record_deliveries("e1", "mail", [Delivery("e1", "mail", "a@example.org", "sent")])


def test_a_replaced_store_file_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        with open_store(tmp_path / "other.sqlite3"):
            pass
        os.replace(tmp_path / "other.sqlite3", path)
        with pytest.raises(StoreError, match="replaced by another file"):
            store.register_deliveries("e1", "mail", ["a@example.org"])


def test_a_send_whose_store_is_deleted_stops_with_the_reason(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    sender = {
        "type": "tests.recording_sender:RecordingSender",
        "folder": str(tmp_path / "received"),
        "recipients": 5,
        "delete": str(store),
    }
    config = write_sample_config(tmp_path, extra={"senders": {"rec": sender}})
    run = ["--config", str(config)]
    assert CliRunner().invoke(main, [*run, "ingest"]).exit_code == 0
    result = CliRunner().invoke(
        main, [*run, "send", "--as-of", "2020-11-23T10:00+05:30"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "store file was deleted or moved" in result.output
    assert "Traceback" not in result.output


def test_a_postgresql_server_gone_mid_run_stops_the_run_with_the_reason(
    pg_server: PgServer,
) -> None:
    name = pg_server.create_database(pg_server.template)
    url = pg_server.url(name)
    try:
        with open_store(url, password=pg_server.password) as store:
            store.register_deliveries("e1", "mail", ["a@example.org"])
            with pg_server.admin() as admin:  # the server ends the session (restart, failover)
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND application_name = 'digest'",
                    (name,),
                )
            with pytest.raises(StoreError) as caught:
                store.record_deliveries(
                    "e1", "mail", [Delivery("e1", "mail", "a@example.org", "sent")]
                )
            with pytest.raises(StoreError):
                store.deliveries()
    finally:
        pg_server.drop_database(name)
    assert str(caught.value).startswith(f"{url}: ")
    assert pg_server.password not in str(caught.value)


def test_a_send_whose_postgresql_server_goes_away_stops_with_the_reason(
    tmp_path: Path, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = pg_server.create_database(pg_server.template)
    url = pg_server.url(name)
    monkeypatch.setenv("DIGEST_TEST_STORE_PASSWORD", pg_server.password)
    sender = {
        "type": "tests.recording_sender:RecordingSender",
        "folder": str(tmp_path / "received"),
        "recipients": 5,
        "end_sessions": url,
        "end_sessions_password_env": "DIGEST_TEST_STORE_PASSWORD",
    }
    store = {"url": url, "password_env": "DIGEST_TEST_STORE_PASSWORD"}
    config = write_sample_config(tmp_path, extra={"senders": {"rec": sender}, "store": store})
    run = ["--config", str(config)]
    try:
        assert CliRunner().invoke(main, [*run, "ingest"]).exit_code == 0
        result = CliRunner().invoke(
            main, [*run, "send", "--as-of", "2020-11-23T10:00+05:30"], catch_exceptions=False
        )
    finally:
        pg_server.drop_database(name)
    assert result.exit_code == 1
    assert f"{url}: " in result.output
    assert "Traceback" not in result.output
    assert pg_server.password not in result.output
