"""The fuzzing suite: hypothesis-generated feeds, page dumps, JSON, configs and
editions, in CI-sized batches (about 10,000 cases; ``DIGEST_FUZZ_SCALE=20`` for a
longer run).  The properties are in :mod:`tests.fuzz_cases`; ``python
tools/fuzz_report.py`` runs the same cases and prints the numbers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from digest.config import parse_config
from digest.model import Edition
from digest.render import Renderer

from . import fuzz_cases as cases

pytestmark = pytest.mark.slow  # generated inputs by the thousand

SCALE = float(os.environ.get("DIGEST_FUZZ_SCALE", "1"))
#: Cases per kind in one CI run (scaled): 10,020 in all.
BATCHES = {
    "feed": 2500,
    "mixed feed": 1000,
    "page": 2400,
    "json": 800,
    "config": 2800,
    "rendition": 500,
    "config via CLI": 20,
}


def _settings(kind: str) -> Any:
    return settings(
        max_examples=max(1, int(BATCHES[kind] * SCALE)),
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )


def _hold(kind: str, problems: list[str]) -> None:
    assert not problems, f"{kind}: {problems}"


@_settings("feed")
@given(cases.feeds())
def test_generated_feeds(data: bytes) -> None:
    _hold("feed", cases.timed("feed", cases.check_feed, data))


@_settings("mixed feed")
@given(cases.mixed_feeds())
def test_good_items_survive_hostile_neighbours(case: tuple[bytes, list[str]]) -> None:
    _hold("mixed feed", cases.timed("mixed feed", cases.check_mixed_feed, case))


@_settings("page")
@given(cases.pages())
def test_generated_page_dumps(data: bytes) -> None:
    _hold("page", cases.timed("page", cases.check_page, data))


@_settings("json")
@given(cases.json_documents())
def test_generated_json(data: bytes) -> None:
    _hold("json", cases.timed("json", cases.check_json, data))


@_settings("config")
@given(cases.configs())
def test_generated_configs(data: dict[str, Any]) -> None:
    _hold("config", cases.timed("config", cases.check_config, data))


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    config = parse_config(cases._sample_config(), base_dir=cases.ROOT)
    return Renderer(config.digest, config.render, base_dir=cases.ROOT)


@_settings("rendition")
@given(edition=cases.editions())
def test_nothing_executable_reaches_a_rendition(renderer: Renderer, edition: Edition) -> None:
    _hold("rendition", cases.timed("rendition", cases.check_rendition, edition, renderer))


@_settings("config via CLI")
@given(cases.configs(most=1))
def test_generated_configs_at_the_cli(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        problems = cases.timed("config via CLI", cases.check_config_cli, data, Path(folder))
    _hold("config via CLI", problems)
