"""The local preview server: one edition's page, rebuilt when its inputs change.

The server listens on loopback only and answers only requests addressed to a
loopback name (a web page elsewhere cannot reach it through DNS rebinding).  The
HTTP threads only read the current :class:`Snapshot`; the owner thread (the one
that built the :class:`~digest.edition.Digest`, since a SQLite connection belongs
to its thread) calls :meth:`Preview.refresh` to rebuild when the config or a
template changed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

from ..edition import Built, Digest
from ..errors import ConfigError, DigestError
from ..render import default_templates
from .page import page_html

LOOPBACK = "127.0.0.1"

_PAGE_POLICY = (
    "default-src 'self'; img-src * data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-src 'self'; frame-ancestors 'none'"
)
# The email is untrusted-looking HTML: no scripts, no forms, only images and styles.
_EMAIL_POLICY = (
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
    "img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def loopback_host(host: str) -> str:
    """``host`` if it is a loopback address (``localhost`` means 127.0.0.1).

    Raises :class:`ConfigError` for any other address: the preview shows unsent
    editions and must not be reachable from other machines.
    """
    if host == "localhost":
        return LOOPBACK
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise ConfigError(
            f"preview: refusing to listen on {host!r}; it only listens on loopback "
            f"(127.0.0.1 or ::1) so unsent editions stay on this machine"
        )
    return host


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the server hands out: the page, the email and their version token."""

    version: str
    page: bytes
    email: bytes


def _static(name: str) -> bytes:
    return files("digest.preview").joinpath("templates", name).read_bytes()


class Preview:
    """One edition's preview, rebuilt from ``load()`` when watched files change.

    ``load`` makes a fresh :class:`Digest` (reading the config file again);
    ``moment`` is the edition's moment; ``config_path`` is watched with every file
    in the default and configured template folders.
    """

    def __init__(
        self,
        load: Callable[[], Digest],
        moment: datetime,
        *,
        config_path: Path | None = None,
    ) -> None:
        self._load = load
        self.moment = moment
        self.config_path = config_path
        self._digest: Digest | None = None
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._lock = threading.Lock()
        self._snapshot = Snapshot("", b"", b"")
        self.builds = 0

    @property
    def snapshot(self) -> Snapshot:
        """The latest build (safe to read from any thread)."""
        with self._lock:
            return self._snapshot

    def _watched(self) -> Iterator[Path]:
        if self.config_path is not None:
            yield self.config_path
        folders = self._digest.template_folders() if self._digest else [default_templates()]
        for folder in folders:
            if folder.is_dir():
                yield from sorted(p for p in folder.rglob("*") if p.is_file())

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in self._watched():
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    def refresh(self) -> bool:
        """Rebuild if the config or a template changed since the last build (or
        nothing was built yet); returns whether the version changed.  Call it from
        the thread that owns the store."""
        stamp = self._fingerprint()
        if stamp == self._stamp:
            return False
        built: Built | None = None
        problem = ""
        name = "digest"
        try:
            digest = self._reload()
            name = digest.config.digest.name
            built = digest.build(self.moment)
        except DigestError as exc:
            problem = str(exc)
        except Exception as exc:  # a template can raise anything; show it, keep serving
            problem = f"{type(exc).__name__}: {exc}"
        # Fingerprint again after loading: the config may name another template folder.
        self._stamp = self._fingerprint()
        email = built.public.email.html.encode() if built and built.public else b""
        body = page_html(name, built, version="", problem=problem)
        version = hashlib.sha256(body.encode() + email).hexdigest()[:16]
        page = page_html(name, built, version=version, problem=problem).encode()
        self.builds += 1
        with self._lock:
            changed = version != self._snapshot.version
            self._snapshot = Snapshot(version, page, email)
        return changed

    def _reload(self) -> Digest:
        fresh = self._load()
        if self._digest is not None and self._digest is not fresh:
            self._digest.close()
        self._digest = fresh
        return fresh

    def close(self) -> None:
        """Close the store of the current build."""
        if self._digest is not None:
            self._digest.close()
            self._digest = None


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def do_GET(self) -> None:
        """Serve the page, the sandboxed email, the version token and static files."""
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain; charset=utf-8")
            return
        snapshot = self.server.preview.snapshot
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._send(HTTPStatus.OK, snapshot.page, "text/html; charset=utf-8", _PAGE_POLICY)
        elif path == "/email.html":
            self._send(HTTPStatus.OK, snapshot.email, "text/html; charset=utf-8", _EMAIL_POLICY)
        elif path == "/version":
            self._send(HTTPStatus.OK, snapshot.version.encode(), "text/plain; charset=utf-8")
        elif path == "/preview.css":
            self._send(HTTPStatus.OK, _static("preview.css"), "text/css; charset=utf-8")
        elif path == "/reload.js":
            self._send(HTTPStatus.OK, _static("reload.js"), "text/javascript; charset=utf-8")
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def _host_allowed(self) -> bool:
        # "127.0.0.2:8025", "[::1]:8025", "localhost": any loopback name the server
        # may listen on (loopback_host accepts the whole 127/8), never a DNS name.
        host = self.headers.get("Host") or ""
        host = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0]
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def _send(self, status: HTTPStatus, body: bytes, kind: str, policy: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the preview is a local tool, not a logged service."""


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server for one :class:`Preview`, on a loopback address only."""

    daemon_threads = True

    def __init__(self, preview: Preview, host: str = LOOPBACK, port: int = 0) -> None:
        host = loopback_host(host)
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.preview = preview
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        """The page's address."""
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def serve(
    preview: Preview,
    *,
    host: str = LOOPBACK,
    port: int = 0,
    interval: float = 0.5,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Build the preview, serve it, and rebuild every ``interval`` seconds when
    its inputs changed, until ``stop`` is set (or Ctrl+C).  ``ready`` gets the URL.

    Raises :class:`ConfigError` for a non-loopback ``host`` and :class:`OSError`
    if the port is taken.
    """
    preview.refresh()
    server = PreviewServer(preview, host, port)
    thread = threading.Thread(target=server.serve_forever, name="digest-preview", daemon=True)
    thread.start()
    stop = stop or threading.Event()
    try:
        if ready is not None:
            ready(server.url)
        while not stop.wait(interval):
            preview.refresh()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        preview.close()
