"""Bounces and complaints: provider webhooks signed as each provider signs them
(SNS with a test certificate served on 127.0.0.1), DSNs from a file and on an
inbound SMTP port, synchronous 5xx answers; suppressed addresses get nothing in
the next edition.  Also DKIM and the CLI's unsubscribe forms."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import smtplib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dkim
import httpx
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

from digest.bounces.dsn import InboundHandler, apply_reports, read_report
from digest.bounces.providers import SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP, sns_string_to_sign
from digest.cli import main
from digest.edition import Built
from digest.store import Subscriber, open_store

from .conftest import SAMPLE_AS_OF
from .send_support import SECRET, _http_server_process, http_server
from .web_support import Clock, Site, client, parse, site, smtp, start_site

__all__ = ["_http_server_process", "client", "http_server", "site", "smtp"]
TOPIC = "arn:aws:sns:eu-west-1:123456789012:digest-bounces"
MAILGUN_KEY = "key-mailgun-test-0123"
POSTMARK_AUTH = "postmark:s3cret-pass"


def _certificate() -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.test.invalid")])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def sns_key() -> tuple[rsa.RSAPrivateKey, bytes]:
    """A test signing key and its certificate (PEM)."""
    return _certificate()


@pytest.fixture(scope="module")
def sendgrid_keys() -> tuple[ec.EllipticCurvePrivateKey, str]:
    """An ECDSA P-256 key and its public half as SendGrid shows it (base64 DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return key, base64.b64encode(der).decode()


@pytest.fixture
def hooks_site(
    tmp_path: Path,
    smtp: Any,
    monkeypatch: pytest.MonkeyPatch,
    http_server: HTTPServer,
    sendgrid_keys: tuple[ec.EllipticCurvePrivateKey, str],
) -> Iterator[Site]:
    """digest serve with every webhook on; SNS certificates from 127.0.0.1."""
    monkeypatch.setenv("TEST_SENDGRID_KEY", sendgrid_keys[1])
    monkeypatch.setenv("TEST_MAILGUN_KEY", MAILGUN_KEY)
    monkeypatch.setenv("TEST_POSTMARK_AUTH", POSTMARK_AUTH)
    bounces = {
        "sns_topics": [TOPIC],
        "sns_url_pattern": rf"^http://127\.0\.0\.1:{http_server.port}/",
        "sendgrid_key_env": "TEST_SENDGRID_KEY",
        "mailgun_key_env": "TEST_MAILGUN_KEY",
        "postmark_auth_env": "TEST_POSTMARK_AUTH",
    }
    yield from start_site(tmp_path, smtp, monkeypatch, bounces=bounces)


def _iso(clock: Clock) -> str:
    return dt.datetime.fromtimestamp(clock.now, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _sns(
    key: rsa.RSAPrivateKey, cert_url: str, message: dict[str, Any] | str, clock: Clock, **extra: Any
) -> dict[str, Any]:
    envelope = {
        "Type": "Notification",
        "MessageId": extra.pop("MessageId", "b7a8d5c2-0001"),
        "TopicArn": TOPIC,
        "Message": message if isinstance(message, str) else json.dumps(message),
        "Timestamp": _iso(clock),
        "SignatureVersion": "2",
        "SigningCertURL": cert_url,
        **extra,
    }
    algorithm = hashes.SHA1() if envelope["SignatureVersion"] == "1" else hashes.SHA256()
    signature = key.sign(sns_string_to_sign(envelope), padding.PKCS1v15(), algorithm)
    envelope["Signature"] = base64.b64encode(signature).decode()
    return envelope


def _ses_bounce(address: str, kind: str = "Permanent") -> dict[str, Any]:
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": kind,
            "bounceSubType": "General",
            "bouncedRecipients": [
                {"emailAddress": address, "diagnosticCode": "smtp; 550 5.1.1 user unknown"}
            ],
        },
        "mail": {"messageId": "0100-ses"},
    }


