"""A stand-in push service on a local HTTP server, and a browser's side of a
subscription, checking Web Push as the RFCs say: the message is aes128gcm
(RFC 8188) encrypted for the subscription's keys (RFC 8291), decrypted here with
the browser's private key and auth secret by this file's own code, not the
library that encrypted it; ``Authorization: vapid t=<ES256 JWT>, k=<key>``
(RFC 8292) with ``aud`` the push service's origin, ``exp`` within 24 hours and a
``sub``; a ``TTL`` header; at most 4,096 bytes."""

from __future__ import annotations

import base64
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from werkzeug import Request, Response


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass
class Browser:
    """One browser's subscription keys: a real P-256 key pair and a 16-byte auth
    secret, as ``PushManager.subscribe`` makes them."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def public(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def to_json(self) -> dict[str, Any]:
        """What ``PushSubscription.toJSON()`` gives."""
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(self.public), "auth": b64url(self.auth)}}  # fmt: skip

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 §3.4 and RFC 8188 §2: the plaintext of an aes128gcm message."""
        salt, record_size, id_length = body[:16], struct.unpack("!I", body[16:20])[0], body[20]
        sender_public = body[21 : 21 + id_length]
        ciphertext = body[21 + id_length :]
        assert id_length == 65 and record_size >= 18
        assert len(ciphertext) <= record_size, "one record"
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_public)
        shared = self.key.exchange(ec.ECDH(), peer)
        info = b"WebPush: info\x00" + self.public + sender_public
        ikm = _hkdf(self.auth, shared, info, 32)
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
        content = padded.rstrip(b"\x00")
        assert content.endswith(b"\x02"), "the last record's delimiter"
        return content[:-1]


def check_vapid(header: str, audience: str, now: float) -> tuple[str, dict[str, Any]]:
    """The VAPID public key and claims of an ``Authorization`` header; raises
    ``AssertionError`` on anything RFC 8292 would refuse."""
    scheme, _, rest = header.partition(" ")
    assert scheme == "vapid", header[:20]
    parts = dict(p.strip().split("=", 1) for p in rest.split(","))
    token, key = parts["t"], parts["k"]
    head_b64, claims_b64, signature_b64 = token.split(".")
    head = json.loads(unb64url(head_b64))
    claims = json.loads(unb64url(claims_b64))
    assert head == {"typ": "JWT", "alg": "ES256"}, head
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))  # fmt: skip
    public.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    assert claims["aud"] == audience, claims
    assert now < claims["exp"] <= now + 24 * 3600, (claims["exp"], now)
    assert str(claims["sub"]).startswith(("mailto:", "https:")), claims
    return key, claims


@dataclass
class PushService:
    """``POST /push/<id>``: checks and keeps each message (decrypted), answering
    from ``answers`` per subscription id (default 201 Created)."""

    audience: str
    server_key: str
    now: float
    browsers: dict[str, Browser] = field(default_factory=dict)
    answers: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    received: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def browser(self, name: str) -> Browser:
        """A new subscribed browser, its endpoint on this service."""
        made = Browser(f"{self.audience}/push/{name}-{b64url(os.urandom(12))}")
        self.browsers[made.endpoint.rsplit("/", 1)[1]] = made
        return made

    def __call__(self, request: Request) -> Response:
        name = request.path.rsplit("/", 1)[1]
        browser = self.browsers.get(name)
        if browser is None:
            return Response("no such subscription", 404)
        body = request.get_data()
        self.sizes.append(len(body))
        try:
            key, _ = check_vapid(request.headers.get("Authorization", ""), self.audience, self.now)
            assert key == self.server_key, "signed with the key the browser subscribed with"
            assert request.headers.get("Content-Encoding") == "aes128gcm"
            assert request.headers.get("TTL", "").isdigit(), "TTL is required"
            assert len(body) <= 4096, f"{len(body)} bytes"
            message = json.loads(browser.decrypt(body))
        except Exception as exc:
            self.problems.append(f"{name[:12]}: {type(exc).__name__}: {exc}")
            return Response("bad request", 400)
        script = self.answers.get(name.split("-")[0]) or []
        status, headers = script.pop(0) if script else (201, {})
        if status == 201:
            self.received.setdefault(name.split("-")[0], []).append(message)
            headers = {"Location": f"{self.audience}/m/{len(self.sizes)}", **headers}
        return Response("", status, headers=headers)
