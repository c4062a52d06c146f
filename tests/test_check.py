"""``digest init`` and ``digest check``: a starter setup, and every mistake at once."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.handlers import Sink
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from digest.check import check_setup, endpoints, probe
from digest.cli import main

from .conftest import ROOT
from .sample_files import LoopbackController, free_port, write_sample_config

# A newsroom's own sender, referenced by module:Class path, with network options.
HOOK_SENDER = """
from digest.senders.base import Limits


class HookSender:
    type_name = "hook"
    consumes = "all"

    def __init__(self, name, options, *, base_dir):
        self.options = dict(options)
        self.limits = Limits()

    def describe(self):
        return "hook"

    def recipients(self):
        return ["hook"]

    def send(self, outgoing, recipient):
        raise NotImplementedError("check never sends")
"""


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """A folder set up by ``digest init``."""
    result = _run("init", str(tmp_path / "newsroom"))
    assert result.exit_code == 0, result.output
    return tmp_path / "newsroom"


@pytest.fixture
def hook_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The ``type`` naming :data:`HOOK_SENDER`, importable for this test."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "newsroom_hooks.py").write_text(HOOK_SENDER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    return "newsroom_hooks:HookSender"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on loopback that accepts and drops mail."""
    controller = LoopbackController(Sink())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def test_init_writes_a_config_and_templates_that_check_clean(newsroom: Path) -> None:
    assert (newsroom / "config.toml").is_file()
    # One small override file, not copies of every template.
    assert sorted(p.name for p in (newsroom / "templates").iterdir()) == ["email.mjml.j2"]
    override = (newsroom / "templates" / "email.mjml.j2").read_text("utf-8")
    assert '{% extends "default/email.mjml.j2" %}' in override
    assert "{% block footer %}" in override and len(override) < 2000
    result = _run("--config", str(newsroom / "config.toml"), "check")
    assert result.exit_code == 0, result.output + result.stderr
    assert "no problems found" in result.stdout


def test_init_refuses_to_overwrite_unless_forced(newsroom: Path) -> None:
    (newsroom / "config.toml").write_text("# mine\n", encoding="utf-8")
    result = _run("init", str(newsroom))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert (newsroom / "config.toml").read_text("utf-8") == "# mine\n"
    assert _run("init", "--force", "--quiet", str(newsroom)).exit_code == 0
    assert "[senders.out]" in (newsroom / "config.toml").read_text("utf-8")


def test_init_into_a_place_it_cannot_write_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = _run("init", str(tmp_path / "a-file" / "newsroom"))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    target = tmp_path / "a-file" / "newsroom" / "config.toml"
    assert result.stderr == f"error: {target}: cannot write (Not a directory)\n"


def test_three_distinct_mistakes_are_reported_at_once(newsroom: Path) -> None:
    config = newsroom / "config.toml"
    text = config.read_text("utf-8")
    text = text.replace("count = 8 ", 'count = "ten" ')  # a bad setting value
    text = text.replace('type = "file"', 'type = "pigeon"')  # an unknown sender type
    config.write_text(text, encoding="utf-8")
    broken = "{{ stories[0].title }}\n{% for story in stories %}{{ story.title }\n"
    (newsroom / "templates" / "push.txt.j2").write_text(broken, encoding="utf-8")

    result = _run("--config", str(config), "check")

    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert lines == [
        '  - select.count: must be a positive integer, got "ten"',
        "  - templates/push.txt.j2, line 2: unexpected '}'",
        "  - senders.out.type: unknown sender type 'pigeon' (known: apprise, fcm, file, mailgun, "
        "ntfy, onesignal, postmark, sendgrid, ses, smtp, telegram, webhook, webpush, whatsapp)",
    ]
    assert "3 problems found" in result.stderr

    data = json.loads(_run("--config", str(config), "check", "--json").stdout)
    assert data["ok"] is False and data["exit_code"] == 2
    assert [p["kind"] for p in data["problems"]] == ["config", "template", "sender"]
    quiet = _run("--config", str(config), "check", "--quiet")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (2, "", "")


def test_a_template_that_parses_but_cannot_render_is_reported(newsroom: Path) -> None:
    mjml = newsroom / "templates" / "email.mjml.j2"
    mjml.write_text(
        mjml.read_text("utf-8").replace("{{ site_host }}", "{{ edition.headline_date }}", 1),
        encoding="utf-8",
    )
    report = check_setup(newsroom / "config.toml")
    assert [p.kind for p in report.problems] == ["template"]
    assert "headline_date" in report.problems[0].what
    assert "trial render" in report.problems[0].what


def test_missing_template_folder_and_source_are_named(tmp_path: Path) -> None:
    config = write_sample_config(
        tmp_path,
        templates=tmp_path / "nowhere",
        extra={"sources": [{"path": "missing/feed.xml", "kind": "feed"}]},
    )
    report = check_setup(config)
    shown = [str(p) for p in report.problems]
    assert shown == [
        f"sources.3.path: no such file or folder {tmp_path / 'missing' / 'feed.xml'}",
        f"render.templates: no such folder {tmp_path / 'nowhere'}",
    ]
    assert report.exit_code == 2


