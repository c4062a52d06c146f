"""Test helpers: the bundled sample config as a file, and a free loopback port.

CLI commands read a config file, so tests that run them (in-process or as a
subprocess) need one: the repository's own ``config.toml`` with its source paths
made absolute and its store and output inside the test's folder.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import tomli_w
from aiosmtpd.controller import Controller

from .conftest import ROOT, sample_config_data


def write_sample_config(
    folder: Path, *, templates: Path | None = None, extra: dict[str, Any] | None = None
) -> Path:
    """Write ``folder/config.toml``: the sample config with its store and ``out``
    inside ``folder``, sources from the repository, ``render.templates`` if given,
    and the top-level tables in ``extra`` merged in (lists of tables appended)."""
    data = sample_config_data()
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"])
    data["store"] = {"path": str(folder / "store.sqlite3")}
    data["senders"] = {"out": {"type": "file", "path": str(folder / "out")}}
    if templates is not None:
        data["render"]["templates"] = str(templates)
    for key, value in (extra or {}).items():
        data[key] = data.get(key, []) + value if isinstance(value, list) else value
    path = folder / "config.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (free when this returns)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class LoopbackController(Controller):
    """An aiosmtpd controller on 127.0.0.1 that binds port 0 (the kernel's pick)
    itself and listens on that very socket: with :func:`free_port` the port is
    free again between picking and listening, and another xdist worker may take it.
    ``port`` is the port it holds from construction on."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        port: int = self.socket.getsockname()[1]
        super().__init__(handler, hostname="127.0.0.1", port=port, **kwargs)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(
            self._factory_invoker, sock=self.socket, ssl=self.ssl_context
        )
