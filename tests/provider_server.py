"""A local stand-in for the email providers' APIs, on 127.0.0.1, that checks each
request as the providers document it and answers in their shape.

* SendGrid ``POST /v3/mail/send``: ``Authorization: Bearer <key>``, JSON, 1 to
  1,000 personalizations each with one ``to`` address (no address twice in a
  request), substitutions under 10,000 bytes a personalization, ``from``,
  ``subject``, text and HTML content; 202 with ``X-Message-Id``.
* Postmark ``POST /email/batch``: ``X-Postmark-Server-Token``, ``Accept:
  application/json``, a JSON array of 1 to 500 messages each with ``From``,
  ``To``, ``Subject``, a body and ``MessageStream``; 200 with one result per
  message (``ErrorCode`` from ``postmark_codes[address]``, else 0).
* Mailgun ``POST /v3/<domain>/messages``: basic auth ``api:<key>``,
  ``multipart/form-data``, 1 to 1,000 ``to`` fields, ``recipient-variables``
  naming every one of them; 200 with an ``id``.
* SES v2 ``POST /v2/email/outbound-bulk-emails``: a SigV4 ``Authorization``
  (``AWS4-HMAC-SHA256``, service ``ses``) recomputed here from the request and
  the known test credentials, 1 to 50 ``BulkEmailEntries`` with one destination
  each, inline ``TemplateContent``; 200 with one result per entry
  (``ses_statuses[address]``, else ``SUCCESS``).

A request that breaks a rule gets the provider's 400 (or 401) and is recorded in
``violations``.  ``script`` queues whole answers to give before the normal one
(a 429 with ``Retry-After``, a 500).  Every accepted request is kept in
``calls`` (provider, parsed body).  ``keep = False`` keeps only counts (the
benchmark).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SENDGRID_KEY = "SG.test-key-never-logged"
POSTMARK_TOKEN = "pm-server-token-never-logged"
MAILGUN_KEY = "key-mailgun-never-logged"
AWS_KEY_ID = "AKIDEXAMPLETEST"
AWS_SECRET = "aws-secret-never-logged"
REGION = "eu-west-1"


@dataclass
class Answer:
    """A scripted answer."""

    status: int
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class State:
    """What the server saw and will say."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    recipients: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    script: list[Answer] = field(default_factory=list)
    postmark_codes: dict[str, int] = field(default_factory=dict)
    ses_statuses: dict[str, str] = field(default_factory=dict)
    keep: bool = True
    #: Requests being answered now, and the most there ever were at once.
    at_once: int = 0
    most_at_once: int = 0
    #: Connections accepted.
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class ProviderServer(ThreadingHTTPServer):
    """The server; ``state`` holds what it saw."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = State()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> ProviderServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def reset(self) -> None:
        self.state = State()


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without TCP_NODELAY the body waits for the
    # client's delayed ACK (40 ms on Linux), a stall no provider has, which would
    # hide the client's own cost in every benchmark figure.
    disable_nagle_algorithm = True
    server: ProviderServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.state.lock:
            self.server.state.connections += 1

    def do_GET(self) -> None:
        """``/_stats``: connections accepted so far and the most requests answered
        at once since the last look (the benchmark checks both sides alike)."""
        state = self.server.state
        with state.lock:
            stats = {"connections": state.connections, "most_at_once": state.most_at_once}
            state.most_at_once = state.at_once  # from now on
        self._answer(200, json.dumps(stats).encode(), {})

    def do_POST(self) -> None:
        state = self.server.state
        with state.lock:
            state.at_once += 1
            state.most_at_once = max(state.most_at_once, state.at_once)
        try:
            self._post()
        finally:
            with state.lock:
                state.at_once -= 1

    def _post(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        state = self.server.state
        with state.lock:
            scripted = state.script.pop(0) if state.script else None
        if scripted is not None:
            self._answer(scripted.status, scripted.body, scripted.headers)
            return
        try:
            if self.path == "/v3/mail/send":
                status, answer, headers = self._sendgrid(body)
            elif self.path == "/email/batch":
                status, answer, headers = self._postmark(body)
            elif self.path.startswith("/v3/") and self.path.endswith("/messages"):
                status, answer, headers = self._mailgun(body)
            elif self.path == "/v2/email/outbound-bulk-emails":
                status, answer, headers = self._ses(body)
            else:
                raise Refused(404, f"no such path {self.path}")
        except Refused as exc:
            with state.lock:
                state.violations.append(f"{self.path}: {exc}")
            self._answer(exc.status, json.dumps({"message": str(exc)}).encode(), {})
            return
        self._answer(status, answer, headers)

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _record(self, provider: str, parsed: Any, addresses: list[str]) -> int:
        state = self.server.state
        with state.lock:
            state.counts[provider] += 1
            state.recipients[provider] += len(addresses)
            if state.keep:
                state.calls.append((provider, parsed))
            return state.counts[provider]

    # -- SendGrid ------------------------------------------------------------------------

    def _sendgrid(self, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        if self.headers.get("Authorization") != f"Bearer {SENDGRID_KEY}":
            raise Refused(401, "authorization required")
        if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise Refused(400, "content type must be application/json")
        data = json.loads(body)
        people = data.get("personalizations") or []
        if not 1 <= len(people) <= 1000:
            raise Refused(400, f"{len(people)} personalizations (1 to 1,000 allowed)")
        if not data.get("from", {}).get("email") or not data.get("subject"):
            raise Refused(400, "from and subject are required")
        kinds = [c.get("type") for c in data.get("content", [])]
        if kinds[:1] != ["text/plain"] or "text/html" not in kinds:
            raise Refused(400, "text/plain must come first, then text/html")
        addresses = []
        for p in people:
            if len(p.get("to", [])) != 1 or "@" not in p["to"][0].get("email", ""):
                raise Refused(400, "each personalization needs one to address")
            subs = p.get("substitutions", {})
            if len(subs) > 100 or len(json.dumps(subs).encode()) > 10_000:
                raise Refused(400, "substitutions over 100 or 10,000 bytes")
            headers = p.get("headers", {})
            if any(k.lower() in {"to", "from", "subject", "content-type"} for k in headers):
                raise Refused(400, "reserved header in a personalization")
            addresses.append(p["to"][0]["email"])
        if len({a.lower() for a in addresses}) != len(addresses):
            raise Refused(400, "each unique email address may be included only once")
        number = self._record("sendgrid", data, addresses)
        return 202, b"", {"X-Message-Id": f"sg-batch-{number}"}

    # -- Postmark -----------------------------------------------------------------------

    def _postmark(self, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        if self.headers.get("X-Postmark-Server-Token") != POSTMARK_TOKEN:
            raise Refused(401, "bad or missing server token")
        if self.headers.get("Accept") != "application/json":
            raise Refused(400, "Accept: application/json required")
        messages = json.loads(body)
        if not isinstance(messages, list) or not 1 <= len(messages) <= 500:
            raise Refused(422, "1 to 500 messages a batch (ErrorCode 410)")
        if len(body) > 50 * 1024 * 1024:
            raise Refused(422, "over 50 MB")
        results, addresses = [], []
        number = self._record("postmark", messages, [])
        for index, m in enumerate(messages):
            for key in ("From", "To", "Subject", "MessageStream"):
                if not m.get(key):
                    raise Refused(422, f"{key} is required (ErrorCode 300)")
            if not (m.get("HtmlBody") or m.get("TextBody")):
                raise Refused(422, "a body is required (ErrorCode 300)")
            address = m["To"].rpartition("<")[2].rstrip(">")
            addresses.append(address)
            code = self.server.state.postmark_codes.get(address, 0)
            results.append(
                {
                    "ErrorCode": code,
                    "Message": "OK" if code == 0 else "refused",
                    "MessageID": f"pm-{number}-{index}" if code == 0 else "",
                    "To": m["To"],
                }
            )
        with self.server.state.lock:
            self.server.state.recipients["postmark"] += len(addresses)
        return 200, json.dumps(results).encode(), {}

    # -- Mailgun ------------------------------------------------------------------------

    def _mailgun(self, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        expected = "Basic " + base64.b64encode(f"api:{MAILGUN_KEY}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            raise Refused(401, "Forbidden")
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            raise Refused(400, "multipart/form-data expected")
        # The stdlib's MIME parser with the compat32 policy: the same parse as
        # policy.HTTP, without a header object per part (six times the server's
        # time for 1,000 "to" fields, which hid the client's own time in the
        # benchmark).
        message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        if not message.is_multipart() or message.defects:
            raise Refused(400, "a malformed multipart body")
        fields: dict[str, list[str]] = {}
        for part in message.get_payload():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields.setdefault(str(name), []).append(payload.decode() if payload else "")
        to = fields.get("to", [])
        if not 1 <= len(to) <= 1000:
            raise Refused(400, f"{len(to)} recipients (1 to 1,000 allowed)")
        for key in ("from", "subject", "html", "text", "recipient-variables"):
            if key not in fields:
                raise Refused(400, f"{key} is missing")
        variables = json.loads(fields["recipient-variables"][0])
        addresses = [t.rpartition("<")[2].rstrip(">") for t in to]
        if set(addresses) != set(variables):
            raise Refused(400, "recipient-variables must name every recipient")
        number = self._record("mailgun", {"fields": fields, "variables": variables}, addresses)
        return 200, json.dumps({"id": f"<mg-{number}@test>", "message": "Queued"}).encode(), {}

    # -- SES v2 -------------------------------------------------------------------------

    def _ses(self, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        check_sigv4(self.command, self.path, dict(self.headers.items()), body)
        data = json.loads(body)
        entries = data.get("BulkEmailEntries") or []
        if not 1 <= len(entries) <= 50:
            raise Refused(400, f"{len(entries)} entries (1 to 50 allowed)")
        template = data.get("DefaultContent", {}).get("Template", {})
        content = template.get("TemplateContent", {})
        if not all(content.get(k) for k in ("Subject", "Text", "Html")):
            raise Refused(400, "TemplateContent needs Subject, Text and Html")
        if not data.get("FromEmailAddress"):
            raise Refused(400, "FromEmailAddress is required")
        addresses, results = [], []
        for entry in entries:
            to = entry.get("Destination", {}).get("ToAddresses", [])
            if len(to) != 1:
                raise Refused(400, "one destination an entry")
            json.loads(
                entry.get("ReplacementEmailContent", {})
                .get("ReplacementTemplate", {})
                .get("ReplacementTemplateData", "{}")
            )
            address = to[0].rpartition("<")[2].rstrip(">")
            addresses.append(address)
        number = self._record("ses", data, addresses)
        for index, address in enumerate(addresses):
            status = self.server.state.ses_statuses.get(address, "SUCCESS")
            result: dict[str, str] = {"Status": status}
            if status == "SUCCESS":
                result["MessageId"] = f"ses-{number}-{index}"
            else:
                result["Error"] = "refused by the test"
            results.append(result)
        return 200, json.dumps({"BulkEmailEntryResults": results}).encode(), {}


def check_sigv4(method: str, path: str, headers: dict[str, str], body: bytes) -> None:
    """Recompute the request's SigV4 signature with the test credentials; raise
    :class:`Refused` (403) unless it matches."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    lower = {k.lower(): v for k, v in headers.items()}
    auth = lower.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        raise Refused(403, "missing SigV4 Authorization")
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 ") :].split(","))
    scope = parts.get("Credential", "").split("/")
    if len(scope) != 5 or scope[0] != AWS_KEY_ID or scope[2:] != [REGION, "ses", "aws4_request"]:
        raise Refused(403, f"bad credential scope {parts.get('Credential')}")
    signed = parts.get("SignedHeaders", "").split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        raise Refused(403, "host and x-amz-date must be signed")
    request = AWSRequest(
        method=method,
        url=f"http://{lower['host']}{path}",
        headers={name: lower[name] for name in signed},
        data=body,
    )
    request.context["timestamp"] = lower["x-amz-date"]
    signer = SigV4Auth(Credentials(AWS_KEY_ID, AWS_SECRET), "ses", REGION)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if expected != parts.get("Signature"):
        raise Refused(403, "signature does not match")


if __name__ == "__main__":  # python -m tests.provider_server: serve until killed
    import sys

    served = ProviderServer()
    served.state.keep = False
    print(served.server_address[1], flush=True)
    sys.stdout.close()
    served.serve_forever()
