"""The ``sendgrid`` sender: SendGrid's v3 Mail Send API, up to 1,000
personalizations a call.

Options (and those every provider sender takes, see :mod:`digest.senders.bulk`)::

    [senders.newsletter]
    type = "sendgrid"
    from = "World News Digest <digest@example.com>"
    api_key_env = "SENDGRID_API_KEY"
    batch_size = 1000               # personalizations per call (SendGrid's limit: 1,000)
    categories = ["digest"]         # optional, up to 10
    asm_group_id = 1234             # optional unsubscribe group
    ip_pool = "newsletters"         # optional IP pool name
    endpoint = "https://api.sendgrid.com"   # or https://api.eu.sendgrid.com

One ``POST /v3/mail/send`` (``Authorization: Bearer <key>``) carries the email
once, its recipient placeholders replaced by substitution tags (``-dg_h0-`` in
the HTML, ``-dg_t0-`` in the text), and one personalization per recipient: its
``to`` (address and name), its ``substitutions`` (the values worked out by the
renderer's rules, under SendGrid's 10,000 bytes a personalization), its own
``List-Unsubscribe`` and ``Message-ID`` headers, and ``custom_args``
(``digest_edition``, ``digest_sender``, ``digest_key``) that SendGrid copies into
every event it posts to ``/newsletter/hooks/sendgrid``.  SendGrid answers 202 and
an ``X-Message-Id`` for the call, recorded for each recipient; a 429 waits until
``X-RateLimit-Reset`` (or ``Retry-After``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import httpx

from ..errors import RenderError
from ..model import SendResult
from .base import BatchOutcome, Outgoing
from .bulk import (
    BulkEmailSender,
    Call,
    JsonTemplate,
    Slots,
    chunks,
    dumps,
    fill_columns,
    fill_rows,
    marker,
)
from .http import retry_after
from .options import Options
from .people import People, Person, Woven, woven_list_unsubscribes


class SendGridSender(BulkEmailSender):
    """Sends the email rendition through SendGrid's Mail Send API."""

    type_name: ClassVar[str] = "sendgrid"
    MAX_BATCH: ClassVar[int] = 1000
    DEFAULT_ENDPOINT: ClassVar[str] = "https://api.sendgrid.com"
    _OWN: ClassVar[set[str]] = {"categories", "asm_group_id", "ip_pool"}

    def configure(self, opts: Options) -> None:
        """``categories``, ``asm_group_id``, ``ip_pool``."""
        self.categories = opts.strings("categories", [])[:10]
        self.asm_group_id = opts.integer("asm_group_id", 1) if opts.has("asm_group_id") else None
        self.ip_pool = opts.text("ip_pool", "")
        self._slots: Slots | None = None
        self._head = b""

    def _prepare(self, outgoing: Outgoing) -> None:
        """The request's shared part: sender, subject, both bodies with their
        substitution tags, headers, tracking off for the unsubscribe links."""
        email = outgoing.renditions.email
        slots = Slots(email, lambda part, i: f"-dg_{part}{i}-")
        sender: dict[str, str] = {"email": self.from_address}
        if self.from_name:
            sender["name"] = self.from_name
        base: dict[str, Any] = {
            "from": sender,
            "subject": email.subject,
            "content": [
                {"type": "text/plain", "value": slots.text},
                {"type": "text/html", "value": slots.html},
            ],
            "headers": self.bulk_headers(),
            "custom_args": {"digest_edition": outgoing.edition.id, "digest_sender": self.name},
            # A rewritten unsubscribe link would lose its one-click POST.
            "tracking_settings": {"click_tracking": {"enable": False, "enable_text": False}},
        }
        if self.reply_to:
            base["reply_to"] = {"email": self.reply_to}
        if self.categories:
            base["categories"] = self.categories
        if self.asm_group_id is not None:
            base["asm"] = {"group_id": self.asm_group_id}
        if self.ip_pool:
            base["ip_pool_name"] = self.ip_pool
        self._templates(slots)
        # The shared part once as JSON; each call adds its personalizations.
        self._head = dumps(base)[:-1] + b',"personalizations":['
        self._slots = slots

    def row(self, person: Person) -> tuple[JsonTemplate, list[str]]:
        """One recipient's personalization: its template (with or without a ``to``
        name) and strings, in the template's order."""
        assert self._slots is not None
        if person.name:
            strings = [person.address, person.name]
            template = self._named
        else:
            strings = [person.address]
            template = self._nameless
        strings += (person.list_unsubscribe, person.message_id, person.key)
        strings += self._slots.row(person)
        return template, strings

    def personalization(self, outgoing: Outgoing, person: Person) -> bytes:
        """One recipient's part of the request, as JSON."""
        self.prepare(outgoing)
        out: list[bytes] = []
        fill_rows([self.row(person)], out, b"")
        return b"".join(out)

    def _templates(self, slots: Slots) -> None:
        """The personalization as JSON pieces, with and without a ``to`` name,
        their markers in the order ``row`` gives the strings."""
        entry: dict[str, Any] = {
            "to": [{"email": marker("email"), "name": marker("name")}],
            "headers": {"List-Unsubscribe": marker("lu"), "Message-ID": marker("id")},
            "custom_args": {"digest_key": marker("key")},
        }
        if slots.tags:
            entry["substitutions"] = {tag: marker(tag) for tag in slots.tags}
        self._named = JsonTemplate(entry)
        del entry["to"][0]["name"]
        self._nameless = JsonTemplate(entry)
        order = ["lu", "id", "key", *slots.tags]
        if self._named.names != ["email", "name", *order] or self._nameless.names != [
            "email",
            *order,
        ]:
            raise RenderError(f"senders.{self.name}: the email's tags clash with the request")

    def body(self, outgoing: Outgoing, people: Sequence[Person]) -> bytes:
        """The whole ``mail/send`` request body for ``people``."""
        return b"".join(self.pieces(outgoing, people))

    def pieces(self, outgoing: Outgoing, people: Sequence[Person]) -> list[bytes]:
        """:meth:`body` in pieces, as they are made."""
        self.prepare(outgoing)
        assert self._slots is not None
        people = People.of(people)
        out = [self._head]
        names = people.name
        if all(names) or not any(names):
            # One shape for all: filled a column at a time.
            columns: list[Sequence[str] | Woven] = [people.address]
            if all(names):
                columns.append(names)
            columns += (
                woven_list_unsubscribes(people),
                people.woven("message_id"),
                people.key,
                *self._slots.columns(people, woven=True),
            )
            template = self._named if all(names) else self._nameless
            printable = people.printable and self._slots.printable
            fill_columns(template, columns, out, b",", printable=printable)
        else:
            fill_rows([self.row(p) for p in people], out, b",")
        out.append(b"]}")
        return out

    def _request(self, outgoing: Outgoing, people: People) -> Call:
        return Call(
            "/v3/mail/send",
            b"",
            {"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json"},
            parts=chunks(self.pieces(outgoing, people)),
        )

    def _outcomes(self, people: People, response: httpx.Response) -> BatchOutcome:
        batch_id = response.headers.get("X-Message-Id", "")
        return SendResult.many(people.address, batch_id or people.message_id)

    def wait_asked(self, response: httpx.Response) -> float | None:
        """``Retry-After``, else the seconds until ``X-RateLimit-Reset`` (epoch)."""
        asked = retry_after(response.headers.get("Retry-After"))
        reset = response.headers.get("X-RateLimit-Reset", "")
        if asked is None and reset.isdigit():
            asked = max(0.0, int(reset) - self.wall())
        return asked
