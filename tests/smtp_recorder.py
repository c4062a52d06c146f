"""A real SMTP server (aiosmtpd) run as its own process for the crash test.

    python tests/smtp_recorder.py PORT LOG

Every accepted message appends its recipient as one line to LOG (written with a
single ``write`` on an append-only file, before the 250 reply), so the log shows
exactly what the server took, whatever happens to the client.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

from aiosmtpd.controller import Controller


class Appender:
    """Records each accepted recipient in the log file."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        os.write(self.fd, "".join(f"{r}\n" for r in envelope.rcpt_tos).encode())
        return "250 2.0.0 Ok: queued"


def main() -> None:
    """Serve on 127.0.0.1:PORT until SIGTERM."""
    port, log = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Appender(log), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
