"""What the email-provider senders share (``ses``, ``sendgrid``, ``postmark``,
``mailgun``): options, per-recipient parts, the quota, and the rules for answers.

Every provider sender takes these options on top of its own::

    [senders.newsletter]
    type = "sendgrid"                 # or ses, postmark, mailgun
    from = "World News Digest <digest@example.com>"
    api_key_env = "SENDGRID_API_KEY"  # the environment variable holding the key
    list = "default"                  # the subscriber list in the store
    unsubscribe_url = "https://example.com/newsletter/unsubscribe"
    unsubscribe_mailto = "unsubscribe@example.com"
    secret_env = "DIGEST_UNSUBSCRIBE_SECRET"   # signs the unsubscribe tokens
    batch_size = 1000                 # recipients per call, at most the provider's limit
    per_second = 100                  # the account's quota, in messages a second
    connections = 2                   # calls in flight at once
    timeout = 30
    endpoint = "https://api.sendgrid.com"      # another region, or a test server
    feedback_id = "world:digest"      # optional Feedback-ID header
    reply_to = "desk@example.com"     # optional Reply-To

Per recipient, every message carries the recipient's own signed unsubscribe link
(the same tokens as the smtp sender's, so ``digest serve`` and ``digest
subscribers unsubscribe`` take them), ``List-Unsubscribe`` (https and ``mailto:``)
with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), the
greeting's first name and the ``To`` name.  Each message also carries an id made
from the edition and the address (``Message-ID`` where the provider lets us set
it, and always in the provider's own per-message metadata), so the id of every
message is fixed before the call, a copy sent again after a crash carries the
same one, and the provider's events can be matched back.

Answers: 2xx is accepted; 429 waits for ``Retry-After`` (or the provider's reset
header) before *any* further call of this sender, and the batch is retried; 408
and 5xx and dropped connections are temporary; 401 and 403 (a wrong key), 413 (a
batch too large) and any other refusal of the whole request stop the sender with
everyone left pending (never a thousand readers marked failed for a setting);
per-message refusals that name an address are permanent for that address.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from email.utils import formataddr, parseaddr
from json.encoder import encode_basestring as _escape_json
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, cast, overload
from urllib.parse import quote

import httpx

from ..errors import ConfigError, RenderError, SendError, SenderUnavailable
from ..message import (
    check_address,
    display_name,
    header_safe,
    unsubscribe_token,
)
from ..message import verify_unsubscribe_token as _verify
from ..model import EmailRendition, RenditionKind, SendResult
from ..render.links import safe_url
from ..render.personal import (
    FIRST_NAME,
    NAME,
    PLACEHOLDER,
    UNSUBSCRIBE_URL,
)
from ..render.personal import personalise as _personalise
from ..render.text import clean_text
from .base import BatchOutcome, Limits, Outgoing, Recipient
from .http import USER_AGENT, retry_after, shown
from .options import Options
from .people import (
    HTML_SPECIAL,
    PartsMaker,
    People,
    Person,
    Woven,
    html_special,
    interleave,
)
from .pipeline import CHUNK, Pipeline, stream

_COMMON = {
    "from", "list", "unsubscribe_url", "unsubscribe_mailto", "secret_env", "api_key_env",
    "batch_size", "per_second", "connections", "timeout", "endpoint", "feedback_id", "reply_to",
}  # fmt: skip
#: Placeholder values never hold this; it joins them for one personalise() call.
_SEP = "\x00"


def _clean(value: str) -> str:
    """:func:`~digest.render.text.clean_text`, with a quick answer for what it
    leaves alone: printable ASCII without ``%%`` or runs of spaces."""
    if value.isascii() and value.isprintable() and "%%" not in value and "  " not in value:
        return value.strip(" ") if value[:1] == " " or value[-1:] == " " else value
    return clean_text(value)


class Quota:
    """The provider's per-second quota and its ``Retry-After``, shared by all of a
    sender's connections.

    ``wait(n)`` blocks until ``n`` more messages may go: calls are spaced so that
    no more than ``per_second`` messages a second go on average (a call of ``n``
    books ``n / per_second`` seconds), and never before a ``hold`` ends.  The clock
    and the sleep are injected, so tests need no wall-clock time.
    """

    def __init__(
        self,
        per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_second = per_second
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._held_until = 0.0
        self._lock = threading.Lock()

    def wait(
        self, n: int, idle: Callable[[], AbstractContextManager[object]] = nullcontext
    ) -> float:
        """Book ``n`` messages; sleep until they may go (inside ``idle()``, when
        there is a wait); the (clock) time they go."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next, self._held_until)
            if self.per_second:
                self._next = start + n / self.per_second
        if start > now:
            with idle():
                self._sleep(start - now)
        return start

    def hold(self, seconds: float) -> None:
        """No call before ``seconds`` from now (a 429's ``Retry-After``)."""
        with self._lock:
            self._held_until = max(self._held_until, self._clock() + seconds)

    @property
    def held_until(self) -> float:
        """The clock time before which no call goes."""
        return self._held_until


