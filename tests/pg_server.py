"""A real PostgreSQL server for the tests and the bench, from the Debian binaries.

:meth:`PgServer.start` runs ``initdb`` into a private temporary folder and starts
``postgres`` on a free loopback port (password login, ``scram-sha-256``); its
Unix socket stays in that folder, so it never meets another server of the machine.
``initdb`` and ``postgres`` refuse to run as root: as root (CI) they run as the
``postgres`` system user, which owns the folder.

The binaries are looked for in ``/usr/lib/postgresql/<version>/bin`` (the newest
version), or in ``$DIGEST_PG_BIN``.  Without them :class:`MissingPostgres` says
which package to install: the tests fail on it, they are never skipped.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

#: The superuser the tests log in as (its password is made up per server).
USER = "digest"
#: Settings for a server whose data is thrown away: no flush to disk.
THROWAWAY = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class MissingPostgres(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def find_binaries() -> Path:
    """The folder holding ``initdb`` and ``postgres`` (the newest version)."""
    named = os.environ.get("DIGEST_PG_BIN")
    found = [Path(named)] if named else []
    found += sorted(
        (p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/postgres")),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0],
        reverse=True,
    )
    for folder in found:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    raise MissingPostgres(
        "PostgreSQL server binaries (initdb, postgres) not found in "
        "/usr/lib/postgresql/<version>/bin (or $DIGEST_PG_BIN): the PostgreSQL store "
        "tests need a real server; install the Debian package `postgresql`"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PgServer:
    """A running throw-away PostgreSQL server (stop it with :meth:`stop`)."""

    def __init__(self, root: Path, port: int, password: str, process: subprocess.Popen[bytes]):
        self.root = root
        self.port = port
        self.password = password
        self._process = process
        self._names = itertools.count(1)
        #: A migrated database that tests copy (set by whoever creates it).
        self.template = "template0"

    @classmethod
    def start(cls, *, durable: bool = False, attempts: int = 5) -> PgServer:
        """initdb and start a server; ``durable`` keeps fsync and synchronous commit
        on (for the bench), otherwise the data is never flushed."""
        binaries = find_binaries()
        run_as = _run_as()
        # As root, in /tmp itself: the postgres user must be able to reach the folder
        # (TMPDIR may be a folder of root's).
        root = Path(tempfile.mkdtemp(prefix="digest-pg-", dir="/tmp" if run_as else None))
        if run_as:
            os.chown(root, run_as["uid"], run_as["gid"])
        password = secrets.token_urlsafe(18)
        pwfile = root / "pw"
        pwfile.write_text(password + "\n")
        if run_as:
            os.chown(pwfile, run_as["uid"], run_as["gid"])
        try:
            subprocess.run(
                [str(binaries / "initdb"), "-D", str(root / "data"), "-U", USER,
                 f"--pwfile={pwfile}", "-A", "scram-sha-256", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync"],
                check=True, capture_output=True, **_popen_user(run_as),
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {exc.stderr.decode(errors='replace')}") from exc
        pwfile.unlink()
        settings = () if durable else THROWAWAY
        for _ in range(attempts):
            port = _free_port()
            log = (root / "server.log").open("ab")
            process = subprocess.Popen(
                [str(binaries / "postgres"), "-D", str(root / "data"), "-k", str(root),
                 "-p", str(port), "-h", "127.0.0.1", "-c", "max_connections=200",
                 *itertools.chain.from_iterable(("-c", s) for s in settings)],
                stdout=log, stderr=subprocess.STDOUT, **_popen_user(run_as),
            )  # fmt: skip
            log.close()
            server = cls(root, port, password, process)
            if server._wait_ready():
                return server
            server._halt()  # most likely another server took the port meanwhile
        log_text = (root / "server.log").read_text(errors="replace")[-2000:]
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start:\n{log_text}")

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server (no password in it)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection[Any]:
        """A superuser connection (autocommit)."""
        return psycopg.connect(self.url(database), password=self.password, autocommit=True)

    def create_database(self, template: str = "template0") -> str:
        """A new empty database (copied from ``template``); its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        with self.admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending the sessions still connected to it."""
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        self._halt()
        shutil.rmtree(self.root, ignore_errors=True)

    def _halt(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self._process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def _wait_ready(self, patience: float = 60.0) -> bool:
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            with contextlib.suppress(psycopg.OperationalError), self.admin():
                return True
            time.sleep(0.05)
        return False


def _run_as() -> dict[str, int] | None:
    """The ``postgres`` system user's ids when running as root (else ``None``)."""
    if os.geteuid() != 0:
        return None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise MissingPostgres(
            "running as root, the PostgreSQL tests start the server as the `postgres` "
            "system user, which does not exist: install the Debian package `postgresql`"
        ) from exc
    return {"uid": user.pw_uid, "gid": user.pw_gid}


def _popen_user(run_as: dict[str, int] | None) -> dict[str, Any]:
    if run_as is None:
        return {}
    return {"user": run_as["uid"], "group": run_as["gid"], "extra_groups": []}