def test_ses_through_sns_signed_with_a_local_certificate(
    hooks_site: Site,
    client: httpx.Client,
    http_server: HTTPServer,
    sns_key: tuple[rsa.RSAPrivateKey, bytes],
) -> None:
    key, pem = sns_key
    http_server.expect_request("/SimpleNotificationService-test.pem").respond_with_data(pem)
    http_server.expect_request("/confirm-subscription").respond_with_data("<ok/>")
    cert_url = http_server.url_for("/SimpleNotificationService-test.pem")
    hooks_site.digest.store.add_subscribers(
        [Subscriber("hard@example.org"), Subscriber("angry@example.org")]
    )
    url = hooks_site.base + "/hooks/ses"

    # Subscribing the endpoint: SNS's confirmation URL is followed (it matches).
    confirm = _sns(
        key, cert_url, "You have chosen to subscribe", hooks_site.clock,
        Type="SubscriptionConfirmation", Token="tok",
        SubscribeURL=http_server.url_for("/confirm-subscription"),
    )  # fmt: skip
    assert client.post(url, json=confirm).json() == {"subscribed": True}

    bounce = _sns(key, cert_url, _ses_bounce("hard@example.org"), hooks_site.clock)
    answer = client.post(url, content=json.dumps(bounce))
    assert answer.status_code == 200 and answer.json()["outcomes"] == ["suppressed"]
    # The same message again (SNS retries, or someone replays it): nothing changes.
    assert client.post(url, content=json.dumps(bounce)).json()["outcomes"] == ["replayed"]
    complaint = _sns(
        key, cert_url,
        {"notificationType": "Complaint",
         "complaint": {"complainedRecipients": [{"emailAddress": "angry@example.org"}],
                       "complaintFeedbackType": "abuse"}},
        hooks_site.clock, MessageId="b7a8d5c2-0002", SignatureVersion="1", Subject="Complaint",
    )  # fmt: skip
    assert client.post(url, json=complaint).json()["outcomes"] == ["suppressed"]
    with hooks_site.store() as store:
        hard = store.suppression("hard@example.org")
        angry = store.suppression("angry@example.org")
        assert hard is not None and "hard bounce (ses)" in hard.reason
        assert angry is not None and angry.reason.startswith("complaint (ses)")

    # Forged, tampered, stale, other topic, certificate from elsewhere: refused.
    other = _sns(key, cert_url, _ses_bounce("x@example.org"), hooks_site.clock, MessageId="m3")
    tampered = {**other, "Message": json.dumps(_ses_bounce("victim@example.org"))}
    wrong_key = _sns(_certificate()[0], cert_url, _ses_bounce("v@example.org"), hooks_site.clock)
    elsewhere = {**other, "SigningCertURL": "https://evil.example/cert.pem"}
    topic = {**other, "TopicArn": "arn:aws:sns:eu-west-1:999:other"}
    hooks_site.clock.advance(7200)
    stale = other
    for body in (tampered, wrong_key, elsewhere, topic, stale, {"Type": "Notification"}):
        refused = client.post(url, json=body)
        assert refused.status_code == 400 and refused.json() == {"error": "refused"}
    assert client.post(url, content=b"{not json").status_code == 400
    with hooks_site.store() as store:
        assert store.suppression("victim@example.org") is None
        assert store.suppression("x@example.org") is None


