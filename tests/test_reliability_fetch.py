"""Hostile HTTP servers on 127.0.0.1: every fetch ends by its deadline, and no hop
reaches a non-public address the source does not allow.

The deadline is measured by an injected clock that moves on with every look, so
these tests do not depend on how fast threads and sockets run on a busy machine;
``tools/fuzz_report.py`` measures the real seconds.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from digest.config import parse_config
from digest.errors import SourceError
from digest.sources import SourceSpec, read_sources
from digest.sources.base import ReadOptions
from digest.sources.configured import fetch_limits, specs
from digest.sources.fetch import LOOPBACK, FetchLimits, fetch, networks
from tests.hostile_server import CASES, GOOD_FEED, HostileServer, hostile_server


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with hostile_server(drip=0.02) as running:
        yield running


def stepping_clock(step: float) -> Callable[[], float]:
    """A monotonic clock that moves ``step`` seconds on at every look."""
    counter = itertools.count()
    return lambda: next(counter) * step


def test_headers_sent_a_byte_at_a_time_end_at_the_deadline(server: HostileServer) -> None:
    # Before: the deadline was only looked at while reading the body; headers
    # dripped one byte a second held a run for ten minutes.
    limits = FetchLimits(timeout_seconds=5, allow_networks=LOOPBACK, clock=stepping_clock(0.5))
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"timed out after 5s"):
        fetch(server.url("/slow-headers"), limits)
    assert time.monotonic() - started < 30  # generous: the clock above decides


@pytest.mark.parametrize("path", sorted(p for p, e in CASES.items() if e))
def test_every_hostile_case_fails_that_source_with_its_reason(
    server: HostileServer, path: str
) -> None:
    limits = FetchLimits(
        max_bytes=200_000,
        timeout_seconds=1,
        max_redirects=5,
        allow_networks=networks(["127.0.0.1"]),
        clock=stepping_clock(0.02),
    )
    started = time.monotonic()
    with pytest.raises(SourceError, match=CASES[path]) as caught:
        fetch(server.url(path), limits)
    assert caught.value.source == server.url(path)
    assert time.monotonic() - started < 60


def test_a_good_feed_on_an_allowed_network_is_fetched(server: HostileServer) -> None:
    fetched = fetch(server.url("/feed"), FetchLimits(timeout_seconds=10, allow_networks=LOOPBACK))
    assert fetched.content == GOOD_FEED


def test_loopback_is_refused_unless_allowed(server: HostileServer) -> None:
    with pytest.raises(SourceError, match=r"refused: 127\.0\.0\.1 is 127\.0\.0\.1, a loopback"):
        fetch(server.url("/feed"), FetchLimits(timeout_seconds=10))


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local address"),
        ("http://10.1.2.3/", "private address"),
        ("http://[::ffff:127.0.0.1]:1/", "loopback address"),
        ("http://0.0.0.0:1/", "unspecified address"),
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused_at_that_hop(
    server: HostileServer, location: str, words: str
) -> None:
    # The first hop is allowed (the test server); the second is not.
    url = server.url(f"/redirect-to?u={location}")
    with pytest.raises(SourceError, match=f"refused: .*{words}"):
        fetch(url, FetchLimits(timeout_seconds=10, allow_networks=networks(["127.0.0.1"])))


def test_a_source_allows_its_own_networks_only(server: HostileServer, tmp_path: Path) -> None:
    url = server.url("/feed")
    config = parse_config(
        {"sources": [{"path": url, "allow_networks": ["127.0.0.1/32"]}]}, base_dir=tmp_path
    )
    (allowed,) = read_sources(specs(config), base_dir=tmp_path, limits=fetch_limits(config.ingest))
    assert allowed.error == "" and len(allowed.articles) == 1
    # The same URL named by a source without the allowance is refused.
    (refused,) = read_sources(
        [SourceSpec(url, "feed", ReadOptions(source=url))],
        base_dir=tmp_path,
        limits=fetch_limits(config.ingest),
    )
    assert refused.error.startswith("refused: 127.0.0.1 is 127.0.0.1, a loopback address")
    # ... and the allowance does not stretch to the rest of loopback.
    hop = server.url("/redirect-other-loopback")
    config = parse_config(
        {"sources": [{"path": hop, "allow_networks": ["127.0.0.1"]}]}, base_dir=tmp_path
    )
    (other,) = read_sources(specs(config), base_dir=tmp_path, limits=fetch_limits(config.ingest))
    assert "127.0.0.2 is 127.0.0.2, a loopback address" in other.error


def test_allow_networks_is_validated(tmp_path: Path) -> None:
    from digest.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config({"ingest": {"allow_networks": ["intranet"]}}, base_dir=tmp_path)
    assert caught.value.problems == [
        'ingest.allow_networks.0: must be an IP address or network such as "10.0.0.0/8", '
        'got "intranet"'
    ]
