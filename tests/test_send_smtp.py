"""The smtp sender against a real aiosmtpd server in the test process."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from digest.edition import Built
from digest.message import verify_unsubscribe_token
from digest.render.personal import UNSUBSCRIBE_URL, first_name_of, personalise, placeholder
from digest.senders.base import Recipient
from digest.senders.smtp import SmtpSender, _pipelined, _write
from digest.store import Store, Subscriber

from .sample_files import LoopbackController
from .send_support import (
    SECRET,
    Recorder,
    app_with_senders,
    outgoing,
    sample_built,
    smtp_options,
)

__all__ = ["outgoing", "sample_built"]


@pytest.fixture(params=[False, True], ids=["lockstep", "pipelining"])
def smtp_server(request: pytest.FixtureRequest) -> Iterator[tuple[Controller, Recorder]]:
    """The test server, once as it is and once offering PIPELINING (RFC 2920), so
    every behaviour here holds for both ways of talking to it."""
    recorder = Recorder(pipelining=request.param)
    controller = LoopbackController(recorder)
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)


def _parse(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def _subscribe(store: Store, count: int, prefix: str = "reader") -> list[str]:
    addresses = [f"{prefix}{i:04d}@example.org" for i in range(count)]
    store.add_subscribers(Subscriber(a, name=f"Reader {i}") for i, a in enumerate(addresses))
    return addresses


def test_the_greeting_uses_the_first_name(
    tmp_path: Path, store: Store, sample_built: Built, smtp_server: tuple[Any, Recorder]
) -> None:
    """The ``first_name`` column where there is one, else the first word of the name
    (a title skipped); nobody is greeted by their full name."""
    controller, recorder = smtp_server
    store.add_subscribers([
        Subscriber("eve@example.org", name="Ève Müller"),
        Subscriber("raj@example.org", name="Dr Rajesh Kumar", first_name="Raj"),
        Subscriber("x@example.org", name="Okafor, Ben"),
        Subscriber("anon@example.org"),
    ])  # fmt: skip
    app = app_with_senders(tmp_path, {"mail": smtp_options(controller.port)}, store)
    assert app.send(sample_built).senders["mail"].sent == 4
    greetings = {}
    for address, data in recorder.messages:
        text, _ = _parse(data).iter_parts()
        found = re.search(r"Good morning, ([^.]+)\.", text.get_content())
        greetings[address] = found.group(1) if found else None
    assert greetings == {"anon@example.org": "reader", "eve@example.org": "Ève",
                         "raj@example.org": "Raj", "x@example.org": "Ben"}  # fmt: skip


def test_messages_parse_back_with_headers_and_personal_parts(
    tmp_path: Path, store: Store, sample_built: Built, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    addresses = _subscribe(store, 6)
    store.add_subscribers([Subscriber("zoe@example.org", name="Zoë Ünïcode")])
    app = app_with_senders(tmp_path, {"mail": smtp_options(controller.port, connections=3)}, store)

    report = app.send(sample_built)

    assert report.senders["mail"].sent == 7 and not report.failed
    assert len(recorder.messages) == 7
    assert len(recorder.peers) >= 2, "several connections are used in parallel"
    email = sample_built.renditions.email if sample_built.renditions else None
    assert email is not None
    message_ids = set()
    for address, data in recorder.messages:
        message = _parse(data)
        assert message["To"].addresses[0].addr_spec.lower() == address.lower()
        assert message["From"].addresses[0].addr_spec == "digest@mid-day.example"
        assert message["Subject"] == email.subject
        assert message["Date"].datetime.tzinfo is not None
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        message_ids.add(message["Message-ID"])
        mailto, https = (u.strip(" <>") for u in str(message["List-Unsubscribe"]).split(","))
        assert mailto.startswith("mailto:unsubscribe@mid-day.example?subject=unsubscribe")
        assert https.startswith("https://www.mid-day.com/newsletter/unsubscribe?token=")
        token = https.partition("token=")[2]
        assert verify_unsubscribe_token(SECRET.encode(), token) == address.lower()
        assert verify_unsubscribe_token(b"another secret", token) is None
        assert message.get_content_type() == "multipart/alternative"
        text_part, html_part = message.iter_parts()
        assert text_part.get_content_type() == "text/plain"
        assert html_part.get_content_type() == "text/html"
        text = text_part.get_content().replace("\r\n", "\n")
        html = html_part.get_content().replace("\r\n", "\n")
        assert "%%" not in text + html
        assert f"{https}" in text
        assert f'href="{https.replace("&", "&amp;")}"' in html
        # Exactly what the renderer's personalise() makes of the rendition.
        name = message["To"].addresses[0].display_name
        # The greeting's first name is the first word of the display name.
        fills = {"unsubscribe_url": https, "name": name, "first_name": first_name_of(name)}
        expected = personalise(email, fills)
        assert text == expected.text.replace("\r\n", "\n")
        assert html == expected.html.replace("\r\n", "\n")
        assert f"Good morning, {first_name_of(name) or 'reader'}." in text
    assert len(message_ids) == 7
    zoe = _parse(next(d for a, d in recorder.messages if a == "zoe@example.org"))
    assert zoe["To"].addresses[0].display_name == "Zoë Ünïcode"
    assert set(addresses) <= {a for a, _ in recorder.messages}


def test_4xx_retried_until_delivered_5xx_never_retried_and_drops_survived(
    tmp_path: Path, store: Store, sample_built: Built, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    addresses = _subscribe(store, 40)
    temporary = {
        addresses[3]: ["421 4.3.2 Service shutting down"],
        addresses[7]: ["451 4.7.1 Greylisted, try later", "451 4.7.1 Greylisted, try later"],
        addresses[11]: ["452 4.2.2 Mailbox full"],
        addresses[25]: ["452 4.5.3 Too many recipients"],
    }
    permanent = {addresses[5], addresses[20]}
    recorder.rcpt_replies = {a: list(r) for a, r in temporary.items()}
    recorder.rcpt_replies.update({a: ["550 5.1.1 No such user"] * 9 for a in permanent})
    recorder.drop_on_data = {addresses[15], addresses[30]}
    app = app_with_senders(tmp_path, {"mail": smtp_options(controller.port, connections=2)}, store)

    report = app.send(sample_built)

    delivered = [a for a, _ in recorder.messages]
    assert sorted(delivered) == sorted(set(addresses) - permanent), "each delivered once"
    for address in permanent:
        assert recorder.rcpts.count(address) == 1, "a 5xx is never retried"
    for address, replies in temporary.items():
        assert recorder.rcpts.count(address) == len(replies) + 1
    deliveries = {d.recipient: d for d in store.deliveries(sample_built.edition.id)}
    assert len(deliveries) == 40
    for address in permanent:
        assert deliveries[address].status == "failed"
        assert deliveries[address].last_error.startswith("550 5.1.1 No such user")
        assert deliveries[address].attempts == 1
    for address in [*temporary, addresses[15], addresses[30]]:
        assert deliveries[address].status == "sent"
        assert deliveries[address].attempts >= 2
        assert deliveries[address].last_error  # the temporary error is kept
    assert deliveries[addresses[7]].last_error.startswith("451 4.7.1")
    assert deliveries[addresses[15]].last_error.startswith("connection lost")
    assert all(d.status in ("sent", "failed") for d in deliveries.values())
    assert all(
        d.provider_id.startswith("2.0.0 Ok: queued as")
        for d in deliveries.values()
        if d.status == "sent"
    )
    assert report.senders["mail"].sent == 38 and report.senders["mail"].failed == 2
    assert report.senders["mail"].retries == 7

    # A 5xx answer is a hard bounce: those two addresses are suppressed, so the
    # list no longer names them at all.
    for address in permanent:
        suppression = store.suppression(address)
        assert suppression is not None and "550 5.1.1 No such user" in suppression.reason
    again = app.send(sample_built)
    assert again.senders["mail"].already_done == 38 and again.senders["mail"].sent == 0
    assert len(recorder.messages) == 38


def test_temporary_failures_become_final_after_max_attempts(
    tmp_path: Path, store: Store, sample_built: Built, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    addresses = _subscribe(store, 3)
    recorder.rcpt_replies = {addresses[1]: ["451 4.3.0 Try again"] * 10}
    options = smtp_options(controller.port, max_attempts=3)
    app = app_with_senders(tmp_path, {"mail": options}, store)

    report = app.send(sample_built)

    assert recorder.rcpts.count(addresses[1]) == 3
    failed = store.delivery(sample_built.edition.id, "mail", addresses[1])
    assert failed is not None and failed.status == "failed" and failed.attempts == 3
    assert "gave up after 3 attempts" in failed.last_error
    assert report.senders["mail"].sent == 2


def test_unsubscribed_addresses_are_never_mailed(
    tmp_path: Path, store: Store, sample_built: Built, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    addresses = _subscribe(store, 5)
    assert store.unsubscribe(addresses[2].upper())
    # A later import that lists the address again does not bring it back.
    store.add_subscribers([Subscriber(addresses[2], name="Back again")])
    app = app_with_senders(tmp_path, {"mail": smtp_options(controller.port)}, store)

    app.send(sample_built)

    assert sorted(a for a, _ in recorder.messages) == sorted(set(addresses) - {addresses[2]})


def test_unreachable_server_leaves_everyone_pending(
    tmp_path: Path, store: Store, sample_built: Built
) -> None:
    from .sample_files import free_port

    _subscribe(store, 4)
    app = app_with_senders(tmp_path, {"mail": smtp_options(free_port())}, store)

    report = app.send(sample_built)

    result = report.senders["mail"]
    assert result.aborted.startswith("127.0.0.1:") and "cannot connect" in result.aborted
    assert result.sent == 0 and result.failed == 0
    counts = store.delivery_counts(sample_built.edition.id)[(sample_built.edition.id, "mail")]
    assert counts["sent"] == 0 and counts["failed"] == 0
    assert report.failed and "left pending" in report.failed[-1]


def test_lines_starting_with_a_dot_survive_smtp_transparency(
    tmp_path: Path, store: Store, sample_built: Built, smtp_server: tuple[Any, Recorder]
) -> None:
    controller, recorder = smtp_server
    assert sample_built.renditions is not None
    email = sample_built.renditions.email
    token = placeholder(UNSUBSCRIBE_URL)
    text = f".hidden\n..two dots\n.\n{token}\n." + "x" * 75 + ".\n.end"
    html = email.html.replace("<body", "<body data-x='.'") + "\n.tail <b>.</b>\n."
    built = dataclasses.replace(
        sample_built,
        renditions=dataclasses.replace(
            sample_built.renditions, email=dataclasses.replace(email, text=text, html=html)
        ),
    )
    _subscribe(store, 2)
    app = app_with_senders(tmp_path, {"mail": smtp_options(controller.port)}, store)

    app.send(built)

    assert len(recorder.messages) == 2
    for _, data in recorder.messages:
        message = _parse(data)
        text_part, html_part = message.iter_parts()
        url = str(message["List-Unsubscribe"]).split(",")[1].strip(" <>")
        name = message["To"].addresses[0].display_name
        expected = personalise(
            dataclasses.replace(email, text=text, html=html),
            {"unsubscribe_url": url, "name": name, "first_name": first_name_of(name)},
        )
        assert text_part.get_content().replace("\r\n", "\n") == text.replace(token, url)
        assert html_part.get_content().replace("\r\n", "\n") == expected.html


class _ScriptedConnection:
    """Stands in for ``smtplib.SMTP``: records each write, answers from a script."""

    def __init__(self, replies: list[tuple[int, bytes]]) -> None:
        self.replies = replies
        self.writes: list[bytes] = []
        self.reads_before_write: list[int] = []
        self._reads = 0
        #: ``setsockopt`` calls.
        self.options: list[tuple[int, int, int]] = []

    @property
    def sock(self) -> _ScriptedConnection:
        """Itself: the message is written on the socket with ``sendmsg``."""
        return self

    def send(self, data: bytes) -> None:
        self.writes.append(data)
        self.reads_before_write.append(self._reads)

    def sendmsg(self, buffers: list[bytes]) -> int:
        data = b"".join(buffers)
        self.send(data)
        return len(data)

    def getreply(self) -> tuple[int, bytes]:
        self._reads += 1
        return self.replies.pop(0)

    def setsockopt(self, level: int, option: int, value: int) -> None:
        self.options.append((level, option, value))


def _envelope_of(address: str) -> bytes:
    return f"MAIL FROM:<digest@mid-day.example>\r\nRCPT TO:<{address}>\r\nDATA\r\n".encode()


@pytest.mark.parametrize(
    ("replies", "expected", "writes"),
    [
        ([(250, b"ok"), (250, b"ok"), (354, b"go"), (250, b"queued")], 250, 2),
        ([(250, b"ok"), (251, b"forwarded"), (354, b"go"), (250, b"queued")], 250, 2),
        ([(250, b"ok"), (550, b"no such user"), (554, b"no valid recipients")], 550, 1),
        ([(451, b"later"), (503, b"need MAIL"), (503, b"need RCPT")], 451, 1),
        ([(250, b"ok"), (250, b"ok"), (452, b"full")], 452, 1),
        # A server that says 354 after refusing every recipient gets an empty message.
        ([(250, b"ok"), (550, b"no"), (354, b"go"), (554, b"empty")], 550, 2),
    ],
)
@pytest.mark.parametrize("following", [None, "next@example.org"])
def test_pipelined_commands_go_in_one_write_and_the_first_refusal_counts(
    replies: list[tuple[int, bytes]], expected: int, writes: int, following: str | None
) -> None:
    """RFC 2920: MAIL, RCPT and DATA are written together before any reply is
    read; the message follows only after 354, with the next message's envelope
    after it in the same write when there is one (never after a refusal, which
    leaves the transaction open, and the next one is then not even asked for);
    every reply is read, so the connection stays in step whatever was refused."""
    conn = _ScriptedConnection(list(replies))
    asked: list[str | None] = []

    def take() -> str | None:
        asked.append(following)
        return following

    data = [b"body\r\n", b".\r\n"]
    envelope = _envelope_of("reader@example.org")
    code, _, chained = _pipelined(conn, envelope, data, take, _envelope_of)  # type: ignore[arg-type]
    assert code == expected
    assert conn.writes[0] == envelope
    assert conn.reads_before_write[0] == 0
    assert len(conn.writes) == writes and not conn.replies
    sent_data = writes == 2 and expected == 250
    assert len(asked) == sent_data
    assert chained == (following if sent_data else None)
    # The server's replies after a chained envelope are acknowledged at once.
    quickack = getattr(socket, "TCP_QUICKACK", None)
    asked_ack = [o for o in conn.options if o[:2] == (socket.IPPROTO_TCP, quickack)]
    assert len(asked_ack) == (1 if chained and quickack is not None else 0)
    if writes == 2:
        assert conn.reads_before_write[1] == 3
        after = _envelope_of(following) if following else b""
        assert conn.writes[1] == (b"body\r\n.\r\n" + after if sent_data else b".\r\n")


def test_an_announced_envelope_is_not_written_again() -> None:
    """When the last message's write carried this one's envelope, only its
    replies are read before the message goes out."""
    conn = _ScriptedConnection([(250, b"ok"), (250, b"ok"), (354, b"go"), (250, b"queued")])
    data = [b"body\r\n", b".\r\n"]
    code, _, chained = _pipelined(conn, None, data, lambda: None, _envelope_of)  # type: ignore[arg-type]
    assert (code, chained) == (250, None)
    assert conn.writes == [b"body\r\n.\r\n"] and conn.reads_before_write == [3]


def test_a_message_written_in_pieces_arrives_whole_when_the_socket_takes_part() -> None:
    """The message pieces go out with ``sendmsg``; a socket whose buffer is full
    takes only part of them, and the rest follows from where it was cut."""
    left, right = socket.socketpair()
    left.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    left.settimeout(10)  # as smtplib's sockets: a short write instead of blocking
    pieces = [bytes([65 + i % 26]) * (1000 + 7919 * i) for i in range(40)] + [b".\r\n"]
    received = bytearray()

    def read() -> None:
        while chunk := right.recv(3000):
            received.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    conn = smtplib.SMTP()
    counted = _CountingSocket(left)
    conn.sock = counted  # type: ignore[assignment]
    try:
        _write(conn, pieces)
    finally:
        left.close()
        reader.join()
        right.close()
    assert bytes(received) == b"".join(pieces)
    assert counted.short_writes >= 1, "the socket took every call whole: nothing was cut"


class _CountingSocket:
    """A real socket that counts the ``sendmsg`` calls which took only part."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.short_writes = 0

    def sendmsg(self, buffers: list[bytes | memoryview]) -> int:
        sent = self.sock.sendmsg(buffers)
        if sent < sum(len(b) for b in buffers):
            self.short_writes += 1
        return sent


