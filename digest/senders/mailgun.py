"""The ``mailgun`` sender: Mailgun's batch sending, up to 1,000 recipients a call
with recipient variables.

Options (and those every provider sender takes, see :mod:`digest.senders.bulk`)::

    [senders.newsletter]
    type = "mailgun"
    from = "World News Digest <digest@news.example.com>"
    api_key_env = "MAILGUN_API_KEY"
    domain = "news.example.com"     # the sending domain (default: from's domain)
    tag = "digest"                  # optional o:tag
    batch_size = 1000               # recipients per call (Mailgun's limit: 1,000)
    endpoint = "https://api.mailgun.net"    # or https://api.eu.mailgun.net

One ``POST /v3/<domain>/messages`` (HTTP basic auth ``api:<key>``,
``multipart/form-data``) carries the email once and every recipient as a ``to``
field; ``recipient-variables`` gives each address its own values, so Mailgun
sends each one a message of its own (without them every recipient would see the
others).  The body's placeholders become ``%recipient.h0%`` (HTML) and
``%recipient.t0%`` (text), and the per-recipient headers ``h:List-Unsubscribe``
and ``h:Message-Id`` and the user variable ``v:digest_key`` are
``%recipient.…%`` too; ``v:digest_edition`` and ``v:digest_sender`` come back in
every event posted to ``/newsletter/hooks/mailgun``.  Mailgun answers 200 with one
``id`` for the call, recorded for each recipient.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from typing import ClassVar

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
    marker,
)
from .options import Options
from .people import People, Person, addressed, woven_list_unsubscribes


class MailgunSender(BulkEmailSender):
    """Sends the email rendition through Mailgun's batch sending."""

    type_name: ClassVar[str] = "mailgun"
    MAX_BATCH: ClassVar[int] = 1000
    DEFAULT_ENDPOINT: ClassVar[str] = "https://api.mailgun.net"
    _OWN: ClassVar[set[str]] = {"domain", "tag"}

    def configure(self, opts: Options) -> None:
        """``domain`` and ``tag``."""
        self.sending_domain = opts.text("domain", self.domain)
        self.tag = opts.text("tag", "")
        self._slots: Slots | None = None
        self._entry: JsonTemplate | None = None
        self._fixed = b""
        self._boundary = ""

    def describe(self) -> str:
        """The base description with the sending domain."""
        return f"{super().describe()}, domain {self.sending_domain}"

    def _prepare(self, outgoing: Outgoing) -> None:
        """The fields every call shares, encoded once as multipart parts."""
        email = outgoing.renditions.email
        self._slots = slots = Slots(email, lambda part, i: f"%recipient.{part}{i}%")
        self._boundary = "digest-" + secrets.token_hex(16)
        fields: list[tuple[str, str]] = [
            ("from", self.sender_header),
            ("subject", email.subject),
            ("text", slots.text),
            ("html", slots.html),
            ("o:tracking-clicks", "no"),
            ("h:List-Unsubscribe", "%recipient.list_unsubscribe%"),
            ("h:Message-Id", "%recipient.message_id%"),
            ("v:digest_edition", outgoing.edition.id),
            ("v:digest_sender", self.name),
            ("v:digest_key", "%recipient.key%"),
        ]
        fields += [(f"h:{k}", v) for k, v in self.bulk_headers().items()]
        if self.reply_to:
            fields.append(("h:Reply-To", self.reply_to))
        if self.tag:
            fields.append(("o:tag", self.tag))
        self._fixed = b"".join(self._part(k, v) for k, v in fields)
        # One recipient-variables entry, without the braces around it.
        entry = JsonTemplate(
            {
                marker("address"): {
                    "list_unsubscribe": marker("lu"),
                    "message_id": marker("id"),
                    "key": marker("key"),
                    **{tag[len("%recipient.") : -1]: marker(tag) for tag in slots.tags},
                }
            }
        )
        if entry.names != ["address", "lu", "id", "key", *slots.tags]:
            raise RenderError(f"senders.{self.name}: the email's tags clash with the request")
        entry.pieces[0] = entry.pieces[0][1:]
        entry.pieces[-1] = entry.pieces[-1][:-1]
        self._entry = entry

    def _part(self, name: str, value: str) -> bytes:
        return (
            f'--{self._boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n"
        ).encode()

    def variables(self, person: Person) -> dict[str, str]:
        """One recipient's ``recipient-variables`` entry."""
        assert self._slots is not None
        return {
            "list_unsubscribe": person.list_unsubscribe,
            "message_id": person.message_id,
            "key": person.key,
            **{tag[len("%recipient.") : -1]: v for tag, v in self._slots.values(person).items()},
        }

    def body(self, outgoing: Outgoing, people: Sequence[Person]) -> tuple[bytes, str]:
        """The multipart request body for ``people`` and its content type."""
        pieces, content_type = self.pieces(outgoing, people)
        return b"".join(pieces), content_type

    def pieces(self, outgoing: Outgoing, people: Sequence[Person]) -> tuple[list[bytes], str]:
        """:meth:`body` in pieces, as they are made, and the content type."""
        self.prepare(outgoing)
        assert self._slots is not None and self._entry is not None
        people = People.of(people)
        addresses = people.address
        if len(set(addresses)) == len(addresses):
            # Each address's entry from a template, a column at a time.
            out = [b"{"]
            columns = [
                addresses,
                woven_list_unsubscribes(people),
                people.woven("message_id"),
                people.key,
                *self._slots.columns(people, woven=True),
            ]
            printable = people.printable and self._slots.printable
            fill_columns(self._entry, columns, out, b",", printable=printable)
            out.append(b"}")
        else:  # one entry an address, as a mapping has it
            out = [dumps({p.address: self.variables(p) for p in people})]
        head = self._part("to", "")[: -len(b"\r\n")]
        # Joined as text and encoded once: the same bytes as encoding each.
        to = ("\r\n" + head.decode()).join(addressed(people)).encode()
        parts = [self._fixed, head, to, b"\r\n" + self._part("recipient-variables", "")[:-2]]
        parts += out
        parts.append(f"\r\n--{self._boundary}--\r\n".encode())
        return parts, f"multipart/form-data; boundary={self._boundary}"

    def _request(self, outgoing: Outgoing, people: People) -> Call:
        pieces, content_type = self.pieces(outgoing, people)
        return Call(
            f"/v3/{self.sending_domain}/messages",
            b"",
            {"Content-Type": content_type},
            ("api", self._api_key),
            chunks(pieces),
        )

    def _outcomes(self, people: People, response: httpx.Response) -> BatchOutcome:
        try:
            batch_id = str(json.loads(response.content).get("id", ""))
        except (ValueError, AttributeError):
            batch_id = ""
        return SendResult.many(people.address, batch_id or people.message_id)
