"""Headless Chromium over the DevTools protocol: the one driver behind the email
checks (``tools/check_email.py``) and the browser tests (``tests/test_render_browser.py``,
``tests/test_web_browser.py``, ``tests/test_web_push.py``).

Debian's ``chromium`` (``/usr/bin/chromium``) is driven on a pipe
(``--remote-debugging-pipe``: fd 3 in, fd 4 out, NUL-separated JSON), so no port is
opened and a page can be given an exact phone-sized viewport (a headless window
cannot be narrower than 500px).  Pages are driven like a person would: open a URL,
click through scripts, wait for what the page shows.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying hosts this closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--font-render-hinting=none",
    "--window-size=900,1100",
)

#: What Chromium answers to an evaluation while the page is being replaced.
_NAVIGATING = ("Inspected target navigated or closed", "Cannot find context with specified id")


class ChromiumError(RuntimeError):
    """Chromium refused a command, a script in the page failed, or the browser
    stopped answering."""


class Chromium:
    """One headless Chromium process with one page attached.

    :attr:`events` keeps every DevTools event seen (enable a domain, e.g.
    ``page("Runtime.enable")``, to receive its events).
    """

    def __init__(
        self, profile: Path, flags: tuple[str, ...] = (), *, executable: str = CHROMIUM
    ) -> None:
        if not Path(executable).exists():
            raise ChromiumError(f"{executable} not found: install Debian's chromium (.ci/run does)")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # in the child, before exec: the pipe on fds 3 and 4
            # Copy both ends above 10 first so neither dup2 can clobber the other.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [executable, *FLAGS, *flags, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        self._process = subprocess.Popen(
            [*args, "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,  # no threads run here
            pass_fds=(3, 4),  # kept open by number once fds() has put the pipe there
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        #: Events before this index were already waited for (:meth:`wait_for_event`).
        self._seen = 0
        page = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self.session: str = attached["sessionId"]
        self.page("Page.enable")

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            # A safety net for a hung browser, not a timing the tests rely on.
            ready, _, _ = select.select([self._from_child], [], [], 60)
            chunk = os.read(self._from_child, 1 << 16) if ready else b""
            if not chunk:
                raise ChromiumError("chromium stopped answering on the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command (to the browser, or to ``session``) and return its
        result; events seen meanwhile are kept in :attr:`events`.

        Raises :class:`ChromiumError` if Chromium answers with an error.
        """
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ChromiumError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            if "method" in reply:
                self.events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the attached page."""
        return self.call(method, self.session, **params)

    def wait_for_event(self, event: str) -> None:
        """Block until the page reports ``event`` (one not waited for before)."""
        while True:
            for index in range(self._seen, len(self.events)):
                if self.events[index].get("method") == event:
                    self._seen = index + 1
                    return
            reply = self._read()
            if "method" in reply:
                self.events.append(reply)

    def load(
        self,
        url: str,
        width: int,
        *,
        scheme: str = "light",
        forced_dark: bool = False,
        scale: int = 1,
        height: int = 900,
    ) -> None:
        """Open ``url`` in a ``width``-px viewport with the reader's colour ``scheme``
        (``prefers-color-scheme``) and, with ``forced_dark``, Chromium's automatic
        dark mode for web pages (what ``--force-dark-mode`` with
        ``WebContentsForceDark`` does), and wait for it to load."""
        self.page(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        self.page("Emulation.setAutoDarkModeOverride", enabled=forced_dark)
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width, height=height, deviceScaleFactor=scale, mobile=width < 500,
        )  # fmt: skip
        self._seen = len(self.events)
        self.page("Page.navigate", url=url)
        self.wait_for_event("Page.loadEventFired")

    def open(self, url: str) -> None:
        """Load ``url`` at the window's size and wait until its document is complete."""
        self.page("Page.navigate", url=url)
        self.wait_until("document.readyState === 'complete' && location.href !== 'about:blank'")

    def evaluate(self, expression: str, *, wait: bool = False) -> Any:
        """The value of a script in the page (``wait``: of the promise it gives).
        Run by DevTools, not by the page, so a page's CSP does not stop it.

        Raises :class:`ChromiumError` if the script throws.
        """
        reply = self.page(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=wait
        )
        if "exceptionDetails" in reply:
            raise ChromiumError(f"script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_until(self, expression: str, *, timeout: float = 30.0) -> None:
        """Wait until a script's value is true in the page.  Asked while the page is
        being replaced (a form posted, a link followed), Chromium answers that the
        target navigated, and a script may throw on the half-built page: both are
        "not yet", however slow the machine is.  The timeout only ends a test that
        would otherwise hang."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.evaluate(expression):
                    return
                why = "false"
            except ChromiumError as exc:
                why = str(exc)
                if not why.startswith("script failed") and not any(
                    words in why for words in _NAVIGATING
                ):
                    raise
            if time.monotonic() > deadline:
                seen = self.evaluate(
                    "location.href + ' ' + document.documentElement.outerHTML.slice(-1500)"
                )
                raise ChromiumError(f"still not true: {expression} ({why}; page: {seen})")
            time.sleep(0.05)

    def screenshot(
        self, width: int | None = None, height: int | None = None, scale: int = 1
    ) -> bytes:
        """A PNG of the page: the viewport, or its top ``width`` x ``height`` CSS
        pixels, beyond the viewport."""
        if width is None or height is None:
            shot = self.page("Page.captureScreenshot", format="png")
        else:
            shot = self.page(
                "Page.captureScreenshot", format="png", captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            )  # fmt: skip
        return base64.b64decode(shot["data"])

    def save_screenshot(self, path: Path) -> None:
        """Write a PNG of the viewport to ``path`` (for people to look at)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.screenshot())

    def close(self) -> None:
        """Quit the browser."""
        with contextlib.suppress(ChromiumError, OSError):
            self.call("Browser.close")
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_child)
        os.close(self._from_child)
