"""A hostile HTTP server on 127.0.0.1 for fetch tests and ``tools/fuzz_report.py``.

It speaks raw HTTP/1.1 over sockets, so it can misbehave in ways a well-behaved
framework will not: headers sent a byte at a time, bodies that never end, endless
redirects, compression bombs, a connection that is accepted and never answered.
Each case is a path; ``CASES`` lists them with what a fetch must end in.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

GOOD_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>World</title>'
    b"<link>https://example.com/</link><item><title>Ceasefire holds in the north</title>"
    b"<link>https://example.com/world/ceasefire</link>"
    b"<pubDate>Mon, 23 Nov 2020 08:00:00 GMT</pubDate></item></channel></rss>"
)

#: path → the words the fetch's error must contain ("" = the fetch succeeds).
CASES: dict[str, str] = {
    "/slow-headers": "timed out",
    "/slow-status": "timed out",
    "/slow-body": "timed out",
    "/never": "timed out",
    "/endless-body": "larger than",
    "/endless-header": "cannot fetch",
    "/many-headers": "cannot fetch",
    "/redirect-loop": "redirects",
    "/redirect-metadata": "refused",
    "/redirect-other-loopback": "refused",
    "/redirect-file": "cannot fetch",
    "/gzip-bomb": "larger than",
    "/deflate-garbage": "corrupt compressed body",
    "/close": "cannot fetch",
    "/garbage": "cannot fetch",
    "/feed": "",
}
_BOMB = gzip.compress(b"\0" * 60_000_000, compresslevel=9)


class _Handler(socketserver.BaseRequestHandler):
    server: HostileServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(30)
        try:
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = sock.recv(4096)
                if not data:
                    return
                head += data
            target = head.split(b" ", 2)[1].decode("latin-1")
            self._answer(sock, target)
        except (OSError, IndexError):
            return

    def _drip(self, sock: socket.socket, data: bytes) -> None:
        """Send ``data`` one byte per ``server.drip`` seconds until the client goes
        (``OSError``) or the server stops."""
        for i in range(len(data)):
            if self.server.stopping.wait(self.server.drip):
                return
            sock.sendall(data[i : i + 1])

    def _answer(self, sock: socket.socket, target: str) -> None:
        path = urlsplit(target).path
        query = parse_qs(urlsplit(target).query)
        stop = self.server.stopping
        if path == "/slow-headers":
            sock.sendall(b"HTTP/1.1 200 OK\r\n")
            self._drip(sock, b"X-Slow: " + b"a" * 100_000 + b"\r\n\r\n")
        elif path == "/slow-status":
            self._drip(sock, b"HTTP/1.1 200 OK\r\n" * 10_000)
        elif path == "/slow-body":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<rss>")
            self._drip(sock, b" " * 100_000)
        elif path == "/never":
            stop.wait(600)
        elif path == "/endless-body":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss>")
            while not stop.is_set():
                sock.sendall(b"x" * 65536)
        elif path == "/endless-header":
            sock.sendall(b"HTTP/1.1 200 OK\r\nX-Long: ")
            while not stop.is_set():
                sock.sendall(b"a" * 65536)
        elif path == "/many-headers":
            sock.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():
                sock.sendall(b"X-A: b\r\n" * 8192)
        elif path.startswith("/redirect-loop"):
            hop = int(query.get("n", ["0"])[0])
            self._redirect(sock, f"/redirect-loop?n={hop + 1}")
        elif path == "/redirect-metadata":
            self._redirect(sock, "http://169.254.169.254/latest/meta-data/")
        elif path == "/redirect-other-loopback":
            port = self.server.server_address[1]
            self._redirect(sock, f"http://127.0.0.2:{port}/feed")
        elif path == "/redirect-file":
            self._redirect(sock, "file:///etc/passwd")
        elif path == "/redirect-to":
            self._redirect(sock, query.get("u", ["/feed"])[0])
        elif path == "/gzip-bomb":
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                + str(len(_BOMB)).encode()
                + b"\r\n\r\n"
                + _BOMB
            )
        elif path == "/deflate-garbage":
            body = b"this is not deflate data at all" * 10
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
        elif path == "/close":
            return
        elif path == "/garbage":
            sock.sendall(b"\x00\xff SMTP ready\r\n\r\n")
        else:
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: "
                + str(len(GOOD_FEED)).encode()
                + b"\r\nConnection: close\r\n\r\n"
                + GOOD_FEED
            )

    @staticmethod
    def _redirect(sock: socket.socket, location: str) -> None:
        sock.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: "
            + location.encode()
            + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )


class HostileServer(socketserver.ThreadingTCPServer):
    """The server; ``drip`` is the pause between two dripped bytes."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, drip: float = 0.05) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.drip = drip
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        """The full URL of ``path``."""
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@contextmanager
def hostile_server(drip: float = 0.05) -> Iterator[HostileServer]:
    """A running :class:`HostileServer`, stopped (every dripping handler too) on exit."""
    server = HostileServer(drip)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
        time.sleep(0)
