"""The command line: verbs, --as-of, and user mistakes as one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner

from digest.cli import main
from digest.store import open_store

from .conftest import ROOT, sample_config_data

AS_OF = "2020-11-23T10:00+05:30"


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The bundled config, pointed at the repo's sample data, storing under tmp_path."""
    data = sample_config_data()
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"])
    data["store"] = {"path": "store.sqlite3"}
    data["senders"] = {"out": {"type": "file", "path": "out"}}
    path = tmp_path / "config.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow  # a real process through the console script
def test_console_script_runs_the_daily_job(config_file: Path) -> None:
    env = {**os.environ, "COLUMNS": "120"}
    command = [Path(sys.executable).parent / "digest", "--config", str(config_file)]
    done = subprocess.run(
        [*command, "run", "--as-of", AS_OF], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    out = config_file.parent / "out"
    assert {p.name for p in out.iterdir()} >= {
        "email.html", "email.txt", "push.json", "whatsapp.txt", "edition.json"
    }  # fmt: skip
    assert (config_file.parent / "store.sqlite3").exists()


def test_ingest_json_reports_every_source(config_file: Path) -> None:
    code, out, _ = invoke(config_file, "ingest", "--json")
    assert code == 0
    reports = json.loads(out)
    assert sum(r["new"] for r in reports) >= 30
    assert all(not r["error"] for r in reports)


def test_select_json_lists_picks_with_reasons(config_file: Path) -> None:
    invoke(config_file, "ingest")
    code, out, _ = invoke(config_file, "select", "--as-of", AS_OF, "--json", "--explain")
    assert code == 0
    document = json.loads(out)
    assert document["id"] == "world-2020-11-23"
    assert document["picks"] and all(p["reasons"] for p in document["picks"])
    assert document["rejections"]


def test_preview_prints_the_short_versions(config_file: Path) -> None:
    invoke(config_file, "ingest")
    code, out, _ = invoke(config_file, "preview", "--as-of", AS_OF)
    assert code == 0
    for heading in ("Email", "Push", "WhatsApp"):
        assert heading in out


def test_export_writes_the_file_set(config_file: Path, tmp_path: Path) -> None:
    invoke(config_file, "ingest")
    code, _, _ = invoke(config_file, "export", "--as-of", AS_OF, "--out", str(tmp_path / "x"))
    assert code == 0
    names = {p.name for p in (tmp_path / "x").iterdir()}
    assert {"email.html", "email.txt", "push.json", "whatsapp.txt", "edition.json"} <= names


def test_a_config_mistake_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('[select]\ncount = "ten"\n', encoding="utf-8")
    code, out, err = invoke(bad, "select")
    assert code == 2
    assert 'select.count: must be a positive integer, got "ten"' in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("setting", ["unsubscribe_url", "view_online_url"])
def test_a_stray_brace_in_a_link_pattern_stops_the_run_with_its_name(
    config_file: Path, setting: str
) -> None:
    # The senders fill these links before the renderer checks them.
    data = tomllib.loads(config_file.read_text())
    data.setdefault("render", {})[setting] = "{"
    config_file.write_bytes(tomli_w.dumps(data).encode())
    code, _, err = invoke(config_file, "run", "--as-of", AS_OF)
    assert code == 2
    assert f"error: render.{setting}: bad pattern '{{'" in err and "Traceback" not in err


def test_as_of_must_be_iso_8601(config_file: Path) -> None:
    code, _, err = invoke(config_file, "select", "--as-of", "yesterday")
    assert code == 2
    assert "--as-of" in err and "ISO 8601" in err


def test_held_edition_exits_3_with_the_reason(config_file: Path) -> None:
    code, _, err = invoke(config_file, "run", "--as-of", "2021-06-01T07:00+05:30")
    assert code == 3
    assert "not enough news" in err


def test_export_quiet_prints_nothing_even_when_held_back(config_file: Path) -> None:
    out = config_file.parent / "export"
    code, stdout, err = invoke(
        config_file, "export", "--out", str(out), "--as-of", "2021-06-01T07:00+05:30", "--quiet"
    )
    assert (code, stdout, err) == (3, "", "")
    assert not out.exists()


def _broken_template(tmp_path: Path, config: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "push.txt.j2").write_text("{{ stories[0].title }\n", encoding="utf-8")
    data = tomllib.loads(config.read_text("utf-8"))
    data["render"]["templates"] = str(folder)
    config.write_bytes(tomli_w.dumps(data).encode())
    return config


@pytest.mark.parametrize(
    ("args", "prepare", "code", "names"),
    [
        (["preview"], lambda t, c: t / "absent.toml", 2, "absent.toml: config file not found"),
        (
            ["preview"],
            lambda t, c: (t / "bad.toml", (t / "bad.toml").write_text("[digest\n"))[0],
            2,
            "bad.toml: invalid TOML",
        ),
        (["preview", "--as-of", "23/11/2020"], None, 2, "--as-of: '23/11/2020' is not ISO 8601"),
        (["select", "--as-of", "0001-01-01T00:00+05:30"], None, 2, "is out of range (years"),
        (["export", "--edition", "world-1999-01-01", "--out", "x"], None, 2, "--edition"),
        (["export", "--as-of", AS_OF, "--out", "config.toml/x"], None, 1, "config.toml/x: cannot"),
        (["preview", "--as-of", AS_OF], _broken_template, 1, "mine/push.txt.j2, line 1"),
        (["preview", "--as-of", AS_OF], lambda t, c: c, 3, "run `digest ingest` first"),
    ],
    ids=[
        "missing-config",
        "bad-toml",
        "bad-as-of",
        "as-of-out-of-range",
        "unknown-edition",
        "unwritable-out",
        "broken-template",
        "empty-store",
    ],
)
def test_user_mistakes_are_one_clear_message_never_a_traceback(
    config_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    prepare: Callable[[Path, Path], Path] | None,
    code: int,
    names: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if "digest ingest" not in names:  # every case but the empty store has the sample
        assert invoke(config_file, "ingest")[0] == 0
    if prepare is not None:
        config_file = prepare(tmp_path, config_file)
    result = CliRunner().invoke(main, ["--config", str(config_file), *args])
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught error
    assert names in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error:", "Error:"))]
    held = [line for line in result.stderr.splitlines() if "held back" in line]
    assert len(errors) + len(held) == 1, result.stderr


def test_feed_text_is_printed_as_text_not_terminal_markup(
    config_file: Path, tmp_path: Path
) -> None:
    """A headline with rich markup ("[/b]" would fail, "[red]" restyle) prints as is."""
    title = "Hostile [/b] headline [red]from a feed"
    feed = tmp_path / "hostile.json"
    item = {"id": "hostile-1", "url": "https://wire.example/world/hostile", "title": title,
            "content_text": "A summary [/] with markup.", "tags": ["World"],
            "date_published": "2020-11-23T03:00:00Z"}  # fmt: skip
    feed.write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Wire",
                    "items": [item]}),
        encoding="utf-8",
    )  # fmt: skip
    assert invoke(config_file, "ingest")[0] == 0
    assert invoke(config_file, "ingest", str(feed))[0] == 0
    for verb in ("select", "preview"):
        result = CliRunner().invoke(
            main, ["--config", str(config_file), verb, "--as-of", AS_OF], terminal_width=200
        )
        assert result.exit_code == 0, result.output
        assert title in result.stdout, verb


