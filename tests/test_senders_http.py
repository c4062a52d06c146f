"""The HTTP senders against a real local HTTP server (pytest-httpserver on loopback):
payload shapes, the webhook's HMAC signature, 429 with Retry-After, 500 then
success, 401 not retried, and the per-sender rate limit."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from digest.delivery import RateLimiter
from digest.edition import Built
from digest.senders.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from digest.store import Store

from .send_support import (
    FakeClock,
    _http_server_process,
    app_with_senders,
    http_server,
    outgoing,
    sample_built,
)

__all__ = ["_http_server_process", "http_server", "outgoing", "sample_built"]

WEBHOOK_SECRET = "whsec-9d1e77-never-printed"
FAST = {"retry_base_seconds": 0.01, "retry_max_seconds": 5}


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("TEST_NTFY_TOKEN", "tk_ntfy_secret")
    monkeypatch.setenv("TEST_ONESIGNAL_KEY", "os_v2_app_secret")
    monkeypatch.setenv("TEST_WAHA_KEY", "waha-secret-key")


class Timed:
    """A handler that answers from a script of responses and records each request
    with the time it arrived."""

    def __init__(self, *responses: Response) -> None:
        self.script = list(responses)
        self.calls: list[tuple[float, Request, bytes]] = []

    def __call__(self, request: Request) -> Response:
        self.calls.append((time.monotonic(), request, request.get_data()))
        if len(self.script) > 1:
            return self.script.pop(0)
        return self.script[0]


def ok(body: dict[str, Any] | None = None) -> Response:
    return Response(json.dumps(body or {"id": "msg-1"}), 200, content_type="application/json")


def _delivery(store: Store, built: Built, sender: str, recipient: str) -> Any:
    found = store.delivery(built.edition.id, sender, recipient)
    assert found is not None
    return found


def test_webhook_posts_signed_edition_and_renditions(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    handler = Timed(ok({"id": "evt_1"}))
    http_server.expect_request("/hooks/digest", method="POST").respond_with_handler(handler)
    url = http_server.url_for("/hooks/digest") + "?key=in-query"
    senders = {"cms": {"type": "webhook", "url": url, "secret_env": "TEST_WEBHOOK_SECRET"}}

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert report.senders["cms"].sent == 1
    (_, request, body) = handler.calls[0]
    assert request.headers["Content-Type"] == "application/json"
    timestamp = request.headers[TIMESTAMP_HEADER]
    assert abs(int(timestamp) - time.time()) < 60
    signature = request.headers[SIGNATURE_HEADER]
    assert verify_signature(WEBHOOK_SECRET.encode(), timestamp, body, signature)
    assert not verify_signature(b"wrong", timestamp, body, signature)
    assert not verify_signature(WEBHOOK_SECRET.encode(), timestamp, body + b" ", signature)
    assert request.headers["Idempotency-Key"] == f"{sample_built.edition.id}:cms"
    payload = json.loads(body)
    assert payload["event"] == "digest.edition"
    assert payload["edition_id"] == sample_built.edition.id
    assert set(payload["renditions"]) == {"email", "push", "whatsapp"}
    assert set(payload["renditions"]["email"]) == {"subject", "preheader", "html", "text"}
    assert set(payload["renditions"]["push"]) == {"title", "body", "url", "image"}
    assert sample_built.renditions is not None
    assert payload["renditions"]["whatsapp"]["text"] == sample_built.renditions.whatsapp.text
    assert [p["headline"] for p in payload["edition"]["picks"]] == [
        p.title for p in sample_built.edition.picks
    ]
    delivery = _delivery(store, sample_built, "cms", http_server.url_for("/hooks/digest"))
    assert delivery.status == "sent" and delivery.provider_id == "evt_1"
    assert "in-query" not in delivery.recipient, "the log never holds a URL's query"


def test_429_waits_for_retry_after_then_succeeds(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    handler = Timed(
        Response("slow down", 429, headers={"Retry-After": "1"}),
        ok(),
    )
    http_server.expect_request("/", method="POST").respond_with_handler(handler)
    senders = {
        "push": {"type": "ntfy", "base_url": http_server.url_for("/"), "topics": ["world"], **FAST}
    }

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert report.senders["push"].sent == 1
    assert len(handler.calls) == 2
    assert handler.calls[1][0] - handler.calls[0][0] >= 0.95, "Retry-After: 1 is honoured"
    delivery = _delivery(store, sample_built, "push", "world")
    assert delivery.status == "sent" and delivery.attempts == 2
    assert "HTTP 429" in delivery.last_error


def test_retry_after_beyond_max_delay_is_left_pending(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    handler = Timed(Response("later", 503, headers={"Retry-After": "3600"}))
    http_server.expect_request("/", method="POST").respond_with_handler(handler)
    senders = {
        "push": {"type": "ntfy", "base_url": http_server.url_for("/"), "topics": ["world"], **FAST}
    }

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert len(handler.calls) == 1
    assert report.senders["push"].pending == 1
    delivery = _delivery(store, sample_built, "push", "world")
    assert delivery.status == "pending" and "asked to wait 3600 s" in delivery.last_error


def test_500_then_success_and_onesignal_payload_with_stable_idempotency_key(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    handler = Timed(Response("oops", 500), ok({"id": "notif-42", "errors": []}))
    http_server.expect_request("/notifications", method="POST").respond_with_handler(handler)
    senders = {
        "app": {
            "type": "onesignal",
            "base_url": http_server.url_for("/"),
            "app_id": "app-123",
            "api_key_env": "TEST_ONESIGNAL_KEY",
            **FAST,
        }
    }

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert report.senders["app"].sent == 1 and len(handler.calls) == 2
    first, second = (json.loads(body) for _, _, body in handler.calls)
    assert first == second, "a retry sends the same notification, same idempotency key"
    assert handler.calls[0][1].headers["Authorization"] == "Key os_v2_app_secret"
    assert sample_built.renditions is not None
    push = sample_built.renditions.push
    assert first["app_id"] == "app-123"
    assert first["included_segments"] == ["Subscribed Users"]
    assert first["headings"] == {"en": push.title}
    assert first["contents"] == {"en": push.body}
    assert first["url"] == push.url
    assert len(first["idempotency_key"]) == 36
    delivery = _delivery(store, sample_built, "app", "Subscribed Users")
    assert delivery.status == "sent" and delivery.provider_id == "notif-42"
    assert delivery.attempts == 2 and "HTTP 500" in delivery.last_error


def test_401_is_permanent_and_not_retried(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    handler = Timed(Response('{"error": "bad token"}', 401))
    http_server.expect_request("/", method="POST").respond_with_handler(handler)
    senders = {
        "push": {
            "type": "ntfy",
            "base_url": http_server.url_for("/"),
            "topics": ["world", "asia"],
            "token_env": "TEST_NTFY_TOKEN",
            **FAST,
        }
    }

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert len(handler.calls) == 2, "one request per topic, none repeated"
    assert report.senders["push"].failed == 2
    for topic in ("world", "asia"):
        delivery = _delivery(store, sample_built, "push", topic)
        assert delivery.status == "failed" and delivery.attempts == 1
        assert "HTTP 401" in delivery.last_error
    assert "tk_ntfy_secret" not in " ".join(report.failed)


def test_ntfy_payload(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    handler = Timed(ok({"id": "ntfy-abc"}))
    http_server.expect_request("/", method="POST").respond_with_handler(handler)
    senders = {
        "push": {
            "type": "ntfy",
            "base_url": http_server.url_for("/"),
            "topics": ["world-news"],
            "token_env": "TEST_NTFY_TOKEN",
            "priority": 4,
        }
    }

    app_with_senders(tmp_path, senders, store).send(sample_built)

    (_, request, body) = handler.calls[0]
    assert request.headers["Authorization"] == "Bearer tk_ntfy_secret"
    assert sample_built.renditions is not None
    push = sample_built.renditions.push
    payload = json.loads(body)
    expected = {
        "topic": "world-news",
        "title": push.title,
        "message": push.body,
        "click": push.url,
        "priority": 4,
    }
    assert {k: payload[k] for k in expected} == expected
    assert payload.get("attach", "") == push.image
    assert _delivery(store, sample_built, "push", "world-news").provider_id == "ntfy-abc"


def test_errors_never_carry_a_token_from_the_url(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer
) -> None:
    http_server.expect_request("/hook", method="POST").respond_with_data("forbidden", 403)
    url = http_server.url_for("/hook").replace("http://", "http://user:pw-in-url@")
    senders = {
        "cms": {
            "type": "webhook",
            "url": url + "?token=tok-in-query",
            "secret_env": "TEST_WEBHOOK_SECRET",
        }
    }

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    (delivery,) = store.deliveries(sample_built.edition.id)
    assert delivery.status == "failed" and "HTTP 403 forbidden" in delivery.last_error
    text = delivery.recipient + delivery.last_error + " ".join(report.failed)
    assert "tok-in-query" not in text and "pw-in-url" not in text


@pytest.mark.parametrize("api", ["waha", "whapi"])
def test_whatsapp_gateway_payloads(
    tmp_path: Path, store: Store, sample_built: Built, http_server: HTTPServer, api: str
) -> None:
    path = "/api/sendText" if api == "waha" else "/messages/text"
    answer = (
        {"id": {"_serialized": "true_1203@newsletter_ABC"}}
        if api == "waha"
        else {"sent": True, "message": {"id": "PsqXn5SAD5v7HRA-wHqB9A"}}
    )
    handler = Timed(ok(answer))
    http_server.expect_request(path, method="POST").respond_with_handler(handler)
    channel = "120363025246125486@newsletter"
    senders = {
        "channel": {
            "type": "whatsapp",
            "api": api,
            "base_url": http_server.url_for("/"),
            "token_env": "TEST_WAHA_KEY",
            "chats": [channel],
        }
    }

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert report.senders["channel"].sent == 1
    (_, request, body) = handler.calls[0]
    assert sample_built.renditions is not None
    text = sample_built.renditions.whatsapp.text
    if api == "waha":
        assert json.loads(body) == {"session": "default", "chatId": channel, "text": text}
        assert request.headers["X-Api-Key"] == "waha-secret-key"
        provider = "true_1203@newsletter_ABC"
    else:
        assert json.loads(body) == {"to": channel, "body": text}
        assert request.headers["Authorization"] == "Bearer waha-secret-key"
        provider = "PsqXn5SAD5v7HRA-wHqB9A"
    assert _delivery(store, sample_built, "channel", channel).provider_id == provider


def test_apprise_bridge_posts_through_apprise(
    tmp_path: Path,
    store: Store,
    sample_built: Built,
    http_server: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler = Timed(ok())
    http_server.expect_request("/apprise", method="POST").respond_with_handler(handler)
    monkeypatch.setenv("TEST_APPRISE_URLS", f"json://127.0.0.1:{http_server.port}/apprise")
    senders = {"everywhere": {"type": "apprise", "urls_env": "TEST_APPRISE_URLS"}}

    report = app_with_senders(tmp_path, senders, store).send(sample_built)

    assert report.senders["everywhere"].sent == 1
    assert sample_built.renditions is not None
    push = sample_built.renditions.push
    payload = json.loads(handler.calls[0][2])
    assert payload["title"] == push.title
    assert payload["message"] == f"{push.body}\n{push.url}"
    assert _delivery(store, sample_built, "everywhere", "json#1").status == "sent"


def test_rate_limit_holds_in_every_one_second_window(
    tmp_path: Path,
    store: Store,
    sample_built: Built,
    http_server: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sender's ``messages_per_second`` reaches the limiter that paces its
    starts.  The limiter runs on an injected clock, so the check holds however
    late requests arrive on a busy machine (the limiter's own property is
    test_rate_limiter_holds_in_every_window)."""
    clock = FakeClock()
    starts: list[float] = []

    class Recorded(RateLimiter):
        def __init__(self, per_second: float | None) -> None:
            super().__init__(per_second, clock=clock, sleep=clock.sleep)

        def acquire(self) -> float:
            start = super().acquire()
            starts.append(start)
            return start

    monkeypatch.setattr("digest.delivery.RateLimiter", Recorded)
    handler = Timed(ok())
    http_server.expect_request("/", method="POST").respond_with_handler(handler)
    topics = [f"topic-{i}" for i in range(9)]
    senders = {
        "push": {
            "type": "ntfy",
            "base_url": http_server.url_for("/"),
            "topics": topics,
            "messages_per_second": 4,
        }
    }

    app_with_senders(tmp_path, senders, store).send(sample_built)

    assert len(handler.calls) == 9
    assert len(starts) == 9
    for i, start in enumerate(starts):
        assert sum(1 for t in starts[i:] if t < start + 1.0) <= 4
    assert max(starts) - min(starts) == pytest.approx(2.0)
