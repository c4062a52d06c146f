"""The telegram sender against a local stand-in for the Bot API (tests/telegram_api.py):
sendPhoto with the caption, sendMessage with link preview options, the fallback when
Telegram refuses the picture, 429 retry_after, a bad token, and the token kept out
of errors, logs and describe()."""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from digest.delivery import RetryPolicy, deliver
from digest.errors import SendError, SenderUnavailable
from digest.render.telegram import shown_length
from digest.senders import Outgoing, Recipient, build_sender
from digest.senders.telegram import TelegramSender
from digest.store import Store

from .golden.edition import edition, renderer
from .send_support import _http_server_process, http_server
from .telegram_api import BotApi, parse_html

__all__ = ["_http_server_process", "http_server"]

TOKEN = "7031234567:AAF-very_secret_bot_token-x1"
CHANNEL = "@worldnewsdigest"


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TELEGRAM_TOKEN", TOKEN)


@pytest.fixture(scope="module")
def golden_outgoing() -> Outgoing:
    """The golden fixture edition (its lead has a picture), as every sender gets it."""
    built = edition()
    renditions = renderer("en").render(built)
    return Outgoing(built, renditions, renditions)


def api(server: HTTPServer, *script: tuple[int, dict[str, Any]]) -> BotApi:
    bot = BotApi(TOKEN, list(script))
    server.expect_request(re.compile(r"/bot[^/]+/\w+")).respond_with_handler(bot)
    return bot


def sender(server: HTTPServer, tmp_path: Path, **options: Any) -> TelegramSender:
    built = build_sender(
        "tg",
        "telegram",
        {"token_env": "TEST_TELEGRAM_TOKEN", "chats": [CHANNEL, "-1001234567890"],
         "base_url": server.url_for("/").rstrip("/"), **options},
        tmp_path,
    )  # fmt: skip
    assert isinstance(built, TelegramSender)
    return built


def test_lead_picture_goes_as_send_photo_with_the_caption(
    http_server: HTTPServer, tmp_path: Path, golden_outgoing: Outgoing
) -> None:
    bot = api(http_server)
    result = sender(http_server, tmp_path, silent=True).send(golden_outgoing, Recipient(CHANNEL))
    assert bot.problems == []
    ((method, body),) = bot.calls
    post = golden_outgoing.public.telegram
    assert method == "sendPhoto"
    assert body == {"chat_id": CHANNEL, "parse_mode": "HTML", "disable_notification": True,
                    "photo": post.photo, "caption": post.caption}  # fmt: skip
    assert body["photo"] == "https://images.mid-day.com/images/2020/11/g20-summit.jpg"
    assert "&lt;script&gt;" in body["caption"] and "<script" not in body["caption"]
    assert result.provider_id == "101"


def test_text_post_with_a_large_preview_of_the_lead(
    http_server: HTTPServer, tmp_path: Path, golden_outgoing: Outgoing
) -> None:
    bot = api(http_server)
    sender(http_server, tmp_path, photo=False).send(golden_outgoing, Recipient("-1001234567890"))
    ((method, body),) = bot.calls
    assert method == "sendMessage" and bot.problems == []
    assert body["chat_id"] == "-1001234567890" and body["parse_mode"] == "HTML"
    assert body["link_preview_options"] == {
        "url": golden_outgoing.public.telegram.preview_url,
        "prefer_large_media": True,
        "show_above_text": True,
    }
    shown = parse_html(body["text"])
    assert shown.startswith("🌍 World News Digest\nMonday, 23 November 2020")
    assert '<script>alert("pwned")</script>' in shown, "shown as text, not markup"
    assert 'href="https://www.mid-day.com/news/world-news/article/story-03?' in body["text"]

    bot.calls.clear()
    sender(http_server, tmp_path, photo=False, link_preview="off").send(
        golden_outgoing, Recipient(CHANNEL)
    )
    assert bot.calls[0][1]["link_preview_options"] == {"is_disabled": True}


def test_a_picture_telegram_cannot_fetch_falls_back_to_the_text(
    http_server: HTTPServer, tmp_path: Path, golden_outgoing: Outgoing
) -> None:
    refused = {"ok": False, "error_code": 400,
               "description": "Bad Request: wrong file identifier/HTTP URL specified"}  # fmt: skip
    bot = api(http_server, (400, refused), (200, {}))
    result = sender(http_server, tmp_path).send(golden_outgoing, Recipient(CHANNEL))
    assert [m for m, _ in bot.calls] == ["sendPhoto", "sendMessage"]
    assert result.detail == "sent as text: Telegram refused the picture"


