"""The ``smtp`` sender: one personalised email per subscriber over persistent
connections.

Options::

    [senders.newsletter]
    type = "smtp"
    host = "smtp.example.com"
    port = 587                        # default: 587 starttls, 465 tls, 25 none
    security = "starttls"             # "starttls", "tls" (implicit) or "none"
    username = "digest@example.com"   # optional; then password_env is required
    password_env = "SMTP_PASSWORD"
    from = "World News Digest <digest@example.com>"
    list = "default"                  # the subscriber list in the store
    connections = 2                   # parallel connections, each reused
    timeout = 30
    ca_file = "ca.pem"                # optional: trust only these PEM certificates
                                      # (checked when the config is loaded)
    unsubscribe_url = "https://example.com/newsletter/unsubscribe"
    unsubscribe_mailto = "unsubscribe@example.com"
    secret_env = "DIGEST_UNSUBSCRIBE_SECRET"   # HMAC key of the unsubscribe tokens
    feedback_id = "world:digest"      # optional Feedback-ID (Gmail's feedback loop)
    dkim_selector = "digest"          # DKIM signing (dkimpy), with the key's PEM from
    dkim_key_file = "dkim.pem"        # a file, or from the environment variable
    dkim_key_env = "DKIM_PRIVATE_KEY" # named here; dkim_domain defaults to from's

``unsubscribe_url`` defaults to ``render.unsubscribe_url`` at ``[digest] site_url``,
where ``digest serve`` answers.  Every copy carries ``Precedence: bulk`` and
``Auto-Submitted: auto-generated``; with a DKIM key each copy is signed on its own
(its ``To``, ``Message-ID`` and unsubscribe links differ).

The email is serialised once per edition (:class:`~digest.message.MessageTemplate`);
each copy only gets its own ``To``, ``Message-ID`` and signed unsubscribe links.
``Message-ID`` is derived from edition and address, so a copy sent again after a
crash carries the same id and mailbox providers can fold the two.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import dkim
from dkim.crypto import parse_pem_private_key

from ..errors import ConfigError, SendError, SenderUnavailable
from ..message import (
    MessageTemplate,
    Personal,
    check_address,
    header_safe,
    plain_address,
    unsubscribe_token,
    verify_unsubscribe_token,
)
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .options import Options
from .people import PartsMaker

_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_KNOWN = {
    "host", "port", "security", "username", "password_env", "from", "list", "connections",
    "timeout", "unsubscribe_url", "unsubscribe_mailto", "secret_env", "ca_file",
    "feedback_id", "dkim_selector", "dkim_domain", "dkim_key_file", "dkim_key_env",
}  # fmt: skip
#: Headers a DKIM signature covers (those present in the message are signed).
_DKIM_HEADERS = [
    b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type",
    b"list-id", b"list-unsubscribe", b"list-unsubscribe-post", b"feedback-id",
]  # fmt: skip
_LINE_START_DOT = re.compile(rb"^\.", re.MULTILINE)


class SmtpSender:
    """Sends the email rendition to every active subscriber of a list."""

    type_name: ClassVar[str] = "smtp"
    consumes: ClassVar[RenditionKind] = "email"

    def __init__(self, name: str, options: Mapping[str, Any], *, base_dir: Path) -> None:
        opts = Options(name, options, _KNOWN)
        self.name = name
        self.host = opts.text("host")
        self.security = opts.choice("security", ("starttls", "tls", "none"), "starttls")
        self.port = opts.integer("port", _DEFAULT_PORTS[self.security])
        self.username = opts.text("username", "")
        self._password = opts.secret("password_env", required=bool(self.username))
        self._secret = opts.secret("secret_env").encode()
        self.timeout = opts.number("timeout", 30.0)
        self.subscriber_list: str | None = opts.text("list", "default")
        self.unsubscribe_url = opts.url("unsubscribe_url")
        self.limits = Limits(connections=opts.integer("connections", 1))
        self._ca_file = _ca_file(name, opts.text("ca_file", ""), base_dir)
        display, address = parseaddr(header_safe(opts.text("from")))
        try:
            self.from_address = check_address(address)
            self.unsubscribe_mailto = check_address(
                opts.text("unsubscribe_mailto", f"unsubscribe@{address.partition('@')[2]}")
            )
        except ValueError as exc:
            raise ConfigError(f"senders.{name}: {exc}") from None
        local, _, domain = self.from_address.partition("@")
        self.sender = Address(display_name=display, username=local, domain=domain)
        self.domain = domain
        self.feedback_id = header_safe(opts.text("feedback_id", ""))
        self._dkim = _dkim_settings(opts, name, domain, base_dir)
        joiner = "&" if "?" in self.unsubscribe_url else "?"
        # The same parts (token, key, links) as the provider senders make.
        self._parts = PartsMaker(
            self._secret,
            f"{name}\0".encode(),
            domain,
            f"{self.unsubscribe_url}{joiner}token=",
            # A token is base64url and ".": quote() would leave it as it is.
            f"mailto:{self.unsubscribe_mailto}?subject=unsubscribe%20",
        )
        self._template: MessageTemplate | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[smtplib.SMTP] = []
        #: Connections whose last write carried the next message's envelope.
        self._announced: dict[smtplib.SMTP, str] = {}
        self._mail_command = f"MAIL FROM:<{self.from_address}>\r\n".encode()
        if self._ca_file is not None and self.security != "none":
            # Loading one file is cheap, and a file that is no PEM is then a setup
            # error that ``digest check`` reports, not a failure mid-run.
            _ = self._tls_context

    def describe(self) -> str:
        """Log-safe: server, security, user name and list, never a password or key."""
        login = f" as {self.username}" if self.username else ""
        return (
            f"smtp sender {self.name!r} → {self.host}:{self.port} ({self.security}{login}), "
            f"list {self.subscriber_list!r}, {self.limits.connections} connection(s)"
        )

    def endpoints(self) -> list[str]:
        """The server, for ``digest check --reach``."""
        scheme = "smtps" if self.security == "tls" else "smtp"
        return [f"{scheme}://{self.host}:{self.port}"]

    def recipients(self) -> Iterable[Recipient]:
        """None of its own: the subscribers of ``list`` are mailed."""
        return ()

    def prepare(self, outgoing: Outgoing) -> None:
        """Serialise the edition's email once, to be filled in per recipient.

        Raises :class:`~digest.errors.RenderError` if the email has a placeholder
        this sender cannot fill.
        """
        self._template = MessageTemplate(
            outgoing.renditions.email,
            sender=self.sender,
            date=datetime.now(UTC),
            headers=self._bulk_headers(),
        )
        # A placeholder without a value fails here, before anybody is mailed.
        self._template.fill(self._personal(outgoing, Recipient(self.from_address)))

    def _bulk_headers(self) -> dict[str, str]:
        """What marks every copy as list mail (RFC 2919, RFC 3834, Gmail's FBL)."""
        headers = {
            "List-Id": f"<{self.name}.{self.domain}>",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        }
        if self.feedback_id:
            headers["Feedback-ID"] = self.feedback_id
        return headers

    def message(self, outgoing: Outgoing, recipient: Recipient) -> bytes:
        """The exact bytes one recipient gets (DKIM-signed when a key is set)."""
        return self._sign(self._template_for(outgoing).fill(self._personal(outgoing, recipient)))

    def _sign(self, message: bytes) -> bytes:
        """``message`` with a ``DKIM-Signature`` header first, if a key is set."""
        if self._dkim is None:
            return message
        selector, domain, key = self._dkim
        present = message[: message.find(b"\r\n\r\n")].lower()
        include = [h for h in _DKIM_HEADERS if b"\r\n" + h + b":" in b"\r\n" + present]
        signature = dkim.sign(
            message, selector, domain, key, include_headers=include, linesep=b"\r\n"
        )
        return bytes(signature) + message

    def send_notice(self, to: str, subject: str, text: str) -> None:
        """Send one plain-text message of our own (a sign-up confirmation) to ``to``
        on a connection of its own, signed like the editions.

        Raises :class:`SendError` (permanent for a 5xx answer) or
        :class:`SenderUnavailable`.
        """
        address = check_address(to)
        message = EmailMessage(policy=SMTP)
        message["From"] = self.sender
        message["To"] = address
        message["Subject"] = header_safe(subject)
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=self.domain)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text, charset="utf-8")
        data = self._sign(message.as_bytes(policy=SMTP))
        conn = self._connect()
        try:
            conn.sendmail(self.from_address, [address], data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise SendError(f"{code} {_text(reply)}", permanent=code >= 500) from None
        except smtplib.SMTPResponseException as exc:
            raise SendError(
                f"{exc.smtp_code} {_text(exc.smtp_error)}", permanent=exc.smtp_code >= 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"connection lost: {exc or type(exc).__name__}") from None
        finally:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()

    def _template_for(self, outgoing: Outgoing) -> MessageTemplate:
        if self._template is None:
            self.prepare(outgoing)
        assert self._template is not None
        return self._template

    def address_for_token(self, token: str) -> str | None:
        """The subscriber an unsubscribe token from this sender's links names, or
        ``None`` if the token was not signed with this sender's secret."""
        return verify_unsubscribe_token(self._secret, token.strip())

    def token_for(self, address: str) -> str:
        """The unsubscribe token this sender's links carry for ``address``."""
        return unsubscribe_token(self._secret, address)

    def derived_key(self, purpose: str) -> bytes:
        """A key for another purpose (``web``: sign-up links, forms), derived from
        this sender's unsubscribe secret so one secret can serve both."""
        return hmac.new(self._secret, f"digest {purpose}".encode(), hashlib.sha256).digest()

    def _personal(self, outgoing: Outgoing, recipient: Recipient) -> Personal:
        """What one recipient's copy has of its own; a bad address is permanent."""
        try:
            person = self._parts.person(outgoing.edition.id, recipient)
        except ValueError as exc:
            raise SendError(str(exc), permanent=True) from None
        return Personal(
            person.address,
            person.name,
            person.message_id,
            person.unsubscribe_url,
            person.unsubscribe_mailto,
            person.first_name,
        )

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Send one personalised copy on this thread's connection.

        SMTP 5xx raises a permanent :class:`SendError`; 4xx and dropped connections a
        temporary one (the connection is reopened next time); a server that cannot
        be reached or refuses the login raises :class:`SenderUnavailable`.
        """
        return self.send_then(outgoing, recipient, _nobody)

    def send_then(
        self, outgoing: Outgoing, recipient: Recipient, take: Callable[[], Recipient | None]
    ) -> SendResult:
        """:meth:`send`, where ``take()`` gives the recipient of this thread's next
        call if one is queued: on a server that offers PIPELINING it is called
        as the message goes out, and that recipient's ``MAIL``, ``RCPT`` and
        ``DATA`` follow the data in the same write (RFC 2920), so each message
        costs one round trip.  Its message goes out only in that next call, once
        this one's outcome is known."""
        template = self._template_for(outgoing)
        personal = self._personal(outgoing, recipient)
        if self._dkim is None:
            data = template.data_pieces(personal)
        else:
            # SMTP transparency over the signed whole (RFC 5321 4.5.2).
            signed = self._sign(template.fill(personal))
            data = [_LINE_START_DOT.sub(b"..", signed), b".\r\n"]
        conn = self._connection()
        # The address whose envelope the last write on this connection carried.
        announced = self._announced.pop(conn, None)
        if announced is not None and announced != personal.address:
            # Not the call the last one was told of: that envelope cannot be taken
            # back but by leaving (the server then drops its transaction).
            self._drop(conn)
            conn, announced = self._connection(), None
        try:
            if conn.does_esmtp and conn.has_extn("pipelining"):
                code, reply, following = _pipelined(
                    conn,
                    None if announced else self._envelope(personal.address),
                    data,
                    lambda: _plain(take()),
                    self._envelope,
                )
                if following is not None:
                    self._announced[conn] = following
            else:
                code, reply = _lockstep(conn, self.from_address, personal.address, data)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop(conn)
            raise SendError(f"connection lost: {exc or type(exc).__name__}") from None
        if code == 250:
            return SendResult(recipient.id, provider_id=_text(reply)[:200])
        error = f"{code} {_text(reply)}"[:500]
        if code == 421 or not 400 <= code < 600:
            self._drop(conn)
        elif conn not in self._announced:
            # (After an announced envelope its replies are next on the wire, and
            # the server has ended this transaction itself.)
            try:
                conn.rset()
            except (smtplib.SMTPException, OSError):
                self._drop(conn)
        raise SendError(error, permanent=500 <= code < 600)

    def _envelope(self, address: str) -> bytes:
        """``MAIL``, ``RCPT`` and ``DATA`` for one message, as one write."""
        return b"".join((self._mail_command, b"RCPT TO:<", address.encode(), b">\r\nDATA\r\n"))

    def close(self) -> None:
        """Say QUIT on every open connection."""
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            try:
                if self._announced.pop(conn, None) is not None:
                    conn.close()  # a QUIT now would be taken for message text
                else:
                    conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()
        self._local = threading.local()

    # -- connections -------------------------------------------------------------

    def _connection(self) -> smtplib.SMTP:
        conn: smtplib.SMTP | None = getattr(self._local, "conn", None)
        if conn is not None and conn.sock is not None:
            return conn
        conn = self._connect()
        self._local.conn = conn
        with self._lock:
            self._open.append(conn)
        return conn

    def _connect(self) -> smtplib.SMTP:
        # Before any socket: a bad ca_file is a setting to fix, not the server's fault.
        context = None if self.security == "none" else self._tls_context
        return _open(self, context, self._password)

    @cached_property
    def _tls_context(self) -> ssl.SSLContext:
        """The TLS context of all connections, made once per sender: loading the
        system's trusted CAs costs about 20 ms of CPU, more than a hundred messages."""
        return _load_context(self.name, self._ca_file)

    def _drop(self, conn: smtplib.SMTP) -> None:
        conn.close()
        self._announced.pop(conn, None)
        with self._lock:
            if conn in self._open:
                self._open.remove(conn)
        self._local.conn = None


def _plain(recipient: Recipient | None) -> str | None:
    """``recipient``'s address if it is one that :func:`check_address` passes."""
    if recipient is None:
        return None
    address = str.strip(recipient)
    return address if len(address) <= 254 and plain_address(address) else None


def _pipelined(
    conn: smtplib.SMTP,
    envelope: bytes | None,
    data: list[bytes],
    take: Callable[[], str | None],
    envelope_of: Callable[[str], bytes],
) -> tuple[int, bytes, str | None]:
    """One message over a PIPELINING connection: its ``envelope`` (``MAIL``,
    ``RCPT``, ``DATA``) in one write unless the last message's write carried it,
    then the message once the server said 354, with the envelope of the next
    address ``take()`` gives in the same write (RFC 2920 lets message content
    open a group; the end of the data ends the transaction whatever its reply).
    The reply, and the address whose envelope went out after the message.

    The first refusal is the answer (a refused ``MAIL`` makes the server refuse
    the ``RCPT`` and ``DATA`` after it too); all three replies are read, so the
    connection stays in step.  A server that says 354 although no recipient
    was accepted gets an empty message, which it refuses or drops.
    """
    if envelope is not None:
        conn.send(envelope)
    replies = [conn.getreply() for _ in range(3)]
    (mail, _), (rcpt, _), (ready, _) = replies
    if mail == 250 and rcpt in (250, 251) and ready == 354:
        following = take()
        _write(conn, data if following is None else [*data, envelope_of(following)])
        if following is not None:
            _ack_at_once(conn)
        code, reply = conn.getreply()
        return code, reply, following
    if ready == 354:
        conn.send(b".\r\n")
        conn.getreply()
    if mail != 250:
        return (*replies[0], None)
    return (*(replies[1] if rcpt not in (250, 251) else replies[2]), None)


def _lockstep(
    conn: smtplib.SMTP, from_address: str, address: str, data: list[bytes]
) -> tuple[int, bytes]:
    """One message, each command waiting for its reply (no PIPELINING)."""
    code, reply = conn.mail(from_address)
    if code == 250:
        code, reply = conn.rcpt(address)
    if code in (250, 251):
        # smtplib's data() would dot-stuff the whole message again.
        code, reply = conn.docmd("data")
        if code == 354:
            _write(conn, data)
            code, reply = conn.getreply()
    return code, reply


def _ack_at_once(conn: smtplib.SMTP) -> None:
    """Have the kernel acknowledge the server's next segment at once (Linux
    ``TCP_QUICKACK``; elsewhere nothing).  A server may write its reply to the
    data apart from its replies to the envelope after it, and hold the second
    write (Nagle) until the first is acknowledged, which a delayed ACK puts off:
    measured against smtp-sink, the chained envelopes were slower than none
    without this."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None and conn.sock is not None:
        conn.sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _nobody() -> None:
    """No next recipient (a lone :meth:`SmtpSender.send`)."""


def _open(sender: SmtpSender, context: ssl.SSLContext | None, password: str) -> smtplib.SMTP:
    """A new connection to ``sender``'s server, greeted, secured and logged in as
    configured.

    Raises :class:`SenderUnavailable` if the server cannot be reached or refuses
    the login; a connection opened by then is closed first.
    """
    where = f"{sender.host}:{sender.port}"
    try:
        conn: smtplib.SMTP
        if sender.security == "tls":
            conn = smtplib.SMTP_SSL(
                sender.host, sender.port, timeout=sender.timeout, context=context
            )
        else:
            conn = smtplib.SMTP(sender.host, sender.port, timeout=sender.timeout)
    except (smtplib.SMTPException, OSError) as exc:
        raise SenderUnavailable(f"{where}: cannot connect ({exc})") from None
    try:
        conn.ehlo()
        if sender.security == "starttls":
            conn.starttls(context=context)
            conn.ehlo()
        if sender.username:
            conn.login(sender.username, password)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            raise SenderUnavailable(f"{where}: login refused ({exc.smtp_code})") from None
        if isinstance(exc, (smtplib.SMTPException, OSError)):
            raise SenderUnavailable(f"{where}: cannot connect ({exc})") from None
        raise
    return conn


def _load_context(name: str, ca_file: str | None) -> ssl.SSLContext:
    """A client TLS context trusting ``ca_file`` (or the system's CAs if ``None``).

    Raises :class:`ConfigError` naming ``senders.<name>.ca_file`` if that file
    cannot be loaded.
    """
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigError(
            f"senders.{name}.ca_file: cannot load {ca_file} as PEM certificates ({_reason(exc)})"
        ) from None


def _ca_file(name: str, value: str, base_dir: Path) -> str | None:
    """The path of ``ca_file`` (relative to the config's folder), or ``None`` when
    it is not set.  Raises :class:`ConfigError` unless it is a readable file."""
    if not value:
        return None
    path = base_dir / value
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise ConfigError(f"senders.{name}.ca_file: cannot read {path} ({_reason(exc)})") from None
    return str(path)


def _reason(exc: BaseException) -> str:
    """What went wrong, without the file name the message repeats."""
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _dkim_settings(
    opts: Options, name: str, domain: str, base_dir: Path
) -> tuple[bytes, bytes, bytes] | None:
    """``(selector, domain, private key PEM)`` for DKIM signing, or ``None`` when no
    key is configured.  The key comes from ``dkim_key_file`` or from the environment
    variable ``dkim_key_env`` names, and must parse."""
    key_file = opts.text("dkim_key_file", "")
    from_env = opts.secret("dkim_key_env", required=False)
    if not key_file and not from_env:
        return None
    if key_file and from_env:
        raise ConfigError(f"senders.{name}: give dkim_key_file or dkim_key_env, not both")
    if key_file:
        try:
            key = (base_dir / key_file).read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"senders.{name}.dkim_key_file: cannot read {key_file} ({exc.strerror})"
            ) from None
    else:
        key = from_env.encode()
    try:
        parse_pem_private_key(key)
    except Exception:  # dkimpy raises several kinds for a bad key
        raise ConfigError(f"senders.{name}: the DKIM key is not a PEM RSA private key") from None
    selector = opts.text("dkim_selector", "")
    if not selector:
        raise ConfigError(f"senders.{name}.dkim_selector: is required with a DKIM key")
    return selector.encode(), opts.text("dkim_domain", domain).encode(), key


#: At most this many pieces go to one ``sendmsg`` (Linux takes 1,024).
_MAX_PIECES = 512


def _write(conn: smtplib.SMTP, pieces: list[bytes]) -> None:
    """Write ``pieces`` on ``conn`` in order: on a plain socket with
    ``sendmsg`` from where they lie (a message is tens of kilobytes, and joining
    it first was a copy per recipient), over TLS joined.

    Raises :class:`OSError` (a timeout included) or
    :class:`smtplib.SMTPServerDisconnected` if the connection is gone.
    """
    sock = conn.sock
    if sock is None:
        raise smtplib.SMTPServerDisconnected("not connected")
    if isinstance(sock, ssl.SSLSocket) or len(pieces) > _MAX_PIECES:
        sock.sendall(b"".join(pieces))
        return
    left: list[bytes | memoryview] = list(pieces)
    while left:
        sent = sock.sendmsg(left)
        # A partial write: drop what went out, start again inside the piece cut.
        done = 0
        while done < len(left) and sent >= len(left[done]):
            sent -= len(left[done])
            done += 1
        del left[:done]
        if sent:
            left[0] = memoryview(left[0])[sent:]


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())
