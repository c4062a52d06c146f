"""The queue tests' own Redis servers under pytest-xdist: each worker starts its
own, on a port picked free a moment before redis-server binds it."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from . import queue_support
from .queue_support import redis_url
from .sample_files import free_port

__all__ = ["redis_url"]  # fixtures used below


def _pid(url: str) -> int:
    with redis.Redis.from_url(url) as client:
        return int(client.info("server")["process_id"])


def test_a_server_that_lost_its_port_is_not_taken_for_the_one_holding_it(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers may be handed the same free port: the second redis-server cannot
    bind it and exits, while the first answers its pings on it.  The second worker
    must get a server of its own (on another port), not the first worker's, which
    goes away when the first worker's session ends."""
    held = redis.connection.parse_url(redis_url)["port"]
    ports = iter([held])
    monkeypatch.setattr(queue_support, "free_port", lambda: next(ports, None) or free_port())
    servers = queue_support._redis_server(tmp_path)
    url = next(servers)
    try:
        assert url != redis_url
        assert _pid(url) != _pid(redis_url)
    finally:
        servers.close()
