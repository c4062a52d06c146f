"""The smtp sender over STARTTLS and implicit TLS with a login, against aiosmtpd."""

from __future__ import annotations

import smtplib
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as ServerSession
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from digest.cli import main
from digest.errors import ConfigError, SenderUnavailable
from digest.senders import Outgoing, Recipient, build_sender

from .sample_files import LoopbackController, free_port, write_sample_config
from .send_support import (
    SECRET,
    SMTP_PASSWORD,
    Recorder,
    outgoing,
    sample_built,
    smtp_options,
)

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


class Hangups:
    """Counts the client connections the server has seen end."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def ended(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for(self, count: int) -> bool:
        """Whether ``count`` connections have ended (waits a bounded while: the
        bound ends a broken run, it is not a timing)."""
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, timeout=300)


class WatchedController(LoopbackController):
    """aiosmtpd's controller whose sessions report when their connection ends."""

    def __init__(self, *args: Any, hangups: Hangups, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hangups = hangups

    def factory(self) -> ServerSession:
        session = super().factory()
        hangups, lost = self.hangups, session.connection_lost

        def connection_lost(error: Exception | None) -> None:
            lost(error)
            hangups.ended()

        session.connection_lost = connection_lost  # type: ignore[method-assign]
        return session


@pytest.fixture
def hangups() -> Hangups:
    return Hangups()


@pytest.fixture(params=["starttls", "tls"])
def tls_server(
    request: pytest.FixtureRequest, hangups: Hangups
) -> Iterator[tuple[str, int, Recorder, Logins]]:
    recorder, logins = Recorder(), Logins()
    common: dict[str, Any] = {
        "authenticator": logins,
        "auth_required": True,
        "auth_exclude_mechanism": ["LOGIN"],
        "hangups": hangups,
    }
    controller: Controller
    if request.param == "starttls":
        controller = WatchedController(
            recorder, tls_context=_context(), require_starttls=True, **common
        )
    else:
        controller = WatchedController(
            recorder, ssl_context=_context(), auth_require_tls=False, **common
        )
    controller.start()
    try:
        yield request.param, controller.port, recorder, logins
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
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)


def _send_numbered(
    options: dict[str, Any], outgoing: Outgoing, folder: Path, count: int, *, reconnect: bool
) -> None:
    """Send to ``r0@``, ``r1@``, ... through a sender on ``options``; with
    ``reconnect`` each message on a new connection."""
    sender = build_sender("mail", "smtp", options, folder)
    sender.prepare(outgoing)
    try:
        for n in range(count):
            sender.send(outgoing, Recipient(f"r{n}@example.org"))
            if reconnect:
                sender.close()
    finally:
        sender.close()


def test_sends_over_tls_after_login(
    tls_server: tuple[str, int, Recorder, Logins], outgoing: Outgoing, tmp_path: Path
) -> None:
    security, port, recorder, logins = tls_server
    _send_numbered(_options(security, port), outgoing, tmp_path, 3, reconnect=False)
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


def test_a_refused_login_closes_the_connection(
    tls_server: tuple[str, int, Recorder, Logins],
    hangups: Hangups,
    outgoing: Outgoing,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The connection a refused login leaves is closed at once, not whenever the
    last reference to it goes (here the connections are kept to make sure)."""
    opened: list[smtplib.SMTP] = []
    real_ehlo = smtplib.SMTP.ehlo

    def ehlo(conn: smtplib.SMTP, name: str = "") -> tuple[int, bytes]:
        opened.append(conn)
        return real_ehlo(conn, name)

    monkeypatch.setattr(smtplib.SMTP, "ehlo", ehlo)
    security, port, _, _ = tls_server
    options = _options(security, port, password_env="TEST_WRONG_PASSWORD")
    sender = build_sender("mail", "smtp", options, tmp_path)
    sender.prepare(outgoing)
    with pytest.raises(SenderUnavailable):
        sender.send(outgoing, Recipient("r@example.org"))
    assert opened and all(conn.sock is None for conn in opened)
    assert hangups.wait_for(1), "the server still holds the connection"


def test_one_tls_context_serves_every_connection(
    tls_server: tuple[str, int, Recorder, Logins],
    outgoing: Outgoing,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading certificates costs CPU: the context is made once per sender."""
    made: list[object] = []
    real = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counted)
    security, port, recorder, logins = tls_server
    _send_numbered(_options(security, port), outgoing, tmp_path, 2, reconnect=True)
    assert len(recorder.messages) == 2
    assert logins.users == ["digest", "digest"], "two connections"
    assert len(made) == 1


def _bad_ca_file(tmp_path: Path, problem: str) -> tuple[str, str]:
    """A ``ca_file`` value with ``problem``, and what the error should say."""
    if problem == "missing":
        return "no-such-ca.pem", "cannot read"
    (tmp_path / "not-pem.crt").write_text("this is no certificate\n", encoding="utf-8")
    return "not-pem.crt", "cannot load"


@pytest.mark.parametrize("problem", ["missing", "not PEM"])
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_bad_ca_file_is_a_setting_error(tmp_path: Path, problem: str, security: str) -> None:
    """Not "cannot connect" blaming the server: the setting and what is wrong."""
    ca_file, says = _bad_ca_file(tmp_path, problem)
    options = {**_options(security, free_port()), "ca_file": ca_file}
    with pytest.raises(ConfigError) as caught:
        build_sender("mail", "smtp", options, tmp_path)
    assert str(caught.value).startswith(f"senders.mail.ca_file: {says} {tmp_path / ca_file}")


@pytest.mark.parametrize("problem", ["missing", "not PEM"])
@pytest.mark.parametrize("verb", ["check", "send"])
def test_check_and_send_report_a_bad_ca_file_without_a_traceback(
    tmp_path: Path, problem: str, verb: str
) -> None:
    ca_file, says = _bad_ca_file(tmp_path, problem)
    mail = smtp_options(free_port(), security="starttls", ca_file=str(tmp_path / ca_file))
    config = write_sample_config(tmp_path, extra={"senders": {"mail": mail}})
    args = ["--config", str(config), verb]
    if verb == "send":  # on news, so that the run gets as far as its senders
        assert CliRunner().invoke(main, ["--config", str(config), "ingest"]).exit_code == 0
        args += ["--as-of", "2020-11-23T10:00+05:30"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "senders.mail.ca_file" in result.output and says in result.output


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