def test_sendgrid_postmark_and_mailgun_signed_as_they_sign(
    hooks_site: Site,
    client: httpx.Client,
    sendgrid_keys: tuple[ec.EllipticCurvePrivateKey, str],
) -> None:
    key, _ = sendgrid_keys
    now = str(int(hooks_site.clock.now))
    events = json.dumps(
        [
            {"email": "sg-hard@example.org", "event": "bounce", "type": "bounce",
             "status": "5.1.1", "reason": "550 unknown", "sg_event_id": "sg1"},
            {"email": "sg-spam@example.org", "event": "spamreport", "sg_event_id": "sg2"},
            {"email": "sg-ok@example.org", "event": "delivered", "sg_event_id": "sg3"},
        ]
    ).encode()  # fmt: skip
    signature = base64.b64encode(key.sign(now.encode() + events, ec.ECDSA(hashes.SHA256())))
    headers = {SENDGRID_SIGNATURE: signature.decode(), SENDGRID_TIMESTAMP: now}
    answer = client.post(hooks_site.base + "/hooks/sendgrid", content=events, headers=headers)
    assert answer.json()["outcomes"] == ["suppressed", "suppressed", "unchanged"]
    tampered = events.replace(b"sg-hard", b"victim1")
    assert (
        client.post(hooks_site.base + "/hooks/sendgrid", content=tampered, headers=headers)
    ).status_code == 400
    assert client.post(hooks_site.base + "/hooks/sendgrid", content=events).status_code == 400

    # Postmark: the webhook's basic-auth credentials.
    record = {"RecordType": "Bounce", "ID": 42, "Type": "HardBounce", "TypeCode": 1,
              "Email": "pm@example.org", "Description": "Unable to deliver"}  # fmt: skip
    auth = base64.b64encode(POSTMARK_AUTH.encode()).decode()
    good = client.post(
        hooks_site.base + "/hooks/postmark", json=record, headers={"Authorization": f"Basic {auth}"}
    )
    assert good.json()["outcomes"] == ["suppressed"]
    bad = base64.b64encode(b"postmark:guess").decode()
    for headers in ({"Authorization": f"Basic {bad}"}, {}, {"Authorization": "Bearer x"}):
        assert (
            client.post(hooks_site.base + "/hooks/postmark", json=record, headers=headers)
        ).status_code == 400

    # Mailgun: HMAC of timestamp and token; a temporary failure is soft.
    def mailgun(address: str, event: str, severity: str, token: str) -> dict[str, Any]:
        signature = hmac.new(MAILGUN_KEY.encode(), (now + token).encode(), hashlib.sha256)
        return {
            "signature": {"timestamp": now, "token": token, "signature": signature.hexdigest()},
            "event-data": {"event": event, "severity": severity, "recipient": address,
                           "id": token, "delivery-status": {"code": 550, "message": "no"}},
        }  # fmt: skip

    hard = client.post(hooks_site.base + "/hooks/mailgun", json=mailgun("mg@example.org", "failed",
                       "permanent", "t1"))  # fmt: skip
    assert hard.json()["outcomes"] == ["suppressed"]
    forged = mailgun("victim2@example.org", "failed", "permanent", "t2")
    forged["signature"]["signature"] = "0" * 64
    assert client.post(hooks_site.base + "/hooks/mailgun", json=forged).status_code == 400
    hooks_site.clock.advance(3601)
    stale = mailgun("victim3@example.org", "failed", "permanent", "t3")
    assert client.post(hooks_site.base + "/hooks/mailgun", json=stale).status_code == 400
    with hooks_site.store() as store:
        for address in ("sg-hard", "sg-spam", "pm", "mg"):
            assert store.suppression(f"{address}@example.org") is not None, address
        for address in ("victim1", "victim2", "victim3", "sg-ok"):
            assert store.suppression(f"{address}@example.org") is None, address
    # A provider that is not configured does not exist.
    assert client.post(hooks_site.base + "/hooks/other", json={}).status_code == 404


def test_three_soft_bounces_in_a_row_suppress_and_a_delivery_resets(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        store.add_subscribers([Subscriber("soft@example.org")])
        assert store.record_bounce("soft@example.org", "soft", source="ses") == "counted"
        assert store.record_bounce("soft@example.org", "soft", source="ses") == "counted"
        assert store.record_bounce("soft@example.org", "delivered", source="ses") == "reset"
        assert store.record_bounce("soft@example.org", "soft", source="ses") == "counted"
        assert store.record_bounce("soft@example.org", "soft", source="ses") == "counted"
        assert store.is_active("soft@example.org")
        assert (
            store.record_bounce("soft@example.org", "soft", source="ses", detail="mailbox full")
            == "suppressed"
        )
        suppression = store.suppression("soft@example.org")
        assert suppression is not None
        assert suppression.reason == "3 soft bounces in a row (ses), last: mailbox full"
        assert store.count_subscribers() == 0


def _dsn(address: str, status: str = "5.1.1", action: str = "failed") -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.org\r\n"
        "To: bounces@mid-day.example\r\n"
        f"Message-ID: <dsn-{address}-{status}@mx.example.org>\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\nAction: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} User unknown\r\n\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: World News\r\n\r\n"
        "--b1--\r\n"
    ).encode()


