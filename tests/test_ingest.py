"""``digest ingest`` end to end: the store after one and two runs, updates, the
per-source report, ``--json``, ``--dry-run`` and the progress bar."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from rich.console import Console

from digest.cli import App, main
from digest.cli.ingest import PROGRESS_FROM, _progress
from digest.config import parse_config
from digest.edition import make_digest
from digest.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PUTIN = FIXTURES / "pages" / "midday-world-2020-11-23-putin-biden.txt"


def repo_config(tmp_path: Path) -> Path:
    """The repository's config.toml with its store moved into ``tmp_path``."""
    text = (ROOT / "config.toml").read_text("utf-8")
    text = text.replace('path = "digest.sqlite3"', f'path = "{tmp_path / "digest.sqlite3"}"')
    for rel in ("examples/pages", "examples/feeds/world-wire.rss", "examples/feeds/newsdesk.json"):
        text = text.replace(f'path = "{rel}"', f'path = "{ROOT / rel}"')
    config = tmp_path / "config.toml"
    config.write_text(text, "utf-8")
    return config


def run(config: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--config", str(config), "ingest", *args])
    return result


def rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT id, url, title, summary, body, section, published_at, content_hash "
            "FROM articles ORDER BY id"
        ).fetchall()


def test_bundled_examples_ingest_cleanly_with_the_repo_config(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    result = run(config, "--json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert len(reports) == 19
    assert sum(r["read"] for r in reports) == 41
    assert sum(r["new"] for r in reports) == 41
    assert all(r["error"] == "" and r["skipped"] == [] for r in reports)


def test_ingesting_twice_leaves_the_same_rows(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    assert run(config).exit_code == 0
    before = rows(tmp_path / "digest.sqlite3")
    second = json.loads(run(config, "--json").output)
    assert rows(tmp_path / "digest.sqlite3") == before
    assert len(before) == 41
    # Unchanged files are not read again at all.
    assert all(r["not_modified"] and r["read"] == 0 for r in second)
    assert sum(r["new"] + r["updated"] for r in second) == 0


def _ingest_json(config: Path, *args: str) -> dict[str, dict[str, object]]:
    return {r["source"]: r for r in json.loads(run(config, "--json", *args).output)}


def test_only_changed_files_are_read_again(tmp_path: Path) -> None:
    """Size and modification time first, then the content hash: a file touched but
    not changed is not parsed again, one changed in place (even with its size and
    time kept) is, and so is every file once the reader settings change."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    text = (ROOT / "config.toml").read_text("utf-8")
    config = tmp_path / "config.toml"
    config.write_text(text.replace('path = "digest.sqlite3"', 'path = "d.sqlite3"'), "utf-8")
    pages = sorted((tmp_path / "examples" / "pages").glob("*.txt"))
    touched, edited, same_size = pages[0], pages[1], pages[2]
    same_size.write_bytes(same_size.read_bytes())  # written just now: a "racy" time
    assert run(config).exit_code == 0
    os.utime(touched, ns=(10**18, 10**18))  # new time, same bytes
    edited.write_bytes(edited.read_bytes() + b"\nOne more line of the story.\n")
    stat = same_size.stat()
    data = bytearray(same_size.read_bytes())
    data[-2:-1] = b"!" if data[-2:-1] != b"!" else b"?"
    same_size.write_bytes(bytes(data))
    os.utime(same_size, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # size and time kept

    second = _ingest_json(config)

    assert second[str(touched)]["not_modified"]
    assert not second[str(edited)]["not_modified"] and second[str(edited)]["read"] >= 1
    read_again = {s for s, r in second.items() if not r["not_modified"]}
    # The edit that kept size and time is caught by the hash: when the file was
    # read its time was too recent to trust (it could change within the tick).
    assert read_again == {str(edited), str(same_size)}
    third = _ingest_json(config, "--rules", "default")
    assert not any(third[str(p)]["not_modified"] for p in pages)


def test_an_updated_article_replaces_its_earlier_version(tmp_path: Path, store: Store) -> None:
    page = tmp_path / "putin.txt"
    page.write_bytes(PUTIN.read_bytes())
    config = parse_config(
        {"sources": [{"path": "putin.txt", "url_template": "https://m.example/{section}/{slug}"}]},
        base_dir=tmp_path,
    )
    app = make_digest(config=config, store=store)
    (first,) = app.ingest()
    assert first.counts.new == 1
    (article,) = app.store.articles_between(datetime(2020, 1, 1, tzinfo=UTC), datetime.now(UTC))

    page.write_bytes(
        PUTIN.read_bytes()
        .replace(b"23 November,2020 08:55 AM", b"23 November,2020 11:40 AM")
        .replace(b"this election is different.", b"this election is different.\n\nA new paragraph.")
    )
    (second,) = app.ingest()
    assert (second.counts.new, second.counts.updated) == (0, 1)
    assert store.count_articles() == 1
    updated = store.article(article.id)
    assert updated is not None
    assert updated.body.endswith("A new paragraph.")
    assert updated.updated_at == datetime(2020, 11, 23, 6, 10, tzinfo=UTC)


def test_report_names_sources_and_skip_reasons(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    result = run(config, str(FIXTURES / "feeds" / "atom-wire.atom"), str(tmp_path / "missing.rss"))
    assert result.exit_code == 0  # one source failed, the other was stored
    assert "atom-wire.atom" in result.output and "item has no title" in result.output
    assert "no such file or folder" in result.output
    assert "2 articles read from 2 sources: 2 new, 0 updated, 2 items skipped, 1 sources" in (
        result.output
    )
    skipped = run(config, "--show-skipped", "--json")
    kept = {(Path(s["source"]).name, s["reason"]) for s in json.loads(skipped.output)}
    assert ("atom-wire.atom", "item has no http(s) link") in kept
    assert ("missing.rss", "no such file or folder") in kept


def test_all_sources_failing_exits_non_zero(tmp_path: Path) -> None:
    result = run(repo_config(tmp_path), str(tmp_path / "nothing-here.rss"))
    assert result.exit_code == 1


def test_dry_run_json_prints_every_field_in_utc_and_stores_nothing(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    result = run(config, "--dry-run", "--json", str(ROOT / "examples" / "pages" / PUTIN.name))
    assert result.exit_code == 0, result.output
    (source,) = json.loads(result.output)
    (article,) = source["articles"]
    assert set(article) == {
        "id", "url", "title", "summary", "body", "section", "tags", "published_at",
        "updated_at", "dateline", "agency", "byline", "image", "language", "publisher", "source",
        "time_from_crawl",
    }  # fmt: skip
    assert article["published_at"] == "2020-11-23T03:25:00+00:00"
    assert article["time_from_crawl"] is False  # the page prints its time
    assert datetime.fromisoformat(article["published_at"]).utcoffset().total_seconds() == 0
    # The file lies inside the configured examples/pages: its settings apply.
    assert article["publisher"] == "mid-day"
    assert article["url"].startswith("https://www.mid-day.com/news/world-news/article/")
    assert (article["dateline"], article["agency"]) == ("Moscow", "IANS")
    db = tmp_path / "digest.sqlite3"
    assert not db.exists() or rows(db) == []


def test_dry_run_text_shows_sections_literally(tmp_path: Path) -> None:
    result = run(repo_config(tmp_path), "--dry-run", str(PUTIN))
    assert "[world] Won't recognise Joe Biden as US President: Putin" in result.output


def test_rules_option_picks_a_boilerplate_set(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    text = config.read_text() + '\n[boilerplate.strict]\ndrop_lines = ["^He also said"]\n'
    config.write_text(text)
    plain = json.loads(run(config, "--dry-run", "--json", str(PUTIN)).output)
    strict = json.loads(run(config, "--dry-run", "--json", "--rules", "strict", str(PUTIN)).output)
    assert "He also said" in plain[0]["articles"][0]["body"]
    assert "He also said" not in strict[0]["articles"][0]["body"]
    unknown = run(config, "--dry-run", "--rules", "nope", str(PUTIN))
    assert unknown.exit_code == 2 and "no [boilerplate.nope] table" in unknown.output


def terminal_app(tmp_path: Path) -> tuple[App, io.StringIO]:
    """An application whose stderr is a (captured) terminal."""
    app = App(tmp_path / "config.toml")
    buffer = io.StringIO()
    app.err = Console(file=buffer, force_terminal=True, width=100)
    return app, buffer


def test_progress_bar_is_drawn_for_many_sources(tmp_path: Path) -> None:
    app, buffer = terminal_app(tmp_path)
    with _progress(app, as_json=False) as step:
        assert step is not None
        for done in range(1, PROGRESS_FROM + 6):
            step(done, PROGRESS_FROM + 5, f"source-{done}.txt")
    assert f"{PROGRESS_FROM + 5}/{PROGRESS_FROM + 5}" in buffer.getvalue()


def test_no_progress_bar_for_few_sources_or_json(tmp_path: Path) -> None:
    app, buffer = terminal_app(tmp_path)
    with _progress(app, as_json=False) as step:
        assert step is not None
        step(1, 2, "a")
        step(2, 2, "b")
    with _progress(app, as_json=True) as step:
        assert step is not None
        for done in range(1, 31):
            step(done, 30, "x")
    assert "/2" not in buffer.getvalue() and "/30" not in buffer.getvalue()


def test_bad_boilerplate_pattern_is_a_config_error_naming_the_key(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    config.write_text(config.read_text().replace("stop_markers = []", 'stop_markers = ["(oops"]'))
    result = run(config, "--dry-run", str(PUTIN))
    assert result.exit_code == 2
    assert "boilerplate.midday.stop_markers.0: is not a valid regular expression" in result.output


def test_sources_can_be_globs_and_a_glob_matching_nothing_is_named(tmp_path: Path) -> None:
    config = repo_config(tmp_path)
    pattern = str(FIXTURES / "pages" / "variants" / "*.txt")
    nothing = str(tmp_path / "*.rss")
    results = json.loads(run(config, "--dry-run", "--json", pattern, nothing).output)
    assert len(results) == 6
    assert all(len(r["articles"]) == 1 for r in results[:5])
    assert results[5] == {
        "source": nothing, "articles": [], "skipped": [], "error": "pattern matches no files",
        "not_modified": False, "etag": "", "last_modified": "",
    }  # fmt: skip
