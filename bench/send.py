"""Benchmark: personalised emails per second through the smtp sender, next to bare
``smtplib`` sending one prebuilt message over the same number of connections, and
peak memory for a small and a large subscriber list.

    python bench/send.py             # 3,000 messages x 5 rounds, 2 connections; 10k, 100k, 1M
    python bench/send.py --messages 10000 --connections 4 --rounds 7 --memory 10000,100000

Both sides send to the same local SMTP sink: Postfix ``smtp-sink`` if installed
(``/usr/sbin/smtp-sink``; on Debian or Ubuntu ``sudo DEBIAN_FRONTEND=noninteractive
apt-get install -y postfix``, choosing "No configuration" if asked), else an aiosmtpd
server in a separate process (slower, so every ratio is flattered).  smtp-sink offers
PIPELINING, so the smtp sender writes ``MAIL``/``RCPT``/``DATA`` in one go (RFC 2920),
the next recipient's after each message's data; "raw DATA" does not, it is the
transport's plain ceiling per message.  The target is
digest / raw DATA >= 0.9x.  The message is the bundled sample edition's email.  "digest" is
the whole delivery path: subscribers streamed from a SQLite store, every message
recorded in the delivery log before and after, a personalised copy (To,
Message-ID, signed List-Unsubscribe and unsubscribe links) per recipient.
Memory: each list size (10k, 100k, 1M) runs in a fresh process; peak RSS
(``VmHWM``) is reported, and must not grow with the list.  Client CPU per
message (all threads of this process) is printed for each side: msg/s on a shared
machine moves with other load, CPU time much less.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from statistics import median
from typing import Any

from peak import peak_mib

ROOT = Path(__file__).resolve().parents[1]
AS_OF = datetime.fromisoformat("2020-11-23T10:00:00+05:30")
os.environ.setdefault("BENCH_UNSUB_SECRET", "bench-secret")
#: Client CPU seconds per message of each side's rounds (all threads of this
#: process; the sink is another process): unlike msg/s, not swayed by other load.
CPU: dict[str, list[float]] = {"digest": [], "bare": [], "raw": []}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sink() -> Iterator[tuple[int, str]]:
    """A local SMTP sink in its own process: (port, what it is)."""
    port = free_port()
    binary = shutil.which("smtp-sink") or (
        "/usr/sbin/smtp-sink" if Path("/usr/sbin/smtp-sink").exists() else None
    )
    if binary:
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        process = subprocess.Popen([binary, *user, f"127.0.0.1:{port}", "256"])
        what = "Postfix smtp-sink"
    else:
        recorder = ROOT / "tests" / "smtp_recorder.py"
        process = subprocess.Popen(
            [sys.executable, str(recorder), str(port), os.devnull], stdout=subprocess.DEVNULL
        )
        what = "aiosmtpd"
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield port, what
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()


def prepare(folder: Path, port: int, recipients: int, connections: int) -> tuple:  # type: ignore[type-arg]
    """A store with the sample edition and ``recipients`` subscribers; the sender."""
    from digest.config import load_config, parse_config
    from digest.edition import make_digest
    from digest.senders import Outgoing, build_sender
    from digest.store import Subscriber, open_store

    config = load_config(ROOT / "config.toml")
    config = parse_config(
        {
            **config.model_dump(exclude={"base_dir"}, mode="json"),
            "store": {"path": str(folder / "b.sqlite3")},
        },
        base_dir=ROOT,
    )
    store = open_store(folder / "b.sqlite3")
    app = make_digest(config=config, store=store)
    app.ingest()
    built = app.build(AS_OF)
    assert built.renditions is not None
    store.add_subscribers(
        Subscriber(f"reader{i:07d}@example.org", name=f"Reader Number {i}")
        for i in range(recipients)
    )
    sender = build_sender(
        "bench",
        "smtp",
        {
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "from": "World News Digest <digest@mid-day.example>",
            "unsubscribe_url": "https://www.mid-day.com/newsletter/unsubscribe",
            "secret_env": "BENCH_UNSUB_SECRET",
            "connections": connections,
        },
        ROOT,
    )
    assert built.public is not None
    return store, sender, Outgoing(built.edition, built.renditions, built.public)


def run_digest(store: Any, sender: Any, outgoing: Any, round_: int) -> float:
    """Messages per second through ``deliver`` for every subscriber in the store
    (a fresh edition id per round, so each round sends to everybody)."""
    from digest.delivery import deliver
    from digest.senders import Outgoing, Recipient

    edition = dataclasses.replace(outgoing.edition, id=f"bench-{round_}")
    fresh = Outgoing(edition, outgoing.renditions, outgoing.public)
    stream = (Recipient(s.address, s.name) for s in store.iter_subscribers())
    start, cpu = time.perf_counter(), time.process_time()
    report = deliver(store, "bench", sender, fresh, stream)
    elapsed = time.perf_counter() - start
    CPU["digest"].append((time.process_time() - cpu) / report.sent)
    assert report.sent == store.count_subscribers(), report
    return report.sent / elapsed


def run_bare(
    port: int, messages: int, connections: int, message: bytes, raw: bool = False
) -> float:
    """Messages per second: bare ``smtplib.sendmail`` of one prebuilt message or,
    with ``raw``, the same message dot-stuffed once and written straight after
    ``DATA`` (the transport's own ceiling, without smtplib's per-message quoting)."""
    stuffed = re.sub(rb"(?m)^\.", b"..", message) + b".\r\n"

    def worker(count: int, offset: int) -> None:
        conn = smtplib.SMTP("127.0.0.1", port)
        conn.ehlo()
        for i in range(count):
            to = f"reader{offset + i:07d}@example.org"
            if raw:
                conn.mail("digest@mid-day.example")
                conn.rcpt(to)
                conn.docmd("data")
                conn.send(stuffed)
                conn.getreply()
            else:
                conn.sendmail("digest@mid-day.example", [to], message)
        conn.quit()

    share = [messages // connections + (i < messages % connections) for i in range(connections)]
    threads = [
        threading.Thread(target=worker, args=(n, sum(share[:i]))) for i, n in enumerate(share)
    ]
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    CPU["raw" if raw else "bare"].append((time.process_time() - cpu) / messages)
    return messages / (time.perf_counter() - start)


def memory_child(port: int, recipients: int, connections: int) -> None:
    """Run one send of ``recipients`` in this process; print peak RSS in MiB."""
    from digest.delivery import deliver
    from digest.senders import Recipient

    with tempfile.TemporaryDirectory() as tmp:
        store, sender, outgoing = prepare(Path(tmp), port, recipients, connections)
        before = peak_mib()
        stream = (Recipient(s.address, s.name) for s in store.iter_subscribers())
        start = time.perf_counter()
        report = deliver(store, "bench", sender, outgoing, stream)
        elapsed = time.perf_counter() - start
        assert report.sent == recipients
        peak = peak_mib()
        store.close()
    print(f"{before:.1f} {peak:.1f} {recipients / elapsed:.0f}")


def _load() -> str:
    """The 1-minute load average: other processes slow both sides, not evenly."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--memory",
        default="10000,100000,1000000",
        help="list sizes for the memory run (comma-separated; empty: skip)",
    )
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from digest.senders import Recipient

    if args.child:
        memory_child(*args.child)
        return
    load_before = _load()
    with sink() as (port, what), tempfile.TemporaryDirectory() as tmp:
        store, sender, outgoing = prepare(Path(tmp), port, args.messages, args.connections)
        sender.prepare(outgoing)
        message = sender.message(outgoing, Recipient("reader@example.org", "Reader"))
        run_bare(port, 200, args.connections, message)  # warm up the sink
        CPU["bare"].clear()
        bare: list[float] = []
        raw: list[float] = []
        ours: list[float] = []
        # Interleaved rounds, order rotating, so a noisy machine hits every side.
        for round_ in range(args.rounds):
            runs = [
                lambda: bare.append(run_bare(port, args.messages, args.connections, message)),
                lambda r=round_: ours.append(run_digest(store, sender, outgoing, r)),
                lambda: raw.append(
                    run_bare(port, args.messages, args.connections, message, raw=True)
                ),
            ]
            for run in runs[round_ % 3 :] + runs[: round_ % 3]:
                run()
        store.close()
        ratios = [o / b for o, b in zip(ours, bare, strict=True)]
        raw_ratios = [o / r for o, r in zip(ours, raw, strict=True)]

        def rounds(values: list[float], digits: int = 0) -> str:
            return ", ".join(f"{v:.{digits}f}" for v in values)

        print(
            f"sink: {what}; {args.messages} messages of {len(message) / 1024:.1f} KiB, "
            f"{args.connections} connection(s), {args.rounds} interleaved rounds; "
            f"load average {load_before} before, {_load()} after ({os.cpu_count()} CPUs)"
        )
        print(
            f"bare smtplib.sendmail, one prebuilt message: median {median(bare):6.0f} msg/s "
            f"({rounds(bare)})"
        )
        print(
            f"raw DATA, one prebuilt pre-stuffed message: median {median(raw):6.0f} msg/s "
            f"({rounds(raw)})"
        )
        print(
            f"digest, personalised + delivery log:        median {median(ours):6.0f} msg/s "
            f"({rounds(ours)})"
        )
        print(f"ratio digest / bare smtplib: median {median(ratios):.2f}x ({rounds(ratios, 2)})")
        print(
            f"ratio digest / raw DATA:     median {median(raw_ratios):.2f}x "
            f"({rounds(raw_ratios, 2)}; target >= 0.90x)"
        )
        cpu = {side: median(values) * 1e6 for side, values in CPU.items() if values}
        print(
            f"client CPU per message (median): digest {cpu['digest']:.0f} µs, "
            f"bare smtplib {cpu['bare']:.0f} µs, raw DATA {cpu['raw']:.0f} µs"
        )
        sizes = [int(n) for n in args.memory.split(",") if n]
        for n in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(port), str(n), str(args.connections)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            before, peak, rate = (float(x) for x in out)
            print(
                f"{n:>7} recipients: peak RSS {peak:6.1f} MiB "
                f"(before sending {before:6.1f} MiB), {rate:.0f} msg/s"
            )


if __name__ == "__main__":
    main()