def test_dsns_from_a_file_and_on_an_inbound_smtp_port(tmp_path: Path) -> None:
    assert [(e.address, e.kind) for e in read_report(_dsn("a@example.org"))] == [
        ("a@example.org", "hard")
    ]
    assert read_report(_dsn("a@example.org", "4.2.2"))[0].kind == "soft"
    assert read_report(_dsn("a@example.org", "2.0.0", "delivered"))[0].kind == "delivered"
    assert read_report(b"Subject: hello\r\n\r\nnot a report") == []
    assert read_report(_dsn("a@example.org")[:200]) == []  # truncated: nothing
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        store.add_subscribers([Subscriber("dsn@example.org"), Subscriber("tcp@example.org")])
        store.register_deliveries("world-x", "mail", ["dsn@example.org", "tcp@example.org"])
        # A report about an address we never mailed is not believed.
        assert apply_reports(store, [_dsn("stranger@example.org")], soft_limit=3) == ["unknown"]

    # Inbound SMTP: a mail server hands the DSN to digest bounces listen's handler.
    def apply(raw: bytes) -> None:
        with open_store(path) as s:
            apply_reports(s, [raw], soft_limit=3)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(InboundHandler(apply), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as conn:
            conn.sendmail("", ["bounces@mid-day.example"], _dsn("tcp@example.org"))
    finally:
        controller.stop()
    with open_store(path) as store:
        assert store.suppression("tcp@example.org") is not None

    # A DSN file through the CLI.
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{path}"\n', "utf-8")
    (tmp_path / "bounce.eml").write_bytes(_dsn("dsn@example.org"))
    result = CliRunner().invoke(
        main, ["--config", str(config), "bounces", "read", str(tmp_path / "bounce.eml")]
    )
    assert result.exit_code == 0 and "1 suppressed" in result.output
    shown = CliRunner().invoke(main, ["--config", str(config), "subscribers", "suppressed"])
    assert "dsn@example.org" in shown.output and "550 5.1.1" in shown.output
    history = CliRunner().invoke(
        main, ["--config", str(config), "subscribers", "history", "dsn@example.org"]
    )
    assert history.exit_code == 0
    assert "bounced" in history.output and "suppressed since" in history.output


def test_a_550_and_an_ses_bounce_leave_those_addresses_out_of_the_next_edition(
    hooks_site: Site,
    client: httpx.Client,
    http_server: HTTPServer,
    sns_key: tuple[rsa.RSAPrivateKey, bytes],
) -> None:
    key, pem = sns_key
    http_server.expect_request("/cert.pem").respond_with_data(pem)
    readers = ["ana@example.org", "refused@example.org", "ses@example.org"]
    hooks_site.digest.store.add_subscribers(Subscriber(a) for a in readers)
    hooks_site.recorder.rcpt_replies = {"refused@example.org": ["550 5.1.1 No such user"]}
    hooks_site.digest.ingest()
    first: Built = hooks_site.digest.build(SAMPLE_AS_OF)
    hooks_site.digest.send(first)
    assert sorted(to for to, _ in hooks_site.recorder.messages) == [
        "ana@example.org", "ses@example.org",
    ]  # fmt: skip
    bounce = _sns(key, http_server.url_for("/cert.pem"), _ses_bounce("ses@example.org"),
                  hooks_site.clock)  # fmt: skip
    assert client.post(hooks_site.base + "/hooks/ses", json=bounce).status_code == 200

    evening = hooks_site.digest.variant("evening")
    second = evening.build(SAMPLE_AS_OF)
    assert second.renditions is not None, second.hold
    hooks_site.recorder.messages.clear()
    report = evening.send(second)
    assert [to for to, _ in hooks_site.recorder.messages] == ["ana@example.org"]
    assert report.count("sent") == 1
    with hooks_site.store() as store:
        refused = store.suppression("refused@example.org")
        assert refused is not None and refused.reason.startswith("hard bounce (smtp mail)")


def test_dkim_signature_verifies_and_feedback_id(
    tmp_path: Path, smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    monkeypatch.setenv("TEST_DKIM_KEY", pem.decode())
    controller, recorder = smtp
    from .web_support import site_config

    config = site_config(controller.port, 8030, tmp_path)
    options = {**config.senders["mail"].options(), "dkim_selector": "news",
               "dkim_key_env": "TEST_DKIM_KEY", "feedback_id": "world:digest"}  # fmt: skip
    data = config.model_dump()
    data["senders"] = {"mail": {"type": "smtp", **options}}
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)
    from digest.config import Config
    from digest.edition import make_digest

    digest = make_digest(config=Config.model_validate(data))
    digest.store.add_subscribers([Subscriber("dk@example.org", name="Dee Kim")])
    digest.ingest()
    digest.send(digest.build(SAMPLE_AS_OF))
    raw = recorder.messages[0][1]
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"news._domainkey.mid-day.example."
        return record

    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=dns)
    assert not dkim.verify(raw.replace(b"Dee Kim", b"Dee Kin"), dnsfunc=dns)
    assert parse(raw)["Feedback-ID"] == "world:digest"
    digest.store.close()


