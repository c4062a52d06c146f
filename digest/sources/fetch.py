"""Fetching sources over HTTP(S) with hard limits.

Feeds and pages are fetched here, never by a parser, so timeouts, the size cap
and the redirect limit hold for every byte that reaches a reader.

Two guards sit under httpx, in the network backend every connection goes through:

- **One deadline for the whole request.**  ``timeout_seconds`` bounds the request
  from the first connection to the last byte of the body, redirects included:
  every connect, write and read waits at most what is left of it, so a server
  sending its headers one byte a second is cut off at the deadline like one that
  drips its body.
- **Only public addresses.**  Every hop's host name is resolved here and the
  connection goes to the address that was checked (no second lookup a DNS answer
  could change).  Loopback, private, link-local (``169.254.169.254``, the cloud
  metadata service), shared, reserved and multicast addresses are refused unless
  ``allow_networks`` lists them, so a feed cannot redirect a run to an internal
  service.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import typing
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpcore
import httpx

from ..errors import SourceError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Limits on one HTTP fetch.

    ``allow_networks`` are the non-public networks that may be reached anyway (a
    newsroom's own feed server on ``10.0.0.0/8``; a test server on ``127.0.0.1``).
    ``clock`` measures the deadline (seconds, monotonic); tests inject their own.
    """

    max_bytes: int = 20_000_000
    timeout_seconds: float = 20.0
    max_redirects: int = 5
    user_agent: str = "digest"
    allow_networks: tuple[IPNetwork, ...] = ()
    clock: Callable[[], float] = time.monotonic


def networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from addresses or CIDR blocks (``127.0.0.1``, ``10.0.0.0/8``).

    Raises :class:`ValueError` naming a value that is neither.
    """
    found: list[IPNetwork] = []
    for value in values:
        try:
            found.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{value!r} is not an IP address or network such as 10.0.0.0/8"
            ) from None
    return tuple(found)


#: Loopback only: what the test suites allow.
LOOPBACK = networks(["127.0.0.0/8", "::1/128"])


def address_kind(address: IPAddress) -> str:
    """Why an address is not public (``loopback``, ``private``, ``link-local``...),
    or ``""`` for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_kind(address.ipv4_mapped)
    for kind, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return f"{kind} address"
    return "" if address.is_global else "non-public address"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body with the validators for the next conditional GET."""

    url: str
    content: bytes
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


class _Refused(Exception):
    """A hop to an address the limits do not allow."""


class _Deadline:
    """What is left of one request's time."""

    def __init__(self, limits: FetchLimits) -> None:
        self._clock = limits.clock
        self._end = limits.clock() + limits.timeout_seconds

    def left(self, timeout: float | None) -> float:
        """Seconds the next network wait may take (never past the deadline)."""
        left = self._end - self._clock()
        return left if timeout is None else min(timeout, left)

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self._end - self._clock() <= 0


class _Stream(httpcore.NetworkStream):
    """A connection whose every wait ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.ReadTimeout("the request's deadline passed")
        return self._inner.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.WriteTimeout("the request's deadline passed")
        self._inner.write(buffer, left)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.ConnectTimeout("the request's deadline passed")
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Connects only to checked addresses, with the request's deadline on every wait."""

    def __init__(self, limits: FetchLimits, deadline: _Deadline) -> None:
        self._limits = limits
        self._deadline = deadline
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        address = self._checked(host, port)
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.ConnectTimeout("the request's deadline passed")
        stream = self._sync.connect_tcp(
            address, port, timeout=left, local_address=local_address, socket_options=socket_options
        )
        return _Stream(stream, self._deadline)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise _Refused(f"a Unix socket ({path})")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, max(0.0, self._deadline.left(None))))

    def _checked(self, host: str, port: int) -> str:
        """The address to connect to: the first one ``host`` resolves to that is
        public or allowed.  Raises :class:`_Refused` when there is none."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
        refused = ""
        for info in infos:
            text = str(info[4][0]).split("%", 1)[0]
            address = ipaddress.ip_address(text)
            kind = address_kind(address)
            if not kind or any(address in net for net in self._limits.allow_networks):
                return text
            refused = refused or f"{host} is {text}, a {kind}"
        raise _Refused(refused or f"{host} has no address")


class _Decoder:
    """Undoes gzip/deflate transfer compression, never producing more than asked."""

    def __init__(self, url: str, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self._inflate: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()
        elif encoding not in ("", "identity"):
            raise SourceError(url, f"unsupported Content-Encoding {encoding!r}")
        self._url = url

    def decode(self, data: bytes, room: int) -> bytes:
        """Up to ``room + 1`` decoded bytes of ``data`` (one more than fits means
        "too big"; the rest is never inflated)."""
        if self._inflate is None:
            return data
        try:
            return self._inflate.decompress(data, room + 1)
        except zlib.error as exc:
            raise SourceError(self._url, f"corrupt compressed body ({exc})") from None


def _transport(limits: FetchLimits, deadline: _Deadline) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx has no setting for the network backend; its pool takes one.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=_Backend(limits, deadline),
        max_connections=4,
    )
    return transport


def fetch(url: str, limits: FetchLimits, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url`` within ``limits``; a 304 answer gives ``not_modified=True``.

    Raises :class:`SourceError` naming the URL on HTTP errors, timeouts, too many
    redirects, a hop to a non-public address that ``limits.allow_networks`` does not
    allow, and bodies over the size cap (the download stops at the cap; the cap
    counts decoded bytes, so a compressed bomb stops too).  ``timeout_seconds``
    bounds the whole request, headers, redirects and body included, so a server
    dripping one byte at a time cannot hold a run.
    """
    headers = {"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = _Deadline(limits)
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                timeout=httpx.Timeout(limits.timeout_seconds),
                transport=_transport(limits, deadline),
                trust_env=False,
            ) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code == 304:
                return Fetched(url, b"", not_modified=True, etag=etag, last_modified=last_modified)
            if response.status_code >= 400:
                raise SourceError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise SourceError(url, f"larger than the {limits.max_bytes:,}-byte limit")
            decoder = _Decoder(url, response.headers.get("Content-Encoding", ""))
            chunks: list[bytes] = []
            size = 0
            # Raw bytes, decoded here with a bound on the output of every step:
            # httpx's own decoder inflates a whole network chunk at once.
            for raw in response.iter_raw():
                chunk = decoder.decode(raw, limits.max_bytes - size)
                size += len(chunk)
                if size > limits.max_bytes:
                    raise SourceError(url, f"larger than the {limits.max_bytes:,}-byte limit")
                if deadline.expired():
                    raise httpx.ReadTimeout("download took too long")
                chunks.append(chunk)
            return Fetched(
                url=str(response.url),
                content=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except _Refused as exc:
        raise SourceError(
            url, f"refused: {exc} (allow it with the source's allow_networks)"
        ) from None
    except httpx.TooManyRedirects:
        raise SourceError(url, f"more than {limits.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise SourceError(url, f"timed out after {limits.timeout_seconds:g}s") from None
    except httpx.HTTPError as exc:
        raise SourceError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None
