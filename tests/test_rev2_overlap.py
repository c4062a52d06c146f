"""Review probe: after a call is refused as a whole (401), does the batch built
while it was in flight still go out?"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digest.errors import SendError
from digest.senders import Outgoing, Recipient
from digest.senders.sendgrid import SendGridSender

from .send_support import SECRET, outgoing, sample_built  # noqa: F401

__all__ = ["outgoing", "sample_built"]


def test_extra_call_after_unavailable(outgoing: Outgoing, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_TEST_UNSUB_SECRET", SECRET)
    monkeypatch.setenv("SGK", "k")
    release = threading.Event()
    seen: list[int] = []

    class H(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(1)
            release.wait(5)
            body = b'{"errors":[{"message":"bad key"}]}'
            self.send_response(401)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    sender = SendGridSender(
        "mail",
        {"from": "D <d@mid-day.example>", "unsubscribe_url": "https://mid-day.example/u",
         "secret_env": "DIGEST_TEST_UNSUB_SECRET", "api_key_env": "SGK", "endpoint": url,
         "connections": 1},
        base_dir=Path("."),
    )
    errors: list[BaseException] = []

    def call(n: int) -> None:
        try:
            sender.send_batch(outgoing, [Recipient(f"r{n}@example.org")])
        except SendError as exc:
            errors.append(exc)

    a = threading.Thread(target=call, args=(1,))
    a.start()
    while not seen:
        threading.Event().wait(0.01)
    b = threading.Thread(target=call, args=(2,))
    b.start()
    threading.Event().wait(0.3)  # b has built its batch and waits for the connection
    release.set()
    a.join(); b.join()
    server.shutdown()
    print("calls made:", len(seen), "errors:", [type(e).__name__ for e in errors])
    assert len(seen) == 1, "a second call went out after the provider refused the key"