class Call(NamedTuple):
    """One batch call, built: what :meth:`BulkEmailSender.post` sends."""

    path: str
    content: bytes
    headers: dict[str, str]
    auth: tuple[str, str] | None = None
    #: The body in pieces instead (``content`` then empty): posted in turn and
    #: never joined whole, which copied a SendGrid body once more and made
    #: Postmark's 27 MB anew for every call (see :func:`chunks`).
    parts: Sequence[bytes] = ()


class Slots:
    """The recipient placeholders of one email, turned into a provider's own
    substitution tags, with each recipient's values worked out by the renderer's
    rules (escaping in HTML, fallbacks), once per recipient.

    ``tag(i)`` names the i-th distinct placeholder of a part; ``html`` and
    ``text`` are the bodies with the tags in place.
    """

    def __init__(self, email: EmailRendition, tag: Callable[[str, int], str]) -> None:
        found = (m.group(0) for t in (email.text, email.html) for m in PLACEHOLDER.finditer(t))
        tokens = list(dict.fromkeys(found))
        self.tokens = tokens
        self.html_tags = {t: tag("h", i) for i, t in enumerate(tokens)}
        self.text_tags = {t: tag("t", i) for i, t in enumerate(tokens)}
        self.html = PLACEHOLDER.sub(lambda m: self.html_tags[m.group(0)], scrub(email.html))
        self.text = PLACEHOLDER.sub(lambda m: self.text_tags[m.group(0)], scrub(email.text))
        self._slots = EmailRendition(subject="", preheader="", html=_SEP.join(tokens), text="")
        plan = []
        for token in tokens:
            parsed = PLACEHOLDER.fullmatch(token)
            assert parsed is not None
            plan.append((self.html_tags[token], self.text_tags[token], parsed[1], parsed[2]))
        self._plan = plan
        #: Only the placeholders we know: filled here, by the renderer's rules,
        #: without a regular-expression pass per recipient.
        self._fast = all(p[2] in (UNSUBSCRIBE_URL, NAME, FIRST_NAME) for p in plan)
        #: The tags in the order of ``values()`` and ``row()``: html, text, per placeholder.
        self.tags = [tag for p in plan for tag in p[:2]]

    @overload
    def columns(self, people: People) -> list[list[str]]: ...

    @overload
    def columns(self, people: People, *, woven: bool) -> list[list[str] | Woven]: ...

    def columns(self, people: People, *, woven: bool = False) -> Any:
        """Every person's values, a column per tag (in the order of :attr:`tags`);
        with ``woven``, the unsubscribe links may stay :class:`Woven` (for
        :func:`fill_columns`).

        Raises :class:`~digest.errors.RenderError` as :meth:`values` does.
        """
        if not self.tokens:
            return []
        if not self._fast or not people.plain:
            return [list(c) for c in zip(*map(self.row, people), strict=True)] if people else []
        # Plain names: the renderer's rules leave every value as it is.
        out: list[list[str] | Woven] = []
        for _, _, name, fallback in self._plan:
            if name == UNSUBSCRIBE_URL:
                link = people.woven("unsubscribe_url") if woven else people.unsubscribe_url
                if isinstance(link, Woven) and not _woven_special(link):
                    out += (link, link)
                    continue
                column = people.unsubscribe_url
                if html_special("\n".join(column)):  # "&token=" after a query
                    out += ([html.escape(v, quote=True) for v in column], column)
                    continue
            else:
                column = people.name if name == NAME else people.first_name
            if all(column):
                out += (column, column)
            elif fallback is None:
                raise RenderError(f"no value for the placeholder %%{name}%%")
            else:
                text = html.unescape(fallback)
                out.append([v or fallback for v in column])
                out.append([v or text for v in column])
        return out

    @property
    def printable(self) -> bool:
        """Whether the fallbacks are printable (the values :meth:`columns` gives
        are then as printable as the people's)."""
        return all(f is None or f.isprintable() for _, _, _, f in self._plan)

    def row(self, person: Person) -> list[str]:
        """``person``'s values in the order of :attr:`tags`."""
        if self._fast:
            return self._quick_row(person)
        return list(self.values(person).values())

    def values(self, person: Person) -> dict[str, str]:
        """``{tag: value}`` for every tag of both parts, for ``person``.

        Raises :class:`~digest.errors.RenderError` for a required placeholder the
        recipient has no value for.
        """
        if not self.tokens:
            return {}
        if self._fast:
            return self._quick(person)
        return self._slow(person)

    def _quick(self, person: Person) -> dict[str, str]:
        """:meth:`_quick_row` by tag."""
        return dict(zip(self.tags, self._quick_row(person), strict=True))

    def _quick_row(self, person: Person) -> list[str]:
        """What :func:`~digest.render.personal.personalise` gives for the three
        placeholders senders fill: the link as it is (built from a checked URL and
        a base64url token), names through ``clean_text``; HTML-escaped in HTML."""
        out: list[str] = []
        for _, _, name, fallback in self._plan:
            if name == UNSUBSCRIBE_URL:
                value = person.unsubscribe_url
            else:
                value = _clean(person.name if name == NAME else person.first_name)
            if value:
                out.append(html.escape(value, quote=True) if HTML_SPECIAL(value) else value)
                out.append(value)
            elif fallback is None:
                raise RenderError(f"no value for the placeholder %%{name}%%")
            else:
                out.append(fallback)
                out.append(html.unescape(fallback))
        return out

    def _slow(self, person: Person) -> dict[str, str]:
        filled = _personalise(self._slots, person.values()).html.split(_SEP)
        out: dict[str, str] = {}
        for token, value in zip(self.tokens, filled, strict=True):
            out[self.html_tags[token]] = value
            out[self.text_tags[token]] = html.unescape(value)
        return out


