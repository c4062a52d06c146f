"""Shared parts of the web tests: ``digest serve`` on a real uvicorn (127.0.0.1,
an ephemeral port) in this process, a real aiosmtpd server for its mail, and an
injected clock."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller

from digest.edition import Digest, make_digest
from digest.store import Store, open_store
from digest.web.app import Service, create_app, fetch_small, uvicorn_config

from .conftest import config_from, sample_config_data
from .send_support import SECRET, Recorder, smtp_options


class Clock:
    """A clock the test moves by hand (seconds since the epoch)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Site:
    """A running ``digest serve``."""

    base: str
    origin: str
    service: Service
    clock: Clock
    recorder: Recorder
    digest: Digest
    tmp_path: Path

    def store(self) -> Store:
        """A fresh connection to the site's store."""
        return open_store(self.digest.config.store_path)

    def wait_for_mail(self, count: int, timeout: float = 300.0) -> list[tuple[str, bytes]]:
        """The messages the SMTP server has taken, once there are ``count`` (the
        timeout bounds a broken run; it is not a timing)."""
        deadline = time.monotonic() + timeout
        while len(self.recorder.messages) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"expected {count} message(s), got {len(self.recorder.messages)}")
            time.sleep(0.02)
        return list(self.recorder.messages)


def parse(raw: bytes) -> Message:
    """A received message, parsed."""
    return message_from_bytes(raw, policy=default)


def body_text(message: Message, kind: str = "plain") -> str:
    """The text of a message's ``text/<kind>`` part."""
    for part in message.walk():
        if part.get_content_type() == f"text/{kind}":
            return str(part.get_content())  # type: ignore[attr-defined]
    raise AssertionError(f"no text/{kind} part")


def link_in(text: str, path: str) -> str:
    """The first http link in ``text`` whose path contains ``path``."""
    found = re.search(r"https?://[^\s\"'<>]*" + re.escape(path) + r"[^\s\"'<>]*", text)
    assert found, f"no link with {path}"
    return found.group(0).replace("&amp;", "&")


def site_config(smtp_port: int, web_port: int, tmp_path: Path, **sections: Any) -> Any:
    """The sample config served at http://127.0.0.1:<web_port>, mailing through the
    test SMTP server, with the store in ``tmp_path``."""
    data = sample_config_data()
    data["digest"] = {**data["digest"], "site_url": f"http://127.0.0.1:{web_port}"}
    data["digest"]["postal_address"] = "mid-day, 1 Example Road, Mumbai 400001, India"
    data["store"] = {"path": str(tmp_path / "digest.sqlite3")}
    mail = smtp_options(smtp_port)
    del mail["unsubscribe_url"]  # the default: digest serve at site_url
    data["senders"] = {"mail": mail}
    data["select"] = {**data.get("select", {}), "memory_days": 0}
    data["web"] = {"lists": ["default", "weekend"]}
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return config_from(data)


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Recorder]]:
    """A real aiosmtpd server on loopback."""
    recorder = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()


def start_site(
    tmp_path: Path,
    smtp: tuple[Controller, Recorder],
    monkeypatch: pytest.MonkeyPatch,
    **sections: Any,
) -> Iterator[Site]:
    """Run ``digest serve`` (uvicorn on an ephemeral loopback port) until done."""
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)
    controller, recorder = smtp
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = site_config(controller.port, port, tmp_path, **sections)
    digest = make_digest(config=config)
    clock = Clock()
    service = Service(config, clock=clock, fetch=fetch_small, senders=digest.senders())
    server = uvicorn.Server(
        uvicorn_config(create_app(service), host="127.0.0.1", port=port, trusted=["127.0.0.1"])
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300  # bounds a broken start; not a timing
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    origin = f"http://127.0.0.1:{port}"
    try:
        yield Site(f"{origin}/newsletter", origin, service, clock, recorder, digest, tmp_path)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        digest.store.close()


@pytest.fixture
def site(
    tmp_path: Path, smtp: tuple[Controller, Recorder], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    """``digest serve`` with the sample config, its store empty."""
    yield from start_site(tmp_path, smtp, monkeypatch)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """A real HTTP client (no redirects followed unless asked)."""
    with new_client() as c:
        yield c


def new_client() -> httpx.Client:
    """An HTTP client that sends each request at once (TCP_NODELAY: without it a
    small body written after its headers waits out the server's delayed ACK)."""
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    return httpx.Client(timeout=10, transport=transport)
