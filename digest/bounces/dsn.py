"""Delivery status notifications (RFC 3464) and feedback reports (RFC 5965), for
those who send through their own SMTP server.

:func:`read_report` reads one message: a ``multipart/report`` with
``report-type=delivery-status`` gives one event per recipient block (``Action:
failed`` with a 5.x.x status is a hard bounce, 4.x.x a soft one; ``delivered`` and
``relayed`` reset the soft count; ``delayed`` is not a bounce), and one with
``report-type=feedback-report`` (an ISP's abuse report) a complaint.

Reports come from a mailbox (:func:`fetch_imap`) or straight from a mail server
(:class:`InboundHandler` for aiosmtpd, ``digest bounces listen``).  Anyone can
send a mailbox a report, so :func:`apply_reports` only believes reports about
addresses the delivery log shows we mailed.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import re
import ssl
from collections.abc import Callable, Iterable
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from ..store import Store
from ..store.types import BounceKind
from . import BounceEvent, apply_events

#: Largest message read as a report (a report quotes headers, not whole emails).
MAX_REPORT_BYTES = 2_000_000
_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")


def _address(value: str | None) -> str:
    """The address of a ``Final-Recipient``/``Original-Rcpt-To`` field
    (``rfc822; a@b``)."""
    text = (value or "").strip()
    if ";" in text:
        text = text.split(";", 1)[1]
    return text.strip().strip("<>").strip()


def read_report(raw: bytes) -> list[BounceEvent]:
    """The bounce or complaint events one message reports (none for anything
    that is not a DSN or a feedback report)."""
    if len(raw) > MAX_REPORT_BYTES:
        return []
    message = message_from_bytes(raw, policy=policy.compat32)
    if message.get_content_type() != "multipart/report":
        return []
    report_type = (message.get_param("report-type") or "").lower()  # type: ignore[union-attr]
    event_id = str(message.get("Message-ID") or "") or hashlib.sha256(raw).hexdigest()[:32]
    if report_type == "delivery-status":
        return _dsn_events(message, event_id)
    if report_type == "feedback-report":
        return _feedback_events(message, event_id)
    return []


def _dsn_events(message: Message, event_id: str) -> list[BounceEvent]:
    events = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            continue
        for block in blocks[1:]:  # the first block is about the message as a whole
            if not isinstance(block, Message):
                continue
            address = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
            detail = " ".join(filter(None, (status, diagnostic)))
            kind: BounceKind | None = None
            if action == "failed":
                found = _STATUS.search(status) or _STATUS.search(diagnostic)
                kind = "soft" if found and found.group(1) == "4" else "hard"
            elif action in ("delivered", "relayed"):
                kind = "delivered"
            if kind and address:
                events.append(BounceEvent(address, kind, "dsn", detail, event_id))
    return events


def _feedback_events(message: Message, event_id: str) -> list[BounceEvent]:
    for part in message.walk():
        if part.get_content_type() != "message/feedback-report":
            continue
        payload = part.get_payload()
        fields = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(fields, Message):
            address = _address(fields.get("Original-Rcpt-To"))
            feedback = str(fields.get("Feedback-Type", "abuse")).strip()
            if address:
                return [BounceEvent(address, "complaint", "arf", feedback, event_id)]
    return []


def apply_reports(store: Store, messages: Iterable[bytes], *, soft_limit: int) -> list[str]:
    """Read each message as a report and apply what it says about addresses we
    mailed; returns the outcome of each event (``unknown`` for an address the
    delivery log never names)."""
    outcomes = []
    for raw in messages:
        for event in read_report(raw):
            if not store.was_mailed(event.address):
                outcomes.append("unknown")
                continue
            outcomes.extend(apply_events(store, [event], soft_limit=soft_limit))
    return outcomes


def fetch_imap(
    *,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str,
    folder: str,
    handle: Callable[[bytes], object],
    timeout: float = 30.0,
    ca_file: str | None = None,
) -> int:
    """Hand every unread message of an IMAP folder to ``handle``, then mark it
    read (``\\Seen``); returns how many were read.  Raises :class:`OSError` or
    :class:`imaplib.IMAP4.error` when the server cannot be used."""
    context = ssl.create_default_context(cafile=ca_file)
    conn: imaplib.IMAP4
    if security == "tls":
        conn = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    else:
        conn = imaplib.IMAP4(host, port, timeout=timeout)
        if security == "starttls":
            conn.starttls(ssl_context=context)
    try:
        conn.login(username, password)
        status, _ = conn.select(_quoted(folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {folder!r}")
        status, data = conn.uid("SEARCH", "UNSEEN")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        for uid in uids:
            status, parts = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            raw = _fetched_body(parts)
            if status == "OK" and raw is not None:
                handle(raw)
            conn.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
        return len(uids)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetched_body(parts: list[Any]) -> bytes | None:
    for part in parts:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


class InboundHandler:
    """An aiosmtpd handler that takes reports for the bounce address and applies
    them; every message is accepted (a report is never bounced back)."""

    def __init__(self, apply: Callable[[bytes], object], max_bytes: int = MAX_REPORT_BYTES) -> None:
        self._apply = apply
        self._max = max_bytes

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Apply the message's report (in the server's thread) and say 250."""
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "replace")
        if len(content) <= self._max:
            self._apply(content)
        return "250 2.0.0 Report received"