def test_a_plain_connection_loads_no_certificates(
    outgoing: Any, smtp_server: tuple[Any, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``security = "none"`` makes no TLS context: loading the trusted CAs cost
    about 20 ms of CPU a connection, more than a hundred messages."""
    made: list[object] = []
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: made.append(a) or real())
    controller, recorder = smtp_server
    options = smtp_options(controller.port)
    sender = SmtpSender(
        "mail",
        {k: v for k, v in options.items() if not k.startswith(("type", "retry"))},
        base_dir=Path("."),
    )
    try:
        for address in ("a@example.org", "b@example.org"):
            sender.send(outgoing, Recipient(address, "A Reader"))
    finally:
        sender.close()
    assert [address for address, _ in recorder.messages] == ["a@example.org", "b@example.org"]
    assert made == []


class _WaitsForTheLog(Recorder):
    """Holds the reply to ``last@``'s message until ``first@``'s outcome is in the
    delivery log, and remembers whether it got there."""

    def __init__(self, logged: threading.Event) -> None:
        super().__init__()
        self.logged = logged
        self.seen_in_time: bool | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if envelope.rcpt_tos[0] == "last@example.org":
            # Bounded, not timed: the outcome is normally logged long before.
            self.seen_in_time = await asyncio.to_thread(self.logged.wait, 30)
        return await super().handle_DATA(server, session, envelope)


def test_the_tail_of_a_run_is_logged_while_the_last_message_is_still_out(
    tmp_path: Path, store: Store, sample_built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no more messages than connections in flight, each outcome is written
    to the delivery log as it comes: the first message's is there while the
    server still holds the last one, so a crash then would not send it again."""
    logged = threading.Event()
    record = store.record_deliveries

    def record_and_tell(edition_id: str, sender: str, finished: Any) -> None:
        finished = list(finished)
        record(edition_id, sender, finished)
        if any(d.recipient == "first@example.org" and d.status == "sent" for d in finished):
            logged.set()

    monkeypatch.setattr(store, "record_deliveries", record_and_tell)
    server = _WaitsForTheLog(logged)
    controller = LoopbackController(server)
    controller.start()
    try:
        store.add_subscribers([Subscriber("first@example.org"), Subscriber("last@example.org")])
        options = smtp_options(controller.port, connections=2)
        app = app_with_senders(tmp_path, {"mail": options}, store)
        report = app.send(sample_built)
    finally:
        controller.stop()
    assert report.senders["mail"].sent == 2
    assert server.seen_in_time is True
    assert {d.recipient: d.status for d in store.deliveries()} == {
        "first@example.org": "sent",
        "last@example.org": "sent",
    }


def _bare_sender(port: int) -> SmtpSender:
    options = smtp_options(port)
    return SmtpSender(
        "mail",
        {k: v for k, v in options.items() if not k.startswith(("type", "retry"))},
        base_dir=Path("."),
    )


def test_the_next_envelope_rides_on_the_message_before_it(
    outgoing: Any, smtp_server: tuple[Any, Recorder]
) -> None:
    """With PIPELINING the next recipient is asked for as a message goes out and
    its envelope is written after it; its own call then sends only the message.
    A lockstep server is never asked about a next recipient.  Every copy reaches
    its own address, once."""
    controller, recorder = smtp_server
    sender = _bare_sender(controller.port)
    queue = [Recipient(f"r{i}@example.org", f"Reader {i}") for i in range(1, 5)]
    asked: list[str] = []

    def take() -> Recipient | None:
        if not queue:
            return None
        asked.append(queue[0])
        return queue[0]

    try:
        current = Recipient("r0@example.org", "Reader 0")
        while True:
            result = sender.send_then(outgoing, current, take)
            assert result.recipient == current
            if not queue:
                break
            current = queue.pop(0)
    finally:
        sender.close()
    expected = [f"r{i}@example.org" for i in range(5)]
    assert [address for address, _ in recorder.messages] == expected
    assert recorder.rcpts == expected
    assert asked == (expected[1:] if recorder.pipelining else [])
    for address, data in recorder.messages:
        assert _parse(data)["To"].addresses[0].addr_spec == address
    assert len(recorder.peers) == 1, "one connection, kept in step"


def test_an_envelope_announced_for_a_call_that_never_comes_sends_nothing(
    outgoing: Any, smtp_server: tuple[Any, Recorder]
) -> None:
    """If the call after an announced envelope is for someone else, that envelope
    is abandoned with its connection (the server drops the transaction): the
    announced address gets no message, and nobody gets another's copy."""
    controller, recorder = smtp_server
    sender = _bare_sender(controller.port)
    try:
        sender.send_then(outgoing, Recipient("a@example.org"), lambda: Recipient("b@example.org"))
        sender.send_then(outgoing, Recipient("c@example.org"), lambda: None)
    finally:
        sender.close()
    assert [address for address, _ in recorder.messages] == ["a@example.org", "c@example.org"]
    for address, data in recorder.messages:
        assert _parse(data)["To"].addresses[0].addr_spec == address
    if recorder.pipelining:
        assert "b@example.org" in recorder.rcpts and len(recorder.peers) == 2


def test_closing_after_an_announced_envelope_says_no_quit(
    outgoing: Any, smtp_server: tuple[Any, Recorder]
) -> None:
    """An envelope announced and never followed: ``close`` drops that connection
    without a QUIT (after the server's 354 it would be read as message text, and
    its reply waited for until the timeout); no message is stored for it."""
    controller, recorder = smtp_server
    sender = _bare_sender(controller.port)
    quits: list[int] = []
    try:
        sender.send_then(outgoing, Recipient("a@example.org"), lambda: Recipient("b@example.org"))
        (conn,) = sender._open
        real_quit = conn.quit

        def quit() -> tuple[int, bytes]:
            quits.append(1)
            return real_quit()

        conn.quit = quit  # type: ignore[method-assign]
    finally:
        sender.close()
    assert [address for address, _ in recorder.messages] == ["a@example.org"]
    assert quits == ([] if recorder.pipelining else [1])


def test_the_test_smtp_server_holds_its_port_from_the_start() -> None:
    """No other xdist worker can take the port between its pick and the listen
    (with ``free_port`` it was free again until the server started)."""
    controller = LoopbackController(Recorder())
    with socket.socket() as other, pytest.raises(OSError):
        other.bind(("127.0.0.1", controller.port))
    controller.start()
    try:
        with socket.create_connection(("127.0.0.1", controller.port), timeout=30) as client:
            assert client.recv(1024).startswith(b"220")
    finally:
        controller.stop()
