"""Benchmark: the CPU each stage of a provider sender's batch takes, one thread,
no server: making the recipients' parts (``parts.people``), building the request
(``_request``: body, headers, SES's signature) and reading a 2xx answer into
per-recipient outcomes (``_outcomes``).

    python bench/provider_stages.py
    python bench/provider_stages.py --code ../other-checkout   # the same stages of another commit

Full batches of plain recipients (SendGrid and Mailgun 1,000, Postmark 500, SES
50) of the bundled sample edition, as ``bench/providers.py`` sends them.  Each
figure is the least thread CPU time (``time.thread_time``) of ``--repeat`` runs of
``--number`` calls, in milliseconds a call: the least is the one least disturbed by
other work on a shared machine, and thread CPU leaves out the time the thread
waits for a core.  These are the client's own costs that ``bench/providers.py``
(the target's side-by-side ratio against bare httpx) cannot separate.
"""

from __future__ import annotations

import argparse
import sys
import time
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def answer(kind: str, size: int) -> Any:
    """A 2xx answer in the provider's shape, every message accepted."""
    import httpx

    body: Any = {"id": "<batch@mg.example>"}
    if kind == "postmark":
        body = [{"ErrorCode": 0, "MessageID": f"m{i}"} for i in range(size)]
    elif kind == "ses":
        results = [{"Status": "SUCCESS", "MessageId": f"m{i}"} for i in range(size)]
        body = {"BulkEmailEntryResults": results}
    made = httpx.Response(200, json=body, headers={"X-Message-Id": "batch-id"})
    made.read()
    return made


def least_ms(call: Any, number: int, repeat: int) -> float:
    """The least thread CPU milliseconds a call of ``call``."""
    runs = timeit.repeat(call, number=number, repeat=repeat, timer=time.thread_time)
    return round(min(runs) / number * 1000, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, help="import digest from this checkout")
    parser.add_argument("--number", type=int, default=10, help="calls a run (10)")
    parser.add_argument("--repeat", type=int, default=7, help="runs (7)")
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    from bench.providers import PROVIDERS, outgoing, sender
    from digest.senders import Recipient

    out = outgoing()
    print(f"{'provider':10} {'batch':>6}  ms a call: {'people':>7} {'request':>8} {'outcomes':>9}")
    for kind in PROVIDERS:
        made = sender(kind, "http://127.0.0.1:9", 1)
        size, figures = stages(made, out, Recipient, args.number, args.repeat)
        made.close()
        print(f"{kind:10} {size:>6}  {'':10} {figures[0]:>7} {figures[1]:>8} {figures[2]:>9}")


def stages(
    made: Any, out: Any, recipient: Any, number: int, repeat: int
) -> tuple[int, list[float]]:
    """The batch size of sender ``made`` and its three stages' figures."""
    size = made.limits.batch_size
    batch = [
        recipient(f"reader{i:07d}@example.org", name=f"Reader Number {i}") for i in range(size)
    ]
    made.prepare(out)
    people, _ = made.parts.people(out.edition.id, batch)
    reply = answer(made.type_name, size)
    return size, [
        least_ms(lambda: made.parts.people(out.edition.id, batch), number, repeat),
        least_ms(lambda: made._request(out, people), number, repeat),
        least_ms(lambda: made._outcomes(people, reply), number, repeat),
    ]


if __name__ == "__main__":
    main()
