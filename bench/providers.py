"""Benchmark: requests per second of each email-provider sender next to bare httpx
posting the same prebuilt batches to the same local server, as ratios in one run.

    python bench/providers.py              # 5 rounds of 20 calls per provider, 1 connection
    python bench/providers.py --calls 40 --rounds 7 --connections 2 --json figures.json

The server is ``tests/provider_server.py`` in a process of its own on 127.0.0.1: it
checks every request as the provider documents it (auth, shape, batch size, SigV4
for SES) and answers in the provider's shape, so both sides pay the same server.
"digest" is ``sender.send_batch`` on full batches (SendGrid 1,000 personalizations,
Postmark 500 messages, Mailgun 1,000 recipients, SES 50 entries, SigV4-signed):
checking addresses, signing each recipient's unsubscribe token, filling the
placeholders, building the request, the quota, posting, and reading the answer
into per-recipient outcomes.  "bare" is one ``httpx.Client`` posting the bodies
(and headers, SES's SigV4 signature included) the sender built, prebuilt before the
clock starts.  Both sides use the same number of connections (``connections``; 1 by
default, as the senders), kept alive: "digest" is called from as many threads as
the delivery loop gives the sender (one more than ``connections``, building the
next batch while a call is in flight; see ``digest/senders/pipeline.py``) and
still makes at most ``connections`` calls at once; "bare" posts from
``connections`` threads.  The server counts the most calls it answered at once
for each side, and the run stops if the two differ (``--json`` also has the
connections each side opened).
On a machine that other work keeps busy there is no idle core for the overlap,
and the side holding the interpreter lock longer (ours: it builds the requests)
loses more than its CPU time whenever the system preempts it, so compare the CPU
columns too (as root, ``chrt -f 5 python bench/providers.py`` runs the bench's two
processes before other work, close to a quiet machine).  Rounds alternate
between the two; the median of each is reported and the ratio digest / bare
(target: at least 0.9).  Next to them, the CPU
milliseconds a call of the client (this process, all its threads) and of the
server: on a shared machine the rates follow the load, the CPU times much less.

For SES a third side, "boto3", calls ``send_bulk_email`` with the parameters the
sender built (prebuilt too) on a boto3 client configured as the sender's: the same
calls through the boto3 client (serialising through the model, signing, urllib3),
which is what the sender did before it posted the signed JSON itself; the target
stays the httpx ratio.

The server answers with TCP_NODELAY: without it every answer waited for the
client's delayed ACK (40 ms), which hid most of the client's cost on both sides.
It parses Mailgun's form with the stdlib's ``compat32`` policy: with the HTTP
policy's header objects, 1,000 ``to`` fields cost the server 130 ms a call, which
also hid the client's cost (the ratio read 0.7 with 16 ms of client CPU a call).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.provider_server import (  # noqa: E402
    AWS_KEY_ID,
    AWS_SECRET,
    MAILGUN_KEY,
    POSTMARK_TOKEN,
    REGION,
    SENDGRID_KEY,
)

AS_OF = "2020-11-23T10:00+05:30"
PROVIDERS = ("sendgrid", "postmark", "mailgun", "ses")


def outgoing() -> Any:
    """The bundled sample edition, built in a scratch store."""
    from datetime import datetime

    from digest.config import load_config
    from digest.edition import make_digest
    from digest.senders import Outgoing
    from digest.store import open_store

    config = load_config(ROOT / "config.toml")
    app = make_digest(config=config, store=open_store(":memory:"))
    app.ingest()
    built = app.build(datetime.fromisoformat(AS_OF))
    assert built.renditions is not None and built.public is not None
    return Outgoing(built.edition, built.renditions, built.public)


def sender(kind: str, url: str, connections: int) -> Any:
    """A provider sender pointed at the local server."""
    from digest.senders import build_sender

    os.environ |= {
        "BENCH_SECRET": "bench-unsubscribe-secret",
        "BENCH_SENDGRID": SENDGRID_KEY,
        "BENCH_POSTMARK": POSTMARK_TOKEN,
        "BENCH_MAILGUN": MAILGUN_KEY,
        "BENCH_AWS_ID": AWS_KEY_ID,
        "BENCH_AWS_SECRET": AWS_SECRET,
    }
    options: dict[str, Any] = {
        "from": "World News Digest <digest@mid-day.example>",
        "unsubscribe_url": "https://www.mid-day.com/newsletter/unsubscribe",
        "secret_env": "BENCH_SECRET",
        "endpoint": url,
        "connections": connections,
    }
    if kind == "ses":
        options |= {
            "region": REGION,
            "access_key_id_env": "BENCH_AWS_ID",
            "secret_access_key_env": "BENCH_AWS_SECRET",
            "per_second": 1_000_000,
        }
    else:
        options["api_key_env"] = f"BENCH_{kind.upper()}"
    return build_sender("bench", kind, options, ROOT)


def captured(
    kind: str, made: Any, out: Any, people: list[Any]
) -> tuple[str, dict[str, str], bytes]:
    """The request the sender posts for ``people``: URL, headers, body."""
    checked = [made.parts.person(out.edition.id, r) for r in people]
    if kind == "ses":
        body = made.body(out, checked)
        return made.endpoint + "/v2/email/outbound-bulk-emails", made.signed(body), body
    if kind == "sendgrid":
        headers = {"Authorization": f"Bearer {SENDGRID_KEY}", "Content-Type": "application/json"}
        return made.endpoint + "/v3/mail/send", headers, made.body(out, checked)
    if kind == "postmark":
        headers = {
            "X-Postmark-Server-Token": POSTMARK_TOKEN,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        return made.endpoint + "/email/batch", headers, made.body(out, checked)
    body, content_type = made.body(out, checked)
    auth = httpx.BasicAuth("api", MAILGUN_KEY)
    request = httpx.Request("POST", "http://x", headers={"Content-Type": content_type})
    headers = dict(next(auth.auth_flow(request)).headers)
    headers = {"Content-Type": content_type, "Authorization": headers["authorization"]}
    return made.endpoint + f"/v3/{made.sending_domain}/messages", headers, body


def boto3_side(made: Any, out: Any, batches: list[Any]) -> list[Any]:
    """Jobs calling ``send_bulk_email`` on a client like the sender's, with the
    parameters it built for each batch."""
    import boto3
    from botocore.config import Config

    client = boto3.session.Session(
        aws_access_key_id=AWS_KEY_ID, aws_secret_access_key=AWS_SECRET, region_name=REGION
    ).client(
        "sesv2",
        endpoint_url=made.endpoint,
        config=Config(
            retries={"total_max_attempts": 1},
            max_pool_connections=made.limits.connections,
            parameter_validation=False,
        ),
    )
    params = [
        made.request(out, [made.parts.person(out.edition.id, r) for r in batch])
        for batch in batches
    ]

    def call(p: dict[str, Any]) -> None:
        answer = client.send_bulk_email(**p)
        assert len(answer["BulkEmailEntryResults"]) == len(p["BulkEmailEntries"])

    return [lambda p=p: call(p) for p in params]


def check(outcomes: Any, size: int) -> None:
    """Every recipient of a batch was accepted."""
    assert len(outcomes) == size and not any(isinstance(o, Exception) for o in outcomes)


def post(client: httpx.Client, target: str, headers: dict[str, str], body: bytes) -> None:
    """One prebuilt request."""
    answer = client.post(target, content=body, headers=headers)
    assert answer.status_code < 300, answer.text


def server_cpu(pid: int) -> float:
    """CPU seconds the server process has used (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stats(url: str) -> dict[str, int]:
    """The server's count of connections accepted (this look's own included), and
    the most requests it answered at once since the last look."""
    answer: dict[str, int] = httpx.get(url + "/_stats").json()
    return answer


class Side:
    """One side's rounds: requests per second, CPU milliseconds per call of this
    process (the client) and of the server, and the connections it used."""

    def __init__(self) -> None:
        self.rates: list[float] = []
        self.client_ms: list[float] = []
        self.server_ms: list[float] = []
        self.connections = 0
        self.at_once = 0

    def run(self, threads: int, jobs: list[Any], server: int, url: str) -> None:
        """Run ``jobs`` on ``threads`` threads once, measured."""
        before = stats(url)
        with ThreadPoolExecutor(threads) as pool:
            cpu, served = time.process_time(), server_cpu(server)
            start = time.perf_counter()
            list(pool.map(lambda job: job(), jobs))
            seconds = time.perf_counter() - start
            self.client_ms.append((time.process_time() - cpu) * 1000 / len(jobs))
            self.server_ms.append((server_cpu(server) - served) * 1000 / len(jobs))
        self.rates.append(len(jobs) / seconds)
        after = stats(url)
        self.connections += after["connections"] - before["connections"]
        self.at_once = max(self.at_once, after["most_at_once"])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    """``tests/provider_server.py`` in a process of its own, and its URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.provider_server"], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert server.stdout is not None
    return server, f"http://127.0.0.1:{int(server.stdout.readline())}"


def reader_batches(size: int, calls: int) -> list[list[Any]]:
    """``calls`` full batches of ``size`` distinct named readers."""
    from digest.senders import Recipient

    return [
        [
            Recipient(f"reader{n * size + i:07d}@example.org", name=f"Reader Number {i}")
            for i in range(size)
        ]
        for n in range(calls)
    ]


def run(
    calls: int, rounds: int, connections: int, providers: tuple[str, ...] = PROVIDERS
) -> dict[str, Any]:
    """Every provider, rounds alternating digest and bare; medians and ratios."""
    server, url = start_server()
    try:
        out = outgoing()
        figures: dict[str, Any] = {}
        for kind in providers:
            made = sender(kind, url, connections)
            size = made.limits.batch_size
            batches = reader_batches(size, calls)
            made.prepare(out)
            # As many calling threads as the delivery loop gives the sender.
            callers = connections + made.limits.overlap
            prebuilt = [captured(kind, made, out, batch) for batch in batches]
            library = boto3_side(made, out, batches) if kind == "ses" else []
            ours, bare, boto = Side(), Side(), Side()
            sending = [
                lambda batch=batch, made=made, size=size: check(made.send_batch(out, batch), size)
                for batch in batches
            ]
            with httpx.Client(timeout=60) as client:
                posting = [lambda r=r: post(client, *r) for r in prebuilt]
                for _ in range(rounds):
                    ours.run(callers, sending, server.pid, url)
                    bare.run(connections, posting, server.pid, url)
                    if library:
                        boto.run(connections, library, server.pid, url)
            made.close()
            figures[kind] = {
                "batch": size,
                "digest_requests_per_s": round(median(ours.rates), 1),
                "bare_requests_per_s": round(median(bare.rates), 1),
                "ratio": round(median(ours.rates) / median(bare.rates), 3),
                "digest_messages_per_s": round(median(ours.rates) * size),
                "digest_client_cpu_ms": round(median(ours.client_ms), 2),
                "bare_client_cpu_ms": round(median(bare.client_ms), 2),
                "server_cpu_ms": round(median(bare.server_ms), 2),
                "digest_server_cpu_ms": round(median(ours.server_ms), 2),
                # Both sides alike: the most calls the server answered at once
                # (``connections``), and connections opened over all rounds
                # (one, kept alive; again after a round of the other side
                # longer than httpx's 5 s keep-alive expiry).
                "digest_at_once": ours.at_once,
                "bare_at_once": bare.at_once,
                "digest_connections": ours.connections,
                "bare_connections": bare.connections,
            }
            if ours.at_once != bare.at_once:
                raise SystemExit(
                    f"{kind}: the two sides made {ours.at_once} and {bare.at_once} calls at once"
                )
            if boto.rates:
                figures[kind]["boto3_requests_per_s"] = round(median(boto.rates), 1)
                figures[kind]["ratio_boto3"] = round(median(ours.rates) / median(boto.rates), 3)
                figures[kind]["boto3_client_cpu_ms"] = round(median(boto.client_ms), 2)
        return figures
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20, help="calls per round (20)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per side (5)")
    parser.add_argument(
        "--connections", type=int, default=1, help="on each side (1, the senders' default)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--only", nargs="+", choices=PROVIDERS, default=list(PROVIDERS), help="these providers"
    )
    args = parser.parse_args()
    figures = run(args.calls, args.rounds, args.connections, tuple(args.only))
    print(
        f"{'provider':10} {'batch':>6} {'digest req/s':>13} {'bare req/s':>11} {'ratio':>6} "
        f"{'digest msg/s':>13}  CPU ms a call: {'digest':>7} {'bare':>6} {'server':>7}"
    )
    for kind, f in figures.items():
        print(
            f"{kind:10} {f['batch']:>6} {f['digest_requests_per_s']:>13} "
            f"{f['bare_requests_per_s']:>11} {f['ratio']:>6} {f['digest_messages_per_s']:>13}"
            f"  {'':14} {f['digest_client_cpu_ms']:>7} {f['bare_client_cpu_ms']:>6} "
            f"{f['server_cpu_ms']:>7}"
        )
        if "ratio_boto3" in f:
            print(
                f"{'':10} {'':>6} {'bare boto3:':>13} {f['boto3_requests_per_s']:>11} "
                f"{f['ratio_boto3']:>6} {'':>13}  {'':14} {'':>7} "
                f"{f['boto3_client_cpu_ms']:>6}"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if any(f["ratio"] < 0.9 for f in figures.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
