"""Shared parts of the queue tests: a real redis-server on a loopback port (one per
session), a real SMTP server in its own process, configs with ``[queue]``, and
``digest`` processes (``send``, ``worker``).

redis-server is Debian's package (installed by ``.ci/run``); a test that needs it
fails, with the reason, where it is missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from .conftest import StoreTarget
from .sample_files import free_port, write_sample_config
from .send_support import SECRET, recorder, smtp_options

__all__ = ["recorder"]  # re-exported: the queue tests use it

REDIS_SERVER = "/usr/bin/redis-server"
#: The sample edition's moment, as the CLI takes it.
AS_OF = "2020-11-23T10:00+05:30"
#: The CLI, run as its own process.
DIGEST = [sys.executable, "-c", "from digest.cli import main; main()"]


def _redis_server(folder: Path, *args: str, password: str | None = None) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 (no persistence) until the generator ends;
    with ``password``, Redis requires it (``requirepass``)."""
    binary = shutil.which("redis-server") or REDIS_SERVER
    if not Path(binary).exists():
        pytest.fail(
            "redis-server is not installed: the queue tests need Debian's redis-server "
            "(apt-get install redis-server; .ci/run installs it)"
        )
    login = ["--requirepass", password] if password else []
    # The port is free when picked, but another process (the other xdist worker
    # starting its own server) may bind it first: then this server exits, and the
    # other one answers the pings.  Only a server whose process id is this one's
    # is taken; otherwise another port is tried.
    for _ in range(_PORT_ATTEMPTS):
        port = free_port()
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", str(folder), "--protected-mode", "yes", *login, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url, password=password)
        if _answers(client, server):
            break
        client.close()
        _halt(server)
    else:
        pytest.fail(f"redis-server could not take a port in {_PORT_ATTEMPTS} tries")
    try:
        yield url
    finally:
        client.close()
        _halt(server)


#: How many free ports a redis-server is started on before the tests give up.
_PORT_ATTEMPTS = 5


def _answers(client: redis.Redis, server: subprocess.Popen[bytes]) -> bool:
    """Whether ``server`` itself answers ``client`` (``False`` once it has exited,
    or when another server answers on its port)."""
    deadline = time.monotonic() + 300  # bounds a hung server; not a timing
    while True:
        try:
            return int(client.info("server")["process_id"]) == server.pid
        except redis.ConnectionError:  # also a password refused by another server
            if server.poll() is not None:
                return False
            if time.monotonic() > deadline:
                pytest.fail("redis-server did not answer in 5 minutes")
            time.sleep(0.02)


def _halt(server: subprocess.Popen[bytes]) -> None:
    """Stop ``server`` (if it still runs) and reap it."""
    server.terminate()
    server.wait(timeout=60)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 (no persistence), for the whole session."""
    yield from _redis_server(tmp_path_factory.mktemp("redis"))


#: The password of :func:`redis_with_password`'s server.
REDIS_PASSWORD = "queue-test-password"


@pytest.fixture(scope="session")
def redis_with_password(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server that requires :data:`REDIS_PASSWORD`, for the session."""
    yield from _redis_server(tmp_path_factory.mktemp("redis-auth"), password=REDIS_PASSWORD)


def namespace() -> str:
    """A queue namespace of its own for one test (the Redis server is shared)."""
    return "t" + uuid.uuid4().hex[:12]


#: The variable a test config names for the PostgreSQL store's password.
PG_PASSWORD_ENV = "DIGEST_TEST_PG_PASSWORD"


def queue_config(
    folder: Path,
    smtp_port: int,
    redis_url: str,
    *,
    store: StoreTarget | None = None,
    connections: int = 1,
    **queue: Any,
) -> Path:
    """The sample config with one smtp sender, ``mail``, and ``[queue]`` on
    ``redis_url`` (in a namespace of its own, unless given); the store is
    ``store`` (an SQLite file or a PostgreSQL database), else a file in ``folder``."""
    settings = {"url": redis_url, "namespace": namespace(), **queue}
    mail = smtp_options(smtp_port, connections=connections)
    extra: dict[str, Any] = {"senders": {"mail": mail}, "queue": settings}
    if store is not None and store.backend == "postgresql":
        extra["store"] = {"url": store.location, "password_env": PG_PASSWORD_ENV}
    elif store is not None:
        extra["store"] = {"path": store.location}
    return write_sample_config(folder, extra=extra)


def environment(store: StoreTarget | None = None) -> dict[str, str]:
    """The environment of a ``digest`` process: the unsubscribe secret and the
    store's password set."""
    found = {**os.environ, "DIGEST_TEST_UNSUB_SECRET": SECRET}
    if store is not None and store.password:
        found[PG_PASSWORD_ENV] = store.password
    return found


def start_worker(
    config: Path, log: Path, *, processes: int = 1, store: StoreTarget | None = None
) -> subprocess.Popen[bytes]:
    """A ``digest worker`` process, its log lines appended to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [*DIGEST, "--config", str(config), "worker", "--processes", str(processes)],
            env=environment(store),
            cwd=config.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait for the process (SIGKILL if it hangs)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def queue_send(config: Path, store: StoreTarget | None = None) -> subprocess.CompletedProcess[str]:
    """``digest send`` of the sample edition (queued: the config has ``[queue]``)."""
    return subprocess.run(
        [*DIGEST, "--config", str(config), "send", "--as-of", AS_OF],
        env=environment(store),
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )


def lines(path: Path) -> list[str]:
    """The lines of a file (none if it is not there yet)."""
    return path.read_text().splitlines() if path.exists() else []
