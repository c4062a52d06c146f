"""The ``ses`` sender: Amazon SES v2 with boto3's credentials and botocore's SigV4
signing (``pip install 'digest[ses]'``).

Options (and those every provider sender takes, see :mod:`digest.senders.bulk`)::

    [senders.newsletter]
    type = "ses"
    from = "World News Digest <digest@example.com>"
    region = "eu-west-1"
    api = "bulk"                    # "bulk": SendBulkEmail, 50 a call; "raw": SendEmail per copy
    configuration_set = "digest"    # optional: where SES publishes bounces, complaints, deliveries
    access_key_id_env = "DIGEST_AWS_ACCESS_KEY_ID"      # optional: else boto3's own chain
    secret_access_key_env = "DIGEST_AWS_SECRET_ACCESS_KEY"  # (AWS_* variables, a role)
    session_token_env = "DIGEST_AWS_SESSION_TOKEN"      # optional
    per_second = 14                 # default: the account's MaxSendRate (GetAccount)
    endpoint = "https://email.eu-west-1.amazonaws.com"  # or a test server

``api = "bulk"`` sends ``SendBulkEmail`` calls of up to 50 entries: the email once
as an inline template (``TemplateContent``; the recipient placeholders become
``{{{h0}}}`` and ``{{{t0}}}``, filled from each entry's
``ReplacementTemplateData`` with the values the renderer's rules give; a ``{{``
of the email's own is escaped), the shared headers in the template, and per
entry its ``To`` (with the name), ``List-Unsubscribe`` as a replacement header
and a ``digest_key`` tag (with ``digest_edition`` and ``digest_sender`` as
default tags) that SES puts into every bounce, complaint and delivery event it
publishes through the configuration set to SNS, and so to
``/newsletter/hooks/ses``.  Each entry's result is its own: ``SUCCESS`` (its
``MessageId`` is recorded), ``MESSAGE_REJECTED`` (permanent; counted as a policy
refusal, 5.7.1, not a bad address), ``ACCOUNT_THROTTLED``,
``TRANSIENT_FAILURE`` and ``FAILED`` (temporary), and anything about the account,
identity, template or configuration set stops the sender with the rest pending.

The bulk call is built here as JSON pieces encoded once per edition (like the other
providers'), signed with the credentials of the boto3 session (the keys named,
else boto3's own chain, refreshed when they expire) as botocore's ``SigV4Auth``
signs it, with the day's signing key kept and the shared template hashed once
(:mod:`digest.senders.sigv4`), and posted on the sender's kept HTTP/1.1
connections (:mod:`digest.senders.keepalive`: the bytes httpx would send, for a
third of its CPU; httpx itself when a proxy from the environment applies); its
errors are read as botocore reads them (``x-amzn-ErrorType``).  Going through the
boto3 client instead cost about four times the client time of the call itself
(serialising the 50 entries through the model, urllib3), far more than SES takes
to answer (``bench/providers.py`` measures both).  ``GetAccount`` and ``raw`` go through the
boto3 client.

``api = "raw"`` sends each copy as the complete MIME message the smtp sender would
send (``SendEmail`` with ``Content.Raw``), one call each, on ``connections``
calls at once; moto's server mode implements this one, not ``SendBulkEmail``.

SES counts its quota in recipients a second: ``per_second`` defaults to the
account's ``MaxSendRate``, asked once per edition.  boto3's own retries are off:
the delivery loop retries (``TooManyRequestsException`` and throttling waits a
second before any further call; 5xx and connection errors are temporary; a
refused or unverified sender, a paused or suspended account stop the sender).
Keys are read from the environment variables named, never from the file, and no
error message carries them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email.headerregistry import Address
from typing import Any, ClassVar

import httpx

from ..errors import ConfigError, RenderError, SendError, SenderUnavailable
from ..message import MessageTemplate, Personal
from ..model import SendResult
from .base import BatchOutcome, Limits, Outgoing
from .bulk import (
    Call,
    JsonTemplate,
    Slots,
    dumps,
    fill_columns,
    marker,
)
from .keepalive import KeptPostSender
from .options import Options
from .people import People, Person, addressed, list_unsubscribes
from .sigv4 import CallSigner

log = logging.getLogger(__name__)

#: Error codes of a whole call that will pass if asked again later.
_TEMPORARY = {
    "TooManyRequestsException", "Throttling", "ThrottlingException", "InternalFailure",
    "ServiceUnavailable", "InternalServerError", "RequestTimeout", "RequestTimeoutException",
}  # fmt: skip
_THROTTLED = {"TooManyRequestsException", "Throttling", "ThrottlingException"}
#: Per-entry statuses: temporary, permanent for that message, else the sender stops.
_ENTRY_TEMPORARY = {"ACCOUNT_THROTTLED", "TRANSIENT_FAILURE", "FAILED"}
_ENTRY_PERMANENT = {"MESSAGE_REJECTED"}
#: SES message tags take letters, digits, ``_`` and ``-``.
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_BULK_PATH = "/v2/email/outbound-bulk-emails"


class SesSender(KeptPostSender):
    """Sends the email rendition through Amazon SES v2."""

    type_name: ClassVar[str] = "ses"
    MAX_BATCH: ClassVar[int] = 50
    KEY_REQUIRED: ClassVar[bool] = False
    _OWN: ClassVar[set[str]] = {
        "region", "api", "configuration_set", "access_key_id_env", "secret_access_key_env",
        "session_token_env",
    }  # fmt: skip

    def configure(self, opts: Options) -> None:
        """Region, API, configuration set and credentials; the boto3 client."""
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ConfigError(
                f"senders.{self.name}: the ses sender needs boto3 (pip install 'digest[ses]')"
            ) from None
        self.region = opts.text("region", "us-east-1")
        self.api = opts.choice("api", ("bulk", "raw"), "bulk")
        if self.api == "raw":
            self.limits = Limits(connections=self.limits.connections, batch_size=1)
            # Each copy is its own boto3 call: nothing to build while one is in flight.
        self.configuration_set = opts.text("configuration_set", "")
        if not self.endpoint:
            self.endpoint = f"https://email.{self.region}.amazonaws.com"
        key_id = opts.secret("access_key_id_env", required=False)
        secret = opts.secret("secret_access_key_env", required=bool(key_id))
        token = opts.secret("session_token_env", required=False)
        self._redacted = [s for s in (key_id, secret, token) if s]
        session = boto3.session.Session(
            aws_access_key_id=key_id or None,
            aws_secret_access_key=secret or None,
            aws_session_token=token or None,
            region_name=self.region,
        )
        config = Config(
            retries={"total_max_attempts": 1},
            max_pool_connections=max(1, self.limits.connections),
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            user_agent_extra="digest",
            # The parameters are built here to the model's shape (and the tests check
            # them against SES's own rules); botocore's check of every one of a
            # call's 50 entries cost more than building and signing the call.
            parameter_validation=False,
        )
        explicit = opts.has("endpoint")
        self._ses: Any = session.client(
            "sesv2", endpoint_url=self.endpoint if explicit else None, config=config
        )
        if not explicit:  # boto3's own (other partitions, FIPS, the AWS_ENDPOINT_URL_* settings)
            self.endpoint = str(self._ses.meta.endpoint_url).rstrip("/")
        # The same credential chain as the client's (keys from the variables named,
        # else AWS_* variables, a profile or a role), resolved once and refreshed by
        # botocore when they expire.
        self._credentials = session.get_credentials()
        self._signer: CallSigner | None = None
        if self._credentials is not None:
            frozen, url = self._credentials.get_frozen_credentials, self.endpoint + _BULK_PATH
            self._signer = CallSigner(frozen, url, self.region, "ses", wall=lambda: self.wall())
        self._head = b""
        self._entry: JsonTemplate | None = None
        self._data: JsonTemplate | None = None
        self._slots: Slots | None = None
        self._raw: MessageTemplate | None = None

    def describe(self) -> str:
        """The base description with region and API; never a key."""
        return f"{super().describe()}, region {self.region}, api {self.api}"

    def _prepare(self, outgoing: Outgoing) -> None:
        """The quota (once per edition, unless ``per_second`` is set) and the
        shared content: the inline template, or the MIME message for ``raw``."""
        if self.per_second is None:
            self.quota.per_second = self._account_rate()
        email = outgoing.renditions.email
        if self.api == "raw":
            self._raw = MessageTemplate(
                email,
                sender=Address(self.from_name, *self.from_address.split("@")),
                date=datetime.now(UTC),
                headers={
                    k: v for k, v in self.bulk_headers().items() if k != "List-Unsubscribe-Post"
                },
            )
            return
        slots = Slots(email, lambda part, i: f"{{{{{{{part}{i}}}}}}}")
        headers = [{"Name": k, "Value": v} for k, v in self.bulk_headers().items()]
        shared: dict[str, Any] = {
            "FromEmailAddress": self.sender_header,
            "DefaultContent": {
                "Template": {
                    "TemplateContent": {
                        "Subject": _escape(email.subject),
                        "Text": _escape_around(slots.text, slots.text_tags.values()),
                        "Html": _escape_around(slots.html, slots.html_tags.values()),
                    },
                    "TemplateData": "{}",
                    "Headers": headers,
                }
            },
            "DefaultEmailTags": self._tags(outgoing),
        }
        if self.reply_to:
            shared["ReplyToAddresses"] = [self.reply_to]
        if self.configuration_set:
            shared["ConfigurationSetName"] = self.configuration_set
        # The shared part once as JSON; each call adds its entries.
        self._head = dumps(shared)[:-1] + b',"BulkEmailEntries":['
        if self._signer is not None:
            self._signer.shared(self._head)  # hashed once, not in every call
        entry = JsonTemplate(
            {
                "Destination": {"ToAddresses": [marker("to")]},
                "ReplacementTags": [{"Name": "digest_key", "Value": marker("key")}],
                "ReplacementEmailContent": {
                    "ReplacementTemplate": {"ReplacementTemplateData": marker("data")}
                },
                "ReplacementHeaders": [{"Name": "List-Unsubscribe", "Value": marker("lu")}],
            }
        )
        assert entry.names == ["to", "key", "data", "lu"]
        self._data = JsonTemplate({tag[3:-3]: marker(tag[3:-3]) for tag in slots.tags})
        if len(self._data.names) != len(slots.tags):
            raise RenderError(f"senders.{self.name}: the email's tags clash with the request")
        self._entry = entry
        self._slots = slots

    def _account_rate(self) -> float | None:
        """The account's ``MaxSendRate``, or ``None`` (with a warning) if SES does
        not say."""
        try:
            answer = self._ses.get_account()
            rate = float(answer["SendQuota"]["MaxSendRate"])
        except Exception as exc:  # any failure: send unthrottled, 429s still hold us
            log.warning("%s: cannot read the SES send quota (%s)", self.name, _code(exc))
            return None
        return rate if rate > 0 else None

    def _tags(self, outgoing: Outgoing) -> list[dict[str, str]]:
        return [
            {"Name": "digest_edition", "Value": _tag(outgoing.edition.id)},
            {"Name": "digest_sender", "Value": _tag(self.name)},
        ]

    def body(self, outgoing: Outgoing, people: Sequence[Person]) -> bytes:
        """The ``SendBulkEmail`` request body (JSON) for ``people``: an entry each
        with its ``To``, ``digest_key`` tag, template data (the placeholders'
        values, by the renderer's rules) and ``List-Unsubscribe``."""
        self.prepare(outgoing)
        assert self._slots is not None and self._entry is not None and self._data is not None
        people = People.of(people)
        printable = people.printable and self._slots.printable
        # Each entry's template data is JSON of its own: filled from a template
        # too, the entries cut apart at the newlines between them (JSON escapes
        # every newline in a value).
        filled: list[bytes] = []
        fill_columns(self._data, self._slots.columns(people), filled, b"\n", printable=printable)
        data = b"".join(filled).decode().split("\n") if filled else ["{}"] * len(people)
        columns = [addressed(people), people.key, data, list_unsubscribes(people)]
        out = [self._head]
        # The template data (JSON in a string) is escaped; the rest goes as it is.
        fill_columns(self._entry, columns, out, b",", printable=printable)
        out.append(b"]}")
        return b"".join(out)

    def request(self, outgoing: Outgoing, people: Sequence[Person]) -> dict[str, Any]:
        """The ``SendBulkEmail`` parameters for ``people`` (as boto3 takes them)."""
        params: dict[str, Any] = json.loads(self.body(outgoing, people))
        return params

    def signed(self, body: bytes) -> dict[str, str]:
        """The headers of a ``SendBulkEmail`` call with ``body``, signed (SigV4, as
        botocore's ``SigV4Auth`` signs it) with the sender's credentials."""
        if self._signer is None:
            raise SenderUnavailable("SES SendBulkEmail: no AWS credentials")
        return self._signer.headers(body)

    def _request(self, outgoing: Outgoing, people: People) -> Call | None:
        if self.api == "raw":
            return None
        body = self.body(outgoing, people)
        return Call(_BULK_PATH, body, self.signed(body))

    def _fresh(self, call: Call, age: float) -> Call:
        """Signed again if it waited over a minute for the quota (SES refuses a
        signature more than five minutes old)."""
        if age <= 60:
            return call
        return call._replace(headers=self.signed(call.content))

    def _send(self, outgoing: Outgoing, people: People) -> BatchOutcome:
        return [self._send_raw(outgoing, person) for person in people]

    def _outcomes(self, people: People, response: httpx.Response) -> BatchOutcome:
        try:
            answer = response.json()
        except ValueError:
            answer = None
        results = answer.get("BulkEmailEntryResults") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(people):
            # Accepted, but we cannot tell which: nobody is sent twice for it.
            return SendResult.many(people.address, detail="batch accepted")
        if _statuses(results).count("SUCCESS") == len(results):
            # The usual answer, every entry sent: the results made a column at a time.
            return SendResult.many(people.address, [str(r.get("MessageId", "")) for r in results])
        return [_entry(p, r) for p, r in zip(people, results, strict=True)]

    def refusal(self, response: httpx.Response, what: str) -> SendError:
        """A refused ``SendBulkEmail``, by its error code (``x-amzn-ErrorType``, as
        botocore reads it) as the module docstring says."""
        try:
            data = response.json()
        except ValueError:
            data = None
        body = data if isinstance(data, dict) else {}
        code = response.headers.get("x-amzn-ErrorType", "").partition(":")[0]
        if not code:
            code = str(body.get("__type") or body.get("code") or "").rpartition("#")[2]
        text = " ".join(str(body.get("message") or body.get("Message") or "").split())[:300]
        label = code or f"HTTP {response.status_code}"
        return self._mapped(f"SES SendBulkEmail: {label} {text}", code, response.status_code)

    def _mapped(self, message: str, code: str, status: int) -> SendError:
        """An SES error: throttling holds every further call for a second, the
        temporary ones are retried, the rest stop the sender."""
        message = self.redact(message.strip())
        if code in _THROTTLED or status == 429:
            self.quota.hold(1.0)
            return SendError(message, retry_after=1.0)
        if code in _TEMPORARY or status >= 500:
            return SendError(message)
        return SenderUnavailable(message)

    def _send_raw(self, outgoing: Outgoing, person: Person) -> SendResult | SendError:
        self.prepare(outgoing)
        assert self._raw is not None
        data = self._raw.fill(
            Personal(
                address=person.address,
                name=person.name,
                first_name=person.first_name,
                message_id=person.message_id,
                unsubscribe_url=person.unsubscribe_url,
                unsubscribe_mailto=person.unsubscribe_mailto,
            )
        )
        params: dict[str, Any] = {
            "FromEmailAddress": self.from_address,
            "Destination": {"ToAddresses": [person.address]},
            "Content": {"Raw": {"Data": data}},
            "EmailTags": [
                *self._tags(outgoing),
                {"Name": "digest_key", "Value": person.key},
            ],
        }
        if self.configuration_set:
            params["ConfigurationSetName"] = self.configuration_set
        answer = self._call("send_email", params)
        return SendResult(person.address, provider_id=str(answer.get("MessageId", "")))

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """One SES call; its errors mapped as the module docstring says."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        try:
            answer: dict[str, Any] = getattr(self._ses, operation)(**params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            message = f"SES {operation}: {code} {error.get('Message', '')}"
            raise self._mapped(message, code, status) from None
        except NoCredentialsError:
            raise SenderUnavailable(f"SES {operation}: no AWS credentials") from None
        except BotoCoreError as exc:
            raise SendError(f"SES {operation}: {type(exc).__name__}") from None
        return answer

    def redact(self, text: str) -> str:
        """``text`` without any of the keys in it."""
        for secret in self._redacted:
            text = text.replace(secret, "[key]")
        return text

    def close(self) -> None:
        """Close boto3's connections and the pooled HTTP ones."""
        super().close()
        self._ses.close()


def _entry(person: Person, result: Any) -> SendResult | SendError:
    """One entry of ``BulkEmailEntryResults``."""
    status = str(result.get("Status", "")) if isinstance(result, dict) else ""
    if status == "SUCCESS":
        return SendResult(person.address, provider_id=str(result.get("MessageId", "")))
    error = " ".join(str(result.get("Error", "") if isinstance(result, dict) else "").split())
    text = f"SES {status or 'no status'}: {error[:300]}".rstrip(": ")
    if status in _ENTRY_TEMPORARY:
        return SendError(text)
    if status in _ENTRY_PERMANENT:
        # A rejected message is not a bad address (content, sandbox, policy).
        return SendError(f"{text} (5.7.1 policy)", permanent=True)
    return SenderUnavailable(text)


def _statuses(results: list[Any]) -> list[Any]:
    """Each result's ``Status``, or none at all if one is not an object with one."""
    try:
        return [r["Status"] for r in results]
    except (TypeError, KeyError, IndexError):
        return []


def _tag(value: str) -> str:
    return _TAG_UNSAFE.sub("_", value)[:256] or "_"


def _escape(text: str) -> str:
    """Text for an SES template with no Handlebars expression of its own."""
    return text.replace("{{", "\\{{")


def _escape_around(text: str, tags: Iterable[str]) -> str:
    """``text`` escaped, except for our own ``{{{tag}}}`` expressions."""
    ours = list(tags)
    if not ours:
        return _escape(text)
    parts = re.split("(" + "|".join(re.escape(t) for t in ours) + ")", text)
    return "".join(p if i % 2 else _escape(p) for i, p in enumerate(parts))


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", type(exc).__name__))
    return type(exc).__name__