def test_select_on_an_empty_store_says_what_to_do(config_file: Path) -> None:
    code, out, _ = invoke(config_file, "select", "--as-of", AS_OF)
    assert code == 0
    assert "nothing to send. (no stored article falls in the window ending 2020-11-23 04:30" in (
        " ".join(out.split())
    )
    assert "run `digest ingest` first" in " ".join(out.split())


def test_a_held_run_names_the_sources_that_failed(tmp_path: Path) -> None:
    data = sample_config_data()
    data["sources"] = [{"path": str(tmp_path / "missing.rss"), "kind": "feed"}]
    data["store"] = {"path": "store.sqlite3"}
    data["senders"] = {"out": {"type": "file", "path": "out"}}
    path = tmp_path / "config.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    code, out, err = invoke(path, "run", "--as-of", AS_OF)
    assert code == 3
    said = " ".join(err.split())  # the console wraps long lines
    assert "not enough news" in said and "1 source(s) failed" in said
    # The console may break the long temporary path anywhere, even at its dot.
    assert "missing.rss:nosuchfileorfolder" in "".join(err.split())
    assert "Traceback" not in out + err


def test_run_output_prints_feed_text_literally(config_file: Path, tmp_path: Path) -> None:
    feed = tmp_path / "brackets.json"
    feed.write_text(json.dumps([{
        "url": f"https://news.example/world/{n}", "title": f"[/b] Summit [bold]{n}[/bold] ends",
        "section": "World News", "published_at": "2020-11-23T09:00:00+05:30",
        "summary": "Leaders [red]agree[/red] on a plan.",
    } for n in range(3)]), encoding="utf-8")  # fmt: skip
    code, _, err = invoke(config_file, "ingest", str(feed))
    assert code == 0, err
    code, out, err = invoke(config_file, "run", "--as-of", AS_OF)
    assert code == 0, err
    assert "Traceback" not in out + err


