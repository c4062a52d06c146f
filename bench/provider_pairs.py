"""Benchmark: one provider sender against bare httpx in many short rounds, each
"digest" round followed by a "bare" one, and the median of the per-round ratios.

    python bench/provider_pairs.py                     # SES, 40 pairs of 20 calls
    python bench/provider_pairs.py --provider sendgrid --pairs 20 --calls 10

The same sides as ``bench/providers.py`` (its sender, batches, prebuilt requests,
server process and calling threads): "digest" is ``send_batch`` on full batches
from ``connections + overlap`` threads, "bare" one ``httpx.Client`` posting the
bodies and headers the sender built, from ``connections`` threads.  On a machine
that other work keeps busy, the load drifts over seconds: ``bench/providers.py``
takes each side's median rate over a few rounds, so one side's rounds can fall in
a busier second than the other's; here each ratio compares two rounds that ran
back to back, and the median of many such pairs follows the code more than the
load.  Also printed: the quartiles of the ratios and each side's median CPU
milliseconds a call of this process (all its threads).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from statistics import median, quantiles

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.providers import (  # noqa: E402
    PROVIDERS,
    Side,
    captured,
    check,
    outgoing,
    post,
    reader_batches,
    sender,
    start_server,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", choices=PROVIDERS, default="ses")
    parser.add_argument("--pairs", type=int, default=40, help="rounds a side (40)")
    parser.add_argument("--calls", type=int, default=20, help="calls a round (20)")
    parser.add_argument("--connections", type=int, default=1, help="on each side (1)")
    args = parser.parse_args()
    server, url = start_server()
    try:
        out = outgoing()
        made = sender(args.provider, url, args.connections)
        size = made.limits.batch_size
        batches = reader_batches(size, args.calls)
        made.prepare(out)
        prebuilt = [captured(args.provider, made, out, batch) for batch in batches]
        sending = [lambda b=b: check(made.send_batch(out, b), size) for b in batches]
        ours, bare = Side(), Side()
        with httpx.Client(timeout=60) as client:
            posting = [lambda r=r: post(client, *r) for r in prebuilt]
            for _ in range(args.pairs):
                ours.run(args.connections + made.limits.overlap, sending, server.pid, url)
                bare.run(args.connections, posting, server.pid, url)
        made.close()
    finally:
        server.terminate()
        server.wait()
    ratios = [a / b for a, b in zip(ours.rates, bare.rates, strict=True)]
    low, _, high = quantiles(ratios, n=4)
    print(
        f"{args.provider}: median ratio digest / bare {median(ratios):.3f} "
        f"(quartiles {low:.3f}-{high:.3f}, {args.pairs} pairs of {args.calls} calls); "
        f"CPU ms a call: digest {median(ours.client_ms):.2f}, bare {median(bare.client_ms):.2f}"
    )


if __name__ == "__main__":
    main()
