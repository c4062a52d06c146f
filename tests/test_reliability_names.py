"""Subscriber names reach ``To:`` and the greeting without line breaks, encoded or
not, and without bidi controls."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.policy import default

import pytest

from digest.message import MessageTemplate, Personal, display_name
from digest.model import EmailRendition

HOSTILE_NAMES = [
    "=?utf-8?q?Ana=0D=0ABcc:_victim@example.org?=",
    "=?utf-8?b?QW5hDQpCY2M6IHZpY3RpbUBleGFtcGxlLm9yZw==?=",
    "Ana\r\nBcc: victim@example.org",
    "Ana\u2028Bcc: victim@example.org",
    "\u202egro.elpmaxe@ana\u202c",
    "Ana\u2066\u200b\u2069 Lima\x00\x1b[2J",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_cannot_add_a_header_or_flip_text(name: str) -> None:
    rendition = EmailRendition("Subject", "pre", "<p>Hi %%name|reader%%</p>", "Hi %%name|reader%%")
    template = MessageTemplate(
        rendition, sender='"Digest" <digest@example.com>', date=datetime(2020, 11, 23, tzinfo=UTC)
    )
    raw = template.fill(
        Personal(
            "ana@example.org",
            name,
            "<1@example.com>",
            "https://example.com/u?token=t",
            "mailto:u@example.com?subject=unsubscribe%20t",
        )
    )
    message = email.message_from_bytes(raw, policy=default)
    assert message["Bcc"] is None
    shown = str(message["To"])
    assert "\r" not in shown and "\n" not in shown
    assert not any(c in shown for c in "\u202e\u202c\u2066\u2069\u200b\u2028\x00\x1b")
    assert "victim@example.org>" not in shown.split("<")[0]
    (address,) = message["To"].addresses
    assert address.addr_spec == "ana@example.org"
    body = message.get_body(("plain",))
    assert body is not None and "\u202e" not in body.get_content()


def test_display_name_keeps_real_names() -> None:
    assert display_name("  Ana   Lima ") == "Ana Lima"
    assert display_name("अनु\u200dराधा") == "अनु\u200dराधा"  # the joiner stays
    assert display_name("Zoë 🇫🇷") == "Zoë 🇫🇷"
    assert len(display_name("x" * 500)) == 100