def test_limits_are_checked_before_calling(
    http_server: HTTPServer, tmp_path: Path, golden_outgoing: Outgoing
) -> None:
    import dataclasses

    bot = api(http_server)
    long_post = dataclasses.replace(golden_outgoing.public.telegram, text="x" * 4097)
    public = dataclasses.replace(golden_outgoing.public, telegram=long_post)
    with pytest.raises(SendError, match="over 4096") as caught:
        sender(http_server, tmp_path).send(
            dataclasses.replace(golden_outgoing, public=public), Recipient(CHANNEL)
        )
    assert caught.value.permanent and bot.calls == []
    assert shown_length(golden_outgoing.public.telegram.caption) <= 1024


def test_429_retry_after_is_honoured_through_the_delivery_log(
    http_server: HTTPServer, tmp_path: Path, golden_outgoing: Outgoing, store: Store
) -> None:
    flood = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
             "parameters": {"retry_after": 7}}  # fmt: skip
    bot = api(http_server, (429, flood))
    tg = sender(http_server, tmp_path)
    with pytest.raises(SendError) as caught:
        tg.send(golden_outgoing, Recipient(CHANNEL))
    assert caught.value.retry_after == 7.0 and not caught.value.permanent

    # Longer than this run may wait: left pending, with what Telegram asked for.
    policy = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=5.0)
    report = deliver(store, "tg", tg, golden_outgoing, [Recipient(CHANNEL)], policy=policy,
                     rng=random.Random(1))  # fmt: skip
    assert report.pending == 1
    found = store.delivery(golden_outgoing.edition.id, "tg", CHANNEL)
    assert found is not None and "asked to wait 7 s" in found.last_error

    # A wait this run can afford: retried, then sent.
    bot.script[:] = [(429, {**flood, "parameters": {"retry_after": 0}}), (200, {})]
    report = deliver(store, "tg", tg, golden_outgoing, [Recipient(CHANNEL)], policy=policy)
    assert report.sent == 1 and report.retries == 1
    found = store.delivery(golden_outgoing.edition.id, "tg", CHANNEL)
    assert found is not None and found.status == "sent" and found.attempts == 3


def test_a_bad_token_stops_the_sender_and_is_never_shown(
    http_server: HTTPServer,
    tmp_path: Path,
    golden_outgoing: Outgoing,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api(http_server)
    wrong = "7031234567:AAF-wrong_token_also_secret"
    monkeypatch.setenv("TEST_TELEGRAM_TOKEN", wrong)
    caplog.set_level(logging.DEBUG)
    tg = sender(http_server, tmp_path)
    with pytest.raises(SenderUnavailable) as caught:
        tg.send(golden_outgoing, Recipient(CHANNEL))
    assert "HTTP 404" in str(caught.value) and "sendPhoto" in str(caught.value)
    # Nobody listening: the connection error does not carry the URL either.
    closed = sender(http_server, tmp_path, base_url="http://127.0.0.1:9")
    with pytest.raises(SendError) as refused:
        closed.send(golden_outgoing, Recipient(CHANNEL))
    # Our side's logs (the stand-in server's own access log is not ours).
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    everything = str(caught.value) + str(refused.value) + ours + tg.describe()
    assert "HTTP Request: POST" in ours, "httpx logged the request..."
    assert wrong not in everything and "AAF-wrong" not in everything, "...without the token"
    assert "/bot<token>/sendPhoto" in ours


def test_bad_chats_and_tokens_are_config_errors(tmp_path: Path) -> None:
    from digest.errors import ConfigError

    with pytest.raises(ConfigError, match="'worldnews digest' is not a chat"):
        build_sender("tg", "telegram", {"token_env": "TEST_TELEGRAM_TOKEN",
                                        "chats": ["worldnews digest"]}, tmp_path)  # fmt: skip
    with pytest.raises(ConfigError, match="photo: must be true or false"):
        build_sender("tg", "telegram", {"token_env": "TEST_TELEGRAM_TOKEN", "chats": [CHANNEL],
                                        "photo": "yes"}, tmp_path)  # fmt: skip
