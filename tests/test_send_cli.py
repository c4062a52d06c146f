"""``digest subscribers import``, ``digest send --dry-run``, ``digest send`` and
``digest status`` through the real command line, on a real store and SMTP server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.store import open_store

from .send_support import SECRET, Recorder, smtp_server, write_config

__all__ = ["smtp_server"]

AS_OF = "2020-11-23T10:00+05:30"

CSV = """\
email,name,unsubscribed
ana@example.org,Ana Lima,
ben@example.org,"Ben ""the reader"" Okafor",
not-an-address,Nobody,
gone@example.org,Gone,yes
ANA@example.org,Ana Lima (updated),
carla@example.org,Carla\u2028Bcc: x@y.z,
"""


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)


def _digest(config: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)


def test_subscribers_import_reports_bad_rows_and_keeps_unsubscribes(tmp_path: Path) -> None:
    config = write_config(tmp_path, 2525)
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(CSV, "utf-8")

    result = _digest(config, "subscribers", "import", str(csv_file))

    assert result.exit_code == 1
    assert f"{csv_file}: 4 new, 1 updated, 1 unsubscribed (never mailed), 1 skipped" in (
        result.output
    )
    assert f"{csv_file}:4: 'not-an-address' is not an email address" in result.output
    with open_store(tmp_path / "store.sqlite3") as store:
        assert store.count_subscribers() == 3
        ana = store.subscriber("ana@example.org")
        assert ana is not None and ana.name == "Ana Lima (updated)"
    # The same file again: "gone" stays unsubscribed even without the flag.
    csv_file.write_text("email\ngone@example.org\n", "utf-8")
    assert _digest(config, "subscribers", "import", str(csv_file)).exit_code == 0
    with open_store(tmp_path / "store.sqlite3") as store:
        gone = store.subscriber("gone@example.org")
        assert gone is not None and gone.unsubscribed


def test_subscribers_import_reads_first_names(tmp_path: Path) -> None:
    config = write_config(tmp_path, 2525)
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(
        "email,name,first_name\neve@example.org,Ève Müller,\nraj@example.org,Dr Rajesh Kumar,Raj\n",
        "utf-8",
    )
    assert _digest(config, "subscribers", "import", str(csv_file)).exit_code == 0
    with open_store(tmp_path / "store.sqlite3") as store:
        eve, raj = store.subscriber("eve@example.org"), store.subscriber("raj@example.org")
        assert eve is not None and (eve.name, eve.first_name) == ("Ève Müller", "")
        assert raj is not None and raj.first_name == "Raj"
        assert [s.first_name for s in store.iter_subscribers()] == ["", "Raj"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("name,phone\nAna,123\n", "no email column"),
        (b"email\n\xff\xfe@example.org\n", "not UTF-8 text"),
    ],
)
def test_subscribers_import_bad_files_name_the_file(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    config = write_config(tmp_path, 2525)
    csv_file = tmp_path / "list.csv"
    if isinstance(content, str):
        csv_file.write_text(content, "utf-8")
    elif isinstance(content, bytes):
        csv_file.write_bytes(content)

    result = CliRunner().invoke(
        main, ["--config", str(config), "subscribers", "import", str(csv_file)]
    )

    assert result.exit_code == 1
    assert result.output.startswith(f"error: {csv_file}") and message in result.output


def _ingested_with_subscribers(tmp_path: Path, port: int) -> Path:
    """A config on the sample data, ingested, with the CSV's subscribers imported."""
    config = write_config(tmp_path, port)
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(CSV, "utf-8")
    assert _digest(config, "ingest").exit_code == 0
    _digest(config, "subscribers", "import", str(csv_file))
    return config


