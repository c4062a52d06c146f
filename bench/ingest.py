"""Ingest throughput, measured side by side in one run.

    python bench/ingest.py [--pages 10000] [--items 2000] [--repeat 5]

1. Page dumps: ``--pages`` text dumps made from the bundled examples (each with
   its own title, so each is its own article) are read from a folder by the same
   code ``digest ingest`` uses, then read *and stored* in a fresh SQLite store;
   then ingested again, unchanged, into that store (target: >= 20x faster than
   the first ingest).
2. RSS: the real Guardian feed (tests/fixtures) and a feed of ``--items`` items
   built from it are parsed by our reader (``read_feed``: prolog check, feedparser,
   normalisation into articles) and by bare ``feedparser.parse`` on the same
   bytes.  The ratio ours / bare is the figure to watch (target: ≤ 1.2).
   Beside them, the real page dumps of ``tests/data/page_devset`` (other
   publishers' pages, navigation and footers included, each read once) through
   ``read_page`` in CPU time, beside as many of the example pages, both read by the
   generic reader (no publisher named, so no site rule), and the real pages' cost
   per page as a multiple of the examples' (short, and repeating the same lines).
3. A hostile feed: the Guardian feed with one 20,000-character ``dc:creator``.
   feedparser alone is quadratic in it (seconds); our reader cuts it first
   (``digest.sources.feedfields``), so it should cost about the plain feed.  Also
   what that pass costs on the ``--items`` feed, as a share of ``read_feed``.

Each figure is the best of ``--repeat`` runs; the two RSS paths alternate.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from digest.config import parse_config
from digest.edition import make_digest
from digest.sources import Boilerplate, FetchLimits, ReadOptions, SourceSpec, read_sources
from digest.sources.feedfields import cut_long_fields
from digest.sources.feeds import read_feed
from digest.sources.pages import read_page
from digest.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "page_devset" / "pages.jsonl.gz"
GUARDIAN = ROOT / "tests" / "fixtures" / "feeds" / "guardian-2018-01-31.rss"


def best(
    runs: int, work: Callable[[], int], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, int]:
    """Fastest time of ``runs`` calls on ``clock`` (wall time unless told) and what
    the call counted."""
    times = []
    count = 0
    for _ in range(runs):
        started = clock()
        count = work()
        times.append(clock() - started)
    return min(times), count


def make_pages(folder: Path, count: int) -> None:
    """``count`` distinct page dumps in the examples' format."""
    templates = []
    for path in sorted((ROOT / "examples" / "pages").glob("*.txt")):
        (article,) = read_page(path.read_bytes(), ReadOptions(str(path))).articles
        templates.append((path.read_text("utf-8"), article.title))
    for n in range(count):
        text, title = templates[n % len(templates)]
        # The headline and its repeat above the picture, made unique.
        (folder / f"page-{n:05d}.txt").write_text(text.replace(title, f"{title} #{n}"), "utf-8")


def make_feed(items: int) -> bytes:
    """An RSS feed of ``items`` items cut from the Guardian feed, links made unique."""
    data = GUARDIAN.read_bytes()
    found = re.findall(rb"<item>.*?</item>", data, re.S)
    head = data[: data.index(b"<item>")]
    tail = data[data.rindex(b"</item>") + len(b"</item>") :]
    body = []
    for n in range(items):
        item = found[n % len(found)]
        item = item.replace(b"</link>", f"?n={n}</link>".encode(), 1)
        body.append(item)
    return head + b"".join(body) + tail


