"""Shared fixtures: paths, configs and an application on a throw-away store."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from digest.config import Config, parse_config
from digest.edition import Digest, make_digest
from digest.store import Store, open_store

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


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite store in a temporary folder."""
    with open_store(tmp_path / "test.sqlite3") as s:
        yield s


@pytest.fixture
def sample_app(tmp_path: Path, store: Store) -> Digest:
    """The bundled config and sample data, writing its output under ``tmp_path``."""
    data = sample_config_data()
    data["senders"] = {"out": {"type": "file", "path": str(tmp_path / "out")}}
    return make_digest(config=config_from(data), store=store)