def test_a_link_pattern_without_a_web_address_is_named_as_a_setting(newsroom: Path) -> None:
    config = newsroom / "config.toml"
    text = config.read_text("utf-8")
    line = 'unsubscribe_url = "{site_url}/newsletter/unsubscribe"'
    assert line in text
    config.write_text(text.replace(line, 'unsubscribe_url = "/unsub"'), encoding="utf-8")
    report = check_setup(config)
    assert [(p.kind, str(p)) for p in report.problems] == [
        ("config", "render.unsubscribe_url: '/unsub' does not give an http(s) URL")
    ]


def test_sender_option_mistakes_name_the_sender(newsroom: Path) -> None:
    config = newsroom / "config.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[senders.archive]\ntype = "file"\nfolder = "x"\n',
        encoding="utf-8",
    )
    report = check_setup(config)
    assert [str(p) for p in report.problems] == ["senders.archive.folder: is not a known setting"]


def test_unreadable_config_is_one_plain_problem(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[digest\nname = 1\n", encoding="utf-8")
    result = _run("--config", str(bad), "check")
    assert result.exit_code == 2
    assert "invalid TOML" in result.stderr
    missing = _run("--config", str(tmp_path / "nope.toml"), "check")
    assert missing.exit_code == 2
    assert "config file not found" in missing.stderr


def _add_network_senders(config: Path, sender_type: str, url: str, smtp_port: int) -> None:
    """Add a webhook-like sender (``url``) and an SMTP-like one (``host``, ``port``)."""
    config.write_text(
        config.read_text("utf-8")
        + f'\n[senders.hook]\ntype = "{sender_type}"\nurl = "{url}"\n'
        + f'\n[senders.mail]\ntype = "{sender_type}"\nhost = "127.0.0.1"\nport = {smtp_port}\n',
        encoding="utf-8",
    )


def test_reach_connects_to_real_http_and_smtp_servers(
    newsroom: Path, hook_module: str, httpserver: HTTPServer, smtp_port: int
) -> None:
    httpserver.expect_request("/hooks/digest").respond_with_data("", status=405)
    config = newsroom / "config.toml"
    _add_network_senders(
        config, hook_module, httpserver.url_for("/hooks/digest?token=s3cret"), smtp_port
    )
    result = _run("--config", str(config), "check", "--reach")
    assert result.exit_code == 0, result.stderr
    assert f"sender hook reached http://{httpserver.host}:{httpserver.port}" in result.stdout
    assert f"sender mail reached smtp://127.0.0.1:{smtp_port}" in result.stdout
    assert "s3cret" not in result.stdout  # a token in a webhook URL is never printed
    assert len(httpserver.log) == 1

    without = _run("--config", str(config), "check")
    assert without.exit_code == 0 and "reached" not in without.stdout
    assert len(httpserver.log) == 1  # no connection unless asked


def test_unreachable_endpoints_exit_1_and_say_where(newsroom: Path, hook_module: str) -> None:
    closed = free_port()
    config = newsroom / "config.toml"
    _add_network_senders(config, hook_module, f"http://127.0.0.1:{closed}/x?k=1", closed)
    result = _run("--config", str(config), "check", "--reach", "--timeout", "2")
    assert result.exit_code == 1
    assert f"senders.hook: cannot reach http://127.0.0.1:{closed}" in result.stderr
    assert f"senders.mail: cannot reach smtp://127.0.0.1:{closed}" in result.stderr
    assert "k=1" not in result.stderr


def test_endpoints_prefer_what_the_sender_says() -> None:
    class Declares:
        def endpoints(self) -> list[str]:
            return ["https://api.example.org/v1"]

    assert endpoints(Declares(), {"url": "http://ignored.example"}) == [
        "https://api.example.org/v1"
    ]
    assert endpoints(object(), {"api_url": "https://a.example", "host": "mx", "port": 465}) == [
        "https://a.example",
        "smtps://mx:465",
    ]
    assert probe("ftp://files.example") == "cannot check ftp:// endpoints"


def test_the_sample_config_checks_clean(tmp_path: Path) -> None:
    # The bundled config, with no override folder: the built-in templates are tried.
    report = check_setup(write_sample_config(tmp_path))
    assert report.ok, report.problems
    assert "3 source(s)" in report.fine


def test_init_config_prints_the_date_as_the_bundled_one_does(newsroom: Path) -> None:
    """The starter's edition date has no zero-padded day ("Monday, 2 November")."""
    data = tomllib.loads((newsroom / "config.toml").read_text("utf-8"))
    shipped = tomllib.loads((ROOT / "config.toml").read_text("utf-8"))
    assert data["render"].get("date_format", "") in ("", shipped["render"]["date_format"])
