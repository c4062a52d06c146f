"""``digest serve`` driven over real HTTP: archive, RFC 8058 one-click unsubscribe,
double opt-in sign-up, preferences, and hostile input.  The server is uvicorn on
127.0.0.1 (an ephemeral port), mail goes through a real aiosmtpd server, and time
is an injected clock."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from digest.edition import Built
from digest.store import Subscriber

from .conftest import SAMPLE_AS_OF
from .send_support import SECRET
from .web_support import (
    Site,
    body_text,
    client,
    link_in,
    new_client,
    parse,
    site,
    smtp,
)

__all__ = ["client", "site", "smtp"]  # fixtures
ATOM = "{http://www.w3.org/2005/Atom}"


def _send_sample(site: Site, addresses: list[str]) -> Built:
    site.digest.store.add_subscribers(Subscriber(a, name="Reader") for a in addresses)
    site.digest.ingest()
    built = site.digest.build(SAMPLE_AS_OF)
    report = site.digest.send(built)
    assert report.count("sent") == len(addresses), report.failed
    return built


def _mail_to(site: Site, address: str) -> bytes:
    found = [raw for to, raw in site.recorder.messages if to == address]
    assert found, f"nothing sent to {address}"
    return found[-1]


def test_edition_archive_and_one_click_unsubscribe_as_gmail_does(
    site: Site, client: httpx.Client
) -> None:
    built = _send_sample(site, ["ana@example.org", "ben@example.org"])
    message = parse(_mail_to(site, "ana@example.org"))

    # Compliance headers and the postal address in both parts.
    assert message["Precedence"] == "bulk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html, text = body_text(message, "html"), body_text(message, "plain")
    assert "1 Example Road, Mumbai" in html and "1 Example Road, Mumbai" in text
    # The config names only site_url: both links point at digest serve.
    one_click = link_in(str(message["List-Unsubscribe"]), "/newsletter/unsubscribe?token=")
    assert one_click.startswith(site.base + "/unsubscribe?token=")
    view = link_in(html, f"/newsletter/{built.edition.id}")
    assert view.startswith(site.base + f"/{built.edition.id}")

    # View in browser: the edition as sent, nobody's own parts in it.
    page = client.get(view)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert built.edition.picks[0].article.title.split()[0] in page.text
    assert "ana@example.org" not in page.text and "token=" not in page.text
    assert "%%" not in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    index = client.get(site.base + "/")
    assert index.status_code == 200 and f"/newsletter/{built.edition.id}" in index.text
    atom = ET.fromstring(client.get(site.base + "/feed.atom").content)
    entries = atom.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [site.base + f"/{built.edition.id}"]
    feed = client.get(site.base + "/feed.json").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["url"] == site.base + f"/{built.edition.id}"

    # A link scanner fetching the link unsubscribes nobody: one button, no change.
    shown = client.get(one_click)
    assert shown.status_code == 200 and shown.text.count("<button") == 1
    assert 'name="List-Unsubscribe" value="One-Click"' in shown.text
    with site.store() as store:
        assert store.is_active("ana@example.org")

    # Gmail's POST: unsubscribed at once, no cookie, no confirmation step.
    done = client.post(
        one_click,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200 and "unsubscribed" in done.text
    with site.store() as store:
        assert not store.is_active("ana@example.org")
        assert store.is_active("ben@example.org")
        last = store.history("ana@example.org")[-1]
        assert (last.event, last.source) == ("unsubscribed", "one-click")

    # Yahoo sends multipart/form-data: also understood.
    ben = link_in(str(parse(_mail_to(site, "ben@example.org"))["List-Unsubscribe"]), "token=")
    multipart = client.post(ben, files={"List-Unsubscribe": (None, "One-Click")})
    assert multipart.status_code == 200
    with site.store() as store:
        assert not store.is_active("ben@example.org")


def test_bad_forged_truncated_and_replayed_unsubscribe_tokens_change_nothing(
    site: Site, client: httpx.Client
) -> None:
    sender = site.service.verifiers[0]
    good = sender.token_for("ana@example.org")
    site.digest.store.add_subscribers([Subscriber("ana@example.org")])
    forged_sig = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    other = good.split(".")[0][:-2] + "xx." + good.split(".")[1]
    hostile = [forged_sig, good[:-5], good.split(".")[0], other, "é" * 20, "A" * 5000, ".", "%00"]
    for token in hostile:
        url = f"{site.base}/unsubscribe?token={quote(token)}"
        shown = client.get(url)
        assert shown.status_code == 400, token
        posted = client.post(url, data={"List-Unsubscribe": "One-Click"})
        assert posted.status_code == 400, token
        assert "Traceback" not in posted.text
        prefs = client.get(f"{site.base}/preferences?token={quote(token)}")
        assert prefs.status_code == 400
    with site.store() as store:
        assert store.is_active("ana@example.org")
        assert [e.event for e in store.history("ana@example.org")] == ["imported"]
    # Without the One-Click body a POST does nothing either.
    url = f"{site.base}/unsubscribe?token={good}"
    assert client.post(url, data={"List-Unsubscribe": "Later"}).status_code == 400
    with site.store() as store:
        assert store.is_active("ana@example.org")
    # A replay of a good one-click POST is harmless: still unsubscribed, one event.
    for _ in range(2):
        assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with site.store() as store:
        assert [e.event for e in store.history("ana@example.org")].count("unsubscribed") == 1


def _form(client: httpx.Client, site: Site) -> str:
    page = client.get(site.base + "/subscribe")
    assert page.status_code == 200
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return token


def test_signup_double_opt_in_through_real_smtp(site: Site, client: httpx.Client) -> None:
    csrf = _form(client, site)
    answer = client.post(
        site.base + "/subscribe",
        data={"csrf": csrf, "email": "zoe@example.org", "name": "<b>Zoë</b> & co",
              "lists": ["weekend"], "website": ""},
    )  # fmt: skip
    assert answer.status_code == 200 and "Check your inbox" in answer.text
    with site.store() as store:
        assert not store.is_active("zoe@example.org"), "not active before confirming"
    (to, raw), *_ = site.wait_for_mail(1)
    assert to == "zoe@example.org"
    mail = parse(raw)
    assert mail["Auto-Submitted"] == "auto-generated"
    link = link_in(body_text(mail), "/newsletter/confirm?token=")

    # Following the link shows a button; only pressing it confirms.
    shown = client.get(link)
    assert shown.status_code == 200 and shown.text.count("<button") == 1
    assert "zoe@example.org" in shown.text
    with site.store() as store:
        assert not store.is_active("zoe@example.org")
    token = parse_qs(urlsplit(link).query)["token"][0]
    done = client.post(site.base + "/confirm", data={"token": token})
    assert done.status_code == 200 and "You are subscribed" in done.text
    with site.store() as store:
        assert store.is_active("zoe@example.org")
        assert store.lists_of("zoe@example.org") == ["weekend"]
        subscriber = store.subscriber("zoe@example.org")
        assert subscriber is not None and subscriber.name == "<b>Zoë</b> & co"
        events = [(e.event, e.source) for e in store.history("zoe@example.org")]
        assert events == [("subscribed", "web"), ("confirmed", "web")]

    # Replayed after leaving: nothing changes.
    sender = site.service.verifiers[0]
    client.post(
        f"{site.base}/unsubscribe?token={sender.token_for('zoe@example.org')}",
        data={"List-Unsubscribe": "One-Click"},
    )
    again = client.post(site.base + "/confirm", data={"token": token})
    assert again.status_code == 200 and "Already confirmed" in again.text
    with site.store() as store:
        assert not store.is_active("zoe@example.org")


def test_confirmation_links_expire_and_forgeries_fail(site: Site, client: httpx.Client) -> None:
    token = site.service.signer.confirm_token("old@example.org", "", ("default",))
    site.clock.advance(48 * 3600 + 1)
    for bad in (token, token[:-3], token.replace(".", ".x", 1), "x" * 3000, ""):
        assert client.get(f"{site.base}/confirm?token={quote(bad)}").status_code == 400
        assert client.post(site.base + "/confirm", data={"token": bad}).status_code == 400
    fresh = site.service.signer.confirm_token("new@example.org", "", ("default",))
    site.clock.advance(-10 * 3600)  # a token from the future is refused too
    assert client.post(site.base + "/confirm", data={"token": fresh}).status_code == 400
    with site.store() as store:
        assert not store.is_active("old@example.org") and not store.is_active("new@example.org")


def test_signup_answers_the_same_whether_or_not_the_address_exists(
    site: Site, client: httpx.Client
) -> None:
    site.digest.store.add_subscribers([Subscriber("known@example.org")])
    site.digest.store.add_subscribers([Subscriber("gone@example.org", unsubscribed=True)])
    site.digest.store.record_bounce("bounced@example.org", "hard", source="ses", detail="550")
    answers = []
    for address in ("known@example.org", "new@example.org", "gone@example.org",
                    "bounced@example.org"):  # fmt: skip
        json_answer = client.post(site.base + "/api/subscribe", json={"email": address})
        csrf = _form(client, site)
        form_answer = client.post(site.base + "/subscribe", data={"csrf": csrf, "email": address})
        answers.append(
            (json_answer.status_code, json_answer.text, form_answer.status_code, form_answer.text)
        )
    assert len(set(answers)) == 1, answers
    assert answers[0][0] == 202 and answers[0][2] == 200
    # The suppressed address got no mail; the others one confirmation each per answer.
    site.wait_for_mail(6)
    assert sorted({to for to, _ in site.recorder.messages}) == [
        "gone@example.org", "known@example.org", "new@example.org",
    ]  # fmt: skip


def test_csrf_honeypot_and_html_in_names(site: Site, client: httpx.Client) -> None:
    # No cookie (another site's form): refused, no mail.
    forged = client.post(site.base + "/subscribe", data={"csrf": "x", "email": "v@example.org"})
    assert forged.status_code == 403
    csrf = _form(client, site)
    evil = client.post(
        site.base + "/subscribe",
        data={"csrf": csrf, "email": "v@example.org"},
        headers={"Origin": "https://evil.example"},
    )
    assert evil.status_code == 403
    cross = client.post(
        site.base + "/subscribe",
        data={"csrf": csrf, "email": "v@example.org"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert cross.status_code == 403
    # A cookie from one browser with the field from another: refused.
    with new_client() as other:
        other_csrf = _form(other, site)
    assert (
        client.post(site.base + "/subscribe", data={"csrf": other_csrf, "email": "v@example.org"})
    ).status_code == 403
    # The honeypot: the same answer as a person gets, and nothing sent.
    bot = client.post(
        site.base + "/subscribe",
        data={"csrf": csrf, "email": "bot@example.org", "website": "http://spam.example"},
    )
    person = client.post(site.base + "/subscribe", data={"csrf": csrf, "email": "p@example.org"})
    assert (bot.status_code, bot.text) == (person.status_code, person.text)
    site.wait_for_mail(1)
    assert [to for to, _ in site.recorder.messages] == ["p@example.org"]
    # HTML in a name is text on every page and in the mail.
    client.post(
        site.base + "/api/subscribe",
        json={"email": "h@example.org", "name": "<script>alert(1)</script>"},
    )
    raw = next(r for to, r in site.wait_for_mail(2) if to == "h@example.org")
    link = link_in(body_text(parse(raw)), "/newsletter/confirm?token=")
    token = parse_qs(urlsplit(link).query)["token"][0]
    client.post(site.base + "/confirm", data={"token": token})
    prefs = client.get(
        f"{site.base}/preferences?token={site.service.verifiers[0].token_for('h@example.org')}"
    )
    assert prefs.status_code == 200 and "<script>" not in prefs.text


@pytest.mark.slow
def test_ten_thousand_signups_from_one_address_no_mail_storm(
    site: Site, client: httpx.Client
) -> None:
    statuses: dict[int, int] = {}
    for n in range(10_000):
        answer = client.post(site.base + "/api/subscribe", json={"email": f"r{n}@example.org"})
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    assert statuses == {202: 10, 429: 9_990}
    # One email address asked for from many networks (a trusted proxy says which):
    # three confirmations a day at most, the same answer every time.
    for n in range(50):
        answer = client.post(
            site.base + "/api/subscribe",
            json={"email": "victim@example.org"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        assert answer.status_code == 202
    site.wait_for_mail(13)
    victim = [to for to, _ in site.recorder.messages if to == "victim@example.org"]
    assert len(victim) == 3 and len(site.recorder.messages) == 13
    # An hour later (by the injected clock) the network may ask again.
    site.clock.advance(3601)
    again = client.post(site.base + "/api/subscribe", json={"email": "later@example.org"})
    assert again.status_code == 202


def test_oversized_and_malformed_bodies(site: Site, client: httpx.Client) -> None:
    big = b"x" * 70_000
    for path in ("/subscribe", "/api/subscribe", "/confirm", "/hooks/ses", "/unsubscribe"):
        answer = client.post(
            site.base + path, content=big, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 413, path

    def chunks() -> object:
        for _ in range(100):
            yield b"y" * 1000

    streamed = client.post(
        site.base + "/api/subscribe",
        content=chunks(),  # type: ignore[arg-type]
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    for body in (b"{", b"[]", b'{"email": 5}', b"\xff\xfe", b'{"email": "a@b.example",'):
        answer = client.post(
            site.base + "/api/subscribe", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code in (400, 202) and "Traceback" not in answer.text
    wrong_type = client.post(site.base + "/api/subscribe", data={"email": "a@example.org"})
    assert wrong_type.status_code == 415
    assert client.get(site.base + "/no-such-edition").status_code == 404
    assert client.get(site.base + "/..%2f..%2fetc%2fpasswd").status_code == 404


def test_preferences_lists_and_unsubscribe_from_all(site: Site, client: httpx.Client) -> None:
    site.digest.store.add_subscribers([Subscriber("pia@example.org")])
    token = site.service.verifiers[0].token_for("pia@example.org")
    page = client.get(f"{site.base}/preferences?token={token}")
    assert page.status_code == 200 and 'value="weekend"' in page.text
    saved = client.post(
        site.base + "/preferences", data={"token": token, "action": "save",
                                          "lists": ["default", "weekend", "evil"]},
    )  # fmt: skip
    assert saved.status_code == 200 and "Saved." in saved.text
    with site.store() as store:
        assert store.lists_of("pia@example.org") == ["default", "weekend"]
        assert store.count_subscribers("weekend") == 1
    out = client.post(site.base + "/preferences", data={"token": token, "action": "unsubscribe"})
    assert out.status_code == 200 and "unsubscribed from every list" in out.text
    with site.store() as store:
        assert not store.is_active("pia@example.org")
        assert store.history("pia@example.org")[-1].source == "preferences"


def test_security_headers_and_no_token_leaks(site: Site, client: httpx.Client) -> None:
    page = client.get(site.base + "/subscribe")
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    assert "httponly" in page.headers["set-cookie"].lower()
    assert client.get(site.base + "/unsubscribe").status_code == 200  # no token: how-to page
    assert SECRET not in page.text
    health = client.get(site.base + "/health")
    assert health.text == "ok\n"
    assert json.loads(client.get(site.base + "/feed.json").text)["items"] == []
