"""Headless Chromium over the DevTools protocol, for the email checks and the
browser tests (``tools/check_email.py``, ``tests/test_render_browser.py``).

Debian's ``chromium`` (``/usr/bin/chromium``) is driven on a pipe
(``--remote-debugging-pipe``), so no port is opened and the page can be given an
exact phone-sized viewport.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--font-render-hinting=none",
)


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe
    (``--remote-debugging-pipe``: fd 3 in, fd 4 out, NUL-separated JSON), so the
    page can be given an exact phone-sized viewport (a headless window cannot be
    narrower than 500px)."""

    def __init__(self, profile: Path, flags: tuple[str, ...] = ()) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # in the child, before exec: the pipe on fds 3 and 4
            # Copy both ends above 10 first so neither dup2 can clobber the other.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [CHROMIUM, *FLAGS, *flags, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
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
        self._events: list[dict[str, Any]] = []
        page = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self.session = attached["sessionId"]

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_child], [], [], 30)
            chunk = os.read(self._from_child, 1 << 16) if ready else b""
            if not chunk:
                raise AssertionError("chromium stopped answering on the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events seen meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return dict(reply.get("result", {}))
            self._events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the attached page."""
        return self.call(method, self.session, **params)

    def wait_for(self, event: str) -> None:
        """Block until the page reports ``event``."""
        while not any(e.get("method") == event for e in self._events):
            self._events.append(self._read())
        self._events = [e for e in self._events if e.get("method") != event]

    def close(self) -> None:
        """Quit the browser."""
        with contextlib.suppress(AssertionError, OSError):
            self.call("Browser.close")
        self._process.wait(timeout=20)
        os.close(self._to_child)
        os.close(self._from_child)

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
        self.page("Page.enable")
        self.page(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        self.page("Emulation.setAutoDarkModeOverride", enabled=forced_dark)
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width, height=height, deviceScaleFactor=scale, mobile=width < 500,
        )  # fmt: skip
        self.page("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str, *, wait: bool = False) -> Any:
        """The value of a script in the page (``wait``: of the promise it gives)."""
        reply = self.page(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=wait
        )
        if "exceptionDetails" in reply:
            raise AssertionError(f"script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, width: int, height: int, scale: int = 1) -> bytes:
        """A PNG of the page's top ``width`` x ``height`` CSS pixels, beyond the viewport."""
        shot = self.page(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )  # fmt: skip
        return base64.b64decode(shot["data"])
