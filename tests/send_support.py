"""Shared parts of the sender tests: a built sample edition whose email carries the
unsubscribe placeholder, a recording aiosmtpd handler, and small helpers."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from digest.edition import Built, make_digest
from digest.render.personal import UNSUBSCRIBE_URL, placeholder
from digest.senders import Outgoing
from digest.store import open_store

from .conftest import SAMPLE_AS_OF, config_from, sample_config_data
from .sample_files import LoopbackController, write_sample_config

SECRET = "unsubscribe-secret-5f1c9e"
SMTP_PASSWORD = "hunter2-do-not-log"


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled sample edition, built once for the whole session."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    with open_store(path) as store:
        app = make_digest(config=config_from(sample_config_data()), store=store)
        app.ingest()
        built = app.build(SAMPLE_AS_OF)
    # The renderer leaves the recipient's parts as placeholders for the sender.
    assert built.renditions is not None
    assert placeholder(UNSUBSCRIBE_URL) in built.renditions.email.text
    assert placeholder(UNSUBSCRIBE_URL) in built.renditions.email.html
    return built


@pytest.fixture(scope="session")
def outgoing(sample_built: Built) -> Outgoing:
    """The sample edition ready for a sender."""
    assert sample_built.renditions is not None
    assert sample_built.public is not None
    return Outgoing(sample_built.edition, sample_built.renditions, sample_built.public)


class FakeClock:
    """A monotonic clock (seconds) for the rate limiter: it moves only when the
    limiter sleeps on it, so pacing is checked without waiting."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Recorder:
    """An aiosmtpd handler that records what it accepts and misbehaves on cue.

    ``rcpt_replies[address]`` is a list of replies given to that address's RCPT,
    one per attempt (then it is accepted); ``drop_on_data`` addresses have their
    connection dropped during DATA, once.
    """

    def __init__(
        self,
        rcpt_replies: dict[str, list[str]] | None = None,
        drop_on_data: set[str] | None = None,
        *,
        pipelining: bool = False,
    ) -> None:
        #: Whether EHLO offers PIPELINING (RFC 2920; aiosmtpd reads pipelined
        #: commands either way, it just does not say so).
        self.pipelining = pipelining
        self.rcpt_replies = rcpt_replies or {}
        self.drop_on_data = drop_on_data or set()
        self.rcpts: list[str] = []
        self.messages: list[tuple[str, bytes]] = []
        self.peers: set[Any] = set()
        self.lock = threading.Lock()

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            return [*responses[:-1], "250-PIPELINING", responses[-1]]
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.rcpts.append(address)
        self.peers.add(session.peer)
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        address = envelope.rcpt_tos[0]
        if address in self.drop_on_data:
            self.drop_on_data.discard(address)
            server.transport.abort()
            return "421 gone"
        with self.lock:
            self.messages.append((address, envelope.original_content))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Recorder]]:
    """A real aiosmtpd server on loopback, in this process."""
    recorder = Recorder()
    controller = LoopbackController(recorder)
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()


def smtp_options(port: int, **extra: Any) -> dict[str, Any]:
    """``[senders.mail]`` for the test server (no TLS on loopback)."""
    return {
        "type": "smtp",
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from": "World News Digest <digest@mid-day.example>",
        "unsubscribe_url": "https://www.mid-day.com/newsletter/unsubscribe",
        "secret_env": "DIGEST_TEST_UNSUB_SECRET",
        "retry_base_seconds": 0.01,
        "retry_max_seconds": 0.5,
        **extra,
    }


def app_with_senders(tmp_path: Path, senders: dict[str, Any], store: Any) -> Any:
    """The sample app on ``store`` with these ``[senders.*]`` tables."""
    data = sample_config_data()
    data["senders"] = senders
    return make_digest(config=config_from(data), store=store)


@pytest.fixture(scope="session")
def _http_server_process() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http_server(_http_server_process: HTTPServer) -> Iterator[HTTPServer]:
    """A real HTTP server on loopback (pytest-httpserver), emptied for each test."""
    _http_server_process.clear()
    yield _http_server_process
    _http_server_process.clear()


def write_config(folder: Path, smtp_port: int, *, connections: int = 1) -> Path:
    """The sample config file (store in ``folder``) with one smtp sender, ``mail``."""
    mail = smtp_options(smtp_port, connections=connections)
    return write_sample_config(folder, extra={"senders": {"mail": mail}})


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real SMTP server (aiosmtpd) in its own process; each accepted recipient
    is a line of the log it writes."""
    log = tmp_path / "received.log"
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("smtp_recorder.py")), "0", str(log)],
        stdout=subprocess.PIPE,
        text=True,
    )
    # Port 0: the server binds one itself and says which.
    assert server.stdout is not None
    said, port_text = server.stdout.readline().split()
    assert said == "ready"
    port = int(port_text)
    yield port, log
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=10)