class BulkEmailSender:
    """Base of the provider senders: options, recipients' parts, quota, answers.

    Subclasses set ``type_name``, ``MAX_BATCH`` (the provider's documented limit),
    ``DEFAULT_ENDPOINT``, ``_OWN`` (their own options), read those in
    ``configure`` and implement ``_prepare`` and ``_send`` (one call for a batch of
    checked recipients).  ``clock``, ``sleep`` and ``transport`` are for tests.
    """

    type_name: ClassVar[str] = ""
    consumes: ClassVar[RenditionKind] = "email"
    #: The most recipients (or messages) the provider takes in one call.
    MAX_BATCH: ClassVar[int] = 1
    DEFAULT_ENDPOINT: ClassVar[str] = ""
    #: Whether the key option is required (SES takes AWS's own credential chain).
    KEY_REQUIRED: ClassVar[bool] = True
    #: The site's unsubscribe page is the default ``unsubscribe_url``.
    site_unsubscribe_url: ClassVar[bool] = True
    _OWN: ClassVar[set[str]] = set()

    def __init__(
        self,
        name: str,
        options: Mapping[str, Any],
        *,
        base_dir: Path,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        opts = Options(name, options, _COMMON | self._OWN)
        self.name = name
        self.base_dir = base_dir
        self.subscriber_list: str | None = opts.text("list", "default")
        self.unsubscribe_url = opts.url("unsubscribe_url")
        self._secret = opts.secret("secret_env").encode()
        self._api_key = opts.secret("api_key_env", required=self.KEY_REQUIRED)
        self.endpoint = opts.url("endpoint") if opts.has("endpoint") else self.DEFAULT_ENDPOINT
        self.timeout = opts.number("timeout", 30.0)
        batch = opts.integer("batch_size", self.MAX_BATCH)
        if batch > self.MAX_BATCH:
            raise ConfigError(
                f"senders.{name}.batch_size: {self.type_name} takes at most "
                f"{self.MAX_BATCH} a call, got {batch}"
            )
        self.per_second = opts.number("per_second", 1.0) if opts.has("per_second") else None
        self.limits = Limits(
            connections=opts.integer("connections", 1), batch_size=batch, overlap=True
        )
        display, address = parseaddr(header_safe(opts.text("from")))
        try:
            self.from_address = check_address(address)
            self.unsubscribe_mailto = check_address(
                opts.text("unsubscribe_mailto", f"unsubscribe@{address.partition('@')[2]}")
            )
            reply_to = opts.text("reply_to", "")
            self.reply_to = check_address(reply_to) if reply_to else ""
        except ValueError as exc:
            raise ConfigError(f"senders.{name}: {exc}") from None
        self.from_name = display_name(display)
        if safe_url(self.unsubscribe_url) != self.unsubscribe_url:
            raise ConfigError(f"senders.{name}.unsubscribe_url: not a plain http(s) URL")
        joiner = "&" if "?" in self.unsubscribe_url else "?"
        self.domain = self.from_address.partition("@")[2]
        #: Makes each recipient's own parts (``person``, ``people``).
        self.parts = PartsMaker(
            self._secret,
            f"{name}\0".encode(),
            self.domain,
            f"{self.unsubscribe_url}{joiner}token=",
            f"mailto:{self.unsubscribe_mailto}?subject={quote('unsubscribe ')}",
        )
        self.feedback_id = header_safe(opts.text("feedback_id", ""))
        self.quota = Quota(self.per_second, clock=clock, sleep=sleep)
        self._clock = clock
        #: Epoch seconds, for providers' reset headers (tests replace it).
        self.wall: Callable[[], float] = time.time
        self._transport = transport
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self._prepared: Outgoing | None = None
        self._prepare_lock = threading.Lock()
        self.configure(opts)
        self.pipeline = Pipeline(self.limits.connections)

    # -- what subclasses fill in ---------------------------------------------------------

    def configure(self, opts: Options) -> None:
        """Read the provider's own options."""

    def _prepare(self, outgoing: Outgoing) -> None:
        """Build what every call of this edition shares (subclasses)."""

    def _request(self, outgoing: Outgoing, people: People) -> Call | None:
        """The call for ``people`` (checked, at most ``batch_size``), built; ``None``
        to send them through :meth:`_send` instead."""
        return None

    def _outcomes(self, people: People, response: httpx.Response) -> BatchOutcome:
        """An outcome per person, in order, from the provider's 2xx answer."""
        raise NotImplementedError

    def _fresh(self, call: Call, age: float) -> Call:
        """``call`` as it may go now, ``age`` seconds after it was built: a signed
        call that waited long for the quota is signed again (subclasses)."""
        return call

    def _send(self, outgoing: Outgoing, people: People) -> BatchOutcome:
        """One call for ``people`` when :meth:`_request` builds none (subclasses):
        an outcome per person, in order, or raise a :class:`SendError` that holds
        for all."""
        raise NotImplementedError

    # -- the sender protocol ---------------------------------------------------------------

    def describe(self) -> str:
        """Log-safe: provider, endpoint, sender address, list, batch and quota; the
        key is never shown, only the variable holding it."""
        quota = f"{self.per_second:g}/s" if self.per_second else "no quota set"
        return (
            f"{self.type_name} sender {self.name!r} → {shown(self.endpoint)} from "
            f"{self.from_address}, list {self.subscriber_list!r}, batches of "
            f"{self.limits.batch_size}, {quota}, {self.limits.connections} connection(s)"
        )

    def endpoints(self) -> list[str]:
        """The provider's API, for ``digest check --reach``."""
        return [self.endpoint]

    def recipients(self) -> Iterable[Recipient]:
        """None of its own: the subscribers of ``list`` are mailed."""
        return ()

    def prepare(self, outgoing: Outgoing) -> None:
        """Build what every call for ``outgoing`` shares, once (the delivery loop
        calls this first; a call for another edition builds it again)."""
        if self._prepared is outgoing:
            return
        with self._prepare_lock:
            if self._prepared is not outgoing:
                self._prepare(outgoing)
                self._prepared = outgoing

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Send one copy (a batch of one)."""
        outcome = self.send_batch(outgoing, [recipient])[0]
        if isinstance(outcome, SendError):
            raise outcome
        return outcome

    def send_batch(self, outgoing: Outgoing, recipients: Sequence[Recipient]) -> BatchOutcome:
        """Send one copy to each of ``recipients`` in one call of the provider's
        batch API, after the quota allows that many; an outcome per recipient.

        A malformed address is permanent for that recipient and not sent.  Up to
        ``connections + 1`` threads may call this at once (``limits.overlap``, see
        :mod:`digest.senders.pipeline`): at most ``connections`` calls in flight."""
        self.prepare(outgoing)
        with self.pipeline.build() as epoch:
            people, refused = self.parts.people(outgoing.edition.id, recipients)
            call = self._request(outgoing, people) if people else None
            built = self._clock()
        sent: BatchOutcome = []
        if call is not None:
            sent = self._transmit(call, built, people, epoch)
        elif people:
            self.quota.wait(len(people))
            sent = self._send(outgoing, people)
        if len(sent) != len(people):
            raise SenderUnavailable(
                f"{self.type_name}: {len(sent)} outcomes for {len(people)} messages"
            )
        if not refused:
            return sent
        outcomes: list[SendResult | SendError] = []
        answers = iter(sent)
        for index in range(len(recipients)):
            outcomes.append(refused[index] if index in refused else next(answers))
        return outcomes

    def _transmit(self, call: Call, built: float, people: People, epoch: int) -> BatchOutcome:
        """Make ``call`` (built under refusal count ``epoch``) once the quota allows."""
        with self.pipeline.call(epoch) as written:
            start = self.quota.wait(len(people), self.pipeline.idle)
            call = self._fresh(call, start - built)
            try:
                response = self.post(
                    call.path, content=call.content, headers=call.headers, auth=call.auth,
                    written=written, parts=call.parts,
                )  # fmt: skip
            except SenderUnavailable:
                self.pipeline.refuse_waiting()
                raise
        return self._outcomes(people, response)

    def close(self) -> None:
        """Close the pooled connections."""
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    # -- unsubscribe tokens (the smtp sender's, so digest serve takes them) -------------------

    def address_for_token(self, token: str) -> str | None:
        """The subscriber an unsubscribe token from this sender names, or ``None``."""
        return _verify(self._secret, token.strip())

    def token_for(self, address: str) -> str:
        """The unsubscribe token this sender's links carry for ``address``."""
        return unsubscribe_token(self._secret, address)

    def bulk_headers(self) -> dict[str, str]:
        """Headers every copy shares: list mail marks (RFC 2919, RFC 3834, Gmail's
        feedback loop) and the one-click unsubscribe switch (RFC 8058)."""
        headers = {
            "List-Id": f"<{self.name}.{self.domain}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        }
        if self.feedback_id:
            headers["Feedback-ID"] = self.feedback_id
        return headers

    @property
    def sender_header(self) -> str:
        """``From`` as the provider takes it: ``Name <address>``."""
        if not self.from_name:
            return self.from_address
        return formataddr((self.from_name, self.from_address))

    # -- HTTP --------------------------------------------------------------------------------

    def client(self) -> httpx.Client:
        """The pooled client (opened on first use)."""
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(
                    timeout=self.timeout,
                    headers={"User-Agent": USER_AGENT},
                    transport=self._transport,
                    limits=httpx.Limits(max_connections=max(1, self.limits.connections)),
                )
            return self._client

    def post(
        self,
        path: str,
        *,
        content: bytes | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        written: Callable[[], None] | None = None,
        parts: Sequence[bytes] = (),
    ) -> httpx.Response:
        """POST to ``endpoint + path``; returns a 2xx answer, else raises as the
        module docstring says.  Errors never carry the key.  ``written`` is called
        once ``content`` (or ``parts``, the body in pieces) has been sent (the
        pipeline's next build may start)."""
        url = self.endpoint + path
        extra: dict[str, Any] = {} if auth is None else {"auth": auth}
        body, headers = _outgoing_body(content, parts, written, headers)
        try:
            response = self.client().post(
                url, content=body, data=data, files=files, headers=headers, **extra
            )
        except httpx.TimeoutException:
            raise SendError(f"POST {shown(url)}: timed out") from None
        except httpx.HTTPError as exc:
            raise SendError(f"POST {shown(url)}: {type(exc).__name__}") from None
        status = response.status_code
        if 200 <= status < 300:
            return response
        raise self.refusal(response, f"POST {shown(url)}")

    def refusal(self, response: httpx.Response, what: str) -> SendError:
        """The error for a non-2xx answer to the whole request."""
        status = response.status_code
        detail = " ".join(response.text.split())[:300]
        message = f"{what}: HTTP {status} {self.redact(detail)}".rstrip()
        if status == 429:
            wait = self.wait_asked(response)
            self.quota.hold(wait if wait is not None else 1.0)
            return SendError(message, retry_after=wait)
        if status in (408, 409) or status >= 500:
            return SendError(message, retry_after=retry_after(response.headers.get("Retry-After")))
        return SenderUnavailable(message)

    def wait_asked(self, response: httpx.Response) -> float | None:
        """Seconds a 429 asks us to wait (``Retry-After``; subclasses add their own
        reset headers)."""
        return retry_after(response.headers.get("Retry-After"))

    def redact(self, text: str) -> str:
        """``text`` without the API key in it (a provider may echo it)."""
        return text.replace(self._api_key, "[key]") if self._api_key else text


def _outgoing_body(
    content: bytes | None,
    parts: Sequence[bytes],
    written: Callable[[], None] | None,
    headers: Mapping[str, str] | None,
) -> tuple[bytes | Iterator[bytes] | None, Mapping[str, str] | None]:
    """What :meth:`BulkEmailSender.post` hands httpx: the body (``content``, or
    ``parts`` in turn) as a :func:`~digest.senders.pipeline.stream` that calls
    ``written`` once sent, with its ``Content-Length``; joined without one."""
    if written is None:
        return (b"".join(parts) if parts else content), headers
    if not parts and content is None:
        return None, headers
    pieces = parts or [content or b""]
    length = str(sum(map(len, pieces)))
    return stream(pieces, written), {**(headers or {}), "Content-Length": length}


class JsonTemplate:
    """A JSON value encoded once with markers where per-recipient strings go, then
    filled per recipient with the strings JSON-escaped: the encoded pieces are
    joined as bytes, so a whole email in the template costs a copy, not an
    encoding, per recipient.

    Markers are ``marker(name)``: private-use characters JSON leaves as they are
    (text put into a template goes through :func:`scrub` first).
    """

    def __init__(self, value: Any) -> None:
        encoded = dumps(value).decode()
        chunks = encoded.split(_OPEN)
        pieces: list[str] = [chunks[0]]
        names: list[str] = []
        for chunk in chunks[1:]:
            slot, sep, rest = chunk.partition(_CLOSE)
            if sep:
                names.append(slot)
                pieces.append(rest)
            else:  # not one of ours
                pieces[-1] += _OPEN + chunk
        #: The markers' names, in the order their strings go in (``strings()``).
        self.names = names
        self.pieces = [p.encode() for p in pieces]
        self._blank = [b""] * (2 * len(names) + 1)

    def strings(self, values: Mapping[str, str]) -> list[str]:
        """``values`` in the order of :attr:`names`."""
        return [values[name] for name in self.names]

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The JSON bytes with each marker's string from ``values`` (by name)."""
        out: list[bytes] = []
        fill_rows([(self, self.strings(values))], out, b"")
        return b"".join(out)


def fill_rows(
    rows: Sequence[tuple[JsonTemplate, list[str]]], out: list[bytes], between: bytes
) -> None:
    """Append each row's template filled with its strings (in the order of the
    template's ``names``) to ``out``, ``between`` between two rows.

    All the strings of a batch are JSON-escaped in one call, the pieces joined
    once by the caller: per recipient, no encoding of the shared parts at all.
    """
    escaped = _escaped([string for _, strings in rows for string in strings])
    at = 0
    for template, strings in rows:
        merged = template._blank.copy()
        merged[::2] = template.pieces
        merged[1::2] = escaped[at : at + len(strings)]
        at += len(strings)
        out += merged
        out.append(between)
    if rows:
        out.pop()


def fill_columns(
    template: JsonTemplate,
    columns: Sequence[Sequence[str] | Woven],
    out: list[bytes],
    between: bytes,
    *,
    printable: bool = False,
) -> None:
    """:func:`fill_rows` for rows that all use ``template``, given a column per
    marker (in the order of its ``names``): the rows are spliced together by slice
    assignments, never one at a time.

    ``printable`` is the caller's word that no string has a control or other
    unprintable character (the columns of a plain :class:`People`): a column
    then with neither a quote nor a backslash in it is JSON as it is, and is only
    encoded; the others are escaped in one call for all of them.

    A :class:`Woven` column whose pieces are JSON as they are is spliced in as
    its pieces (into the template's) and its own columns; any other is made.
    """
    pieces, columns = _spliced(template.pieces, columns)
    n = len(columns[0]) if columns else 0
    if not n:
        return
    text = _short_ascii(pieces)
    # A column may come more than once (a woven one's): looked at once.
    distinct = list({id(column): column for column in columns}.values())
    if text is not None and printable and all(map(_ascii_as_is, distinct)):
        # ASCII throughout (a plain batch in a short template): the rows joined
        # as text and encoded once, which copies, instead of encoding each string.
        parts: list[Any] = interleave(text, columns, n, between.decode())
        parts.pop()
        out.append("".join(parts).encode())
        return
    encoded: list[list[bytes] | None] = []
    rest: list[Sequence[str]] = []
    as_is = {id(c): list(map(str.encode, c)) for c in distinct if printable and _as_is(c)}
    for column in columns:
        if id(column) in as_is:
            encoded.append(as_is[id(column)])
        else:
            encoded.append(None)
            rest.append(column)
    if rest:
        k = len(rest)
        flat: list[str] = [""] * (n * k)
        for j, column in enumerate(rest):
            flat[j::k] = column
        escaped = _escaped(flat)
        done = iter(escaped[j::k] for j in range(k))
        encoded = [next(done) if column is None else column for column in encoded]
    spliced = interleave(pieces, cast("list[list[bytes]]", encoded), n, between)
    spliced.pop()
    out += spliced


def _spliced(
    pieces: list[bytes], columns: Sequence[Sequence[str] | Woven]
) -> tuple[list[bytes], list[Sequence[str]]]:
    """A template's pieces and columns with each :class:`Woven` column's pieces
    put into the pieces around it (those that are JSON as they are: printable
    ASCII without a quote or a backslash; any other woven column is made)."""
    if not any(isinstance(column, Woven) for column in columns):
        return pieces, list(cast("Sequence[Sequence[str]]", columns))
    out_pieces = [pieces[0]]
    out_columns: list[Sequence[str]] = []
    for column, after in zip(columns, pieces[1:], strict=True):
        if isinstance(column, Woven):
            inner, inner_columns = column.flat()
            if all(map(_piece_as_is, inner)):
                out_pieces[-1] += inner[0].encode()
                out_pieces += [p.encode() for p in inner[1:]]
                out_columns += inner_columns
                out_pieces[-1] += after
                continue
            column = column.made()
        out_columns.append(column)
        out_pieces.append(after)
    return out_pieces, out_columns


def _piece_as_is(piece: str) -> bool:
    """Whether ``piece`` goes into JSON (and into a text join) as it is."""
    return piece.isascii() and piece.isprintable() and '"' not in piece and "\\" not in piece


def _woven_special(woven: Woven) -> bool:
    """Whether a woven column has a character HTML escapes (in a piece or a
    column)."""
    pieces, columns = woven.flat()
    return html_special("\n".join(pieces)) or any(html_special("\n".join(c)) for c in columns)


def _as_is(column: Sequence[str]) -> bool:
    """Whether a column of printable strings goes into JSON as it is: no quote and
    no backslash in any of them (two substring searches over them all)."""
    joined = "".join(column)
    return '"' not in joined and "\\" not in joined


def _ascii_as_is(column: Sequence[str]) -> bool:
    """:func:`_as_is`, and every string ASCII."""
    joined = "".join(column)
    return joined.isascii() and '"' not in joined and "\\" not in joined


def _short_ascii(pieces: list[bytes]) -> list[str] | None:
    """A template's pieces as text when they are ASCII and short (a recipient's
    entry, not a whole email, which is best copied as bytes), else ``None``."""
    if sum(map(len, pieces)) > _SHORT or not all(map(bytes.isascii, pieces)):
        return None
    return [p.decode() for p in pieces]


#: Template pieces up to this many bytes in all are joined as text.
_SHORT = 4096


def _escaped(flat: list[str]) -> list[bytes]:
    """Each string JSON-escaped (without quotes), as UTF-8: one escaping call for
    all of them unless one holds the separator."""
    joined = _JOIN.join(flat)
    encoded = joined.encode()
    # The usual case: nothing to escape at all (UTF-8 has no byte under 0x20
    # but those of the ASCII control characters).
    if (
        b'"' not in encoded
        and b"\\" not in encoded
        and len(encoded.translate(None, _CONTROL)) == len(encoded)
        and encoded.count(_JOIN_BYTES) == len(flat) - 1
    ):
        return encoded.split(_JOIN_BYTES)
    # Split where the separators went, unless a string holds one itself or the
    # text of its escape (a backslash before it would hide in "\\u001f").
    if flat and joined.count(_JOIN) == len(flat) - 1 and _JOIN_JSON_TEXT not in joined:
        return _escape_json(joined)[1:-1].encode().split(_JOIN_JSON)
    return [_escape_json(v)[1:-1].encode() for v in flat]


def scrub(text: str) -> str:
    """``text`` without the private-use characters templates use as markers
    (article text may hold any character; these become U+FFFD)."""
    if _OPEN in text or _CLOSE in text:
        return text.replace(_OPEN, "\ufffd").replace(_CLOSE, "\ufffd")
    return text


_OPEN, _CLOSE = "\ue000", "\ue001"
#: Joins a batch's strings for one escaping call: ASCII (so the joined text of
#: ASCII values stays one byte a character, and encodes as a copy), and JSON
#: writes it as the escape below, which no other character turns into.
_JOIN = "\x1f"
_JOIN_JSON_TEXT = _escape_json(_JOIN)[1:-1]
_JOIN_JSON = _JOIN_JSON_TEXT.encode()
_JOIN_BYTES = _JOIN.encode()
#: The control characters JSON escapes, the separator aside.
_CONTROL = bytes(range(ord(_JOIN)))


def chunks(pieces: Iterable[bytes]) -> list[bytes]:
    """``pieces`` of a request body as chunks to post in turn: runs of small
    pieces joined into chunks of about :data:`~digest.senders.pipeline.CHUNK`
    bytes (a few dozen for a 27 MB Postmark body, each handed to the HTTP client
    as it is), pieces of a quarter of that or more as they are."""
    out: list[bytes] = []
    run: list[bytes] = []
    size = 0
    for piece in pieces:
        if len(piece) >= CHUNK // 4:
            if run:
                out.append(b"".join(run))
                run, size = [], 0
            out.append(piece)
            continue
        run.append(piece)
        size += len(piece)
        if size >= CHUNK:
            out.append(b"".join(run))
            run, size = [], 0
    if run:
        out.append(b"".join(run))
    return out


def marker(name: str) -> str:
    """The marker a :class:`JsonTemplate` fills with ``values[name]``."""
    return f"{_OPEN}{name}{_CLOSE}"


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON, as sent on the wire."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
