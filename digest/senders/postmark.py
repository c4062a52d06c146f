"""The ``postmark`` sender: Postmark's batch API, up to 500 messages a call, on a
Broadcast message stream.

Options (and those every provider sender takes, see :mod:`digest.senders.bulk`)::

    [senders.newsletter]
    type = "postmark"
    from = "World News Digest <digest@example.com>"
    api_key_env = "POSTMARK_SERVER_TOKEN"   # the server's API token
    message_stream = "broadcast"    # Postmark wants newsletters on a Broadcast stream
    tag = "digest"                  # optional Tag (one per message)
    batch_size = 500                # messages per call (Postmark's limit: 500, 50 MB)
    endpoint = "https://api.postmarkapp.com"

One ``POST /email/batch`` (``X-Postmark-Server-Token``) carries a JSON array of
whole messages, one per recipient, each with its own ``To``, filled body,
``List-Unsubscribe``, ``Message-ID`` and ``Metadata`` (``digest_edition``,
``digest_sender``, ``digest_key``, which Postmark copies into its webhooks).
The messages are built from JSON pieces encoded once per edition, so a 500-message
call costs a join, not 500 encodings of the email.  Postmark answers 200 with one
result per message, in order: ``ErrorCode`` 0 is sent (its ``MessageID`` is
recorded), 300 (invalid email request) and 406 (inactive recipient: it bounced or
complained before) are permanent for that address, 100 and 429 temporary, and any
other code (an unconfirmed sender signature, a paused account) stops the sender
with the rest pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import httpx

from ..errors import SendError, SenderUnavailable
from ..model import SendResult
from .base import BatchOutcome, Outgoing
from .bulk import (
    BulkEmailSender,
    Call,
    JsonTemplate,
    Slots,
    fill_columns,
    fill_rows,
    marker,
    scrub,
)
from .options import Options
from .people import People, Person, Woven, addressed, woven_list_unsubscribes

#: Per-message codes that are about the address; 100 and 429 are temporary.
_ADDRESS_CODES = {300, 406}
_TEMPORARY_CODES = {100, 429}


class PostmarkSender(BulkEmailSender):
    """Sends the email rendition through Postmark's batch API."""

    type_name: ClassVar[str] = "postmark"
    MAX_BATCH: ClassVar[int] = 500
    DEFAULT_ENDPOINT: ClassVar[str] = "https://api.postmarkapp.com"
    _OWN: ClassVar[set[str]] = {"message_stream", "tag"}

    def configure(self, opts: Options) -> None:
        """``message_stream`` and ``tag``."""
        self.message_stream = opts.text("message_stream", "broadcast")
        self.tag = opts.text("tag", "")
        self._template: JsonTemplate | None = None
        self._slots: Slots | None = None

    def _prepare(self, outgoing: Outgoing) -> None:
        """One message with a marker wherever a recipient's part goes, encoded as
        JSON once and cut at the markers."""
        email = outgoing.renditions.email
        self._slots = slots = Slots(email, lambda part, i: marker(f"{part}{i}"))
        headers = [{"Name": k, "Value": v} for k, v in self.bulk_headers().items()] + [
            {"Name": "List-Unsubscribe", "Value": marker("lu")},
            {"Name": "Message-ID", "Value": marker("id")},
        ]
        message: dict[str, Any] = {
            "From": self.sender_header,
            "To": marker("to"),
            "Subject": scrub(email.subject),
            "HtmlBody": slots.html,
            "TextBody": slots.text,
            "Headers": headers,
            "MessageStream": self.message_stream,
            "TrackLinks": "None",
            "Metadata": {
                "digest_edition": outgoing.edition.id,
                "digest_sender": self.name,
                "digest_key": marker("key"),
            },
        }
        if self.reply_to:
            message["ReplyTo"] = self.reply_to
        if self.tag:
            message["Tag"] = self.tag
        self._template = JsonTemplate(message)

    def row(self, person: Person) -> tuple[JsonTemplate, list[str]]:
        """One recipient's message: the template and its strings, in order."""
        assert self._slots is not None and self._template is not None
        # Slot names without their markers (each marker is one character).
        values = {k[1:-1]: v for k, v in self._slots.values(person).items()}
        values["to"] = person.to
        values["lu"] = person.list_unsubscribe
        values["id"] = person.message_id
        values["key"] = person.key
        return self._template, self._template.strings(values)

    def message(self, outgoing: Outgoing, person: Person) -> bytes:
        """One recipient's message, as JSON."""
        self.prepare(outgoing)
        out: list[bytes] = []
        fill_rows([self.row(person)], out, b"")
        return b"".join(out)

    def body(self, outgoing: Outgoing, people: Sequence[Person]) -> bytes:
        """The whole ``email/batch`` request body for ``people``: the messages'
        pieces joined once (500 copies of the email, never re-encoded)."""
        return b"".join(self.pieces(outgoing, people))

    def pieces(self, outgoing: Outgoing, people: Sequence[Person]) -> list[bytes]:
        """:meth:`body` in pieces, as they are made."""
        self.prepare(outgoing)
        assert self._slots is not None and self._template is not None
        people = People.of(people)
        slots = self._slots.columns(people, woven=True)
        columns: dict[str, Sequence[str] | Woven] = {
            tag[1:-1]: column for tag, column in zip(self._slots.tags, slots, strict=True)
        }
        columns["to"] = addressed(people)
        columns["lu"] = woven_list_unsubscribes(people)
        columns["id"] = people.woven("message_id")
        columns["key"] = people.key
        out = [b"["]
        fill_columns(
            self._template,
            [columns[name] for name in self._template.names],
            out,
            b",",
            printable=people.printable and self._slots.printable,
        )
        out.append(b"]")
        return out

    def _request(self, outgoing: Outgoing, people: People) -> Call:
        # Joined whole: the allocator keeps one 27 MB block from call to call,
        # where chunks of 1 MB were mapped afresh each time (16 ms of page
        # faults a call).
        return Call(
            "/email/batch",
            self.body(outgoing, people),
            {
                "X-Postmark-Server-Token": self._api_key,
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )

    def _outcomes(self, people: People, response: httpx.Response) -> BatchOutcome:
        try:
            results = response.json()
        except ValueError:
            results = None
        if not isinstance(results, list) or len(results) != len(people):
            # Accepted, but we cannot tell which: nobody is sent twice for it.
            return SendResult.many(people.address, detail="batch accepted")
        ids = _all_sent(results)
        if ids is not None:
            return SendResult.many(people.address, ids)
        return [_outcome(p, r) for p, r in zip(people, results, strict=True)]


def _all_sent(results: list[Any]) -> list[str] | None:
    """Each message's ``MessageID`` when every result is a success (code 0, the
    usual answer), else ``None``."""
    try:
        if any(r.get("ErrorCode", 0) != 0 for r in results):
            return None
        return [str(r.get("MessageID", "")) for r in results]
    except AttributeError:  # a result that is not an object
        return None


def _outcome(person: Person, result: Any) -> SendResult | SendError:
    """One per-message result of the batch answer."""
    if not isinstance(result, dict):
        return SendResult(person.address, detail="batch accepted")
    code = result.get("ErrorCode", 0)
    text = f"Postmark {code}: {' '.join(str(result.get('Message', '')).split())[:300]}"
    if code == 0:
        return SendResult(person.address, provider_id=str(result.get("MessageID", "")))
    if code in _ADDRESS_CODES:
        return SendError(text, permanent=True)
    if code in _TEMPORARY_CODES:
        return SendError(text)
    return SenderUnavailable(text)
