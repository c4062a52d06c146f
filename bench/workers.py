"""Benchmark: ``digest worker`` throughput with two worker processes next to one,
the time to queue a million recipients, and a worker's peak memory for a small
and a large edition, all in one run.

    python bench/workers.py       # 20,000 x 3 rounds; queue 1,000,000; memory 10k vs 100k
    python bench/workers.py --recipients 10000 --rounds 5 --memory 10000,1000000
    python bench/workers.py --store postgresql       # the store on a PostgreSQL server

Everything is real and local: a redis-server of its own on a free loopback port
(Debian's ``redis-server``), Postfix ``smtp-sink`` as the mail server (Debian's
``postfix``; aiosmtpd in its own process when it is missing, which flatters
nothing here since both sides use it), the SQLite store in a temporary folder,
and ``digest worker`` processes started as a person would start them.

* **Throughput**: rounds alternate one worker and two workers on the same edition
  of ``--recipients`` readers (a fresh sender name per round, so each round has a
  delivery log of its own).  The batches are queued before the workers start;
  a round's rate is its recipients over the time from the first delivery recorded
  to the last (read from the delivery log, so worker start-up is not counted).
  Target: two workers >= 1.5x one.
* **Queueing**: ``Digest.queue_edition`` of one million readers onto Redis
  (recorded pending in the log, batches of 500), timed.  Target < 60 s.
* **Memory**: two workers send each ``--memory`` size; each worker's peak RSS
  (``VmHWM``) is read before it is stopped.  Target: flat from the smallest to
  the largest.

The subscribers are written straight into the store (setup, not measured): the
SQLite file, or with ``--store postgresql`` a database on a PostgreSQL server the
bench starts from Debian's ``postgresql`` binaries (as the tests do).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peak import peak_mib  # sibling bench scripts
from send import AS_OF, ROOT, free_port, sink

DIGEST = [sys.executable, "-c", "from digest.cli import main; main()"]
SECRET_ENV = "BENCH_UNSUB_SECRET"
PG_PASSWORD_ENV = "BENCH_PG_PASSWORD"
QUEUED = 1_000_000


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A redis-server of our own on loopback (no persistence)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(500):
        try:
            client.ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.02)
    sys.exit("redis-server did not start")


def write_config(
    folder: Path, smtp_port: int, redis_url: str, senders: dict[str, str], store_url: str
) -> Path:
    """The sample config with an smtp sender per name (each on its list), [queue],
    and the store (``store_url``: a PostgreSQL database, else the SQLite file)."""
    import tomllib

    import tomli_w

    data: dict[str, Any] = tomllib.loads((ROOT / "config.toml").read_text("utf-8"))
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"])
    data["store"] = {"path": str(folder / "store.sqlite3")}
    if store_url:
        data["store"] = {"url": store_url, "password_env": PG_PASSWORD_ENV}
    data["queue"] = {"url": redis_url, "batch_size": 500}
    data["senders"] = {
        name: {
            "type": "smtp",
            "host": "127.0.0.1",
            "port": smtp_port,
            "security": "none",
            "from": "World News Digest <digest@mid-day.example>",
            "list": list_name,
            "unsubscribe_url": "https://www.mid-day.com/newsletter/unsubscribe",
            "secret_env": SECRET_ENV,
            "connections": 2,
        }
        for name, list_name in senders.items()
    }
    path = folder / "config.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def add_list(store: str, list_name: str, size: int) -> None:
    """``size`` subscribers on ``list_name``, written straight into the store (an
    SQLite file, or a PostgreSQL URL whose password is in the environment)."""
    now = datetime.now().astimezone().isoformat()
    rows = [(f"{list_name}-{i:07d}@bench.example", f"Reader {i}") for i in range(size)]
    if store.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(store, password=os.environ[PG_PASSWORD_ENV]) as pg:
            with pg.cursor().copy(
                "COPY subscribers (address, name, list, subscribed_at) FROM STDIN"
            ) as copy:
                for address, name in rows:
                    copy.write_row((address, name, list_name, now))
            with pg.cursor().copy("COPY memberships (address, list, joined_at) FROM STDIN") as copy:
                for address, _ in rows:
                    copy.write_row((address, list_name, now))
        return
    db = sqlite3.connect(store)
    with db:
        db.executemany(
            "INSERT INTO subscribers (address, name, list, subscribed_at) VALUES (?,?,?,?)",
            [(a, n, list_name, now) for a, n in rows],
        )
        db.executemany(
            "INSERT INTO memberships (address, list, joined_at) VALUES (?,?,?)",
            [(a, list_name, now) for a, _ in rows],
        )
    db.close()


@contextmanager
def store_server(kind: str, folder: Path) -> Iterator[str]:
    """Where the store lives: ``""`` (an SQLite file in ``folder``) or the URL of a
    database on a PostgreSQL server of our own (``tests/pg_server.py``; its
    password goes into the environment the workers inherit)."""
    if kind == "sqlite":
        yield ""
        return
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import PgServer

    server = PgServer.start()
    try:
        os.environ[PG_PASSWORD_ENV] = server.password
        yield server.url(server.create_database())
    finally:
        server.stop()


class Bench:
    """The shared setup: store with the edition, Redis, the sink, the config."""

    def __init__(
        self, folder: Path, smtp_port: int, redis_url: str, senders: dict[str, str], store: str
    ):
        from digest.edition import make_digest

        self.folder = folder
        self.store = store or str(folder / "store.sqlite3")
        self.config = write_config(folder, smtp_port, redis_url, senders, store)
        self.app = make_digest(config_path=self.config)
        self.app.ingest()
        built = self.app.build(AS_OF)
        assert built.renditions is not None
        self.edition_id = built.edition.id
        self.redis_url = redis_url
        self.env = {**os.environ, SECRET_ENV: os.environ.get(SECRET_ENV, "bench-secret")}

    def queue(self, sender: str) -> float:
        """Queue the edition for one sender; seconds it took."""
        senders = self.app.senders()
        start = time.perf_counter()
        report = self.app.queue_edition(self.edition_id, {sender: senders[sender]})
        elapsed = time.perf_counter() - start
        assert report[sender].queued > 0
        return elapsed

    def workers(self, count: int) -> list[subprocess.Popen[bytes]]:
        """Start ``count`` ``digest worker`` processes."""
        return [
            subprocess.Popen(
                [*DIGEST, "--config", str(self.config), "worker"],
                env=self.env,
                cwd=self.folder,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(count)
        ]

    def wait_sent(self, sender: str, total: int, workers: list[subprocess.Popen[bytes]]) -> None:
        """Until the log holds ``total`` sent deliveries for ``sender``."""
        while True:
            counts = self.app.store.delivery_counts(self.edition_id)
            done = counts.get((self.edition_id, sender), {})
            if done.get("sent", 0) + done.get("failed", 0) >= total:
                return
            if any(w.poll() is not None for w in workers):
                sys.exit("a worker exited during the bench")
            time.sleep(1.0)  # seldom: counting the log takes CPU from the workers

    def rate(self, sender: str) -> float:
        """Deliveries a second, first recorded to last (from the delivery log)."""
        times = [
            d.updated_at
            for d in self.app.store.deliveries(self.edition_id)
            if d.sender == sender and d.updated_at is not None
        ]
        return len(times) / (max(times) - min(times)).total_seconds()

    def run(self, sender: str, total: int, count: int) -> tuple[float, list[float]]:
        """Queue, send with ``count`` workers; (rate, each worker's peak RSS MiB)."""
        self.queue(sender)
        workers = self.workers(count)
        try:
            self.wait_sent(sender, total, workers)
            peaks = [peak_mib(w.pid) for w in workers]
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait(timeout=120)
        return self.rate(sender), peaks


def throughput(bench: Bench, rounds: list[tuple[str, int]], recipients: int) -> None:
    """Alternate one and two workers; print each round and the ratio of medians."""
    rates: dict[int, list[float]] = {1: [], 2: []}
    for name, count in rounds:
        rate, _ = bench.run(name, recipients, count)
        rates[count].append(rate)
        print(f"  round {name}: {count} worker(s) {rate:,.0f} msg/s", flush=True)
    one, two = median(rates[1]), median(rates[2])
    print(
        f"throughput ({recipients:,} recipients, median of {len(rates[1])}): "
        f"1 worker {one:,.0f} msg/s, 2 workers {two:,.0f} msg/s, "
        f"ratio {two / one:.2f}x (target >= 1.5x); rounds "
        + ", ".join(f"{b / a:.2f}" for a, b in zip(rates[1], rates[2], strict=True)),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queued", type=int, default=QUEUED)
    parser.add_argument("--memory", default="10000,100000")
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    sizes = [int(s) for s in args.memory.split(",")]
    rounds = [(f"t{n}", 1 + n % 2) for n in range(2 * args.rounds)]
    lists = {"tput": args.recipients} | {f"m{s}": s for s in sizes}
    # The million queued may be the largest memory list, sent by another sender.
    queued_list = f"m{args.queued}" if args.queued in sizes else "queued"
    lists.setdefault(queued_list, args.queued)
    senders = {name: "tput" for name, _ in rounds}
    senders |= {"queued": queued_list} | {f"m{s}": f"m{s}" for s in sizes}

    with (
        tempfile.TemporaryDirectory() as tmp,
        sink() as (port, what),
        store_server(args.store, Path(tmp)) as store,
    ):
        folder = Path(tmp)
        redis_process, redis_url = start_redis(folder)
        try:
            bench = Bench(folder, port, redis_url, senders, store)
            for name, size in lists.items():
                add_list(bench.store, name, size)
            print(f"sink: {what}; Redis {redis_url}; store {args.store}; {os.cpu_count()} cores")

            if rounds:  # --rounds 0: memory and queueing only
                throughput(bench, rounds, args.recipients)

            peaks: dict[int, float] = {}
            for size in sizes:
                _, rss = bench.run(f"m{size}", size, 2)
                peaks[size] = max(rss)
                print(
                    f"  memory {size:,}: worker peak RSS {', '.join(f'{r:.1f}' for r in rss)} MiB"
                )
            small, large = peaks[sizes[0]], peaks[sizes[-1]]
            print(
                f"worker peak RSS: {small:.1f} MiB at {sizes[0]:,}, {large:.1f} MiB at "
                f"{sizes[-1]:,} ({large / small:.2f}x; target: flat)",
                flush=True,
            )

            seconds = bench.queue("queued")
            print(
                f"queueing {args.queued:,} recipients: {seconds:.1f} s "
                f"({args.queued / seconds:,.0f}/s; target < 60 s)",
                flush=True,
            )
        finally:
            redis_process.terminate()
            redis_process.wait()


if __name__ == "__main__":
    main()
