"""Web Push on ``digest serve`` (uvicorn on loopback): the page, script and
service worker in headless chromium without a script error; a subscription saved
through the page's own script; an edition sent to it and decrypted by the stand-in
push service with the browser's keys; the endpoints' checks over plain HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from digest.senders.webpush import WebPushSender, new_private_key, public_key, write_private_key
from tools.chromium import Chromium

from .conftest import SAMPLE_AS_OF
from .send_support import Recorder, _http_server_process, http_server
from .web_support import Site, client, site, smtp, start_site
from .webpush_api import PushService

__all__ = ["_http_server_process", "client", "http_server", "site", "smtp"]
NOW = 1_700_000_000.0


@pytest.fixture
def push_service(
    http_server: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> PushService:
    """A VAPID key in tmp_path/vapid.pem and a stand-in push service for it."""
    key = new_private_key()
    write_private_key(tmp_path / "vapid.pem", key, force=False)
    monkeypatch.setattr(WebPushSender, "clock", staticmethod(lambda: NOW))
    service = PushService(http_server.url_for("/").rstrip("/"), public_key(key), NOW)
    http_server.expect_request(re.compile(r"/push/[\w-]+"), method="POST").respond_with_handler(
        service
    )
    return service


@pytest.fixture
def push_site(
    tmp_path: Path,
    smtp: tuple[Controller, Recorder],
    monkeypatch: pytest.MonkeyPatch,
    push_service: PushService,
) -> Iterator[Site]:
    """``digest serve`` with a webpush sender."""
    browser_sender = {
        "type": "webpush",
        "private_key_file": str(tmp_path / "vapid.pem"),
        "subject": "mailto:newsroom@example.com",
        "push_services": ["127.0.0.1"],
    }
    yield from start_site(tmp_path, smtp, monkeypatch, senders={"browser": browser_sender})


def errors(events: list[dict[str, Any]]) -> list[str]:
    """Script exceptions, console errors and browser log errors among CDP events."""
    found = []
    for event in events:
        params = event.get("params", {})
        if event["method"] == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append(str(details.get("exception", {}).get("description") or details["text"]))
        elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") == "error":
            found.append(json.dumps(params.get("args"))[:300])
        elif (
            event["method"] == "Log.entryAdded"
            and params["entry"]["level"] == "error"
            and not params["entry"].get("url", "").endswith("/favicon.ico")
        ):
            found.append(json.dumps(params["entry"])[:300])
    return found


@pytest.mark.browser
def test_subscription_page_in_chromium_then_an_edition_to_the_subscriber(
    push_site: Site, push_service: PushService, chromium: Chromium
) -> None:
    chromium.page("Runtime.enable")
    chromium.page("Log.enable")
    chromium.open(push_site.base + "/push/")
    chromium.wait_until("['ready', 'subscribed', 'unsupported', 'error']"
                      ".includes(document.documentElement.dataset.push)")  # fmt: skip
    state = chromium.evaluate("document.documentElement.dataset.push")
    shown = chromium.evaluate("document.getElementById('push-status').textContent")
    assert state == "ready", shown
    assert chromium.evaluate("document.getElementById('push-toggle').disabled") is False
    assert chromium.evaluate(
        "navigator.serviceWorker.getRegistration('/newsletter/push/')"
        ".then(r => !!(r && r.active && r.active.scriptURL.endsWith('/newsletter/push/sw.js')))",
        wait=True,
    )
    # The page's own script saves a subscription (as after PushManager.subscribe).
    browser_keys = push_service.browser("reader")
    saved = chromium.evaluate(f"digestPush.save({json.dumps(browser_keys.to_json())})", wait=True)
    assert saved == {"subscribed": True}
    assert errors(chromium.events) == []
    # (The check sees an error when there is one.)
    chromium.evaluate("setTimeout(() => { throw new Error('probe'); }, 0); true")
    chromium.wait_until("true")
    chromium.evaluate("new Promise(r => setTimeout(() => r(true), 50))", wait=True)
    assert any("probe" in e for e in errors(chromium.events))
    with push_site.store() as store:
        assert [s.endpoint for s in store.push_subscriptions()] == [browser_keys.endpoint]

    # An edition goes out: the push service gets it encrypted for that browser.
    push_site.digest.ingest()
    built = push_site.digest.build(SAMPLE_AS_OF)
    report = push_site.digest.send(built, only=["browser"])
    assert report.senders["browser"].sent == 1 and push_service.problems == []
    assert built.public is not None
    push = built.public.push
    assert push_service.received["reader"] == [
        {"title": push.title, "body": push.body, "url": push.url, "image": push.image,
         "tag": built.edition.id}
    ]  # fmt: skip


def test_push_endpoints_check_what_they_are_sent(
    push_site: Site, push_service: PushService, client: httpx.Client
) -> None:
    api = push_site.base + "/push/api/"
    page = client.get(push_site.base + "/push/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get(push_site.base + "/push").status_code == 308
    worker = client.get(push_site.base + "/push/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    good = push_service.browser("reader").to_json()
    own = {"Origin": push_site.origin}
    assert client.post(api + "subscribe", json=good, headers=own).status_code == 201
    assert client.post(api + "subscribe", json=good, headers=own).status_code == 200
    other = {"Origin": "https://evil.example"}
    assert client.post(api + "subscribe", json=good, headers=other).status_code == 403
    form = client.post(api + "subscribe", data={"endpoint": "x"}, headers=own)
    assert form.status_code == 415
    evil = {**good, "endpoint": "http://10.1.2.3/push/x"}
    refused = client.post(api + "subscribe", json=evil, headers=own)
    assert refused.status_code == 400 and "push service" in refused.json()["error"]
    with push_site.store() as store:
        assert store.count_push_subscriptions() == 1
    gone = client.post(api + "unsubscribe", json={"endpoint": good["endpoint"]}, headers=own)
    assert gone.json() == {"subscribed": False}
    with push_site.store() as store:
        assert store.count_push_subscriptions() == 0


def test_without_a_webpush_sender_there_is_no_push_page(site: Site, client: httpx.Client) -> None:
    assert client.get(site.base + "/push/").status_code == 404
    assert client.get(site.base + "/push/sw.js").status_code == 404
    answer = client.post(
        site.base + "/push/api/subscribe", json={}, headers={"Origin": site.origin}
    )
    assert answer.status_code == 404
