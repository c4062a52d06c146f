"""Subscriber names reach ``To:`` and the greeting without line breaks, encoded or
not, and without bidi controls."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email.policy import default
from email.utils import formataddr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.errors import RenderError
from digest.message import MessageTemplate, Personal, display_name, header_safe
from digest.model import EmailRendition
from digest.render.personal import (
    FIRST_NAME,
    NAME,
    UNSUBSCRIBE_URL,
    first_name_of,
    personalise,
)

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


_URL_TAILS = st.text(
    alphabet=st.sampled_from(list("abcXYZ019._~!$&()*+,;=:@/?-%'\"<> \t\u202e")), max_size=30
)


@given(
    name=st.text(max_size=40),
    first=st.text(max_size=12),
    url=st.builds(
        lambda scheme, tail: scheme + tail,
        st.sampled_from(
            [
                "https://example.com/u?token=",
                "http://a.example:8080/",
                "HTTPS://x.example",
                "ftp://x/",
            ]
        ),
        _URL_TAILS,
    ),
)
@settings(max_examples=300, deadline=None)
def test_the_per_copy_fast_paths_fill_exactly_what_personalise_does(
    name: str, first: str, url: str
) -> None:
    """The template fills plain URLs and ASCII names without the general
    substitution and remembers names; each copy must still be byte for byte what
    :func:`personalise` over the whole rendition gives."""
    html_part = "<p>%%first_name|reader%% %%name|you%%</p><a href=%%unsubscribe_url%%>x</a>"
    text_part = "Hi %%first_name|reader%% (%%name|you%%) %%unsubscribe_url%%"
    rendition = EmailRendition("Subject", "pre", html_part, text_part)
    template = MessageTemplate(
        rendition, sender='"Digest" <digest@example.com>', date=datetime(2020, 11, 23, tzinfo=UTC)
    )
    personal = Personal("ana@example.org", name, "<1@example.com>", url, "mailto:u@example.com",
                        first_name=first)  # fmt: skip
    shown = display_name(name)
    fills = {
        UNSUBSCRIBE_URL: url,
        NAME: shown,
        FIRST_NAME: header_safe(first)[:100] or first_name_of(shown),
    }
    try:
        expected = personalise(rendition, fills)
    except RenderError:
        with pytest.raises(RenderError):
            template.fill(personal)
        return
    for _ in range(2):  # the second time from what the template remembers
        message = email.message_from_bytes(template.fill(personal), policy=default)
        text, html = message.iter_parts()  # type: ignore[attr-defined]
        assert text.get_content().replace("\r\n", "\n") == expected.text
        assert html.get_content().replace("\r\n", "\n") == expected.html


@given(
    name=st.one_of(
        st.text(max_size=40),
        st.text(alphabet='abc .,;:@<>()[]\\"', max_size=20),
        st.sampled_from(["Rao, Asha", 'A "Q" B', "back\\slash", "Ünïcode Näme", "O'Brien"]),
    ),
    body=st.sampled_from(["Hi %%name|you%%", ".starts with a dot\n.%%name|you%%\n.", "plain"]),
)
@settings(max_examples=300, deadline=None)
def test_the_to_field_and_the_data_pieces_match_the_general_paths(name: str, body: str) -> None:
    """``To`` is what :func:`email.utils.formataddr` makes of the shown name (the
    template formats plain-ASCII names itself), and the pieces written after
    ``DATA`` are the filled message dot-stuffed, with the end-of-data line."""
    rendition = EmailRendition("Subject", "pre", f"<p>{body}</p>", body)
    template = MessageTemplate(
        rendition, sender='"Digest" <digest@example.com>', date=datetime(2020, 11, 23, tzinfo=UTC)
    )
    personal = Personal("ana@example.org", name, "<1@example.com>", "https://e.com/u?t=1",
                        "mailto:u@example.com")  # fmt: skip
    filled = template.fill(personal)
    to = formataddr((display_name(name), "ana@example.org"), charset="utf-8")
    assert filled.startswith(b"To: " + to.replace("\n", "\r\n").encode() + b"\r\nMessage-ID:")
    stuffed = re.sub(rb"(?m)^\.", b"..", filled) + b".\r\n"
    assert b"".join(template.data_pieces(personal)) == stuffed == template.fill_data(personal)
