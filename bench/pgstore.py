"""Benchmark: delivery-log writes through the PostgreSQL store next to bare psycopg
writing the same rows to the same server, as ratios in one run.

    python bench/pgstore.py                      # 20,000 recipients, 7 rounds
    python bench/pgstore.py --recipients 50000 --rounds 7 --json figures.json

A throw-away PostgreSQL server is started from the Debian binaries
(``tests/pg_server.py``; fsync and synchronous commit on, as in production) on
127.0.0.1, and both sides talk to the same database over TCP.  The writes are
those of a send (:mod:`digest.delivery`):

* **register**: every recipient recorded as pending before it is attempted, a
  page of ``--page`` (500) recipients per transaction, each page's status read
  back.  "digest" is ``store.register_deliveries``; "bare" is psycopg ``COPY`` of
  the same rows into ``deliveries``, a page per transaction (no conflict check,
  nothing read back: the fastest a driver can put the rows there).
* **record**: each outcome written after the attempt, ``--group`` (100) per
  transaction.  "digest" is ``store.record_deliveries``; "bare" is psycopg
  ``executemany`` (pipelined) of the same ``UPDATE`` per group, as prepared
  tuples.

Rounds alternate between the two sides, each on a fresh edition id; the median
rate of each is reported with the ratio digest / bare (target: at least 0.8), for
each write and for both together (a recipient registered and recorded), with each
round's ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from digest.model import Delivery  # noqa: E402
from digest.store import Store, open_store  # noqa: E402
from tests.pg_server import PgServer  # noqa: E402

SENDER = "mail"
UPDATE = (
    "UPDATE deliveries SET status = %s, attempts = %s, last_error = "
    "coalesce(nullif(%s, ''), last_error), provider_id = %s, updated_at = %s "
    "WHERE edition_id = %s AND sender = %s AND recipient = %s"
)


def recipients(count: int) -> list[str]:
    """Made-up addresses, as long as real ones."""
    return [f"reader-{i:07d}@mail.example.org" for i in range(count)]


def pages(items: list[str], size: int) -> list[list[str]]:
    """``items`` cut into lists of ``size``."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def ours_register(store: Store, edition: str, addresses: list[str], page: int) -> None:
    """The store's path: register a page per call (and read its statuses back)."""
    for chunk in pages(addresses, page):
        store.register_deliveries(edition, SENDER, chunk)


def bare_register(conn: psycopg.Connection[tuple[object, ...]], edition: str,
                  addresses: list[str], page: int) -> None:  # fmt: skip
    """psycopg COPY of the same rows, a page per transaction."""
    now = datetime.now(UTC).isoformat()
    for chunk in pages(addresses, page):
        with (
            conn.transaction(),
            conn.cursor() as cur,
            cur.copy(
                "COPY deliveries (edition_id, sender, recipient, status, attempts, updated_at) "
                "FROM STDIN"
            ) as copy,
        ):
            for address in chunk:
                copy.write_row((edition, SENDER, address, "pending", 0, now))


def outcomes(edition: str, addresses: list[str]) -> list[Delivery]:
    """A sent outcome per recipient, as the delivery loop records it."""
    return [
        Delivery(edition, SENDER, a, "sent", attempts=1, provider_id=f"id-{a}") for a in addresses
    ]


def ours_record(store: Store, edition: str, done: list[Delivery], group: int) -> None:
    """The store's path: a group of outcomes per call."""
    for start in range(0, len(done), group):
        store.record_deliveries(edition, SENDER, done[start : start + group])


def bare_record(conn: psycopg.Connection[tuple[object, ...]], edition: str,
                done: list[Delivery], group: int) -> None:  # fmt: skip
    """psycopg executemany (pipelined) of the same UPDATE, a group per transaction."""
    now = datetime.now(UTC).isoformat()
    rows = [
        (d.status, d.attempts, d.last_error, d.provider_id, now, edition, SENDER, d.recipient)
        for d in done
    ]
    for start in range(0, len(rows), group):
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(UPDATE, rows[start : start + group])


def timed(work: Callable[[], None]) -> float:
    """Seconds ``work`` takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--page", type=int, default=500, help="recipients registered per call")
    parser.add_argument("--group", type=int, default=100, help="outcomes recorded per call")
    parser.add_argument("--no-fsync", action="store_true",
                        help="a server that never flushes (CPU and round trips only)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    server = PgServer.start(durable=not args.no_fsync)
    try:
        database = server.create_database()
        store = open_store(server.url(database), password=server.password)
        conn = psycopg.connect(server.url(database), password=server.password, autocommit=True)
        addresses = recipients(args.recipients)
        rates: dict[str, dict[str, list[float]]] = {
            phase: {"digest": [], "bare": []} for phase in ("register", "record", "both")
        }
        for n in range(args.rounds):
            sides = [("digest", f"ours-{n}"), ("bare", f"bare-{n}")]
            for side, edition in sides if n % 2 == 0 else sides[::-1]:
                done = outcomes(edition, addresses)
                if side == "digest":
                    reg = timed(partial(ours_register, store, edition, addresses, args.page))
                    rec = timed(partial(ours_record, store, edition, done, args.group))
                else:
                    reg = timed(partial(bare_register, conn, edition, addresses, args.page))
                    rec = timed(partial(bare_record, conn, edition, done, args.group))
                rates["register"][side].append(len(addresses) / reg)
                rates["record"][side].append(len(addresses) / rec)
                rates["both"][side].append(len(addresses) / (reg + rec))
            with conn.cursor() as cur:  # both sides wrote the same rows
                cur.execute("SELECT status, count(*) FROM deliveries GROUP BY status")
                assert dict(cur.fetchall()) == {"sent": 2 * len(addresses) * (n + 1)}  # type: ignore[arg-type]
        store.close()
        conn.close()
    finally:
        server.stop()

    figures: dict[str, object] = {"recipients": args.recipients, "rounds": args.rounds,
                                  "page": args.page, "group": args.group}  # fmt: skip
    print(f"PostgreSQL delivery log, {args.recipients:,} recipients, median of {args.rounds}")
    baselines = {"register": "COPY", "record": "executemany", "both": "both"}
    for phase, sides in rates.items():
        ours, bare = median(sides["digest"]), median(sides["bare"])
        per_round = [o / b for o, b in zip(sides["digest"], sides["bare"], strict=True)]
        print(f"  {phase:8}  digest {ours:9,.0f} rows/s   bare {baselines[phase]:11} "
              f"{bare:9,.0f} rows/s   ratio {ours / bare:.2f}x   (rounds "
              + ", ".join(f"{r:.2f}" for r in per_round) + ")")  # fmt: skip
        figures[phase] = {"digest": ours, "bare": bare, "ratio": ours / bare,
                          "rounds": per_round}  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
