"""The ses sender's SigV4 signer gives the headers botocore's ``SigV4Auth`` gives
for the same call, credentials and clock (the provider server checks the
signatures it receives with botocore too)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials, ReadOnlyCredentials

from digest.senders.sigv4 import CallSigner

BODY = b'{"FromEmailAddress":"Digest <d@example.com>","BulkEmailEntries":[]}'


def botocore_headers(
    url: str, credentials: Credentials, when: datetime, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """What ``SigV4Auth`` adds to a JSON ``POST`` of ``BODY`` at ``when``."""
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: when.replace(tzinfo=None))
    request = AWSRequest(
        method="POST", url=url, data=BODY, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(credentials, "ses", "eu-west-1").add_auth(request)
    return {k: str(v) for k, v in request.headers.items()}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8123/v2/email/outbound-bulk-emails",
        "https://email.eu-west-1.amazonaws.com/v2/email/outbound-bulk-emails",
        "https://Email.Example.COM:443/proxy/./ses/../v2/email/outbound-bulk-emails",
        "http://[::1]:9000/v2/email/outbound-bulk-emails",
    ],
)
@pytest.mark.parametrize("token", [None, "session  token/with+odd=chars"])
def test_headers_are_botocores(url: str, token: str | None, monkeypatch: Any) -> None:
    credentials = Credentials("AKIDEXAMPLE", "secret/key+1", token)
    when = datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC)
    signer = CallSigner(
        credentials.get_frozen_credentials, url, "eu-west-1", "ses", wall=when.timestamp
    )
    expected = botocore_headers(url, credentials, when, monkeypatch)
    assert list(signer.headers(BODY).items()) == list(expected.items())  # in order too


def test_a_new_day_and_refreshed_keys_sign_with_a_new_key(monkeypatch: Any) -> None:
    """The derived key is kept for one day and one secret: the next day's call,
    and a call after the keys were refreshed, are signed as botocore signs them."""
    url = "https://email.eu-west-1.amazonaws.com/v2/email/outbound-bulk-emails"
    keys = [ReadOnlyCredentials("AKIDONE", "first-secret", None)]
    now = [datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC)]
    signer = CallSigner(lambda: keys[0], url, "eu-west-1", "ses", wall=lambda: now[0].timestamp())
    for when, key in [
        (now[0], keys[0]),
        (datetime(2026, 12, 3, 0, 0, 1, tzinfo=UTC), keys[0]),
        (datetime(2026, 12, 3, 0, 0, 2, tzinfo=UTC), ReadOnlyCredentials("AKIDTWO", "2nd", "t")),
    ]:
        now[0], keys[0] = when, key
        expected = botocore_headers(url, Credentials(*key), when, monkeypatch)
        assert signer.headers(BODY) == expected


@pytest.mark.parametrize("prefix", [BODY[:30], b'{"Other":', BODY])
def test_a_shared_prefix_hashed_once_signs_the_same(prefix: bytes, monkeypatch: Any) -> None:
    """Bodies starting with the prefix given to ``shared`` go on from its hash
    state; any other body is hashed whole: either way botocore's headers."""
    url = "https://email.eu-west-1.amazonaws.com/v2/email/outbound-bulk-emails"
    credentials = Credentials("AKIDEXAMPLE", "secret")
    when = datetime(2026, 12, 2, 3, 0, 0, tzinfo=UTC)
    signer = CallSigner(
        credentials.get_frozen_credentials, url, "eu-west-1", "ses", wall=when.timestamp
    )
    signer.shared(prefix)
    assert signer.headers(BODY) == botocore_headers(url, credentials, when, monkeypatch)
