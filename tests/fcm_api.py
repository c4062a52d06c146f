"""Stand-ins for Google's OAuth token endpoint and the FCM HTTP v1 API on a local
HTTP server, checking requests as Google documents them: the token endpoint takes
a JWT-bearer grant whose assertion is an RS256 JWT signed with the service
account's key (``iss``, ``scope``, ``aud``, ``iat``, ``exp``); ``messages:send``
takes a Bearer token it issued and one ``message`` with exactly one target,
``notification`` of title, body and image, string-valued ``data``, an https
``webpush.fcm_options.link``, within 4,096 bytes."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from werkzeug import Request, Response

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
ACCESS_TOKEN = "ya29.a0-test-access-token-never-logged"
PROJECT = "example-news"
AUDIENCE = "https://oauth2.googleapis.com/token"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def service_account(token_uri: str) -> tuple[dict[str, Any], rsa.RSAPrivateKey]:
    """A service-account key file's content (a fresh RSA key) and the key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": PROJECT,
        "private_key_id": "4f1c2d3e5a6b7c8d9e0f",
        "private_key": pem,
        "client_email": f"digest@{PROJECT}.iam.gserviceaccount.com",
        "client_id": "104242424242424242424",
        "token_uri": token_uri,
    }
    return info, key


@dataclass
class Google:
    """Both endpoints; ``script`` holds answers for ``messages:send`` (the last
    repeats; empty: success)."""

    info: dict[str, Any]
    key: rsa.RSAPrivateKey
    token_answer: tuple[int, dict[str, Any]] | None = None
    script: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    grants: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def token(self, request: Request) -> Response:
        """The OAuth 2.0 token endpoint (RFC 7523 JWT bearer grant)."""
        form = parse_qs(request.get_data(as_text=True))
        if request.mimetype != "application/x-www-form-urlencoded":
            self.problems.append(f"token: content type {request.mimetype}")
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            self.problems.append(f"token: grant_type {form.get('grant_type')}")
        header_b64, claims_b64, signature_b64 = form["assertion"][0].split(".")
        header = json.loads(b64url_decode(header_b64))
        claims = json.loads(b64url_decode(claims_b64))
        try:
            self.key.public_key().verify(
                b64url_decode(signature_b64),
                f"{header_b64}.{claims_b64}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except Exception:
            self.problems.append("token: bad JWT signature")
        expected = {"alg": "RS256", "typ": "JWT", "kid": self.info["private_key_id"]}
        if header != expected:
            self.problems.append(f"token: header {header}")
        if claims.get("iss") != self.info["client_email"] or claims.get("scope") != SCOPE:
            self.problems.append(f"token: claims {claims}")
        # Google's documented audience, whatever address the grant is posted to.
        if claims.get("aud") != AUDIENCE or claims["exp"] - claims["iat"] != 3600:
            self.problems.append(f"token: aud/exp {claims}")
        self.grants.append(claims)
        status, body = self.token_answer or (
            200,
            {"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"},
        )
        return Response(json.dumps(body), status, content_type="application/json")

    def send(self, request: Request) -> Response:
        """``POST /v1/projects/{project}/messages:send``."""
        if request.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return self._error(401, "UNAUTHENTICATED", "Request had invalid credentials.")
        raw = request.get_data()
        body = json.loads(raw)
        problem = self.check(body, len(raw))
        if problem:
            self.problems.append(problem)
            return self._error(400, "INVALID_ARGUMENT", problem)
        self.messages.append(body["message"])
        if self.script:
            status, answer, headers = self.script.pop(0) if len(self.script) > 1 else self.script[0]
            return Response(json.dumps(answer), status, headers=headers,
                            content_type="application/json")  # fmt: skip
        name = f"projects/{PROJECT}/messages/0:{len(self.messages)}%31bd1c96"
        return Response(json.dumps({"name": name}), 200, content_type="application/json")

    @staticmethod
    def check(body: dict[str, Any], size: int) -> str:
        """What FCM would refuse, or ``""``."""
        if set(body) - {"validate_only", "message"}:
            return f"unknown fields {sorted(body)}"
        message = body["message"]
        targets = [k for k in ("topic", "token", "condition") if k in message]
        if len(targets) != 1:
            return f"one target needed, got {targets}"
        if "topic" in message and not re.fullmatch(r"[a-zA-Z0-9-_.~%]+", message["topic"]):
            return "bad topic name"
        known = {"topic", "token", "condition", "notification", "data", "android", "webpush",
                 "apns", "fcm_options", "name"}  # fmt: skip
        if set(message) - known:
            return f"unknown message fields {sorted(set(message) - known)}"
        if set(message.get("notification", {})) - {"title", "body", "image"}:
            return "unknown notification fields"
        if not all(isinstance(v, str) for v in message.get("data", {}).values()):
            return "data values must be strings"
        link = message.get("webpush", {}).get("fcm_options", {}).get("link", "https://")
        if not link.startswith("https://"):
            return "webpush link must be https"
        if size > 4096:
            return f"message too big ({size} bytes)"
        return ""

    @staticmethod
    def _error(status: int, code: str, text: str, fcm_code: str = "") -> Response:
        error: dict[str, Any] = {"code": status, "message": text, "status": code}
        if fcm_code:
            error["details"] = [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                 "errorCode": fcm_code}]  # fmt: skip
        return Response(json.dumps({"error": error}), status, content_type="application/json")


def fcm_error(status: int, code: str, fcm_code: str, text: str) -> dict[str, Any]:
    """An FCM v1 error body."""
    return {"error": {"code": status, "message": text, "status": code, "details": [
        {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}
    ]}}  # fmt: skip
