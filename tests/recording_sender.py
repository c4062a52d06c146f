"""A test sender, loaded by ``type = "tests.recording_sender:RecordingSender"``.

It appends one line per message to ``<folder>/<edition id>/<recipient>.txt``, so a
message sent twice shows as a file with two lines.  ``delay`` makes each message
take that long (a send long enough to interrupt); an edition id listed in
``explode_on`` makes ``send`` raise an unexpected error (a bug, not a SendError);
``delete`` names a file (the store) deleted during the first message;
``end_sessions`` names a PostgreSQL database whose digest sessions are ended during
the first message (a server restart or failover mid-send), logging in with the
password in the variable ``end_sessions_password_env``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from digest.model import RenditionKind, SendResult
from digest.senders.base import Limits, Outgoing

#: Edition ids of the messages begun so far, in order (any sender of this process).
STARTED: list[str] = []
_STARTED_LOCK = threading.Lock()


class RecordingSender:
    """Writes every message it is given to a file per recipient."""

    type_name: ClassVar[str] = "recording"
    consumes: ClassVar[RenditionKind] = "email"

    def __init__(self, name: str, options: Mapping[str, Any], *, base_dir: Path) -> None:
        self.folder = Path(options["folder"])
        self.count = int(options.get("recipients", 3))
        self.delay = float(options.get("delay", 0))
        self.explode_on = set(options.get("explode_on", []))
        #: A file (the store) deleted when the first message is sent.
        self.delete = Path(options["delete"]) if options.get("delete") else None
        #: A PostgreSQL database whose digest sessions end at the first message.
        self.end_sessions = str(options.get("end_sessions", ""))
        self.end_sessions_password_env = str(options.get("end_sessions_password_env", ""))
        self.limits = Limits()

    def describe(self) -> str:
        """Log-safe description."""
        return f"recording sender → {self.folder}"

    def recipients(self) -> Iterable[str]:
        """``reader-000@example.com`` … for ``recipients`` readers."""
        return [f"reader-{i:03d}@example.com" for i in range(self.count)]

    def send(self, outgoing: Outgoing, recipient: str) -> SendResult:
        """Append the subject to the recipient's file (after ``delay`` seconds)."""
        if outgoing.edition.id in self.explode_on:
            raise RuntimeError(f"sender bug on {outgoing.edition.id}")
        with _STARTED_LOCK:
            STARTED.append(outgoing.edition.id)
        time.sleep(self.delay)
        if self.delete is not None:
            self.delete.unlink(missing_ok=True)
        if self.end_sessions:
            self._end_sessions()
        folder = self.folder / outgoing.edition.id
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{recipient}.txt").open("a", encoding="utf-8") as out:
            out.write(outgoing.renditions.email.subject + "\n")
        return SendResult(recipient=recipient, provider_id=f"{outgoing.edition.id}/{recipient}")

    def _end_sessions(self) -> None:
        import os

        import psycopg

        password = os.environ[self.end_sessions_password_env]
        with psycopg.connect(self.end_sessions, password=password, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                "datname = current_database() AND application_name = 'digest'"
            )
        self.end_sessions = ""


def received(folder: Path, edition_id: str) -> dict[str, int]:
    """How many times each recipient got ``edition_id``."""
    path = folder / edition_id
    if not path.is_dir():
        return {}
    return {f.stem: len(f.read_text("utf-8").splitlines()) for f in sorted(path.glob("*.txt"))}
