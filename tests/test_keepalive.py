"""The ses sender's kept connections (digest/senders/keepalive.py) against a real
server on 127.0.0.1 that records the bytes it receives: the same request bytes as
the sender's httpx client sends, kept connections that the server closed are
replaced before use, and errors are temporary :class:`SendError`s."""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import select
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from digest.errors import SendError
from digest.senders.bulk import BulkEmailSender
from digest.senders.http import USER_AGENT
from digest.senders.keepalive import KeptConnections, direct
from digest.senders.ses import SesSender

from .provider_server import AWS_KEY_ID, AWS_SECRET, REGION

ANSWER = b'{"BulkEmailEntryResults":[]}'


class Recorder(socketserver.ThreadingTCPServer):
    """Reads HTTP/1.1 requests with a Content-Length, keeps each one's bytes, and
    answers ``answer`` (closing the connection after each answer if ``close``)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = tls
        self.requests: list[bytes] = []
        self.connections = 0
        self.close = False
        self.silent = False
        #: Set once a connection was closed after its answer (``close``).
        self.closed = threading.Event()
        self.answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        self.body = ANSWER

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}"

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.tls is None:
            return sock, address
        return self.tls.wrap_socket(sock, server_side=True), address


class _Handler(socketserver.BaseRequestHandler):
    server: Recorder

    def handle(self) -> None:
        self.server.connections += 1
        sock: socket.socket = self.request
        data = b""
        while True:
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            while len(rest) < length:
                rest += sock.recv(65536)
            self.server.requests.append(head + b"\r\n\r\n" + rest[:length])
            data = rest[length:]
            if self.server.silent:
                sock.recv(1)  # until the client gives up
                return
            body = self.server.body
            # Whether to close is settled before answering: once the client has
            # the answer it may change ``close`` for the next request.
            close = self.server.close
            sock.sendall(self.server.answer + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            if close:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                self.server.closed.set()
                return


@contextmanager
def serving(server: Recorder) -> Iterator[Recorder]:
    """``server`` serving on a thread of its own until the block ends."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    with serving(Recorder()) as server:
        yield server


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key, and the key (PEM files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def ses(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: Any
) -> Iterator[Any]:
    """An ses sender posting to ``recorder``; ``request.param`` (when the test
    passes one indirectly) is the endpoint's path and, optionally, a session token."""
    path, token = getattr(request, "param", ("", None))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("T_SECRET", "unsubscribe-secret")
    monkeypatch.setenv("T_AWS_ID", AWS_KEY_ID)
    monkeypatch.setenv("T_AWS_SECRET", AWS_SECRET)
    options = {
        "from": "Digest <digest@example.com>",
        "unsubscribe_url": "https://example.com/unsubscribe",
        "secret_env": "T_SECRET",
        "endpoint": recorder.url + path,
        "region": REGION,
        "access_key_id_env": "T_AWS_ID",
        "secret_access_key_env": "T_AWS_SECRET",
        "per_second": 1000,
    }
    if token is not None:
        monkeypatch.setenv("T_AWS_TOKEN", token)
        options["session_token_env"] = "T_AWS_TOKEN"
    sender = SesSender("ses", options, base_dir=tmp_path)
    yield sender
    sender.close()


def kept(recorder: Recorder, timeout: float = 10.0) -> KeptConnections:
    defaults = httpx.Client(headers={"User-Agent": USER_AGENT}).headers
    return KeptConnections(recorder.url, timeout=timeout, connections=1, defaults=lambda: defaults)


@pytest.mark.parametrize("ses", [("", None), ("/ses/./api", "a-token")], indirect=True)
def test_a_bulk_call_sends_the_bytes_httpx_sends(ses: Any, recorder: Recorder) -> None:
    """The same call through the sender (kept connections) and through the base
    class's httpx post: byte for byte the same request, ``written`` called; an
    endpoint with a path of its own keeps it (as httpx normalises it)."""
    body = b'{"BulkEmailEntries":[{"Destination":{"ToAddresses":["a@example.org"]}}]}'
    headers = ses.signed(body)
    calls: list[str] = []
    path = "/v2/email/outbound-bulk-emails"
    ours = ses.post(path, content=body, headers=headers, written=lambda: calls.append("ours"))
    theirs = BulkEmailSender.post(
        ses, path, content=body, headers=headers, written=lambda: calls.append("httpx")
    )
    assert calls == ["ours", "httpx"]
    assert len(recorder.requests) == 2 and recorder.requests[0] == recorder.requests[1]
    assert recorder.requests[0].endswith(b"\r\n\r\n" + body)
    assert recorder.requests[0].startswith(b"POST " + httpx.URL(ses.endpoint + path).raw_path)
    assert ours.json() == theirs.json() == {"BulkEmailEntryResults": []}


@pytest.mark.parametrize("ses", [("", "session-token\n")], indirect=True)
def test_a_header_http_refuses_is_a_temporary_error_without_the_secret(
    ses: Any, recorder: Recorder
) -> None:
    """A credential with a line break (a secret file's last newline) cannot go in a
    header: a temporary :class:`SendError` naming no secret, as the httpx path
    gives, and the connection is not kept half-written."""
    body = b"{}"
    path = "/v2/email/outbound-bulk-emails"
    for post in (ses.post, lambda *a, **k: BulkEmailSender.post(ses, *a, **k)):
        with pytest.raises(SendError) as caught:
            post(path, content=body, headers=ses.signed(body))
        assert not caught.value.permanent and "session-token" not in str(caught.value)
    assert recorder.requests == []
    assert ses.post(path, content=body, headers=ses.signed(b"{}") | {"X-Amz-Security-Token": "t"})


def test_a_connection_closed_by_the_server_is_replaced_before_use(recorder: Recorder) -> None:
    connections = kept(recorder)
    for _ in range(3):
        assert connections.post("/x", b"{}", {}).status_code == 200
    assert recorder.connections == 1  # kept alive
    recorder.close = True  # closes after each answer, without saying so
    for _ in range(3):
        assert connections.post("/x", b"{}", {}).status_code == 200
        assert recorder.closed.wait(60)
        recorder.closed.clear()
        # The server has closed it; wait until this end's kernel has the close too
        # (on a loaded machine loopback delivers it later), as a kept connection
        # would have in the time between two calls.
        for idle in connections._idle:
            assert idle.sock is not None
            assert select.select([idle.sock], [], [], 60)[0]
    # The first on the kept one, then each on a fresh one: none went out on a
    # connection the server had closed.
    assert recorder.connections == 3
    connections.close()


def test_answers_are_read_as_httpx_reads_them(recorder: Recorder) -> None:
    """A gzip answer is decoded; a refusal comes back with its status and headers."""
    connections = kept(recorder)
    recorder.answer = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
    recorder.body = gzip.compress(ANSWER)
    assert connections.post("/x", b"{}", {}).content == ANSWER
    recorder.answer = b"HTTP/1.1 429 Too Many Requests\r\nx-amzn-ErrorType: Throttling\r\n"
    recorder.body = b"{}"
    refused = connections.post("/x", b"{}", {})
    assert refused.status_code == 429 and refused.headers["x-amzn-errortype"] == "Throttling"
    connections.close()


def test_odd_answers_are_read_as_httpx_reads_them(recorder: Recorder) -> None:
    """A header value with 8-bit bytes (RFC 9110's obs-text) comes back as httpx
    gives it; a body that does not decode as its Content-Encoding says is a
    temporary :class:`SendError` on both paths, as are no other exceptions."""
    connections = kept(recorder)
    recorder.answer = b"HTTP/1.1 200 OK\r\nX-Note: caf\xc3\xa9 \xe9\r\n"
    with httpx.Client(headers={"User-Agent": USER_AGENT}) as client:
        theirs = client.post(recorder.url + "/x", content=b"{}")
        ours = connections.post("/x", b"{}", {})
        assert ours.headers.raw == theirs.headers.raw
        assert ours.headers["x-note"] == theirs.headers["x-note"]
        recorder.answer = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
        recorder.body = b"not gzip"
        with pytest.raises(httpx.DecodingError):
            client.post(recorder.url + "/x", content=b"{}")
    with pytest.raises(SendError, match="DecodingError") as caught:
        connections.post("/x", b"{}", {})
    assert not caught.value.permanent
    recorder.answer, recorder.body = b"HTTP/1.1 200 OK\r\n", ANSWER
    assert connections.post("/x", b"{}", {}).content == ANSWER
    connections.close()


def test_timeouts_and_refused_connections_are_temporary_errors(recorder: Recorder) -> None:
    recorder.silent = True
    with pytest.raises(SendError, match="timed out") as caught:
        kept(recorder, timeout=0.2).post("/x", b"{}", {})
    assert not caught.value.permanent
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    nowhere = KeptConnections(
        f"http://127.0.0.1:{port}", timeout=5, connections=1, defaults=httpx.Headers
    )
    with pytest.raises(SendError, match="ConnectionRefusedError") as refused:
        nowhere.post("/x", b"{}", {})
    assert not refused.value.permanent


def test_a_proxy_from_the_environment_keeps_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert direct("https://email.eu-west-1.amazonaws.com")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert not direct("https://email.eu-west-1.amazonaws.com")
    assert direct("http://127.0.0.1:8000")  # no http proxy set
    monkeypatch.setenv("NO_PROXY", "amazonaws.com")
    assert direct("https://email.eu-west-1.amazonaws.com")


def test_https_verifies_as_httpx_does_and_sends_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over TLS (a server certificate the client trusts through SSL_CERT_FILE, as
    httpx does): the same request bytes as httpx's; an untrusted server is refused
    with a temporary error."""
    cert_file, key_file = self_signed(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert_file, key_file)
    with serving(Recorder(tls)) as server:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        untrusted = kept(server)
        with pytest.raises(SendError, match="SSLCertVerificationError") as caught:
            untrusted.post("/x", b"{}", {})
        assert not caught.value.permanent
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
        body, headers = b'{"a":1}', {"Content-Type": "application/json"}
        assert kept(server).post("/v2/x", body, headers).content == ANSWER
        with httpx.Client(headers={"User-Agent": USER_AGENT}) as client:
            answer = client.post(server.url + "/v2/x", content=body, headers=headers)
        assert answer.content == ANSWER
        assert server.requests[-2] == server.requests[-1]
