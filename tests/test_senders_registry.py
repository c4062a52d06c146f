"""Registry, options, log-safe descriptions, header injection and the rate limiter."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from digest.delivery import RateLimiter, RetryPolicy, deliver
from digest.errors import ConfigError, SendError
from digest.message import MessageTemplate, Personal, check_address
from digest.model import EmailRendition, SendResult
from digest.senders import Limits, Outgoing, Recipient, Sender, available, build_sender
from digest.senders.smtp import SmtpSender
from digest.store import Store

from .send_support import (
    SECRET,
    SMTP_PASSWORD,
    FakeClock,
    outgoing,
    sample_built,
    smtp_options,
)

__all__ = ["outgoing", "sample_built"]

SECRETS = {
    "TEST_SMTP_PASSWORD": SMTP_PASSWORD,
    "DIGEST_TEST_UNSUB_SECRET": SECRET,
    "TEST_WEBHOOK_SECRET": "whsec-abc-123-secret",
    "TEST_NTFY_TOKEN": "tk_ntfy_very_secret",
    "TEST_ONESIGNAL_KEY": "os_v2_app_very_secret",
    "TEST_WHAPI_TOKEN": "whapi-very-secret",
    "TEST_TELEGRAM_TOKEN": "7031234567:AAF-registry_secret",
    "TEST_VAPID_KEY": "ojA6dFp26wim1FHWSpGP4JGRviEG2FnyK8I8lMJ7lrc",
    "TEST_APPRISE_URLS": "tgram://123456:AAH-bot-secret/987654 json://u:pw-secret@127.0.0.1/x",
}

OPTIONS: dict[str, dict[str, Any]] = {
    "file": {"path": "out"},
    "smtp": {
        k: v
        for k, v in smtp_options(2525, username="digest", password_env="TEST_SMTP_PASSWORD").items()
        if k not in ("type", "retry_base_seconds", "retry_max_seconds")
    },
    "webhook": {
        "url": "https://cms.example.com/hook?token=qs-secret",
        "secret_env": "TEST_WEBHOOK_SECRET",
    },
    "ntfy": {"topics": ["world"], "token_env": "TEST_NTFY_TOKEN"},
    "onesignal": {"app_id": "app-1", "api_key_env": "TEST_ONESIGNAL_KEY"},
    "whatsapp": {
        "api": "whapi",
        "base_url": "https://gate.whapi.cloud",
        "token_env": "TEST_WHAPI_TOKEN",
        "chats": ["120363000000000000@newsletter"],
    },
    "apprise": {"urls_env": "TEST_APPRISE_URLS"},
    "telegram": {"token_env": "TEST_TELEGRAM_TOKEN", "chats": ["@worldnewsdigest"]},
    "webpush": {"private_key_env": "TEST_VAPID_KEY", "subject": "mailto:news@example.com"},
}


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


def test_every_builtin_is_registered_through_entry_points() -> None:
    assert set(OPTIONS) <= set(available())
    assert available()["smtp"] == "digest.senders.smtp:SmtpSender"


@pytest.mark.parametrize("type_name", sorted(OPTIONS))
def test_builtins_follow_the_protocol_and_describe_without_secrets(
    type_name: str, tmp_path: Path
) -> None:
    sender = build_sender("s", type_name, OPTIONS[type_name], tmp_path)
    assert isinstance(sender, Sender)
    assert sender.type_name == type_name
    assert sender.consumes in ("email", "push", "whatsapp", "telegram", "all")
    text = sender.describe() + repr(list(sender.recipients()))
    assert type_name in text
    for secret in [*SECRETS.values(), "qs-secret", "AAH-bot-secret", "pw-secret"]:
        assert secret not in text
        for part in secret.split():
            assert part not in text


@pytest.mark.parametrize(
    ("type_name", "options", "message"),
    [
        ("smtp", {**OPTIONS["smtp"], "colour": "red"}, "senders.s.colour: is not a known setting"),
        ("smtp", {**OPTIONS["smtp"], "port": "25"}, "senders.s.port: must be a positive integer"),
        (
            "smtp",
            {**OPTIONS["smtp"], "secret_env": "NOT_SET_ANYWHERE"},
            "senders.s.secret_env: environment variable NOT_SET_ANYWHERE is not set",
        ),
        ("smtp", {**OPTIONS["smtp"], "from": "Digest <not an address>"}, "is not an email address"),
        ("webhook", {"url": "ftp://x"}, "senders.s.url: must be an http(s) URL"),
        (
            "whatsapp",
            {**OPTIONS["whatsapp"], "chats": ["+91 98200 00000"]},
            "senders.s.chats: '+91 98200 00000' is not a chat id",
        ),
        ("nope", {}, "unknown sender type 'nope' (known: "),
    ],
)
def test_bad_options_name_the_key(
    type_name: str, options: dict[str, Any], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as caught:
        build_sender("s", type_name, options, tmp_path)
    assert message in str(caught.value)
    for secret in SECRETS.values():
        assert secret not in str(caught.value)


NASTY = [
    "Headline\r\nBcc: victim@example.net",
    "Headline\nX-Injected: 1",
    "Headline\rX-Injected: 1",
    "Headline\u2028X-Injected: 1",
    "Headline\u2029X-Injected: 1",
    "Headline\x85X-Injected: 1",
    "Headline\r\n\r\n<html>body takeover",
]


@pytest.mark.parametrize("nasty", NASTY)
def test_subject_and_names_with_line_breaks_never_add_a_header(nasty: str, tmp_path: Path) -> None:
    # The From name as the smtp sender reads it from its options (angle brackets
    # in a name are a config mistake of their own, reported as such).
    name = nasty.replace("<", "").replace(">", "")
    options = {**OPTIONS["smtp"], "from": f"{name} <digest@example.com>"}
    sender = build_sender("s", "smtp", options, tmp_path)
    assert isinstance(sender, SmtpSender)
    rendition = EmailRendition(subject=nasty, preheader="", html="<p>hi</p>", text="hi")
    template = MessageTemplate(
        rendition, sender=sender.sender, date=datetime(2020, 11, 23, 4, 30, tzinfo=UTC)
    )
    data = template.fill(
        Personal(
            address="reader@example.org",
            name=nasty,
            message_id="<1@example.com>",
            unsubscribe_url="https://example.com/u?token=t",
            unsubscribe_mailto="mailto:u@example.com?subject=unsubscribe",
        )
    )
    head = data.split(b"\r\n\r\n")[0]
    names = [line.split(b":")[0] for line in head.split(b"\r\n") if line[:1] not in b" \t"]
    assert sorted(names) == sorted(
        [
            b"To",
            b"Message-ID",
            b"List-Unsubscribe",
            b"From",
            b"Subject",
            b"Date",
            b"MIME-Version",
            b"List-Unsubscribe-Post",
            b"Content-Type",
        ]
    )
    message = message_from_bytes(data, policy=default)
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message["To"].addresses[0].addr_spec == "reader@example.org"
    assert (
        "X-Injected: 1" in message["Subject"]
        or "Bcc: victim" in message["Subject"]
        or ("body takeover" in message["Subject"])
    )
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


@pytest.mark.parametrize(
    "address",
    ["a@b.com\r\nBcc: c@d.com", "a b@c.com", "<a@b.com>", "a@b.com,c@d.com", "ü@b.com", "a@", ""],
)
def test_addresses_that_could_smuggle_anything_are_refused(address: str) -> None:
    with pytest.raises(ValueError):
        check_address(address)


def test_smtp_recipient_with_bad_address_fails_permanently(
    tmp_path: Path, outgoing: Outgoing
) -> None:
    sender = build_sender("s", "smtp", OPTIONS["smtp"], tmp_path)
    sender.prepare(outgoing)
    with pytest.raises(SendError) as caught:
        sender.send(outgoing, Recipient("x@y.z\r\nRCPT TO:<z@z.z>"))
    assert caught.value.permanent


@pytest.mark.parametrize("rate", [0.5, 1, 3, 7.5, 50])
def test_rate_limiter_holds_in_every_window(rate: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    rng = random.Random(7)
    starts = []
    for _ in range(300):
        clock.now += rng.choice([0.0, 0.0, 0.001, 0.05, 0.3])
        starts.append(limiter.acquire())
    window, allowed = (1.0, int(rate)) if rate >= 1 else (1 / rate, 1)
    for i, start in enumerate(starts):
        assert sum(1 for t in starts[i:] if t < start + window) <= allowed
    # ... and it is not slower than it needs to be.
    assert starts[-1] - starts[0] <= 300 / rate + 300 * 0.3


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=60, jitter=0.5)
    rng = random.Random(1)
    delays = [policy.delay(n, None, rng) for n in range(1, 9)]
    assert all(d is not None for d in delays)
    for n, d in enumerate(delays, 1):
        full = min(60, 2 ** (n - 1))
        assert d is not None and full / 2 <= d <= full
    assert policy.delay(1, 30, rng) == 30
    assert policy.delay(1, 61, rng) is None


def test_senders_name_their_servers_for_check_reach(tmp_path: Path) -> None:
    from digest.check import endpoints

    expected = {
        "smtp": ["smtp://127.0.0.1:2525"],
        "webhook": ["https://cms.example.com/hook?token=qs-secret"],
        "ntfy": ["https://ntfy.sh"],
        "onesignal": ["https://api.onesignal.com"],
        "whatsapp": ["https://gate.whapi.cloud"],
        "apprise": [],
    }
    for type_name, found in expected.items():
        sender = build_sender("s", type_name, OPTIONS[type_name], tmp_path)
        assert endpoints(sender, OPTIONS[type_name]) == found, type_name


class BuggySender:
    """A third-party sender with a bug: it breaks on one recipient."""

    type_name = "buggy"
    consumes = "push"

    def __init__(self, name: str, options: dict[str, Any], *, base_dir: Path) -> None:
        self.limits = Limits()
        self.subscriber_list = None
        self.sent: list[str] = []

    def describe(self) -> str:
        return "buggy"

    def recipients(self) -> list[Recipient]:
        return [Recipient(f"r{i}") for i in range(40)]

    def prepare(self, outgoing: Outgoing) -> None:
        pass

    def close(self) -> None:
        pass

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        if recipient.id == "r7":
            raise TypeError("boom")
        self.sent.append(recipient.id)
        return SendResult(recipient.id)


def test_a_sender_bug_stops_the_send_and_loses_nobody(
    tmp_path: Path, store: Store, outgoing: Outgoing
) -> None:
    sender = build_sender("b", f"{__name__}:BuggySender", {}, tmp_path)
    assert isinstance(sender, BuggySender)

    with pytest.raises(TypeError):
        deliver(store, "b", sender, outgoing, sender.recipients())

    log = {d.recipient: d for d in store.deliveries(outgoing.edition.id)}
    assert set(log) == {f"r{i}" for i in range(40)}, "every recipient is in the log"
    assert {r for r, d in log.items() if d.status == "sent"} == set(sender.sent)
    assert log["r7"].status == "pending" and "TypeError('boom')" in log["r7"].last_error
    assert all(d.status in ("sent", "pending") for d in log.values())