def test_cli_unsubscribe_takes_the_whole_url_and_the_encoded_mailto_subject(
    site: Site,
) -> None:
    sender = site.service.verifiers[0]
    store = site.digest.store
    store.add_subscribers([Subscriber(a) for a in ("u1@example.org", "u2@example.org",
                                                   "u3@example.org")])  # fmt: skip
    config = site.tmp_path / "config.toml"
    data = site.digest.config.model_dump(mode="json", exclude={"base_dir"}, exclude_none=True)
    import tomli_w

    config.write_text(tomli_w.dumps(data), "utf-8")
    values = [
        f"{site.base}/unsubscribe?token={sender.token_for('u1@example.org')}",
        "unsubscribe%20" + sender.token_for("u2@example.org"),
        f"mailto:unsubscribe@mid-day.example?subject=unsubscribe%20{sender.token_for('u3@example.org')}",
    ]
    result = CliRunner().invoke(
        main, ["--config", str(config), "subscribers", "unsubscribe", *values]
    )
    assert result.exit_code == 0, result.output
    with site.store() as s:
        for address in ("u1", "u2", "u3"):
            assert not s.is_active(f"{address}@example.org")
            assert s.history(f"{address}@example.org")[-1].source == "cli"


def test_archive_cli_is_byte_identical_on_rerun(site: Site, client: httpx.Client) -> None:
    site.digest.store.add_subscribers([Subscriber("a@example.org")])
    site.digest.ingest()
    built = site.digest.build(SAMPLE_AS_OF)
    site.digest.send(built)
    config = site.tmp_path / "config.toml"
    import tomli_w

    config.write_text(
        tomli_w.dumps(
            site.digest.config.model_dump(mode="json", exclude={"base_dir"}, exclude_none=True)
        ),
        "utf-8",
    )
    outputs = []
    for name in ("one", "two"):
        out = site.tmp_path / name
        result = CliRunner().invoke(main, ["--config", str(config), "archive", "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    assert sorted(str(p) for p in outputs[0]) == sorted(
        ["feed.atom", "feed.json", "index.html", f"{built.edition.id}/index.html"]
    )
    # The server answers with the same bytes.
    for path, data in outputs[0].items():
        url = site.base + "/" + str(path).removesuffix("index.html")
        assert client.get(url).content == data, path
