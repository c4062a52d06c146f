"""The email-provider senders (ses, sendgrid, postmark, mailgun) against local
servers on 127.0.0.1 that check every request as the providers document it
(tests/provider_server.py), and the SES raw path against moto in server mode.

No test waits on the wall clock: quotas and Retry-After run on injected clocks.
"""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
import pytest

from digest.edition import Built
from digest.errors import SendError, SenderUnavailable
from digest.message import verify_unsubscribe_token
from digest.model import SendResult
from digest.senders import Outgoing, Recipient, available, build_sender
from digest.senders.bulk import BulkEmailSender, Quota
from digest.senders.mailgun import MailgunSender
from digest.senders.postmark import PostmarkSender
from digest.senders.sendgrid import SendGridSender
from digest.senders.ses import SesSender
from digest.store import Store, Subscriber

from .conftest import SAMPLE_AS_OF
from .provider_server import (
    AWS_KEY_ID,
    AWS_SECRET,
    MAILGUN_KEY,
    POSTMARK_TOKEN,
    REGION,
    SENDGRID_KEY,
    Answer,
    ProviderServer,
)
from .send_support import SECRET, app_with_senders, outgoing, sample_built
from .web_support import smtp, start_site

__all__ = ["outgoing", "sample_built", "smtp"]  # fixtures

UNSUBSCRIBE = "https://www.mid-day.com/newsletter/unsubscribe"
KEYS = {
    "sendgrid": ("TEST_SENDGRID_KEY", SENDGRID_KEY),
    "postmark": ("TEST_POSTMARK_TOKEN", POSTMARK_TOKEN),
    "mailgun": ("TEST_MAILGUN_KEY", MAILGUN_KEY),
}


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)
    for variable, value in KEYS.values():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("TEST_AWS_KEY_ID", AWS_KEY_ID)
    monkeypatch.setenv("TEST_AWS_SECRET", AWS_SECRET)


@pytest.fixture(scope="module")
def _server() -> Iterator[ProviderServer]:
    server = ProviderServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def provider(_server: ProviderServer) -> Iterator[ProviderServer]:
    """The local provider server, emptied for each test."""
    _server.reset()
    yield _server


def options(kind: str, url: str, **extra: Any) -> dict[str, Any]:
    """``[senders.NAME]`` for ``kind`` pointed at the local server."""
    table: dict[str, Any] = {
        "type": kind,
        "from": "World News Digest <digest@mid-day.example>",
        "unsubscribe_url": UNSUBSCRIBE,
        "secret_env": "DIGEST_TEST_UNSUB_SECRET",
        "endpoint": url,
        "retry_base_seconds": 0.01,
        "retry_max_seconds": 0.5,
    }
    if kind == "ses":
        table |= {
            "region": REGION,
            "access_key_id_env": "TEST_AWS_KEY_ID",
            "secret_access_key_env": "TEST_AWS_SECRET",
            "per_second": 1000,
        }
    else:
        table["api_key_env"] = KEYS[kind][0]
    return table | extra


def subscribe(store: Store, count: int) -> list[str]:
    addresses = [f"reader{i:05d}@example.org" for i in range(count)]
    store.add_subscribers(
        Subscriber(a, name=f"Reader Number{i}" if i % 3 else "") for i, a in enumerate(addresses)
    )
    return addresses


class FakeTime:
    """An injected clock: ``sleep`` moves it on and remembers each wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def bare(table: dict[str, Any]) -> dict[str, Any]:
    """A sender's own options (the config takes type and the retry settings)."""
    return {
        k: v
        for k, v in table.items()
        if k not in ("type", "retry_base_seconds", "retry_max_seconds")
    }


def direct(cls: type[BulkEmailSender], kind: str, url: str, fake: FakeTime, **extra: Any) -> Any:
    """A sender built directly, on the fake clock."""
    table = bare(options(kind, url, **extra))
    return cls("mail", table, base_dir=Path("."), clock=fake.clock, sleep=fake.sleep)


def check_token(url: str, address: str) -> None:
    token = re.search(r"token=([^&>\s\"]+)", url)
    assert token, url
    assert verify_unsubscribe_token(SECRET.encode(), token.group(1)) == address.lower()


# -- registration -------------------------------------------------------------------------


def test_registered_in_the_entry_point_group_like_the_built_ins() -> None:
    found = available()
    assert found["ses"] == "digest.senders.ses:SesSender"
    assert found["sendgrid"] == "digest.senders.sendgrid:SendGridSender"
    assert found["postmark"] == "digest.senders.postmark:PostmarkSender"
    assert found["mailgun"] == "digest.senders.mailgun:MailgunSender"


@pytest.mark.parametrize(
    ("kind", "most"), [("ses", 50), ("sendgrid", 1000), ("postmark", 500), ("mailgun", 1000)]
)
def test_limits_describe_and_batch_bound(kind: str, most: int) -> None:
    """Each declares the provider's batch limit; describe() names the variable
    holding the key, never the key; a batch_size over the limit is refused."""
    sender = build_sender("mail", kind, bare(options(kind, "http://127.0.0.1:9")), Path("."))
    assert sender.limits.batch_size == most
    text = sender.describe()
    assert kind in text and "127.0.0.1:9" in text
    for secret in (SENDGRID_KEY, POSTMARK_TOKEN, MAILGUN_KEY, AWS_SECRET, SECRET):
        assert secret not in text
    with pytest.raises(Exception, match=f"at most {most}"):
        build_sender("mail", kind, bare(options(kind, "http://x", batch_size=most + 1)), Path("."))


