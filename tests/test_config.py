"""Loading and validating config.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import ConfigError

from .conftest import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_config_is_valid_and_resolves_paths_against_its_folder() -> None:
    config = load_config(ROOT / "config.toml")
    assert config.store_path == ROOT / "digest.sqlite3"
    assert config.digest.timezone == "Asia/Kolkata"
    assert config.senders["out"].type == "file"
    assert [s.kind for s in config.sources] == ["page", "feed", "json"]


def test_a_bad_value_names_the_key_and_what_was_given(tmp_path: Path) -> None:
    path = write(tmp_path, '[select]\ncount = "ten"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert 'select.count: must be a positive integer, got "ten"' in caught.value.problems
    assert caught.value.exit_code == 2


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[digest]\ntimezone = "Mars/Olympus"\ncolour = "red"\n'
        '[select]\nmin_picks = 0\n[[sources]]\nkind = "feed"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = "\n".join(caught.value.problems)
    assert "digest.timezone: must be an IANA time zone name" in problems
    assert "digest.colour: is not a known setting" in problems
    assert "select.min_picks: must be a positive integer, got 0" in problems
    assert "sources.0.path: is required" in problems


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[select]\ncount = = 3\n")
    with pytest.raises(ConfigError, match=r"config\.toml: invalid TOML: .*line 2"):
        load_config(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_store_path_may_be_absolute(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "d.sqlite3"
    config = load_config(write(tmp_path, f'[store]\npath = "{target}"\n'))
    assert config.store_path == target


def test_source_naming_an_undefined_boilerplate_table_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\npath = "x"\nboilerplate = "nosuch"\n')
    with pytest.raises(ConfigError, match=r"sources\.0\.boilerplate: no \[boilerplate\.nosuch\]"):
        load_config(path)


@pytest.mark.parametrize("value", ["www.mid-day.com", "ftp://mid-day.com", "https://", 7])
def test_site_url_must_be_a_web_address(tmp_path: Path, value: object) -> None:
    shown = f'"{value}"' if isinstance(value, str) else str(value)
    path = write(tmp_path, f"[digest]\nsite_url = {shown}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        f"digest.site_url: must be an http(s) address such as "
        f'"https://www.example.com", got {json.dumps(value)}'
    ]


def test_spans_and_timeouts_are_bounded(tmp_path: Path) -> None:
    """Far larger values overflow dates and socket timeouts: a traceback, not a message."""
    path = write(tmp_path, "[select]\nwindow_hours = 1e20\n[ingest]\ntimeout_seconds = 1e300\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        "ingest.timeout_seconds: must be at most 3600 (an hour), got 1e+300",
        "select.window_hours: must be at most 87600 (ten years), got 1e+20",
    ]


@pytest.mark.parametrize("value", ["World News", "world/daily", "<x>", ""])
def test_edition_prefix_is_safe_in_ids_headers_and_links(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f'[digest]\nedition_prefix = "{value}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.startswith("digest.edition_prefix: must be letters, digits")
    assert problem.endswith(f"got {json.dumps(value)}")


@pytest.mark.parametrize("value", ["1.5", "-0.1", '"half"'])
def test_same_story_threshold_is_a_share(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"[select]\nsame_story_threshold = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        f"select.same_story_threshold: must be a number from 0 to 1, got {value}"
    ]


@pytest.mark.parametrize("key", ["placed_outlets", "placed_by"])
@pytest.mark.parametrize("value", ["0", "-1", "2.5", '"two"', "true"])
def test_the_outlets_that_lift_a_weak_placement_are_a_positive_count(
    tmp_path: Path, key: str, value: str
) -> None:
    path = write(tmp_path, f"[select.weights]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        f"select.weights.{key}: must be a positive integer, got {value}"
    ]