def test_dry_run_sends_nothing_then_send_and_status(
    tmp_path: Path, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    config = _ingested_with_subscribers(tmp_path, controller.port)

    dry = _digest(config, "send", "--as-of", AS_OF, "--dry-run")

    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing sent" in dry.output
    assert "smtp sender 'mail' → 127.0.0.1" in dry.output
    assert "3 recipient(s), 0 already done" in dry.output
    assert recorder.messages == []
    with open_store(tmp_path / "store.sqlite3") as store:
        assert store.deliveries() == []

    sent = _digest(config, "send", "--as-of", AS_OF)

    assert sent.exit_code == 0, sent.output
    assert "mail: 3 delivered, 0 failed, 0 pending, 0 already done" in sent.output
    assert sorted(a for a, _ in recorder.messages) == [
        "ana@example.org",
        "ben@example.org",
        "carla@example.org",
    ]
    status = _digest(config, "status")
    assert status.exit_code == 0
    row = next(
        line for line in status.output.splitlines() if "world-2020-11-23" in line and "mail" in line
    )
    assert [cell.strip() for cell in row.split("│")][3:6] == ["3", "0", "0"]

    again = _digest(config, "send", "--as-of", AS_OF)
    assert "mail: 0 delivered, 0 failed, 0 pending, 3 already done" in again.output
    assert len(recorder.messages) == 3


def test_check_reach_connects_to_the_smtp_server(
    tmp_path: Path, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    config = write_config(tmp_path, controller.port)

    result = _digest(config, "check", "--reach")

    assert result.exit_code == 0, result.output
    assert f"sender mail reached smtp://127.0.0.1:{controller.port}" in result.output
    assert recorder.messages == []


def test_send_respects_the_lock_of_a_run_in_progress(
    tmp_path: Path, smtp_server: tuple[Any, Recorder]
) -> None:
    """A person's ``digest send`` while the scheduler (or cron) runs the same
    edition would mail the same pending recipients twice: it waits its turn."""
    controller, recorder = smtp_server
    config = _ingested_with_subscribers(tmp_path, controller.port)
    with open_store(tmp_path / "store.sqlite3") as store:
        store.acquire_lock("world-2020-11-23", "newsroom-host:4242:1", 600)

    busy = CliRunner().invoke(main, ["--config", str(config), "send", "--as-of", AS_OF])

    assert busy.exit_code == 1
    assert "world-2020-11-23: already being run by newsroom-host:4242:1" in busy.output
    assert recorder.messages == []
    with open_store(tmp_path / "store.sqlite3") as store:
        assert store.deliveries() == []
        store.release_lock("world-2020-11-23", "newsroom-host:4242:1")
    assert _digest(config, "send", "--as-of", AS_OF).exit_code == 0
    assert len(recorder.messages) == 3


def test_a_token_from_a_received_link_unsubscribes_for_good(
    tmp_path: Path, smtp_server: tuple[Any, Recorder]
) -> None:
    import email
    import re
    from email.policy import default

    controller, recorder = smtp_server
    config = _ingested_with_subscribers(tmp_path, controller.port)
    assert _digest(config, "send", "--as-of", AS_OF).exit_code == 0
    raw = next(data for address, data in recorder.messages if address == "ben@example.org")
    header = str(email.message_from_bytes(raw, policy=default)["List-Unsubscribe"])
    token = re.search(r"token=([\w.=-]+)", header)
    assert token is not None

    forged = token[1][:-3] + ("AAA" if not token[1].endswith("AAA") else "BBB")
    refused = _digest(config, "subscribers", "unsubscribe", forged)
    assert refused.exit_code == 1 and "not a valid unsubscribe token" in refused.output
    with open_store(tmp_path / "store.sqlite3") as store:
        ben = store.subscriber("ben@example.org")
        assert ben is not None and not ben.unsubscribed

    # As a web page would pass the link's token, and as a mailto request's subject.
    done = _digest(config, "subscribers", "unsubscribe", token[1], "unsubscribe " + token[1])
    assert done.exit_code == 0, done.output
    assert "unsubscribed  ben@example.org" in done.output
    by_address = _digest(config, "subscribers", "unsubscribe", "carla@example.org")
    assert by_address.exit_code == 0
    with open_store(tmp_path / "store.sqlite3") as store:
        assert store.count_subscribers() == 1  # only Ana is still mailed
        ben = store.subscriber("ben@example.org")
        assert ben is not None and ben.unsubscribed
    unknown = _digest(config, "subscribers", "unsubscribe", "nobody@example.org")
    assert unknown.exit_code == 1 and "no subscriber nobody@example.org" in unknown.output


def test_odd_tokens_are_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    from digest.message import unsubscribe_token, verify_unsubscribe_token

    # Before: a non-ASCII token made hmac.compare_digest raise TypeError, losing
    # every request after it; "Unsubscribe <token>" (capital U) was not understood.
    good = unsubscribe_token(SECRET.encode(), "ben@example.org")
    assert verify_unsubscribe_token(SECRET.encode(), good.replace(".", ".é")) is None
    assert verify_unsubscribe_token(SECRET.encode(), "ü." + good.partition(".")[2]) is None
    config = write_config(tmp_path, 2525)
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(CSV, "utf-8")
    assert _digest(config, "subscribers", "import", str(csv_file)).exit_code == 1
    ana = unsubscribe_token(SECRET.encode(), "ana@example.org")
    result = _digest(
        config,
        "subscribers",
        "unsubscribe",
        good + "é",
        "Ünsubscribe\x1b[2J",
        "UNSUBSCRIBE  " + ana,
    )
    assert result.exit_code == 1  # two values were not valid tokens
    assert "\x1b" not in result.output
    with open_store(tmp_path / "store.sqlite3") as store:
        ana_row = store.subscriber("ana@example.org")
        assert ana_row is not None and ana_row.unsubscribed
    assert _digest(config, "subscribers", "unsubscribe", "Unsubscribe " + good).exit_code == 0