def test_a_sender_type_typo_stops_run_and_schedule_at_once(
    config_file: Path, tmp_path: Path
) -> None:
    """Found before anything is read or sent, and before a scheduler waits all
    night only to fail at 07:00: one line naming the key, exit 2."""
    data = tomllib.loads(config_file.read_text("utf-8"))
    data["senders"]["out"]["type"] = "flie"
    config_file.write_bytes(tomli_w.dumps(data).encode())

    code, _, err = invoke(config_file, "run", "--as-of", AS_OF)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: senders.out.type: unknown sender type 'flie' (known: ")
    assert not (tmp_path / "out").exists()
    assert "0 articles stored" in invoke(config_file, "status")[1]  # nothing was read

    command = [Path(sys.executable).parent / "digest", "--config", str(config_file), "schedule"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("digest schedule started with an unknown sender type")
    assert done.returncode == 2
    assert "senders.out.type: unknown sender type 'flie'" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_run_that_sends_still_names_the_sources_that_failed(
    config_file: Path, tmp_path: Path
) -> None:
    """The good sources make the edition; the broken one is not silently forgotten:
    it is named on stderr and in the run's record."""
    data = tomllib.loads(config_file.read_text("utf-8"))
    data["sources"].append({"path": str(tmp_path / "missing.rss"), "kind": "feed"})
    config_file.write_bytes(tomli_w.dumps(data).encode())

    code, out, err = invoke(config_file, "run", "--as-of", AS_OF)
    assert code == 0
    assert "out: 1 delivered" in out
    assert "source failed: " in " ".join(err.split())
    # The console may break the long temporary path anywhere, even at its dot.
    assert "missing.rss:nosuchfileorfolder" in "".join(err.split())
    with open_store(tmp_path / "store.sqlite3") as store:
        (run,) = store.runs()
    assert run["status"] == "done"
    assert run["message"].startswith("1 sent, 0 failed, 0 already done (1 source(s) failed: ")
    assert "missing.rss: no such file or folder" in run["message"]


def test_a_named_edition_is_previewed_and_exported_by_its_recorded_id(
    config_file: Path, tmp_path: Path
) -> None:
    """``--edition world-evening-…`` rebuilds the evening edition, not the
    morning one of the same day."""
    data = tomllib.loads(config_file.read_text("utf-8"))
    data["schedule"]["editions"] = [{"at": "07:00"}, {"at": "18:30", "name": "evening"}]
    config_file.write_bytes(tomli_w.dumps(data).encode())
    assert invoke(config_file, "run", "--edition", "evening", "--as-of", AS_OF)[0] == 0

    code, out, err = invoke(
        config_file,
        "export",
        "--edition",
        "world-evening-2020-11-23",
        "--out",
        str(tmp_path / "ev"),
    )
    assert code == 0, err
    exported = json.loads((tmp_path / "ev" / "edition.json").read_text("utf-8"))
    assert exported["id"] == "world-evening-2020-11-23"
    code, out, _ = invoke(config_file, "preview", "--edition", "world-evening-2020-11-23")
    assert code == 0 and "Edition world-evening-2020-11-23" in out

    code, _, err = invoke(config_file, "preview", "--edition", "world-late-2020-11-23")
    assert code == 2 and "no edition 'world-late-2020-11-23' is recorded" in err


def test_select_and_send_take_a_named_edition_of_the_day(config_file: Path) -> None:
    """The evening edition can be explained and sent by hand like the morning one:
    its selection remembers what the morning sent."""
    data = tomllib.loads(config_file.read_text("utf-8"))
    data["schedule"]["editions"] = [{"at": "07:00"}, {"at": "18:30", "name": "evening"}]
    config_file.write_bytes(tomli_w.dumps(data).encode())
    assert invoke(config_file, "run", "--as-of", AS_OF)[0] == 0
    evening = "2020-11-23T18:30+05:30"

    code, out, _ = invoke(
        config_file, "select", "--edition", "evening", "--as-of", evening, "--json"
    )
    assert code == 0
    document = json.loads(out)
    assert document["id"] == "world-evening-2020-11-23"
    assert document["hold"].startswith("not enough news")  # the morning sent the day's news
    code, out, _ = invoke(config_file, "select", "--edition", "evening", "--as-of", evening)
    assert code == 0 and "Held back, not sent: not enough news" in out
    assert "No stories in the window" not in out  # there were: all sent this morning
    code, _, err = invoke(config_file, "send", "--edition", "evening", "--as-of", evening)
    assert code == 3 and "world-evening-2020-11-23: not sent: not enough news" in err
    code, _, err = invoke(config_file, "send", "--edition", "late", "--as-of", evening)
    assert code == 2 and "no [[schedule.editions]] entry named 'late'" in err


def test_the_verb_list_matches_the_verbs_without_importing_them() -> None:
    """``digest --help`` lists the verbs from a table, so their modules (and rich,
    pydantic, premailer...) are not imported for it; the table must say what each
    command's own help says, at every width."""
    import importlib

    import click

    from digest.cli import VERBS

    for name, (module, attribute, summary) in VERBS.items():
        command = getattr(importlib.import_module(f"digest.cli.{module}"), attribute)
        assert isinstance(command, click.Command)
        assert command.name == name
        for limit in (30, 45, 80, 200):
            listed = click.Command(name, help=summary).get_short_help_str(limit)
            assert listed == command.get_short_help_str(limit)


def test_help_imports_nothing_heavy() -> None:
    """A fresh interpreter answering ``digest --help`` has not imported the
    pipeline, rich, pydantic or the CSS inliners."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom digest.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['digest.edition', 'rich', 'pydantic', 'premailer', 'css_inline', "
        "'digest.store', 'jinja2', 'httpx']\n"
        "print('HEAVY:' + ','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY:"
