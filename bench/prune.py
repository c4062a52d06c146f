"""Benchmark: ``digest prune`` of a large delivery log, and how long it holds the
store's write lock at a time.

    python bench/prune.py                # 1,000,000 delivery rows of one old edition
    python bench/prune.py --rows 200000 --chunk 5000

A real SQLite store gets an edition 120 days old with ``--rows`` delivery rows
(sent, some failed) and a recent one; the prune runs as ``digest prune`` does.
Printed: rows per second, the longest chunk (one transaction: about the longest a
sender or ``digest serve`` could wait for the write lock), the first call (which
also reads the totals, before its transaction), beside the time one transaction
deleting every row at once takes on an identical store, and the store's size
before and after (SQLite reuses the freed pages; ``VACUUM`` is left to the
operator).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import parse_config
from digest.edition import make_digest
from digest.model import Edition

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def build(path: Path, rows: int) -> None:
    """A store with one old edition of ``rows`` deliveries and one recent edition."""
    app = make_digest(config=parse_config({"store": {"path": str(path)}}, base_dir=path.parent))
    for edition_id, age in (("world-old", 120), ("world-new", 2)):
        app.store.save_edition(Edition(edition_id, NOW - timedelta(days=age), "UTC", ()))
    app.close()
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO deliveries (edition_id, sender, recipient, status, attempts, "
            "last_error, updated_at) VALUES (?,?,?,?,?,?,?)",
            (
                ("world-old", "mail", f"reader{i:08d}@example.org",
                 "failed" if i % 50 == 0 else "sent", 1,
                 "550 5.1.1 no such user" if i % 50 == 0 else "", NOW.isoformat())
                for i in range(rows)
            ),
        )  # fmt: skip
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite3"
        build(path, args.rows)
        whole = Path(tmp) / "whole.sqlite3"
        shutil.copy(path, whole)
        size = path.stat().st_size
        config = parse_config(
            {"store": {"path": str(path), "retention": {"chunk_rows": args.chunk}}},
            base_dir=Path(tmp),
        )
        app = make_digest(config=config)
        calls: list[float] = []
        prune = app.store.prune_deliveries

        def timed(edition_id: str, *, limit: int, now: datetime) -> int:
            start = time.perf_counter()
            deleted = prune(edition_id, limit=limit, now=now)
            calls.append(time.perf_counter() - start)
            return deleted

        app.store.prune_deliveries = timed  # type: ignore[method-assign]
        start = time.perf_counter()
        report = app.prune(now=NOW)
        elapsed = time.perf_counter() - start
        counts = app.store.delivery_counts("world-old")[("world-old", "mail")]
        app.close()
        db = sqlite3.connect(whole)
        start = time.perf_counter()
        with db:
            db.execute("DELETE FROM deliveries WHERE edition_id = 'world-old'")
        at_once = time.perf_counter() - start
        db.close()
        print(report.summary())
        print(f"totals kept: {counts}")
        rate = report.delivery_rows / elapsed
        print(
            f"{report.delivery_rows:,} rows in {elapsed:.2f} s ({rate:,.0f} "
            f"rows/s) in {len(calls)} calls; longest call after the first "
            f"{max(calls[1:], default=0) * 1000:.0f} ms ({args.chunk:,} rows, one transaction); "
            f"the first {calls[0] * 1000:.0f} ms (with the totals' read, outside the "
            f"transaction); one DELETE of every row at once {at_once * 1000:.0f} ms"
        )
        print(
            f"store file {size / 2**20:.0f} MiB before, {path.stat().st_size / 2**20:.0f} MiB after"
        )


if __name__ == "__main__":
    sys.exit(main())
