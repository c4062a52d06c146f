"""``digest preview --serve`` as a person uses it: a real process, a real browser.

Starts the command on a free loopback port, loads the page in headless Chromium
(Debian's ``/usr/bin/chromium``), checks the four versions are there after the
page's scripts ran, writes ``tests/artifacts/preview.png`` for people to look at,
and checks that editing a template makes the running server rebuild.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from digest.cli import main

from .conftest import ROOT, SAMPLE_AS_OF
from .sample_files import write_sample_config

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--window-size=1640,1700", "--virtual-time-budget=3000",
)  # fmt: skip

pytestmark = pytest.mark.browser


def _chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        pytest.fail(
            "chromium is not installed: the preview page is checked in a real browser. "
            "Install Debian's package (apt-get install chromium), as .ci/run does."
        )
    return found


def _browse(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True,
        text=True,
        timeout=600,  # a safety net for a hung browser, not a timing
        check=False,
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``digest preview --serve`` running in its own process; yields its URL and
    the override template folder it watches."""
    chromium = _chromium()  # fail before starting anything when it is missing
    assert chromium
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    config = write_sample_config(tmp_path, templates=templates)
    assert CliRunner().invoke(main, ["--config", str(config), "ingest"]).exit_code == 0
    # --port 0: the server takes a free port itself and prints its URL once it is
    # listening, so no port is picked here that another process could take first,
    # and no start-up deadline is needed however loaded the machine is.
    process = subprocess.Popen(
        [sys.executable, "-c", "from digest.cli import main; main()", "--config", str(config),
         "preview", "--serve", "--port", "0", "--as-of", SAMPLE_AS_OF.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        announced = None
        while announced is None:
            # A safety net for a hung start, not a timing the test relies on.
            if not select.select([process.stdout], [], [], 600)[0]:
                pytest.fail("digest preview --serve printed nothing in 10 minutes")
            line = process.stdout.readline()
            if not line:  # it exited
                _, err = process.communicate()
                pytest.fail(f"digest preview --serve did not start: {err}")
            announced = re.search(r" at (http://\S+/) ", line)
        yield announced.group(1), templates
    finally:
        process.terminate()
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_page_shows_the_four_versions_in_a_real_browser(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = server
    dom = _browse(url, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    # The email at both widths, in sandboxed frames that load the email itself.
    assert html.count('src="/email.html"') == 2
    assert 'width="375"' in html and 'width="680"' in html
    assert html.count('sandbox="allow-popups allow-popups-to-escape-sandbox"') == 2
    # The plain-text part, the push on a lock screen, the WhatsApp post formatted.
    assert 'id="plain-text"' in html and "WORLD NEWS DIGEST" in html
    # The push title tells the lead whole in 50 characters: a clause of its headline
    # with the attribution kept.
    assert 'class="note-title">Biden picks veteran aide Blinken: reports<' in html
    assert "<strong>World News Digest</strong>" in html
    assert "<em>Monday, 23 November 2020</em>" in html
    # Subject, preheader, size against the clip point, the explanation.
    assert 'class="subject">Biden picks veteran aide Blinken' in html
    assert "Won't recognise Joe Biden" in html
    assert "of Gmail's 102 KB clip point" in html
    assert 'id="explain"' in html and html.count('class="reasons"') == 8
    # The reload script ran and found nothing changed: the page stayed as it was.
    assert 'id="problem"' not in html

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "preview.png"
    shot.unlink(missing_ok=True)
    taken = _browse(url, tmp_path / "profile-shot", f"--screenshot={shot}")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one


def test_running_server_rebuilds_when_a_template_changes(server: tuple[str, Path]) -> None:
    url, templates = server
    # Generous timeouts: the server may be busy rebuilding on a loaded machine.
    with httpx.Client(timeout=120) as client:
        before = client.get(url + "version").text
        push = templates / "push.txt.j2"
        text = push.read_text("utf-8")
        push.write_text(text.replace("{{ push_title }}", "Now: {{ push_title }}"))
        os.utime(push, ns=(0, 5))
        deadline = time.monotonic() + 600  # bounds a broken server; not a timing
        while client.get(url + "version").text == before:
            assert time.monotonic() < deadline, "the page was never rebuilt"
            time.sleep(0.1)
        assert "Now: Biden picks" in client.get(url).text
