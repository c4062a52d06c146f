"""Signed tokens for the web pages: confirmation links and form (CSRF) tokens.

A confirmation token carries what the reader asked for (address, name, lists),
when it was issued and a single-use nonce, signed with HMAC-SHA256; it expires
after ``[web] confirm_hours`` by the injected clock.  It is signed, not encrypted:
it names only what its holder typed.  The unsubscribe tokens are the smtp
sender's own (:func:`digest.message.unsubscribe_token`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from ..message import check_address

#: Longest token accepted (a longer one is not ours: refused before decoding).
MAX_TOKEN_CHARS = 2000
#: Seconds a token may claim to come from the future (clock skew between servers).
SKEW_SECONDS = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class SignupRequest:
    """What a confirmation token says: who asked for which lists, and when."""

    address: str
    name: str
    lists: tuple[str, ...]
    issued: int
    nonce: str


class Signer:
    """Signs and checks the web's tokens with one key, per purpose."""

    def __init__(self, key: bytes, *, clock: Callable[[], float]) -> None:
        self._key = key
        self._clock = clock

    def _mac(self, purpose: str, data: str) -> str:
        digest = hmac.new(self._key, f"{purpose}:{data}".encode(), hashlib.sha256).digest()
        return _b64(digest[:20])

    # -- confirmation links ----------------------------------------------------------

    def confirm_token(self, address: str, name: str, lists: tuple[str, ...]) -> str:
        """A token for the confirmation link of one sign-up request."""
        payload = json.dumps(
            {
                "a": address,
                "n": name,
                "l": list(lists),
                "t": int(self._clock()),
                "j": secrets.token_urlsafe(12),
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )
        body = _b64(payload.encode())
        return f"{body}.{self._mac('confirm', body)}"

    def read_confirm(self, token: str, max_age: float) -> SignupRequest | None:
        """The request a confirmation token carries, or ``None`` if it is malformed,
        forged, truncated, expired or from the future."""
        if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
            return None
        body, _, mac = token.partition(".")
        if not hmac.compare_digest(self._mac("confirm", body).encode(), mac.encode()):
            return None
        try:
            data = json.loads(_unb64(body))
            request = SignupRequest(
                address=check_address(data["a"]),
                name=str(data["n"]),
                lists=tuple(str(x) for x in data["l"]),
                issued=int(data["t"]),
                nonce=str(data["j"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        now = self._clock()
        if request.issued > now + SKEW_SECONDS or now - request.issued > max_age:
            return None
        return request

    # -- forms -----------------------------------------------------------------------

    def form_token(self, cookie: str) -> str:
        """The hidden form field that goes with a browser's CSRF cookie."""
        return self._mac("csrf", cookie)

    def check_form(self, cookie: str, field: str) -> bool:
        """Whether a submitted form field matches the browser's CSRF cookie."""
        if not cookie or not field or len(cookie) > 100 or not cookie.isascii():
            return False
        return hmac.compare_digest(self.form_token(cookie).encode(), field.encode("utf-8"))


def new_cookie() -> str:
    """A fresh random CSRF cookie value."""
    return secrets.token_urlsafe(24)