def test_a_missing_key_variable_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_SENDGRID_KEY")
    with pytest.raises(Exception, match="TEST_SENDGRID_KEY is not set"):
        build_sender("mail", "sendgrid", bare(options("sendgrid", "http://x")), Path("."))


# -- each provider, through the delivery log ------------------------------------------------


def test_sendgrid_batches_of_1000_with_per_recipient_parts(
    tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    addresses = subscribe(store, 2500)
    app = app_with_senders(tmp_path, {"sg": options("sendgrid", provider.url)}, store)
    report = app.send(sample_built).senders["sg"]
    assert (report.sent, report.failed, report.pending) == (2500, 0, 0)
    assert provider.state.violations == []
    sizes = sorted(len(body["personalizations"]) for _, body in provider.state.calls)
    assert sum(sizes) == 2500 and max(sizes) == 1000 and len(sizes) <= 4
    body = provider.state.calls[0][1]
    assert body["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert body["custom_args"] == {"digest_edition": sample_built.edition.id, "digest_sender": "sg"}
    html_part = body["content"][1]["value"]
    assert "%%" not in html_part and "-dg_h0-" in html_part
    seen = {}
    for _, call in provider.state.calls:
        for p in call["personalizations"]:
            address = p["to"][0]["email"]
            seen[address] = p
            unsubscribe = p["headers"]["List-Unsubscribe"]
            assert unsubscribe.startswith("<mailto:unsubscribe@mid-day.example?subject=")
            check_token(unsubscribe, address)
            assert p["headers"]["Message-ID"].startswith(f"<{sample_built.edition.id}.")
            urls = [v for v in p["substitutions"].values() if v.startswith("https://")]
            assert urls and all(UNSUBSCRIBE in html.unescape(u) for u in urls)
    assert sorted(seen) == addresses
    assert seen["reader00001@example.org"]["to"][0]["name"] == "Reader Number1"
    greeting = set(seen["reader00001@example.org"]["substitutions"].values())
    assert "Reader" in greeting  # the first name of "Reader Number1"
    delivery = store.delivery(sample_built.edition.id, "sg", addresses[0])
    assert delivery is not None and delivery.provider_id.startswith("sg-batch-")
    # Again: everybody already has an outcome; nothing is posted.
    calls = len(provider.state.calls)
    again = app.send(sample_built).senders["sg"]
    assert (again.sent, again.already_done) == (0, 2500)
    assert len(provider.state.calls) == calls


def test_postmark_batches_of_500_and_per_message_errors(
    tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    addresses = subscribe(store, 1100)
    provider.state.postmark_codes = {addresses[5]: 406, addresses[600]: 300}
    app = app_with_senders(tmp_path, {"pm": options("postmark", provider.url)}, store)
    report = app.send(sample_built).senders["pm"]
    assert (report.sent, report.failed, report.pending) == (1098, 2, 0)
    assert provider.state.violations == []
    sizes = sorted(len(messages) for _, messages in provider.state.calls)
    assert sum(sizes) == 1100 and max(sizes) == 500
    first = provider.state.calls[0][1][0]
    assert first["MessageStream"] == "broadcast" and first["TrackLinks"] == "None"
    headers = {h["Name"]: h["Value"] for h in first["Headers"]}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = first["To"].rpartition("<")[2].rstrip(">")
    check_token(headers["List-Unsubscribe"], address)
    assert first["Metadata"]["digest_edition"] == sample_built.edition.id
    assert "%%" not in first["HtmlBody"] + first["TextBody"]
    check_token(first["TextBody"], address)
    failed = store.delivery(sample_built.edition.id, "pm", addresses[5])
    assert failed is not None and failed.status == "failed" and "406" in failed.last_error
    sent = store.delivery(sample_built.edition.id, "pm", addresses[0])
    assert sent is not None and sent.provider_id.startswith("pm-")


def test_mailgun_batches_of_1000_with_recipient_variables(
    tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    addresses = subscribe(store, 1500)
    table = options("mailgun", provider.url, domain="mg.mid-day.example", tag="digest")
    app = app_with_senders(tmp_path, {"mg": table}, store)
    report = app.send(sample_built).senders["mg"]
    assert (report.sent, report.failed) == (1500, 0)
    assert provider.state.violations == []
    mailed = sorted(a for _, call in provider.state.calls for a in call["variables"])
    assert mailed == addresses
    sizes = sorted(len(call["fields"]["to"]) for _, call in provider.state.calls)
    assert sum(sizes) == 1500 and max(sizes) == 1000
    call = provider.state.calls[0][1]
    fields, variables = call["fields"], call["variables"]
    assert fields["h:List-Unsubscribe"] == ["%recipient.list_unsubscribe%"]
    assert fields["h:List-Unsubscribe-Post"] == ["List-Unsubscribe=One-Click"]
    assert fields["o:tag"] == ["digest"] and fields["v:digest_sender"] == ["mg"]
    assert "%recipient.h0%" in fields["html"][0] and "%%" not in fields["html"][0]
    for address, values in variables.items():
        check_token(values["list_unsubscribe"], address)
        assert values["message_id"].startswith(f"<{sample_built.edition.id}.")


def test_ses_bulk_signed_requests_of_50_and_entry_statuses(
    tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    """SigV4 is recomputed by the server from the test credentials; entries are
    judged one by one."""
    addresses = subscribe(store, 120)
    provider.state.ses_statuses = {
        addresses[3]: "MESSAGE_REJECTED",
        addresses[4]: "TRANSIENT_FAILURE",
    }
    app = app_with_senders(tmp_path, {"ses": options("ses", provider.url)}, store)
    report = app.send(sample_built).senders["ses"]
    assert provider.state.violations == []
    # The transient one is tried again on its own; the test server keeps refusing
    # it, so it ends failed after max_attempts (5); the rejected one at once.
    assert report.failed == 2 and report.sent == 118
    sizes = [len(body["BulkEmailEntries"]) for _, body in provider.state.calls]
    assert max(sizes) == 50 and sum(sizes) >= 120
    body = provider.state.calls[0][1]
    content = body["DefaultContent"]["Template"]["TemplateContent"]
    assert "{{{h0}}}" in content["Html"] and "%%" not in content["Html"]
    shared = {h["Name"]: h["Value"] for h in body["DefaultContent"]["Template"]["Headers"]}
    assert shared["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    entry = body["BulkEmailEntries"][0]
    to = entry["Destination"]["ToAddresses"][0]
    header = {h["Name"]: h["Value"] for h in entry["ReplacementHeaders"]}
    check_token(header["List-Unsubscribe"], to.rpartition("<")[2].rstrip(">"))
    data = json.loads(
        entry["ReplacementEmailContent"]["ReplacementTemplate"]["ReplacementTemplateData"]
    )
    assert any(UNSUBSCRIBE in v for v in data.values())
    assert {t["Name"] for t in body["DefaultEmailTags"]} == {"digest_edition", "digest_sender"}
    rejected = store.delivery(sample_built.edition.id, "ses", addresses[3])
    assert rejected is not None and rejected.status == "failed"
    assert "5.7.1" in rejected.last_error  # a policy refusal, not a hard bounce
    transient = store.delivery(sample_built.edition.id, "ses", addresses[4])
    assert transient is not None and transient.attempts == 5


@pytest.fixture
def moto_url() -> Iterator[str]:
    """moto's server mode in a process of its own on a free loopback port, as the
    README runs it (``moto_server``); nothing of it is imported into this one."""
    launch = (
        "import sys, threading\n"
        "from moto.server import ThreadedMotoServer\n"
        "server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)\n"
        "server.start()\n"
        "print(server.get_host_and_port()[1], flush=True)\n"
        "sys.stdin.read()  # until the test closes our stdin\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", launch], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.kill()
        process.wait()


def test_ses_raw_through_moto_server_mode(
    tmp_path: Path, store: Store, sample_built: Built, moto_url: str
) -> None:
    """``api = "raw"`` against moto's SES v2 server on loopback; what moto received
    is read back over HTTP (``GET /moto-api/data.json``, as the README shows): the
    whole MIME message, personal parts and headers included."""
    import boto3

    admin = boto3.client(
        "sesv2",
        region_name=REGION,
        endpoint_url=moto_url,
        aws_access_key_id=AWS_KEY_ID,
        aws_secret_access_key=AWS_SECRET,
    )
    admin.create_email_identity(EmailIdentity="mid-day.example")
    addresses = subscribe(store, 7)
    table = options("ses", moto_url, api="raw", connections=2)
    app = app_with_senders(tmp_path, {"ses": table}, store)
    report = app.send(sample_built).senders["ses"]
    assert (report.sent, report.failed) == (7, 0)
    data = httpx.get(f"{moto_url}/moto-api/data.json", timeout=10).json()
    sent = data["ses"]["RawMessage"]
    received = {m["destinations"][0]: m for m in sent}
    assert sorted(received) == addresses and len(sent) == 7  # each exactly once
    assert {m["source"] for m in sent} == {"digest@mid-day.example"}
    message = message_from_bytes(received[addresses[1]]["raw_data"].encode(), policy=default)
    assert message["To"] == "Reader Number1 <reader00001@example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    check_token(str(message["List-Unsubscribe"]), addresses[1])
    assert message["Message-ID"].startswith(f"<{sample_built.edition.id}.")
    delivery = store.delivery(sample_built.edition.id, "ses", addresses[1])
    # The id moto gave is the one recorded.
    assert delivery is not None and delivery.provider_id == received[addresses[1]]["id"]


# -- answers: errors, 429, quota ----------------------------------------------------------


def test_401_stops_the_sender_with_everyone_pending_and_no_key_in_errors(
    tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    subscribe(store, 30)
    echo = json.dumps({"errors": [{"message": f"bad key {SENDGRID_KEY}"}]}).encode()
    provider.state.script = [Answer(401, echo)]
    app = app_with_senders(tmp_path, {"sg": options("sendgrid", provider.url)}, store)
    report = app.send(sample_built).senders["sg"]
    assert (report.sent, report.failed, report.pending) == (0, 0, 30)
    assert "HTTP 401" in report.aborted and SENDGRID_KEY not in report.aborted
    assert "[key]" in report.aborted
    # Fixed, the next run sends all of them.
    again = app.send(sample_built).senders["sg"]
    assert (again.sent, again.pending) == (30, 0)


def test_500_then_accepted_is_retried(
    tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    subscribe(store, 40)
    provider.state.script = [Answer(503), Answer(500)]
    app = app_with_senders(tmp_path, {"mg": options("mailgun", provider.url)}, store)
    report = app.send(sample_built).senders["mg"]
    assert (report.sent, report.failed) == (40, 0)
    # Every recipient of the two refused calls is retried: all 40 when they went as
    # one batch, fewer when a loaded machine let the first batch go out smaller.
    assert 2 <= report.retries <= 80 and not provider.state.script
    assert provider.state.recipients["mailgun"] == 40  # each accepted exactly once


@pytest.mark.parametrize("kind", ["sendgrid", "postmark", "mailgun"])
def test_429_retry_after_holds_every_further_call(
    kind: str, outgoing: Outgoing, provider: ProviderServer
) -> None:
    """A 429 with Retry-After: the batch is a temporary failure carrying the wait,
    and the next call (any connection) sleeps it out first, on the injected clock."""
    fake = FakeTime()
    cls = {"sendgrid": SendGridSender, "postmark": PostmarkSender, "mailgun": MailgunSender}[kind]
    sender = direct(cls, kind, provider.url, fake)
    provider.state.script = [Answer(429, b"{}", {"Retry-After": "7"})]
    people = [Recipient(f"r{i}@example.org") for i in range(3)]
    with pytest.raises(SendError) as caught:
        sender.send_batch(outgoing, people)
    assert not caught.value.permanent and caught.value.retry_after == 7.0
    assert sender.quota.held_until == 1007.0
    outcomes = sender.send_batch(outgoing, people)
    assert all(isinstance(o, SendResult) for o in outcomes)
    assert fake.sleeps == [7.0]
    sender.close()


def test_sendgrid_429_without_retry_after_waits_for_the_rate_limit_reset(
    outgoing: Outgoing, provider: ProviderServer
) -> None:
    fake = FakeTime()
    sender = direct(SendGridSender, "sendgrid", provider.url, fake)
    sender.wall = lambda: 1_700_000_000.0
    provider.state.script = [Answer(429, b"{}", {"X-RateLimit-Reset": "1700000012"})]
    with pytest.raises(SendError) as caught:
        sender.send_batch(outgoing, [Recipient("a@example.org")])
    assert caught.value.retry_after == 12.0


def test_the_per_second_quota_spaces_calls_by_their_size(
    outgoing: Outgoing, provider: ProviderServer
) -> None:
    """per_second = 100 and batches of 50: one call each half second, whatever the
    connections; on the injected clock."""
    fake = FakeTime()
    sender = direct(PostmarkSender, "postmark", provider.url, fake, per_second=100)
    people = [Recipient(f"r{i}@example.org") for i in range(50)]
    for _ in range(4):
        sender.send_batch(outgoing, people)
    assert fake.sleeps == [0.5, 0.5, 0.5]
    assert provider.state.counts["postmark"] == 4
    sender.close()


def test_quota_holds_and_spacing_combine() -> None:
    fake = FakeTime()
    quota = Quota(10, clock=fake.clock, sleep=fake.sleep)
    assert quota.wait(5) == 1000.0
    quota.hold(3)
    assert quota.wait(5) == 1003.0
    assert quota.wait(20) == 1003.5
    assert quota.wait(1) == 1005.5
    assert fake.sleeps == [3.0, 0.5, 2.0]


def test_ses_throttling_and_account_errors_are_mapped(
    outgoing: Outgoing, provider: ProviderServer
) -> None:
    fake = FakeTime()
    sender = direct(SesSender, "ses", provider.url, fake)
    throttled = json.dumps({"message": "Maximum sending rate exceeded."}).encode()
    provider.state.script = [
        Answer(429, throttled, {"x-amzn-ErrorType": "TooManyRequestsException"}),
        Answer(400, b'{"message":"paused"}', {"x-amzn-ErrorType": "SendingPausedException"}),
        Answer(500, b"{}", {"x-amzn-ErrorType": "InternalFailure"}),
    ]
    people = [Recipient("a@example.org")]
    with pytest.raises(SendError) as caught:
        sender.send_batch(outgoing, people)
    assert caught.value.retry_after == 1.0 and sender.quota.held_until == 1001.0
    with pytest.raises(SenderUnavailable, match="SendingPausedException"):
        sender.send_batch(outgoing, people)
    assert fake.sleeps == [1.0]
    with pytest.raises(SendError) as temporary:
        sender.send_batch(outgoing, people)
    assert not temporary.value.permanent and not isinstance(temporary.value, SenderUnavailable)


def test_a_malformed_address_is_permanent_and_not_sent(
    outgoing: Outgoing, provider: ProviderServer
) -> None:
    sender = direct(SendGridSender, "sendgrid", provider.url, FakeTime())
    outcomes = sender.send_batch(
        outgoing, [Recipient("not an address"), Recipient("b@example.org")]
    )
    assert isinstance(outcomes[0], SendError) and outcomes[0].permanent
    assert isinstance(outcomes[1], SendResult)
    ((_, body),) = provider.state.calls
    assert [p["to"][0]["email"] for p in body["personalizations"]] == ["b@example.org"]


# -- events feed suppression; the tokens work at digest serve ----------------------------------


def test_provider_events_suppress_and_tokens_unsubscribe_at_digest_serve(
    tmp_path: Path, provider: ProviderServer, monkeypatch: pytest.MonkeyPatch, smtp: Any
) -> None:
    """Postmark's bounce webhook (basic auth) for an address mailed through the
    postmark sender suppresses it for the next edition; another reader's one-click
    unsubscribe link from a postmark message unsubscribes them."""
    monkeypatch.setenv("TEST_POSTMARK_AUTH", "postmark:hook-pass")
    pm = options("postmark", provider.url)
    del pm["unsubscribe_url"]  # the default: digest serve's own page
    sections = {"senders": {"pm": pm}, "bounces": {"postmark_auth_env": "TEST_POSTMARK_AUTH"}}
    for site in start_site(tmp_path, smtp, monkeypatch, **sections):
        store = site.store()
        addresses = subscribe(store, 5)
        site.digest.ingest()
        built = site.digest.build(SAMPLE_AS_OF)
        report = site.digest.send(built, only=["pm"]).senders["pm"]
        assert report.sent == 5
        messages = {m["To"].rpartition("<")[2].rstrip(">"): m for m in provider.state.calls[0][1]}
        with httpx.Client(timeout=10) as client:
            bounce = {
                "RecordType": "Bounce",
                "ID": 4242,
                "Type": "HardBounce",
                "Email": addresses[0],
                "Description": "The server was unable to deliver your message",
                "MessageID": "pm-1-0",
                "Metadata": messages[addresses[0]]["Metadata"],
            }
            auth = base64.b64encode(b"postmark:hook-pass").decode()
            answer = client.post(
                f"{site.base}/hooks/postmark",
                json=bounce,
                headers={"Authorization": f"Basic {auth}"},
            )
            assert answer.status_code == 200
            headers = {h["Name"]: h["Value"] for h in messages[addresses[1]]["Headers"]}
            link = re.search(r"<(https?://[^>]+)>", headers["List-Unsubscribe"])
            assert link and link.group(1).startswith(site.base)
            one_click = client.post(link.group(1), data={"List-Unsubscribe": "One-Click"})
            assert one_click.status_code == 200
        active = {s.address for s in store.iter_subscribers("default")}
        assert addresses[0] not in active and addresses[1] not in active
        assert set(addresses[2:]) <= active


def test_quick_personal_parts_equal_the_renderers_rules(outgoing: Outgoing) -> None:
    """The fast path (one-shot HMAC, ASCII names, no regex pass) gives the same
    tokens and placeholder values as unsubscribe_token() and personalise()."""
    from digest.message import unsubscribe_token
    from digest.senders.bulk import Slots

    sender = build_sender("mail", "sendgrid", bare(options("sendgrid", "http://x")), Path("."))
    slots = Slots(outgoing.renditions.email, lambda part, i: f"-{part}{i}-")
    names = ["", "Ann O'Neil & <Co>", "Zoë Ünïcode", "Dr Raj  Kumar", "=?utf-8?q?x?=", "a\u202eb"]
    for index, name in enumerate(names):
        person = sender.parts.person(
            outgoing.edition.id, Recipient(f"Reader{index}@Example.org", name=name)
        )
        assert person.token == unsubscribe_token(SECRET.encode(), person.address)
        assert slots._quick(person) == slots._slow(person)


def test_json_pieces_hold_any_string_exactly() -> None:
    """A batch's strings are escaped in one call and split where the separators
    went: strings holding the separator, its escape's text, backslashes, quotes,
    controls and other scripts still come out exactly."""
    from digest.senders.bulk import JsonTemplate, fill_rows, marker

    template = JsonTemplate({"a": marker("a"), "n": [1, {"b": marker("b")}], "c": "%s\ue000x"})
    tricky = [
        "plain", "", "\x1f", "\\u001f", "\\", "ends with \\", '"q"', "\n\t\x00", "Zoë",
        "देवनागरी", "emoji 🙂", "\\\\u001f\x1f", "%s %(a)s", "\ue001",
    ]  # fmt: skip
    rows = [(template, [a, b]) for a in tricky for b in reversed(tricky)]
    out = [b"["]
    fill_rows(rows, out, b",")
    out.append(b"]")
    parsed = json.loads(b"".join(out))
    assert [(p["a"], p["n"][1]["b"]) for p in parsed] == [tuple(s) for _, s in rows]
    assert {p["c"] for p in parsed} == {"%s\ue000x"}
    assert json.loads(template.fill({"a": "\x1f", "b": "x"})) == {
        "a": "\x1f", "n": [1, {"b": "x"}], "c": "%s\ue000x",
    }  # fmt: skip


def test_a_batch_built_a_column_at_a_time_equals_one_person_at_a_time(
    outgoing: Outgoing,
) -> None:
    """people() takes the whole-batch path for plain batches and the per-person
    one otherwise; either way each recipient's parts are what person() makes,
    and each malformed address is refused by its index."""
    from digest.senders.bulk import Slots
    from digest.senders.people import plain_names

    sender = build_sender("mail", "sendgrid", bare(options("sendgrid", "http://x")), Path("."))
    # An unsubscribe address with a query: the token follows "&", which the HTML
    # copy must write as "&amp;".
    queried = build_sender(
        "mail",
        "sendgrid",
        bare(options("sendgrid", "http://x")) | {"unsubscribe_url": UNSUBSCRIBE + "?list=world"},
        Path("."),
    )
    plain = [Recipient(f"Reader{i}@Example.org", name=f"Reader Number {i}") for i in range(50)]
    batches = [
        plain,
        [Recipient(a, name="") for a in ("a@x.org", " b@y.org ", "C@Z.ORG")],
        [*plain[:3], Recipient("Dr. Raj Kumar <r@x.org>")],  # malformed: not sent
        [Recipient("a@x.org\nb@y.org", name="Two")],  # one address with a newline
        [Recipient("r@x.org", name="Dr. Raj Kumar"), Recipient("s@x.org", name="Kumar, Raj")],
        [Recipient("r@x.org", name="Ann O'Neil & <Co>"), Recipient("z@x.org", name="Zoë")],
        [Recipient("r@x.org", name=" Ann"), Recipient("s@x.org", name="Ann  Lee")],
        [Recipient("r@x.org", name="Ann", first_name="Annie")],
        [Recipient("r@x.org", name="Ann", first_name="<b>A&B</b>"), Recipient("s@x.org")],
        [Recipient("r@x.org", name="J. Smith"), Recipient("s@x.org", name="=?x?=")],
        [Recipient("x" * 250 + "@x.org", name="Long")],
    ]
    assert plain_names([r.name for r in plain])
    slots = Slots(outgoing.renditions.email, lambda part, i: f"-{part}{i}-")
    for batch in batches:
        people, refused = sender.parts.people(outgoing.edition.id, batch)
        # The placeholder values a column at a time, as one person at a time.
        rows = [slots.row(p) for p in people]
        assert [list(r) for r in zip(*slots.columns(people), strict=True)] == rows
        expected, errors = [], {}
        for index, recipient in enumerate(batch):
            try:
                expected.append(sender.parts.person(outgoing.edition.id, recipient))
            except ValueError as exc:
                errors[index] = str(exc)
        assert people == expected
        assert {i: str(e) for i, e in refused.items()} == errors
        assert all(e.permanent for e in refused.values())
    people, _ = queried.parts.people(outgoing.edition.id, plain)
    columns = slots.columns(people)
    assert [list(r) for r in zip(*columns, strict=True)] == [slots.row(p) for p in people]
    assert any("&amp;token=" in value for column in columns for value in column)


def test_hmac_from_keyed_states_is_rfc_2104() -> None:
    """The tokens' HMAC, from the inner and outer hashes keyed once, equals the
    standard library's for short keys and keys over a SHA-256 block."""
    import hmac

    from digest.senders.people import _HmacSha256

    for key in (b"", b"k", b"s" * 64, b"long" * 40):
        signing = _HmacSha256(key, b"unsubscribe:")
        for message in (b"", b"reader@example.org", b"x" * 200):
            expected = hmac.digest(key, b"unsubscribe:" + message, "sha256")
            assert signing.digest(message) == expected


def test_json_columns_fill_like_rows() -> None:
    """fill_columns gives the bytes fill_rows gives for the same strings, whether
    or not any of them needs escaping."""
    from digest.senders.bulk import JsonTemplate, fill_columns, fill_rows, marker

    template = JsonTemplate({"a": marker("a"), "n": [1, {"b": marker("b")}]})
    tricky = ["plain", "", "\x1f", "\\u001f", "\\", '"q"', "\n\t\x00", "Zoë", "🙂", "\ue001"]
    for strings in (["x", "y", "z"], tricky):
        a, b = strings, list(reversed(strings))
        rows = [(template, [x, y]) for x, y in zip(a, b, strict=True)]
        by_rows: list[bytes] = []
        fill_rows(rows, by_rows, b",")
        by_columns: list[bytes] = []
        fill_columns(template, [a, b], by_columns, b",")
        assert b"".join(by_columns) == b"".join(by_rows)
        parsed = json.loads(b"[" + b"".join(by_columns) + b"]")
        assert [(p["a"], p["n"][1]["b"]) for p in parsed] == list(zip(a, b, strict=True))


@pytest.mark.parametrize("kind", ["sendgrid", "postmark", "mailgun", "ses"])
def test_a_mixed_batch_reaches_the_server_as_each_person_would(
    kind: str, outgoing: Outgoing, provider: ProviderServer
) -> None:
    """A batch mixing plain and awkward names and addresses (titles, quotes,
    other scripts, no name, a duplicate) is accepted and each recipient gets
    its own To and unsubscribe token."""
    fake = FakeTime()
    cls = {"sendgrid": SendGridSender, "postmark": PostmarkSender}.get(kind)
    cls = cls or {"mailgun": MailgunSender, "ses": SesSender}[kind]
    sender = direct(cls, kind, provider.url, fake)
    names = ["Reader One", "", 'Ann "Q" O\'Neil', "Zoë Ünïcode", "Dr. Raj Kumar", "Kumar, Raj"]
    batch = [Recipient(f"Mixed{i}@Example.org", name=n) for i, n in enumerate(names)]
    if kind != "sendgrid":  # SendGrid refuses an address twice in a request
        batch.append(batch[0])
    outcomes = sender.send_batch(outgoing, batch)
    assert all(isinstance(o, SendResult) for o in outcomes) and len(outcomes) == len(batch)
    assert provider.state.violations == []
    (_, call), *_ = provider.state.calls
    text = json.dumps(call, ensure_ascii=False)
    for recipient in batch[:6]:
        person = sender.parts.person(outgoing.edition.id, recipient)
        assert person.token in text
        if person.name and kind != "sendgrid":
            assert json.dumps(person.to, ensure_ascii=False)[1:-1] in text
    sender.close()


def test_pipeline_builds_between_a_write_and_its_answer() -> None:
    """At most ``connections`` calls at once; a build waits while a built
    request waits for a connection or is being written, and starts once it is
    written."""
    import threading

    from digest.senders.pipeline import Pipeline

    pipeline = Pipeline(1)
    written_first = threading.Event()
    answer_first = threading.Event()
    built = threading.Event()
    second_in = threading.Event()

    def first() -> None:
        with pipeline.call() as written:
            written_first.wait(10)
            written()
            answer_first.wait(10)

    def build() -> None:
        with pipeline.build():
            built.set()

    def second() -> None:
        with pipeline.call():
            second_in.set()

    one = threading.Thread(target=first)
    one.start()
    builder = threading.Thread(target=build)
    builder.start()
    assert not built.wait(0.2)  # the first request is being written
    written_first.set()
    assert built.wait(10)  # written: the next build goes
    two = threading.Thread(target=second)
    two.start()
    assert not second_in.wait(0.2)  # one connection: it waits for the answer
    assert pipeline.inflight == 1
    answer_first.set()
    assert second_in.wait(10)
    for thread in (one, builder, two):
        thread.join(10)
    assert pipeline.inflight == 0


def test_a_call_ends_after_the_request_waiting_for_its_connection_is_written() -> None:
    """The thread whose call has its answer lets the request waiting for that
    connection be written before it goes on (to read its answer into outcomes,
    which would hold the interpreter lock while the next request is written)."""
    import threading

    from digest.senders.pipeline import Pipeline

    pipeline = Pipeline(1)
    holding, answer, ended = threading.Event(), threading.Event(), threading.Event()
    second_in, write_second = threading.Event(), threading.Event()

    def first() -> None:
        with pipeline.call() as written:
            written()
            holding.set()
            answer.wait(10)
        ended.set()

    def second() -> None:
        with pipeline.call() as written:
            second_in.set()
            write_second.wait(10)
            written()

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=second)
    two.start()
    with pipeline._cond:  # the second request is waiting for the connection
        assert pipeline._cond.wait_for(lambda: pipeline._writers == 1, 10)
    answer.set()
    assert second_in.wait(10)
    assert not ended.wait(0.2)  # the second request is being written
    write_second.set()
    assert ended.wait(10)
    for thread in (one, two):
        thread.join(10)
    assert pipeline.inflight == 0


def test_a_call_does_not_wait_for_a_request_that_sleeps_for_the_quota(
    outgoing: Outgoing, provider: ProviderServer
) -> None:
    """The hand-over is for a request about to be written: a call with its answer
    in does not wait while the request that took its connection sleeps for the
    quota (or a Retry-After), or its outcomes would reach the delivery log only
    after that sleep (and a crash meanwhile would send its batch again)."""
    import threading

    fake = FakeTime()
    sleeping, release = threading.Event(), threading.Event()

    def sleep(seconds: float) -> None:
        sleeping.set()
        release.wait(60)
        fake.sleep(seconds)

    table = bare(options("postmark", provider.url, per_second=100))
    sender = PostmarkSender("mail", table, base_dir=Path("."), clock=fake.clock, sleep=sleep)
    posted = sender.post
    calls: list[int] = []
    posting = threading.Event()

    def post(*args: Any, **kwargs: Any) -> httpx.Response:
        posting.set()
        response = posted(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # the first answer is in once the second request waits
            with sender.pipeline._cond:
                assert sender.pipeline._cond.wait_for(lambda: sender.pipeline._writers == 1, 30)
        return response

    sender.post = post  # type: ignore[method-assign]
    outcomes: dict[str, Any] = {}
    done_first = threading.Event()

    def batch(name: str) -> None:
        people = [Recipient(f"{name}{i}@example.org") for i in range(50)]
        outcomes[name] = sender.send_batch(outgoing, people)
        if name == "first":
            done_first.set()

    first = threading.Thread(target=batch, args=("first",))
    first.start()
    assert posting.wait(10)  # built first, so its call goes first
    second = threading.Thread(target=batch, args=("second",))
    second.start()
    assert sleeping.wait(10)  # the second request waits half a second for the quota
    # A bound, not a timing: before, the first waited for the release below.
    ended_first = done_first.wait(30)
    release.set()
    for thread in (first, second):
        thread.join(10)
    assert ended_first  # the first call's outcomes did not wait for that sleep
    assert all(isinstance(o, SendResult) for o in outcomes["first"] + outcomes["second"])
    assert fake.sleeps == [0.5] and provider.state.counts["postmark"] == 2
    sender.close()


def test_a_request_built_or_waiting_while_a_call_is_refused_is_not_sent() -> None:
    """A call refused as a whole (a bad key) stops the requests built while it was
    in flight, and those waiting for its connection; later ones go."""
    import threading

    from digest.senders.pipeline import Pipeline

    pipeline = Pipeline(1)
    with pipeline.build() as during:
        pass
    pipeline.refuse_waiting()
    with pytest.raises(SenderUnavailable, match="refused as a whole"), pipeline.call(during):
        pass
    with pipeline.build() as after:
        pass
    with pipeline.call(after):
        pass
    assert pipeline.inflight == 0

    holding, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def first() -> None:
        with pipeline.call() as written:
            written()
            holding.set()
            release.wait(10)

    def waiting() -> None:
        try:
            with pipeline.call(after):
                outcome.append("sent")
        except SenderUnavailable:
            outcome.append("not sent")

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=waiting)
    two.start()
    with pipeline._cond:  # the second request is waiting for the connection
        assert pipeline._cond.wait_for(lambda: pipeline._writers == 1, 10)
    pipeline.refuse_waiting()
    release.set()
    for thread in (one, two):
        thread.join(10)
    assert outcome == ["not sent"]
    assert pipeline.inflight == 0


@pytest.mark.parametrize("connections", [1, 2])
def test_the_delivery_loop_overlaps_but_never_exceeds_the_connections(
    connections: int, tmp_path: Path, store: Store, sample_built: Built, provider: ProviderServer
) -> None:
    """With one caller more than ``connections`` (the next batch being built),
    the server never has more than ``connections`` calls at once, and every
    recipient is sent exactly once."""
    addresses = subscribe(store, 260)
    table = options("sendgrid", provider.url, batch_size=20, connections=connections)
    app = app_with_senders(tmp_path, {"sg": table}, store)
    report = app.send(sample_built).senders["sg"]
    assert (report.sent, report.failed, report.pending) == (260, 0, 0)
    assert provider.state.violations == []
    assert 1 <= provider.state.most_at_once <= connections
    mailed = [p["to"][0]["email"] for _, c in provider.state.calls for p in c["personalizations"]]
    assert sorted(mailed) == addresses


def test_an_ses_call_that_waited_over_a_minute_for_the_quota_is_signed_again(
    outgoing: Outgoing, provider: ProviderServer
) -> None:
    """Requests are built (and signed) before they wait for the quota; one that
    waited over a minute (SES refuses signatures five minutes old) is signed
    again before it goes, and the server checks the signature it gets."""
    fake = FakeTime()
    sender = direct(SesSender, "ses", provider.url, fake, per_second=0.5)
    signed = sender.signed
    signatures: list[int] = []

    def counting(body: bytes) -> dict[str, str]:
        signatures.append(len(body))
        return signed(body)

    sender.signed = counting
    people = [Recipient(f"r{i}@example.org") for i in range(50)]
    for _ in range(2):
        assert all(isinstance(o, SendResult) for o in sender.send_batch(outgoing, people))
    assert fake.sleeps == [100.0]  # 50 messages at 0.5 a second
    assert len(signatures) == 3  # two builds, and the second call again after its wait
    assert provider.state.violations == []
    sender.close()


def test_a_long_body_streams_in_slices_and_is_written_once() -> None:
    """A body longer than a chunk goes in slices that make it up, ``written``
    called once, after the last one."""
    from digest.senders.pipeline import CHUNK, stream

    body = bytes(range(256)) * (CHUNK // 100)
    calls: list[int] = []
    chunks = []
    for chunk in stream([b"head", body, b"tail"], lambda: calls.append(len(chunks))):
        assert not calls
        chunks.append(chunk)
    assert b"".join(chunks) == b"head" + body + b"tail"
    assert len(chunks) == 2 + -(-len(body) // CHUNK) > 3
    assert max(map(len, chunks)) == CHUNK
    assert calls == [len(chunks)]
    short: list[bytes] = []
    assert list(stream([b"{}"], lambda: short.append(b"done"))) == [b"{}"] and short == [b"done"]
