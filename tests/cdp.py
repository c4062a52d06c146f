"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``:
headless Debian chromium driven like a person (load a page, type, press a button)
with no extra package."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--window-size=900,1100",
)  # fmt: skip


#: What Chromium answers to an evaluation while the page is being replaced.
_NAVIGATING = ("Inspected target navigated or closed", "Cannot find context with specified id")


class Browser:
    """One chromium process; :meth:`call` sends a command to the page."""

    def __init__(self, chromium: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.process = subprocess.Popen(
            [chromium, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"],
            # Python's own descriptors are not inheritable; only 3 and 4 go across.
            close_fds=False,
            preexec_fn=wire,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        #: Events seen while waiting for answers (enable a domain to get its events).
        self.events: list[dict[str, Any]] = []
        self.session = ""
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
            session=False,
        )  # fmt: skip
        self.session = attached["sessionId"]
        self.call("Page.enable")

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True,
             timeout: float = 30.0) -> dict[str, Any]:  # fmt: skip
        """Send one command and wait for its answer (events are skipped)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self._buffer:
                if time.monotonic() > deadline:
                    raise TimeoutError(method)
                chunk = os.read(self._from_chrome, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if "method" in answer and "id" not in answer:
                self.events.append(answer)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def evaluate(self, expression: str, *, wait: bool = False) -> Any:
        """The value of a JavaScript expression in the page (DevTools, not the page's
        own scripts: the page's CSP allows none); ``wait``: of the promise it gives."""
        params = {"expression": expression, "returnByValue": True, "awaitPromise": wait}
        result = self.call("Runtime.evaluate", params)
        return result.get("result", {}).get("value")

    def open(self, url: str) -> None:
        """Load ``url`` and wait until its document is complete."""
        self.call("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def wait_for(self, expression: str, timeout: float = 15.0) -> None:
        """Wait until a JavaScript expression is true in the page.  Asked while the
        page is being replaced (a form posted, a link followed), Chromium answers
        that the target navigated: that is "not yet", however slow the machine is."""
        deadline = time.monotonic() + timeout
        while not self._settled(expression):
            if time.monotonic() > deadline:
                seen = self.evaluate(
                    "location.href + ' ' + document.documentElement.outerHTML.slice(-1500)"
                )
                raise TimeoutError(f"{expression} (page: {seen})")
            time.sleep(0.05)

    def _settled(self, expression: str) -> bool:
        try:
            return bool(self.evaluate(expression))
        except RuntimeError as exc:
            if any(word in str(exc) for word in _NAVIGATING):
                return False
            raise

    def screenshot(self, path: Path) -> None:
        """A PNG of the page."""
        import base64

        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """End chromium."""
        with contextlib.suppress(Exception):
            self.call("Browser.close", session=False, timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
