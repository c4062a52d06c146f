"""``digest preview``: the terminal view, the page, and the loopback server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import lxml.html
import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.edition import Built, make_digest
from digest.errors import ConfigError
from digest.preview import Preview, PreviewServer, loopback_host, page_html, whatsapp_html

from .conftest import ROOT, SAMPLE_AS_OF
from .golden.edition import SCRIPT, edition, renderer
from .sample_files import write_sample_config

AS_OF = SAMPLE_AS_OF.isoformat()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The sample config with an override template folder, articles ingested."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    path = write_sample_config(tmp_path, templates=templates)
    result = CliRunner().invoke(main, ["--config", str(path), "ingest"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def served(config_file: Path) -> Iterator[tuple[Preview, str]]:
    """A preview of the sample edition on a real loopback server (this process)."""
    preview = Preview(lambda: make_digest(config_path=config_file), SAMPLE_AS_OF,
                      config_path=config_file)  # fmt: skip
    preview.refresh()
    server = PreviewServer(preview)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield preview, server.url
    finally:
        server.shutdown()
        server.server_close()
        preview.close()


# -- WhatsApp formatting ------------------------------------------------------------


def test_whatsapp_formatting_becomes_html() -> None:
    text = "*World News*\n_Monday_\n~old~ and ```code```\n> quoted\n- item"
    html = whatsapp_html(text)
    assert "<strong>World News</strong>" in html
    assert "<em>Monday</em>" in html
    assert "<s>old</s>" in html and "<code>code</code>" in html
    assert '<div class="wa-quote">quoted</div>' in html
    assert '<div class="wa-bullet">• item</div>' in html


def test_whatsapp_text_cannot_inject_markup() -> None:
    html = whatsapp_html('<script>alert(1)</script> *<img src=x onerror="alert(2)">*')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</strong>" in html


def test_whatsapp_links_keep_their_underscores_and_only_http_links() -> None:
    url = "https://example.com/a_b?utm_source=digest&utm_medium=whatsapp"
    html = whatsapp_html(f"Read {url} now, not javascript:alert(1) or snake_case_name")
    assert f'<a href="{url.replace("&", "&amp;")}"' in html
    assert "<em>" not in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html


# -- terminal -----------------------------------------------------------------------


def test_terminal_preview_shows_picks_texts_and_size(config_file: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(config_file), "preview", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for heading in ("Edition world-2020-11-23", "Email", "Plain-text part", "Push", "WhatsApp"):
        assert heading in out
    assert "Biden picks veteran aide Blinken" in out
    assert "of Gmail's clip point" in out
    # How the subject and push title were made to fit, in words.
    assert "subject: the headline, the shorter pattern '{lead}' (67/78)" in out
    assert "push title: a whole clause of the headline (41/50)" in out


def test_open_hands_the_public_email_file_to_the_desktop_opener(
    config_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--open`` runs the desktop's opener (xdg-open; here a stand-in script that
    records what it was given) on a file holding the email as a reader gets it."""
    bin_dir, opened = tmp_path / "bin", tmp_path / "opened.txt"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf %s "$1" > {opened}.part && mv {opened}.part {opened}\n')
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = CliRunner().invoke(
        main, ["--config", str(config_file), "preview", "--as-of", AS_OF, "--open"]
    )
    assert result.exit_code == 0, result.output
    deadline = time.monotonic() + 300  # bounds a broken opener; not a timing
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    page = Path(opened.read_text("utf-8").removeprefix("file://"))
    assert page.name == "email.html" and f"Opened {page}" in result.stderr
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Biden picks veteran aide Blinken" in html
    assert "%%" not in html  # recipient placeholders filled for nobody in particular


def test_preview_json_is_the_renditions(config_file: Path) -> None:
    result = CliRunner().invoke(
        main, ["--config", str(config_file), "preview", "--as-of", AS_OF, "--json"]
    )
    data = json.loads(result.stdout)
    assert data["edition_id"] == "world-2020-11-23"
    assert sorted(data) == [
        "edition_id",
        "email",
        "images",
        "notes",
        "push",
        "telegram",
        "whatsapp",
    ]
    assert data["push"]["title"].startswith("Biden picks veteran aide")


def test_preview_by_edition_needs_a_recorded_one(config_file: Path) -> None:
    args = ["--config", str(config_file), "preview", "--edition", "world-2020-11-23", "--json"]
    before = CliRunner().invoke(main, args)
    assert before.exit_code == 2 and "no edition 'world-2020-11-23'" in before.stderr
    CliRunner().invoke(main, ["--config", str(config_file), "preview", "--as-of", AS_OF])
    after = CliRunner().invoke(main, args)
    assert after.exit_code == 0
    assert json.loads(after.stdout)["edition_id"] == "world-2020-11-23"


# -- loopback only ------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.com", ""])
def test_other_binds_are_refused(host: str) -> None:
    with pytest.raises(ConfigError, match="only listens on loopback"):
        loopback_host(host)


def test_loopback_names_are_accepted() -> None:
    assert loopback_host("localhost") == "127.0.0.1"
    assert loopback_host("127.0.0.1") == "127.0.0.1"
    assert loopback_host("::1") == "::1"


