"""A real SMTP server (aiosmtpd) run as its own process for the crash test.

    python tests/smtp_recorder.py PORT LOG

Every accepted message appends its recipient as one line to LOG (written with a
single ``write`` on an append-only file, before the 250 reply), so the log shows
exactly what the server took, whatever happens to the client.  Each connection
appends ``open`` and then ``closed`` to LOG.sessions, so a test can wait until the
server has taken in everything a killed client sent rather than for some time.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Appender:
    """Records each accepted recipient in the log file."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        os.write(self.fd, "".join(f"{r}\n" for r in envelope.rcpt_tos).encode())
        return "250 2.0.0 Ok: queued"


class Sessions:
    """Appends ``open`` and ``closed`` lines as connections come and go."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def note(self, line: str) -> None:
        """Append one line (a single ``write``)."""
        os.write(self.fd, f"{line}\n".encode())


class CountingController(Controller):
    """An aiosmtpd controller whose sessions note their opening and closing."""

    def __init__(self, handler: Any, sessions: Sessions, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.sessions = sessions

    def factory(self) -> SMTP:
        """An SMTP protocol that tells :class:`Sessions` about its connection."""
        sessions = self.sessions

        class Counted(SMTP):
            def connection_made(self, transport: Any) -> None:
                sessions.note("open")
                super().connection_made(transport)

            def connection_lost(self, error: Exception | None) -> None:
                super().connection_lost(error)
                sessions.note("closed")

        return Counted(self.handler, **self.SMTP_kwargs)


def main() -> None:
    """Serve on 127.0.0.1:PORT until SIGTERM."""
    port, log = int(sys.argv[1]), sys.argv[2]
    controller = CountingController(
        Appender(log), Sessions(f"{log}.sessions"), hostname="127.0.0.1", port=port
    )
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
