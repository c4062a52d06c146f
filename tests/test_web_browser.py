"""The reader's pages in headless Debian chromium, driven like a person: sign up
through the form, confirm from the email that a real SMTP server received, read
the archive, unsubscribe with the one button."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.store import Subscriber
from tools.chromium import Chromium

from .conftest import SAMPLE_AS_OF
from .web_support import Site, body_text, link_in, parse, site, smtp

__all__ = ["site", "smtp"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
pytestmark = pytest.mark.browser


def test_sign_up_confirm_read_and_unsubscribe_in_a_browser(site: Site, chromium: Chromium) -> None:
    chromium.open(site.base + "/subscribe")
    assert chromium.evaluate("document.querySelectorAll('form button').length") == 1
    # The honeypot is there but out of sight.
    assert chromium.evaluate(
        "document.querySelector('input[name=website]').getBoundingClientRect().right < 0"
    )
    chromium.save_screenshot(ARTIFACTS / "web-subscribe.png")
    chromium.evaluate(
        "document.querySelector('#email').value = 'reader@example.org';"
        "document.querySelector('#name').value = 'Rae <i>Reader</i>';"
        "document.querySelector('#subscribe').click(); true"
    )
    chromium.wait_until("document.querySelector('h1') && "
                     "document.querySelector('h1').textContent === 'Check your inbox'")  # fmt: skip
    (to, raw), *_ = site.wait_for_mail(1)
    assert to == "reader@example.org"
    link = link_in(body_text(parse(raw)), "/newsletter/confirm?token=")

    chromium.open(link)
    with site.store() as store:
        assert not store.is_active("reader@example.org")
    chromium.evaluate("document.querySelector('#confirm').click(); true")
    chromium.wait_until("document.querySelector('h1').textContent === 'You are subscribed'")
    with site.store() as store:
        assert store.is_active("reader@example.org")
        subscriber = store.subscriber("reader@example.org")
        assert subscriber is not None and subscriber.name == "Rae <i>Reader</i>"

    # An edition goes out; the reader views it online and unsubscribes with one click.
    site.digest.store.add_subscribers([Subscriber("other@example.org")])
    site.digest.ingest()
    built = site.digest.build(SAMPLE_AS_OF)
    site.digest.send(built)
    raw = [r for to, r in site.wait_for_mail(3) if to == "reader@example.org"][-1]
    mail = parse(raw)
    assert "Rae" in body_text(mail, "html")
    view = link_in(body_text(mail, "html"), f"/newsletter/{built.edition.id}")
    chromium.open(view)
    assert chromium.evaluate("document.body.innerText.includes('1 Example Road')")
    assert not chromium.evaluate("document.body.innerText.includes('Rae')")
    chromium.save_screenshot(ARTIFACTS / "web-archive-edition.png")
    chromium.open(site.base + "/")
    assert chromium.evaluate(f"!!document.querySelector('a[href$=\"/{built.edition.id}\"]')")

    unsubscribe = link_in(str(mail["List-Unsubscribe"]), "/newsletter/unsubscribe?token=")
    chromium.open(unsubscribe)
    assert chromium.evaluate("document.querySelectorAll('button').length") == 1
    chromium.save_screenshot(ARTIFACTS / "web-unsubscribe.png")
    with site.store() as store:
        assert store.is_active("reader@example.org"), "opening the page unsubscribes nobody"
    chromium.evaluate("document.querySelector('#unsubscribe').click(); true")
    chromium.wait_until("document.querySelector('h1').textContent === 'You are unsubscribed'")
    with site.store() as store:
        assert not store.is_active("reader@example.org")
        assert store.is_active("other@example.org")
        assert store.history("reader@example.org")[-1].source == "one-click"