def test_cli_refuses_a_public_bind(config_file: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--config", str(config_file), "preview", "--serve", "--host", "0.0.0.0", "--as-of", AS_OF],
    )
    assert result.exit_code == 2
    assert "refusing to listen on '0.0.0.0'" in result.stderr


def test_server_answers_only_loopback_host_names(served: tuple[Preview, str]) -> None:
    _, url = served
    assert httpx.get(url).status_code == 200
    forged = httpx.get(url, headers={"Host": "attacker.example"})
    assert forged.status_code == 403  # DNS rebinding from a web page gets nothing
    for host in ("attacker.example:80", "127.0.0.1.attacker.example", "10.0.0.1"):
        assert httpx.get(url, headers={"Host": host}).status_code == 403, host


def test_server_on_another_loopback_address_answers_its_own_name(config_file: Path) -> None:
    """loopback_host accepts all of 127/8; the Host check must then accept it too."""
    preview = Preview(lambda: make_digest(config_path=config_file), SAMPLE_AS_OF)
    preview.refresh()
    server = PreviewServer(preview, "127.0.0.2")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        assert server.url.startswith("http://127.0.0.2:")
        assert httpx.get(server.url).status_code == 200
        assert httpx.get(server.url, headers={"Host": "localhost"}).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
        preview.close()


# -- the page -----------------------------------------------------------------------


def test_page_has_every_version_and_the_email_is_sandboxed(served: tuple[Preview, str]) -> None:
    preview, url = served
    page = httpx.get(url)
    html = page.text
    for section in ('id="subject"', 'id="size"', 'id="email-phone"', 'id="email-desktop"',
                    'id="plain-text"', 'id="push"', 'id="whatsapp"', 'id="explain"'):  # fmt: skip
        assert section in html
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "of Gmail's 102 KB clip point" in html
    assert "<strong>World News Digest</strong>" in html  # WhatsApp bold, applied
    email = httpx.get(url + "email.html")
    assert email.content == preview.snapshot.email
    assert email.headers["content-security-policy"].startswith("sandbox")
    assert "no-store" in email.headers["cache-control"]
    assert httpx.get(url + "version").text == preview.snapshot.version
    assert httpx.get(url + "nothing").status_code == 404


def test_template_and_config_changes_rebuild_the_page(
    served: tuple[Preview, str], config_file: Path
) -> None:
    preview, url = served
    first = preview.snapshot.version
    assert preview.refresh() is False  # nothing changed: no rebuild

    push = config_file.parent / "templates" / "push.txt.j2"
    push.write_text(
        push.read_text("utf-8").replace("{{ push_title }}", "Breaking: {{ push_title }}")
    )
    os.utime(push, ns=(0, 1))  # a different mtime even within the same clock tick
    assert preview.refresh() is True
    assert httpx.get(url + "version").text != first
    assert "Breaking: Biden picks" in httpx.get(url).text

    config_file.write_text(
        config_file.read_text("utf-8").replace(
            'name = "World News Digest"', 'name = "Evening Brief"'
        )
    )
    os.utime(config_file, ns=(0, 2))
    assert preview.refresh() is True
    assert "Evening Brief" in httpx.get(url).text


def test_a_broken_template_shows_on_the_page_until_fixed(
    served: tuple[Preview, str], config_file: Path
) -> None:
    preview, url = served
    push = config_file.parent / "templates" / "push.txt.j2"
    good = push.read_text("utf-8")
    push.write_text(good + "{% if %}\n")
    os.utime(push, ns=(0, 3))
    assert preview.refresh() is True
    page = httpx.get(url).text
    assert 'id="problem"' in page and "push.txt.j2, line" in page
    push.write_text(good)
    os.utime(push, ns=(0, 4))
    assert preview.refresh() is True
    assert 'id="problem"' not in httpx.get(url).text


def test_a_held_edition_says_why_instead_of_showing_versions(config_file: Path) -> None:
    quiet_day = SAMPLE_AS_OF.replace(day=21)
    preview = Preview(lambda: make_digest(config_path=config_file), quiet_day)
    try:
        preview.refresh()
        page = preview.snapshot.page.decode()
    finally:
        preview.close()
    assert 'id="held"' in page and "not enough news: 0 pick(s)" in page
    assert 'id="email-phone"' not in page and preview.snapshot.email == b""


def test_a_taken_port_is_a_one_line_error(config_file: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main,
            ["--config", str(config_file), "preview", "--serve", "--port", str(port),
             "--as-of", AS_OF],
        )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: preview: cannot listen on 127.0.0.1:{port}")


def test_page_keeps_hostile_article_text_and_links_inert() -> None:
    """The renderer's hostile fixture (script tags, event handlers, javascript:,
    data: and vbscript: links) on the preview page: no markup, no such link."""
    hostile = edition()
    public = renderer().render_generic(hostile)
    page = page_html("digest", Built(hostile, public, public=public), version="v1")
    tree = lxml.html.document_fromstring(page)
    assert not [s for s in tree.iter("script") if not s.get("src")]  # only /reload.js
    assert not [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)]
    hrefs = [a.get("href", "") for a in tree.iter("a")]
    assert hrefs and all(h.startswith(("https://", "/", "#")) for h in hrefs), hrefs
    # Shown as text, readable; the story with a javascript: link is still listed.
    assert f"{SCRIPT} Talks collapse in Geneva" in tree.text_content()
