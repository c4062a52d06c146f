"""Fetching over HTTP against a real local server (loopback only): limits, errors
and conditional GET remembered in the store."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from digest.config import parse_config
from digest.edition import Digest, make_digest
from digest.errors import SourceError
from digest.sources.fetch import LOOPBACK, FetchLimits, fetch
from digest.store import Store

ROOT = Path(__file__).resolve().parents[1]
FEED = (ROOT / "tests" / "fixtures" / "feeds" / "guardian-2018-01-31.rss").read_bytes()
PAGE = ROOT / "tests" / "fixtures" / "pages" / "midday-world-2020-11-23-putin-biden.txt"
# A safety net only: a loaded machine may take seconds to answer on loopback, and no
# test here but the deadline tests (which set their own) is about time.
LIMITS = FetchLimits(timeout_seconds=120.0, allow_networks=LOOPBACK)


def app_for(tmp_path: Path, store: Store, *paths: str) -> Digest:
    config = parse_config(
        {
            "sources": [{"path": p, "allow_networks": ["127.0.0.1"]} for p in paths],
            "ingest": {"timeout_seconds": 120},
        },
        base_dir=tmp_path,
    )
    return make_digest(config=config, store=store)


def test_conditional_get_remembers_validators_in_the_store(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            FEED,
            content_type="application/rss+xml; charset=utf-8",
            headers={"ETag": '"v1"', "Last-Modified": "Wed, 31 Jan 2018 20:15:15 GMT"},
        )

    httpserver.expect_request("/rss").respond_with_handler(handler)
    url = httpserver.url_for("/rss")
    app = app_for(tmp_path, store, url)

    (first,) = app.ingest()
    assert (first.read, first.counts.new, first.not_modified) == (55, 55, False)
    assert store.http_validators(url) == ('"v1"', "Wed, 31 Jan 2018 20:15:15 GMT")
    assert "If-None-Match" not in seen[0]

    (second,) = app.ingest()
    assert second.not_modified and second.read == 0 and second.error == ""
    assert seen[1]["If-None-Match"] == '"v1"'
    assert seen[1]["If-Modified-Since"] == "Wed, 31 Jan 2018 20:15:15 GMT"
    assert store.count_articles() == 55  # nothing lost by the 304

    # A dry run always fetches in full and stores nothing.
    (dry,) = list(app.read())
    assert len(dry.articles) == 55 and "If-None-Match" not in seen[2]


@pytest.mark.parametrize(("status", "text"), [(404, "HTTP 404 NOT FOUND"), (503, "HTTP 503")])
def test_http_errors_fail_that_source_only(
    httpserver: HTTPServer, tmp_path: Path, store: Store, status: int, text: str
) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=status)
    (tmp_path / "page.txt").write_bytes(PAGE.read_bytes())
    url = httpserver.url_for("/gone")
    failed, good = app_for(tmp_path, store, url, "page.txt").ingest()
    assert failed.source == url and failed.error.startswith(text)
    assert good.counts.new == 1 and store.count_articles() == 1
    assert [(s.source, s.reason) for s in store.skipped()] == [(url, failed.error)]


def test_server_that_never_answers_times_out(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(FEED)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    # The message says the client gave up (the server would have answered after
    # 1 s); how long that took on this machine is not asserted.
    with pytest.raises(SourceError, match=r"timed out after 0.3s"):
        fetch(
            httpserver.url_for("/slow"), FetchLimits(timeout_seconds=0.3, allow_networks=LOOPBACK)
        )


def test_server_dripping_bytes_is_cut_at_the_total_deadline(httpserver: HTTPServer) -> None:
    def drip(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(20):
                time.sleep(0.1)
                yield b" " * 10

        return Response(chunks(), content_type="application/rss+xml")

    httpserver.expect_request("/drip").respond_with_handler(drip)
    # Every read is quick (a chunk each 0.1 s), so only the total deadline can end it.
    with pytest.raises(SourceError, match="timed out"):
        fetch(
            httpserver.url_for("/drip"), FetchLimits(timeout_seconds=0.5, allow_networks=LOOPBACK)
        )


def test_declared_oversize_body_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"<rss>" + b" " * 2_000_000)
    with pytest.raises(SourceError, match="larger than the 1,000,000-byte limit"):
        fetch(httpserver.url_for("/big"), FetchLimits(max_bytes=1_000_000, allow_networks=LOOPBACK))


def test_streamed_oversize_body_stops_at_the_cap(httpserver: HTTPServer) -> None:
    def endless(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            while True:  # no Content-Length; the client must stop reading
                yield b"x" * 65536

        return Response(chunks())

    httpserver.expect_request("/endless").respond_with_handler(endless)
    with pytest.raises(SourceError, match="larger than the 1,000,000-byte limit"):
        fetch(
            httpserver.url_for("/endless"),
            FetchLimits(max_bytes=1_000_000, allow_networks=LOOPBACK),
        )


def test_compressed_bomb_is_capped_on_decoded_size(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # ~50 KB on the wire
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    tracemalloc.start()
    with pytest.raises(SourceError, match="larger than the 2,000,000-byte limit"):
        fetch(
            httpserver.url_for("/bomb"), FetchLimits(max_bytes=2_000_000, allow_networks=LOOPBACK)
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000


def test_redirects_are_followed_up_to_the_limit(httpserver: HTTPServer) -> None:
    for hop in range(5):
        httpserver.expect_request(f"/r{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/r{hop + 1}"}
        )
    httpserver.expect_request("/r5").respond_with_data(FEED)
    fetched = fetch(
        httpserver.url_for("/r3"), FetchLimits(max_redirects=2, allow_networks=LOOPBACK)
    )
    assert fetched.url.endswith("/r5") and fetched.content == FEED
    with pytest.raises(SourceError, match="more than 2 redirects"):
        fetch(httpserver.url_for("/r0"), FetchLimits(max_redirects=2, allow_networks=LOOPBACK))


def test_redirect_to_a_local_file_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    httpserver.expect_request("/sneaky").respond_with_data(
        "", status=302, headers={"Location": f"file://{secret}"}
    )
    with pytest.raises(SourceError, match="cannot fetch") as caught:
        fetch(httpserver.url_for("/sneaky"), LIMITS)
    assert "SECRET" not in str(caught.value)


def test_content_type_charset_overrides_a_wrong_xml_declaration(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    body = FEED.replace(b'encoding="utf-8"', b'encoding="iso-8859-1"', 1)
    httpserver.expect_request("/rss").respond_with_data(
        body, content_type="application/rss+xml; charset=utf-8"
    )
    (report,) = app_for(tmp_path, store, httpserver.url_for("/rss")).ingest()
    assert report.read == 55
    stored = store.articles_between(*sorted(a.published_at for a in _all(store))[::54])
    assert any("’" in a.summary for a in stored)  # no mojibake (â€™)
    assert not any("â€" in a.summary + a.title for a in stored)


def _all(store: Store) -> list:  # type: ignore[type-arg]
    from datetime import UTC, datetime

    return store.articles_between(
        datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    )


def test_gzip_encoded_feed_is_decoded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(FEED), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(httpserver.url_for("/gz"), LIMITS).content == FEED