def bench_pages(count: int, repeat: int) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        make_pages(folder, count)
        options = ReadOptions(
            source="bench", publisher="mid-day", boilerplate=Boilerplate.builtin()
        )
        spec = SourceSpec(str(folder), "page", options)

        def read_only() -> int:
            results = read_sources([spec], base_dir=Path(tmp), limits=FetchLimits())
            return sum(len(r.articles) for r in results if not r.error)

        seconds, articles = best(repeat, read_only)
        lines.append(
            f"page dumps, read + parse     {articles:>6} articles  {seconds:7.3f} s  "
            f"{articles / seconds:9,.0f} articles/s"
        )

        def read_and_store() -> int:
            store_path = Path(tmp) / f"bench-{time.perf_counter_ns()}.sqlite3"
            config = parse_config(
                {"sources": [{"path": str(folder), "kind": "page"}]}, base_dir=Path(tmp)
            )
            with open_store(store_path) as store:
                reports = make_digest(config=config, store=store).ingest()
            return sum(r.counts.new for r in reports)

        seconds, articles = best(max(1, repeat // 2), read_and_store)
        lines.append(
            f"page dumps, ingest to SQLite {articles:>6} articles  {seconds:7.3f} s  "
            f"{articles / seconds:9,.0f} articles/s"
        )
        lines += bench_real_pages(folder, repeat)
        lines += bench_reingest(folder, Path(tmp), count)
    return lines


def bench_real_pages(folder: Path, repeat: int) -> list[str]:
    """The development set's real page dumps against as many of the bench's
    example pages, each read once per run by ``read_page``, alternating (CPU time,
    best of ``repeat``)."""
    with gzip.open(DEVSET, "rt", encoding="utf-8") as lines:
        real = [json.loads(line)["dump"].encode("utf-8") for line in lines]
    examples = [path.read_bytes() for path in sorted(folder.iterdir())[: len(real)]]
    rules = Boilerplate.builtin()
    crawled = datetime(2019, 12, 1, tzinfo=UTC)

    def reader(dumps: list[bytes]) -> Callable[[], int]:
        def read_all() -> int:
            for n, dump in enumerate(dumps):
                options = ReadOptions(source=f"p{n}", boilerplate=rules, reference_time=crawled)
                read_page(dump, options)
            return len(dumps)

        return read_all

    reader(real)()  # the first pages pay for lazily imported date and language tables
    real_s = example_s = float("inf")
    for _ in range(repeat):
        real_s = min(real_s, best(1, reader(real), clock=time.process_time)[0])
        example_s = min(example_s, best(1, reader(examples), clock=time.process_time)[0])
    size = sum(map(len, real)) / len(real) / 1024
    example_size = sum(map(len, examples)) / len(examples) / 1024
    return [
        f"read_page, CPU: {len(real)} real dumps (page_devset, mean {size:.1f} KiB) "
        f"{len(real) / real_s:,.0f} pages/s; as many example pages "
        f"(mean {example_size:.1f} KiB) {len(examples) / example_s:,.0f} pages/s; "
        f"real pages cost {real_s / example_s:.1f}x per page"
    ]


def bench_reingest(folder: Path, tmp: Path, count: int) -> list[str]:
    """First ingest of the folder into a fresh store, then ingests of the same,
    unchanged files into that store (each file's size, time and reader settings
    are checked; nothing is read).  The files are given an older time first, as an
    archive's are (a file written in the last 2 s is hashed, not trusted)."""
    old = time.time_ns() - 3600 * 10**9
    for path in folder.iterdir():
        os.utime(path, ns=(old, old))
    config = parse_config({"sources": [{"path": str(folder), "kind": "page"}]}, base_dir=tmp)
    with open_store(tmp / "reingest.sqlite3") as store:
        app = make_digest(config=config, store=store)
        started = time.perf_counter()
        first = app.ingest()
        first_seconds = time.perf_counter() - started
        again, reports = best(3, lambda: len(app.ingest()))
        skipped = sum(r.not_modified for r in app.ingest())
    assert sum(r.counts.new for r in first) == count and skipped == reports == count
    return [
        f"first ingest of {count} files  {first_seconds:7.3f} s; unchanged re-ingest "
        f"{again:7.3f} s ({skipped} not modified): {first_seconds / again:,.0f}x faster "
        "(target >= 20x)"
    ]


def bench_rss(name: str, data: bytes, repeat: int) -> list[str]:
    options = ReadOptions(source=name)

    def ours() -> int:
        return len(read_feed(data, options).articles)

    def bare() -> int:
        return len(feedparser.parse(data).entries)

    def bare_same_flags() -> int:
        parsed = feedparser.parse(
            io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False
        )
        return len(parsed.entries)

    timings: dict[str, list[float]] = {"ours": [], "bare": [], "flags": []}
    counts: dict[str, int] = {}
    for _ in range(repeat):  # alternate, so both see the same machine state
        for key, work in (("ours", ours), ("bare", bare), ("flags", bare_same_flags)):
            seconds, counts[key] = best(1, work)
            timings[key].append(seconds)
    t = {k: min(v) for k, v in timings.items()}
    assert counts["ours"] == counts["bare"], counts
    size = len(data) / 1024
    return [
        f"RSS {name} ({counts['ours']} items, {size:,.0f} KiB)",
        f"  digest read_feed            {t['ours'] * 1000:8.1f} ms  "
        f"{counts['ours'] / t['ours']:9,.0f} articles/s",
        f"  bare feedparser.parse       {t['bare'] * 1000:8.1f} ms  "
        f"{counts['bare'] / t['bare']:9,.0f} articles/s",
        f"  feedparser, same flags      {t['flags'] * 1000:8.1f} ms  "
        f"(sanitize_html=False, resolve_relative_uris=False)",
        f"  ratio ours / bare feedparser: {t['ours'] / t['bare']:.2f}x  (target <= 1.2x); "
        f"ours / same-flags feedparser: {t['ours'] / t['flags']:.2f}x",
    ]


def bench_long_author(plain: bytes, repeat: int) -> list[str]:
    """The Guardian feed with one 20,000-character author: ours against bare
    feedparser, and the cost of the field pass on ``plain`` (a normal feed)."""
    data = GUARDIAN.read_bytes()
    at = data.index(b"<dc:creator>") + len(b"<dc:creator>")
    data = data[:at] + b"x" * 20_000 + data[data.index(b"</dc:creator>", at) :]
    options = ReadOptions(source="long-author")
    ours, count = best(repeat, lambda: len(read_feed(data, options).articles))
    bare, bare_count = best(1, lambda: len(feedparser.parse(data).entries))
    assert count == bare_count, (count, bare_count)
    whole, _ = best(repeat, lambda: len(read_feed(plain, ReadOptions(source="plain")).articles))
    guard, _ = best(repeat, lambda: len(cut_long_fields(plain, "plain")))
    return [
        f"RSS with one 20,000-character author ({count} items)",
        f"  digest read_feed            {ours * 1000:8.1f} ms",
        f"  bare feedparser.parse       {bare * 1000:8.1f} ms  ({bare / ours:,.0f}x ours)",
        f"  field pass on the plain feed: {guard / whole:.1%} of read_feed (target <= 5%)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, feedparser {feedparser.__version__}")
    for line in bench_pages(args.pages, args.repeat):
        print(line)
    for line in bench_rss(GUARDIAN.name, GUARDIAN.read_bytes(), args.repeat * 4):
        print(line)
    built = make_feed(args.items)
    for line in bench_rss(f"built-{args.items}", built, args.repeat):
        print(line)
    for line in bench_long_author(built, args.repeat):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
