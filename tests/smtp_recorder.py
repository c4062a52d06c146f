"""A real SMTP server (aiosmtpd) run as its own process for the crash test.

    python tests/smtp_recorder.py PORT LOG

PORT 0: the server binds a port of the kernel's choosing itself and prints it
after ``ready``, so no other process can take it between pick and listen.

Every accepted message appends its recipient as one line to LOG (written with a
single ``write`` on an append-only file, before the 250 reply), so the log shows
exactly what the server took, whatever happens to the client.  Each connection
appends ``open`` and then ``closed`` to LOG.sessions, so a test can wait until the
server has taken in everything a killed client sent rather than for some time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import threading
from collections.abc import Awaitable
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

    def __init__(
        self, handler: Any, sessions: Sessions, listener: socket.socket, **kwargs: Any
    ) -> None:
        port: int = listener.getsockname()[1]
        super().__init__(handler, hostname="127.0.0.1", port=port, **kwargs)
        self.sessions = sessions
        self.listener = listener

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        # The socket bound before: its port was never free for anyone else.
        return self.loop.create_server(
            self._factory_invoker, sock=self.listener, ssl=self.ssl_context
        )

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
    """Serve on 127.0.0.1:PORT until SIGTERM; print ``ready PORT`` once serving."""
    port, log = int(sys.argv[1]), sys.argv[2]
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    controller = CountingController(Appender(log), Sessions(f"{log}.sessions"), listener)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"ready {controller.port}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
