"""The webpush sender against a local stand-in push service (tests/webpush_api.py):
each message decrypted with the subscribed browser's own keys and compared, the
VAPID token checked on an injected clock, 404/410 delete the subscription, 429 and
5xx retried through the delivery log, the 4,096-byte limit, subscriptions checked,
nothing secret shown."""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from digest.edition import Built
from digest.errors import ConfigError
from digest.senders import Outgoing, Recipient, build_sender
from digest.senders.webpush import (
    WebPushSender,
    check_subscription,
    new_private_key,
    private_raw,
    public_key,
    write_private_key,
)
from digest.store import PushSubscription, Store

from .send_support import _http_server_process, app_with_senders, http_server, sample_built
from .webpush_api import PushService

__all__ = ["_http_server_process", "http_server", "sample_built"]

NOW = 1_700_000_000.0
FAST = {"retry_base_seconds": 0.001, "retry_max_seconds": 5}


@pytest.fixture
def service(
    http_server: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> PushService:
    """The stand-in push service; the VAPID key in tmp_path/vapid.pem; the clock fixed."""
    key = new_private_key()
    write_private_key(tmp_path / "vapid.pem", key, force=False)
    monkeypatch.setattr(WebPushSender, "clock", staticmethod(lambda: NOW))
    origin = http_server.url_for("/").rstrip("/")
    push = PushService(origin, public_key(key), NOW)
    http_server.expect_request(re.compile(r"/push/[\w-]+"), method="POST").respond_with_handler(
        push
    )
    return push


def sender_options(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    """The sender's own options (``[senders.browser]`` adds ``type`` and FAST)."""
    return {
        "private_key_file": str(tmp_path / "vapid.pem"),
        "subject": "mailto:newsroom@example.com",
        "push_services": ["127.0.0.1"],
        **extra,
    }


def subscribe(store: Store, service: PushService, name: str) -> PushSubscription:
    subscription = check_subscription(service.browser(name).to_json(), ["127.0.0.1"])
    assert store.save_push_subscription(subscription)
    return subscription


def test_each_browser_gets_the_push_encrypted_for_it_and_gone_ones_are_deleted(
    service: PushService,
    tmp_path: Path,
    store: Store,
    sample_built: Built,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="digest")
    subs = {n: subscribe(store, service, n) for n in ("alice", "bob", "gone", "busy", "broken")}
    service.answers = {
        "gone": [(410, {})],
        "busy": [(429, {"Retry-After": "0"})],
        "broken": [(503, {})],
    }
    app = app_with_senders(
        tmp_path, {"browser": {"type": "webpush", **FAST, **sender_options(tmp_path)}}, store
    )

    report = app.send(sample_built)

    assert service.problems == []
    result = report.senders["browser"]
    assert (result.sent, result.failed, result.retries) == (4, 1, 2)
    assert sample_built.public is not None
    push = sample_built.public.push
    expected = {"title": push.title, "body": push.body, "url": push.url, "image": push.image,
                "tag": sample_built.edition.id}  # fmt: skip
    for name in ("alice", "bob", "busy", "broken"):
        assert service.received[name] == [expected], name
    assert all(size <= 4096 for size in service.sizes)
    # 410: failed for good and forgotten; the others stay subscribed.
    gone = store.delivery(sample_built.edition.id, "browser", subs["gone"].id)
    assert gone is not None and gone.status == "failed" and "HTTP 410" in gone.last_error
    assert {s.id for s in store.push_subscriptions()} == {
        subs[n].id for n in ("alice", "bob", "busy", "broken")
    }
    # The log and errors name subscriptions by hash and host, never the endpoint or keys.
    shown = repr(store.deliveries()) + caplog.text + app.senders()["browser"].describe()
    for sub in subs.values():
        assert sub.endpoint not in shown and sub.auth not in shown and sub.p256dh not in shown
    assert "BEGIN PRIVATE KEY" not in shown

    # A second run sends nothing twice.
    again = app.send(sample_built)
    assert again.senders["browser"].sent == 0 and again.senders["browser"].already_done == 4


def test_payload_within_4096_bytes_after_encryption(
    service: PushService, tmp_path: Path, store: Store, sample_built: Built
) -> None:
    sub = subscribe(store, service, "alice")
    assert sample_built.public is not None
    big = dataclasses.replace(
        sample_built.public.push, image="https://images.example.com/" + "p" * 3900 + ".jpg"
    )
    public = dataclasses.replace(sample_built.public, push=big)
    sender = build_sender("browser", "webpush", sender_options(tmp_path), tmp_path)
    assert isinstance(sender, WebPushSender)
    sender.use_store(store)
    list(sender.recipients())
    sender.send(Outgoing(sample_built.edition, public, public), Recipient(sub.id))
    assert service.problems == [] and service.sizes[0] <= 4096
    assert service.received["alice"][0]["image"] == "", "the picture gave way"


def test_vapid_token_is_renewed_before_it_expires(service: PushService, tmp_path: Path) -> None:
    sender = build_sender("browser", "webpush", sender_options(tmp_path), tmp_path)
    assert isinstance(sender, WebPushSender)
    now = [NOW]
    sender.clock = lambda: now[0]  # type: ignore[method-assign]
    first = sender.authorization("https://fcm.googleapis.com/fcm/send/abc")
    now[0] += 3600
    assert sender.authorization("https://fcm.googleapis.com/fcm/send/def") == first
    now[0] += 10 * 3600  # an hour before expiry: a new one
    assert sender.authorization("https://fcm.googleapis.com/fcm/send/abc") != first


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"endpoint": "https://evil.example.com/push/1"}, "not a known push service"),
        ({"endpoint": "http://fcm.googleapis.com/fcm/send/1"}, "not a known push service"),
        ({"endpoint": "http://10.0.0.7/push/1"}, "not a known push service"),
        ({"endpoint": "https://u:p@fcm.googleapis.com/x"}, "not a known push service"),
        ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "P-256"),
        ({"keys": {"auth": "x"}}, "required"),
    ],
)
def test_subscriptions_are_checked(change: dict[str, Any], problem: str) -> None:
    good = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc:def",
        "keys": {
            "p256dh": public_key(new_private_key()),
            "auth": "8eDyX_uCN0XRhSbY5hs7Hg",
        },
    }
    assert check_subscription(good).endpoint == good["endpoint"]
    with pytest.raises(ValueError, match=problem):
        check_subscription({**good, **change})


def test_the_key_from_an_environment_variable_and_bad_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_private_key()
    monkeypatch.setenv("TEST_VAPID_KEY", private_raw(key))
    options = {"private_key_env": "TEST_VAPID_KEY", "subject": "https://example.com/contact"}
    sender = build_sender("browser", "webpush", options, tmp_path)
    assert isinstance(sender, WebPushSender) and sender.public_key == public_key(key)
    assert private_raw(key) not in sender.describe()
    monkeypatch.setenv("TEST_VAPID_KEY", "not-a-key-but-a-secret")
    with pytest.raises(ConfigError, match="not a P-256 private key") as caught:
        build_sender("browser", "webpush", options, tmp_path)
    assert "not-a-key-but-a-secret" not in str(caught.value)
    with pytest.raises(ConfigError, match="`digest push keys` makes one"):
        options = {"private_key_file": "missing.pem", "subject": "mailto:a@example.com"}
        build_sender("browser", "webpush", options, tmp_path)
