"""The fcm sender against local stand-ins for Google's token endpoint and FCM HTTP
v1 (tests/fcm_api.py): the OAuth JWT exchange, topic and token messages, 404
UNREGISTERED, 429 without Retry-After, a refused service account, the payload
limit, the per-project rate limit on an injected clock, and no secret shown."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from digest.delivery import RateLimiter, RetryPolicy, deliver
from digest.edition import Built
from digest.errors import ConfigError, SendError, SenderUnavailable
from digest.senders import Outgoing, Recipient, build_sender
from digest.senders.fcm import FcmSender, token_id
from digest.store import Store

from .fcm_api import ACCESS_TOKEN, PROJECT, SCOPE, Google, fcm_error, service_account
from .send_support import _http_server_process, app_with_senders, http_server, sample_built

__all__ = ["_http_server_process", "http_server", "sample_built"]

DEVICE = "fcm-device-token:APA91bH-very-secret-registration-token"


@pytest.fixture
def google(http_server: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Google:
    """The two endpoints, and FIREBASE_TEST_CREDENTIALS naming a key file for them."""
    info, key = service_account(http_server.url_for("/token"))
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info))
    monkeypatch.setenv("FIREBASE_TEST_CREDENTIALS", str(path))
    api = Google(info, key)
    http_server.expect_request("/token", method="POST").respond_with_handler(api.token)
    http_server.expect_request(
        f"/v1/projects/{PROJECT}/messages:send", method="POST"
    ).respond_with_handler(api.send)
    return api


def options(server: HTTPServer, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    (tmp_path / "tokens.txt").write_text(f"# exported by the app\n{DEVICE}\n")
    return {
        "type": "fcm",
        "credentials_env": "FIREBASE_TEST_CREDENTIALS",
        "topics": ["world-news"],
        "tokens_file": str(tmp_path / "tokens.txt"),
        "base_url": server.url_for("/").rstrip("/"),
        **extra,
    }


def fcm(server: HTTPServer, tmp_path: Path, **extra: Any) -> FcmSender:
    settings = {k: v for k, v in options(server, tmp_path, **extra).items() if k != "type"}
    sender = build_sender("app", "fcm", settings, tmp_path)
    assert isinstance(sender, FcmSender)
    return sender


def test_topic_and_token_messages_after_one_oauth_exchange(
    google: Google,
    http_server: HTTPServer,
    tmp_path: Path,
    store: Store,
    sample_built: Built,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    app = app_with_senders(tmp_path, {"app": options(http_server, tmp_path)}, store)

    report = app.send(sample_built)

    assert google.problems == []
    assert report.senders["app"].sent == 2
    assert len(google.grants) == 1, "one token for the whole edition"
    assert google.grants[0]["scope"] == SCOPE
    push = sample_built.public.push if sample_built.public else None
    assert push is not None
    by_target = {m.get("topic") or m.get("token"): m for m in google.messages}
    topic = by_target["world-news"]
    assert topic["notification"]["title"] == push.title
    assert topic["notification"]["body"] == push.body
    assert topic["data"] == {"url": push.url}
    assert topic["webpush"] == {"fcm_options": {"link": push.url}}
    if push.image:
        assert topic["notification"]["image"] == push.image
        assert topic["apns"]["fcm_options"]["image"] == push.image
    assert by_target[DEVICE]["notification"] == topic["notification"]
    # The log names the device by a hash; provider ids are FCM's message names.
    found = store.delivery(sample_built.edition.id, "app", token_id(DEVICE))
    assert found is not None and found.status == "sent"
    assert found.provider_id.startswith(f"projects/{PROJECT}/messages/0:")
    shown = app.senders()["app"].describe() + caplog.text + repr(store.deliveries())
    for secret in (DEVICE, ACCESS_TOKEN, "BEGIN PRIVATE KEY", "very-secret"):
        assert secret not in shown


def test_unregistered_token_is_final_and_429_waits_a_minute(
    google: Google, http_server: HTTPServer, tmp_path: Path, store: Store, sample_built: Built
) -> None:
    assert sample_built.public is not None
    outgoing = Outgoing(sample_built.edition, sample_built.public, sample_built.public)
    sender = fcm(http_server, tmp_path)
    gone = fcm_error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")
    google.script[:] = [(404, gone, {})]
    with pytest.raises(SendError, match="HTTP 404 UNREGISTERED") as caught:
        sender.send(outgoing, Recipient(token_id(DEVICE)))
    assert caught.value.permanent
    assert DEVICE not in str(caught.value)

    quota = fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.")
    google.script[:] = [(429, quota, {})]
    with pytest.raises(SendError) as limited:
        sender.send(outgoing, Recipient("topic:world-news"))
    assert not limited.value.permanent and limited.value.retry_after == 60.0
    google.script[:] = [(429, quota, {"Retry-After": "2"})]
    policy = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=1.0)
    report = deliver(store, "app", sender, outgoing, [Recipient("topic:world-news")],
                     policy=policy, rng=random.Random(1))  # fmt: skip
    assert report.pending == 1
    found = store.delivery(sample_built.edition.id, "app", "topic:world-news")
    assert found is not None and "asked to wait 2 s" in found.last_error
    google.script[:] = [(503, fcm_error(503, "UNAVAILABLE", "UNAVAILABLE", "Try later"), {}),
                        (200, {"name": f"projects/{PROJECT}/messages/0:9"}, {})]  # fmt: skip
    report = deliver(store, "app", sender, outgoing, [Recipient("topic:world-news")],
                     policy=policy)  # fmt: skip
    assert report.sent == 1 and report.retries == 1


def test_a_refused_service_account_stops_the_sender(
    google: Google, http_server: HTTPServer, tmp_path: Path, sample_built: Built
) -> None:
    assert sample_built.public is not None
    outgoing = Outgoing(sample_built.edition, sample_built.public, sample_built.public)
    google.token_answer = (400, {"error": "invalid_grant", "error_description": "Invalid JWT"})
    sender = fcm(http_server, tmp_path)
    with pytest.raises(SenderUnavailable, match="OAuth token refused") as caught:
        sender.send(outgoing, Recipient("topic:world-news"))
    assert "BEGIN PRIVATE KEY" not in str(caught.value) and google.messages == []


def test_the_payload_stays_within_4096_bytes(
    google: Google, http_server: HTTPServer, tmp_path: Path, sample_built: Built
) -> None:
    assert sample_built.public is not None
    push = dataclasses.replace(
        sample_built.public.push, image="https://images.example.com/" + "p" * 4000 + ".jpg"
    )
    public = dataclasses.replace(sample_built.public, push=push)
    sender = fcm(http_server, tmp_path)
    sender.send(Outgoing(sample_built.edition, public, public), Recipient("topic:world-news"))
    assert google.problems == []
    assert "image" not in google.messages[0]["notification"], "the picture gave way"
    assert len(sender.payload(public.push, "topic:world-news")) <= 4096


def test_the_per_project_quota_is_the_rate_limit(
    google: Google, http_server: HTTPServer, tmp_path: Path
) -> None:
    assert fcm(http_server, tmp_path).limits.messages_per_second == 10_000.0  # 600,000 a minute
    sender = fcm(http_server, tmp_path, messages_per_minute=120)
    assert sender.limits.messages_per_second == 2.0
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(sender.limits.messages_per_second, clock=lambda: now[0], sleep=sleep)
    starts = [limiter.acquire() for _ in range(7)]
    assert starts == [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0]


def test_bad_credentials_are_config_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "key.json").write_text('{"type": "service_account", "private_key": "secret!"}')
    monkeypatch.setenv("FIREBASE_TEST_CREDENTIALS", str(tmp_path / "key.json"))
    with pytest.raises(ConfigError) as caught:
        build_sender("app", "fcm", {"credentials_env": "FIREBASE_TEST_CREDENTIALS",
                                    "topics": ["x"]}, tmp_path)  # fmt: skip
    assert "FIREBASE_TEST_CREDENTIALS cannot be used" in str(caught.value)
    assert "secret!" not in str(caught.value)
    monkeypatch.setenv("FIREBASE_TEST_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(ConfigError, match="No such file"):
        build_sender("app", "fcm", {"credentials_env": "FIREBASE_TEST_CREDENTIALS",
                                    "topics": ["x"]}, tmp_path)  # fmt: skip
