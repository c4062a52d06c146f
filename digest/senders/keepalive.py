"""Keep-alive HTTP/1.1 connections to one origin on the standard library's
``http.client``, for a sender's one fixed kind of call (the ``ses`` sender's
``SendBulkEmail``): the same bytes on the wire as the sender's httpx client
sends, for about a third of the client CPU a call.

httpx (with httpcore and h11 below it) validates and re-models every header,
cookie and URL of a request and of its answer; for a 50-entry SES call that is
about 0.6 ms of the client's CPU, more than building and signing the call, and
on a machine without an idle core the calls per second follow the CPU a call.
``http.client`` writes the request line, the headers and the body in one
``send`` and parses the answer's headers once.

What httpx's client would add stays: its default headers in its order
(``Accept``, ``Accept-Encoding``, ``Connection``, ``User-Agent``), its TLS
context (``httpx.create_ssl_context``: certifi, ``SSL_CERT_FILE``), the timeout on
connecting and on every read and write, and the answer as an
:class:`httpx.Response` (so a gzip answer is decoded as httpx decodes it).  A
kept connection the server has closed meanwhile (readable while idle) is
dropped before it is used, as httpcore does, so a request never goes out on a
dead connection; any error closes the connection.  Senders that need a proxy
from the environment keep their httpx client (:func:`direct`).
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from ..errors import SendError
from .bulk import BulkEmailSender
from .http import shown


class KeptConnections:
    """Up to ``connections`` kept-alive connections to the origin of ``url``,
    for ``POST`` calls with a body.  Thread-safe; each call takes a connection of
    its own (a new one when none is idle)."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        connections: int,
        defaults: Callable[[], httpx.Headers],
    ) -> None:
        parsed = httpx.URL(url)
        self._url = url
        self._https = parsed.scheme == "https"
        self._host = parsed.host
        self._port = parsed.port
        self._timeout = timeout
        self._most = max(1, connections)
        self._netloc = parsed.netloc.decode("ascii")
        #: The client's default headers, asked for on the first call.
        self._defaults = defaults
        self._head: list[tuple[str, str]] = []
        #: path -> the request target httpx would send for ``url + path`` (the
        #: endpoint's own path kept, normalised as httpx normalises it).
        self._targets: dict[str, str] = {}
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._context: ssl.SSLContext | None = None

    def post(
        self,
        path: str,
        content: bytes,
        headers: Mapping[str, str],
        written: Callable[[], None] | None = None,
    ) -> httpx.Response:
        """POST ``content`` to ``path`` with ``headers`` after the client's own;
        ``written`` is called once the request is sent.  The answer, whatever its
        status; a timeout or a connection error raises a temporary
        :class:`SendError` naming the URL."""
        if not self._head:  # httpx's own head: Host, then the client's defaults in order
            raw = self._defaults().raw
            self._head = [("Host", self._netloc), *((k.decode(), v.decode()) for k, v in raw)]
        target = self._targets.get(path)
        if target is None:
            target = httpx.URL(self._url + path).raw_path.decode("ascii")
            self._targets[path] = target
        connection = self._take()
        try:
            connection.putrequest("POST", target, skip_host=True, skip_accept_encoding=True)
            for name, value in self._head:
                connection.putheader(name, value)
            for name, value in headers.items():
                connection.putheader(name, value)
            if "content-length" not in {k.lower() for k in headers}:
                connection.putheader("Content-Length", str(len(content)))
            connection.endheaders(content)
            if written is not None:
                written()
            answer = connection.getresponse()
            body = answer.read()
        except TimeoutError:
            connection.close()
            raise SendError(f"POST {shown(self._url + path)}: timed out") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # ValueError: a header http.client refuses (a line break in a key); its
            # message holds the value, so only its type is shown, as for httpx's
            # LocalProtocolError.
            connection.close()
            raise SendError(f"POST {shown(self._url + path)}: {type(exc).__name__}") from None
        self._give_back(connection)
        # http.client decodes header lines as latin-1: encoded back, httpx gets the
        # bytes it would have read (8-bit values too) and decodes them its own way.
        head = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.getheaders()]
        try:
            return httpx.Response(answer.status, headers=head, content=body)
        except httpx.HTTPError as exc:  # a body that does not decode (DecodingError)
            raise SendError(f"POST {shown(self._url + path)}: {type(exc).__name__}") from None

    def _take(self) -> http.client.HTTPConnection:
        """An idle connection the server has not closed, else a new one."""
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                return self._new()
            sock = connection.sock
            if sock is not None and not _readable(sock):
                return connection
            connection.close()  # closed by the server (or it sent what nobody asked for)

    def _new(self) -> http.client.HTTPConnection:
        if self._https:
            with self._lock:
                if self._context is None:
                    self._context = httpx.create_ssl_context()
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=self._timeout, context=self._context
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)

    def _give_back(self, connection: http.client.HTTPConnection) -> None:
        if connection.sock is None:  # the answer said Connection: close
            return
        with self._lock:
            if len(self._idle) < self._most:
                self._idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        """Close the idle connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _readable(sock: Any) -> bool:
    """Whether an idle socket has something to read (the server closed it)."""
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([sock], [], [], 0)[0])
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def direct(url: str) -> bool:
    """Whether httpx would reach ``url`` directly, without a proxy from the
    environment (``HTTPS_PROXY``, ``ALL_PROXY`` ..., less ``NO_PROXY``)."""
    parsed = httpx.URL(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parsed.scheme) or proxies.get("all")):
        return True
    return bool(urllib.request.proxy_bypass(parsed.host))


class KeptPostSender(BulkEmailSender):
    """A provider sender whose calls (a body and its headers) go on
    :class:`KeptConnections`; through the base class's httpx client instead when
    a proxy from the environment applies (or a test gave a transport)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: KeptConnections | None = None
        if self._transport is None and direct(self.endpoint):
            self._kept = KeptConnections(
                self.endpoint,
                timeout=self.timeout,
                connections=self.limits.connections,
                defaults=lambda: self.client().headers,
            )

    def post(
        self,
        path: str,
        *,
        content: bytes | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        written: Callable[[], None] | None = None,
        parts: Sequence[bytes] = (),
    ) -> httpx.Response:
        """The base class's ``post``, a call of a body and headers on the kept
        connections: a 2xx answer, else the error :meth:`refusal` makes."""
        if parts:
            content = b"".join(parts)
        if self._kept is None or content is None or data or files or auth:
            return super().post(
                path, content=content, data=data, files=files, headers=headers, auth=auth,
                written=written,
            )  # fmt: skip
        response = self._kept.post(path, content, headers or {}, written)
        if 200 <= response.status_code < 300:
            return response
        raise self.refusal(response, f"POST {shown(self.endpoint + path)}")

    def close(self) -> None:
        """Close the kept connections and the base class's."""
        super().close()
        if self._kept is not None:
            self._kept.close()
