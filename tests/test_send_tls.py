"""The smtp sender over STARTTLS and implicit TLS with a login, against aiosmtpd."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from digest.errors import SenderUnavailable
from digest.senders import Outgoing, Recipient, build_sender

from .send_support import SECRET, SMTP_PASSWORD, Recorder, free_port, outgoing, sample_built

__all__ = ["outgoing", "sample_built"]

# With implicit TLS aiosmtpd cannot tell that the session is encrypted, so it warns
# about AUTH without STARTTLS; the whole connection is TLS here.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

TLS = Path(__file__).parent / "fixtures" / "tls"


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    return context


class Logins:
    """Accepts one user and password; remembers who logged in."""

    def __init__(self) -> None:
        self.users: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == b"digest"
            and data.password == SMTP_PASSWORD.encode()
        )
        if ok:
            self.users.append(data.login.decode())
        # handled=False: aiosmtpd answers the failure (535) itself.
        return AuthResult(success=ok, handled=False)


@pytest.fixture(params=["starttls", "tls"])
def tls_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int, Recorder, Logins]]:
    recorder, logins = Recorder(), Logins()
    port = free_port()
    common: dict[str, Any] = {
        "hostname": "127.0.0.1",
        "port": port,
        "authenticator": logins,
        "auth_required": True,
        "auth_exclude_mechanism": ["LOGIN"],
    }
    if request.param == "starttls":
        controller = Controller(recorder, tls_context=_context(), require_starttls=True, **common)
    else:
        controller = Controller(recorder, ssl_context=_context(), auth_require_tls=False, **common)
    controller.start()
    try:
        yield request.param, port, recorder, logins
    finally:
        controller.stop()


def _options(security: str, port: int, password_env: str = "TEST_SMTP_PASSWORD") -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "security": security,
        "username": "digest",
        "password_env": password_env,
        "from": "Digest <digest@mid-day.example>",
        "unsubscribe_url": "https://www.mid-day.com/u",
        "secret_env": "TEST_UNSUB",
        "ca_file": str(TLS / "cert.pem"),
        "timeout": 5,
    }


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("TEST_WRONG_PASSWORD", "not-the-password")
    monkeypatch.setenv("TEST_UNSUB", SECRET)


def test_sends_over_tls_after_login(
    tls_server: tuple[str, int, Recorder, Logins], outgoing: Outgoing, tmp_path: Path
) -> None:
    security, port, recorder, logins = tls_server
    sender = build_sender("mail", "smtp", _options(security, port), tmp_path)
    sender.prepare(outgoing)
    try:
        for n in range(3):
            sender.send(outgoing, Recipient(f"r{n}@example.org"))
    finally:
        sender.close()
    assert [a for a, _ in recorder.messages] == [f"r{n}@example.org" for n in range(3)]
    assert logins.users == ["digest"], "one login: the connection is reused"


def test_refused_login_stops_the_sender_without_leaking_the_password(
    tls_server: tuple[str, int, Recorder, Logins], outgoing: Outgoing, tmp_path: Path
) -> None:
    security, port, recorder, _ = tls_server
    options = _options(security, port, password_env="TEST_WRONG_PASSWORD")
    sender = build_sender("mail", "smtp", options, tmp_path)
    sender.prepare(outgoing)
    with pytest.raises(SenderUnavailable) as caught:
        sender.send(outgoing, Recipient("r@example.org"))
    assert "login refused (535)" in str(caught.value)
    assert "not-the-password" not in str(caught.value) + sender.describe()
    assert recorder.messages == []


def test_untrusted_certificate_is_refused(
    tls_server: tuple[str, int, Recorder, Logins], outgoing: Outgoing, tmp_path: Path
) -> None:
    security, port, _, _ = tls_server
    options = {k: v for k, v in _options(security, port).items() if k != "ca_file"}
    sender = build_sender("mail", "smtp", options, tmp_path)
    sender.prepare(outgoing)
    with pytest.raises(SenderUnavailable) as caught:
        sender.send(outgoing, Recipient("r@example.org"))
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
