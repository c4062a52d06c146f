"""Settings that used to pass validation or crash with a traceback: ``nan``/``inf``,
format-spec bombs, a function as a sender type, TOML nested thousands deep, and
store paths that cannot be a database.  Each is now a mistake named by its key."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from digest.cli import main
from digest.config import parse_config
from digest.errors import ConfigError

from .sample_files import write_sample_config

NUMERIC_KEYS = [
    ("ingest", "timeout_seconds"),
    ("select", "window_hours"),
    ("select", "half_life_hours"),
    ("select", "spread_hours"),
    ("select", "memory_days"),
    ("select", "event_similarity"),
    ("select", "story_similarity"),
    ("select.weights", "image"),
    ("select.weights", "spread"),
    ("select.weights", "repeat"),
    ("select.source_weights", "Reuters"),
    ("select.boost", "abc123"),
    ("schedule", "grace_minutes"),
    ("schedule", "lock_ttl_seconds"),
]


def _nested(path: str, key: str, value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {key: value}
    for part in reversed(path.split(".")):
        data = {part: data}
    return data


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize(("table", "key"), NUMERIC_KEYS)
def test_nan_and_inf_are_refused_by_key(tmp_path: Path, table: str, key: str, value: float) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_nested(table, key, value), base_dir=tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{table}.{key}: must be ")


def test_sender_numbers_must_be_finite(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            {"senders": {"x": {"type": "file", "retry_base_seconds": math.nan}}}, base_dir=tmp_path
        )
    assert caught.value.problems[0].startswith("senders.x.retry_base_seconds: must be")


def test_huge_integers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            {"ingest": {"max_bytes": 2**62}, "select": {"count": 2**40}}, base_dir=tmp_path
        )
    assert [p.partition(", got")[0] for p in caught.value.problems] == [
        "ingest.max_bytes: must be at most 1,000,000,000",
        "select.count: must be at most 1,000,000,000",
    ]


def _cli(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)


def _config(tmp_path: Path, extra: str = "", **changes: Any) -> Path:
    config = write_sample_config(tmp_path, extra=changes or None)
    if extra:
        config.write_text(config.read_text("utf-8") + "\n" + extra, "utf-8")
    return config


@pytest.mark.parametrize(
    ("changes", "text", "where"),
    [
        ({"render": {"subject": "{lead:>99999999999}"}}, "", "render.subject"),
        ({"render": {"preheader": "{lead.__class__.__mro__}"}}, "", "render.preheader"),
        ({"render": {"utm": {"campaign": "{edition_id!r:^9999999999}"}}}, "", "render.utm"),
        ({"senders": {"x": {"type": "os:system"}}}, "", "senders.x.type"),
        ({"senders": {"x": {"type": "subprocess:Popen"}}}, "", "senders.x.type"),
        ({"senders": {"x": {"type": "no such thing:Class"}}}, "", "senders.x.type"),
        ({}, "deep = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        ({}, "deep = " + "{a=" * 5000 + "1" + "}" * 5000, "nested too deeply"),
        ({}, "deep = " + "[" * 30 + "]" * 30, "nested more than 20 deep"),
    ],
)
def test_hostile_settings_are_mistakes_not_tracebacks(
    tmp_path: Path, changes: dict[str, Any], text: str, where: str
) -> None:
    config = _config(tmp_path, text, **changes)
    checked = _cli(config, "check")
    assert checked.exit_code == 2, checked.output
    assert where in checked.output and "Traceback" not in checked.output
    ran = _cli(config, "run", "--as-of", "2020-11-23T10:00+05:30")
    assert ran.exit_code == 2, ran.output
    assert where.split(".")[0] in ran.output


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("{tmp}", "is a folder"),
        ("/proc/digest.sqlite3", "is in /proc, a system file system"),
        ("{tmp}/not-a-db.sqlite3", "is not an SQLite database"),
    ],
)
def test_a_store_path_that_cannot_be_a_database_fails_check(
    tmp_path: Path, path: str, words: str
) -> None:
    (tmp_path / "not-a-db.sqlite3").write_text("hello, I am a text file\n" * 100, "utf-8")
    config = _config(tmp_path, store={"path": path.format(tmp=tmp_path)})
    checked = _cli(config, "check")
    assert checked.exit_code == 2
    assert "store.path" in checked.output and words in checked.output
    ran = _cli(config, "run", "--as-of", "2020-11-23T10:00+05:30")
    assert ran.exit_code in (1, 2) and "Traceback" not in ran.output
