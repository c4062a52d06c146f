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
    unsubscribe_url = "https://example.com/newsletter/unsubscribe"
    unsubscribe_mailto = "unsubscribe@example.com"
    secret_env = "DIGEST_UNSUBSCRIBE_SECRET"   # HMAC key of the unsubscribe tokens

The email is serialised once per edition (:class:`~digest.message.MessageTemplate`);
each copy only gets its own ``To``, ``Message-ID`` and signed unsubscribe links.
``Message-ID`` is derived from edition and address, so a copy sent again after a
crash carries the same id and mailbox providers can fold the two.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from ..errors import ConfigError, SendError, SenderUnavailable
from ..message import (
    MessageTemplate,
    Personal,
    check_address,
    header_safe,
    unsubscribe_token,
    verify_unsubscribe_token,
)
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .options import Options

_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_KNOWN = {
    "host", "port", "security", "username", "password_env", "from", "list", "connections",
    "timeout", "unsubscribe_url", "unsubscribe_mailto", "secret_env", "ca_file",
}  # fmt: skip


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
        ca_file = opts.text("ca_file", "")
        self._ca_file = str(base_dir / ca_file) if ca_file else None
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
        self._template: MessageTemplate | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[smtplib.SMTP] = []

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
            headers={"List-Id": f"<{self.name}.{self.domain}>"},
        )
        # A placeholder without a value fails here, before anybody is mailed.
        self._template.fill(self._personal(outgoing, Recipient(self.from_address)))

    def message(self, outgoing: Outgoing, recipient: Recipient) -> bytes:
        """The exact bytes one recipient gets."""
        return self._template_for(outgoing).fill(self._personal(outgoing, recipient))

    def _template_for(self, outgoing: Outgoing) -> MessageTemplate:
        if self._template is None:
            self.prepare(outgoing)
        assert self._template is not None
        return self._template

    def address_for_token(self, token: str) -> str | None:
        """The subscriber an unsubscribe token from this sender's links names, or
        ``None`` if the token was not signed with this sender's secret."""
        return verify_unsubscribe_token(self._secret, token.strip())

    def _personal(self, outgoing: Outgoing, recipient: Recipient) -> Personal:
        """What one recipient's copy has of its own; a bad address is permanent."""
        try:
            address = check_address(recipient.id)
        except ValueError as exc:
            raise SendError(str(exc), permanent=True) from None
        token = unsubscribe_token(self._secret, address)
        key = hashlib.sha256(f"{self.name}\0{address.lower()}".encode()).hexdigest()[:24]
        joiner = "&" if "?" in self.unsubscribe_url else "?"
        return Personal(
            address=address,
            name=recipient.name,
            first_name=getattr(recipient, "first_name", ""),
            message_id=f"<{outgoing.edition.id}.{key}@{self.domain}>",
            unsubscribe_url=f"{self.unsubscribe_url}{joiner}token={token}",
            unsubscribe_mailto=(
                f"mailto:{self.unsubscribe_mailto}?subject={quote('unsubscribe ' + token)}"
            ),
        )

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Send one personalised copy on this thread's connection.

        SMTP 5xx raises a permanent :class:`SendError`; 4xx and dropped connections a
        temporary one (the connection is reopened next time); a server that cannot
        be reached or refuses the login raises :class:`SenderUnavailable`.
        """
        data = self._template_for(outgoing).fill_data(self._personal(outgoing, recipient))
        conn = self._connection()
        try:
            code, reply = conn.mail(self.from_address)
            if code == 250:
                code, reply = conn.rcpt(recipient.id)
            if code in (250, 251):
                # smtplib's data() would dot-stuff the whole message again.
                code, reply = conn.docmd("data")
                if code == 354:
                    conn.send(data)
                    code, reply = conn.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self._drop(conn)
            raise SendError(f"connection lost: {exc or type(exc).__name__}") from None
        if code == 250:
            return SendResult(recipient.id, provider_id=_text(reply)[:200])
        error = f"{code} {_text(reply)}"[:500]
        if code == 421 or not 400 <= code < 600:
            self._drop(conn)
        else:
            try:
                conn.rset()
            except (smtplib.SMTPException, OSError):
                self._drop(conn)
        raise SendError(error, permanent=500 <= code < 600)

    def close(self) -> None:
        """Say QUIT on every open connection."""
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            try:
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
        where = f"{self.host}:{self.port}"
        context = ssl.create_default_context(cafile=self._ca_file)
        try:
            conn: smtplib.SMTP
            if self.security == "tls":
                conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            conn.ehlo()
            if self.security == "starttls":
                conn.starttls(context=context)
                conn.ehlo()
            if self.username:
                conn.login(self.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            raise SenderUnavailable(f"{where}: login refused ({exc.smtp_code})") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SenderUnavailable(f"{where}: cannot connect ({exc})") from None
        return conn

    def _drop(self, conn: smtplib.SMTP) -> None:
        conn.close()
        with self._lock:
            if conn in self._open:
                self._open.remove(conn)
        self._local.conn = None


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())
