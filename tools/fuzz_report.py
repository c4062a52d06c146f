"""Print the reliability numbers: generated cases by kind and their failures,
hostile HTTP servers and how long each fetch took, and disk faults.

    python tools/fuzz_report.py              # the CI-sized run (about 10,000 cases)
    python tools/fuzz_report.py --scale 20   # a longer run (about 200,000 cases)
    python tools/fuzz_report.py --json       # the same as JSON

Runs the properties of ``tests/fuzz_cases.py`` (no traceback, bounded time and
memory, good items kept, nothing executable in a rendition) with hypothesis, each
case of ``tests/hostile_server.py`` against a real server on 127.0.0.1 with the
real clock (target: every fetch ends within ``timeout_seconds`` + 1 s), and the
file sender against injected disk errors.  Exits 1 if any target is missed.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from digest.config import parse_config  # noqa: E402
from digest.errors import SourceError  # noqa: E402
from digest.render import Renderer  # noqa: E402
from digest.sources.fetch import FetchLimits, fetch, networks  # noqa: E402
from tests import fuzz_cases as cases  # noqa: E402
from tests.hostile_server import CASES, hostile_server  # noqa: E402
from tests.test_fuzz import BATCHES  # noqa: E402

TIMEOUT_SECONDS = 2.0


def run_generated(scale: float) -> None:
    """Every generated kind, ``BATCHES[kind] * scale`` cases each, into cases.TALLY."""
    config = parse_config(cases._sample_config(), base_dir=cases.ROOT)
    renderer = Renderer(config.digest, config.render, base_dir=cases.ROOT)
    workspace = tempfile.TemporaryDirectory(prefix="digest-fuzz-")
    folder = Path(workspace.name)

    def batch(kind: str) -> Any:
        return settings(
            max_examples=max(1, int(BATCHES[kind] * scale)),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )

    plans: list[tuple[str, Any, Any]] = [
        ("feed", cases.feeds(), cases.check_feed),
        ("mixed feed", cases.mixed_feeds(), cases.check_mixed_feed),
        ("page", cases.pages(), cases.check_page),
        ("json", cases.json_documents(), cases.check_json),
        ("config", cases.configs(), cases.check_config),
        ("rendition", cases.editions(), lambda e: cases.check_rendition(e, renderer)),
        ("config via CLI", cases.configs(most=1), lambda d: cases.check_config_cli(d, folder)),
    ]
    with workspace:
        for kind, strategy, check in plans:
            runner(kind, strategy, check, batch(kind))()
            print(f"  {kind}: {cases.TALLY.cases[kind]:,} cases", file=sys.stderr)


def runner(kind: str, strategy: Any, check: Any, batch: Any) -> Any:
    """A hypothesis test running ``check`` on every case of ``strategy``; failures
    are counted in cases.TALLY, not raised, so the report shows them all."""

    @batch
    @given(strategy)
    def run(case: Any) -> None:
        cases.timed(kind, check, case)

    return run


def run_servers() -> list[dict[str, Any]]:
    """Each hostile server case fetched with the real clock."""
    rows = []
    limits = FetchLimits(
        max_bytes=2_000_000,
        timeout_seconds=TIMEOUT_SECONDS,
        allow_networks=networks(["127.0.0.1"]),
    )
    with hostile_server(drip=0.05) as server:
        for path, expected in CASES.items():
            started = time.monotonic()
            try:
                fetch(server.url(path), limits)
                outcome = ""
            except SourceError as exc:
                outcome = exc.reason
            except Exception as exc:  # a traceback
                outcome = f"TRACEBACK {type(exc).__name__}: {exc}"
            seconds = time.monotonic() - started
            ok = (expected in outcome if expected else outcome == "") and (
                seconds <= TIMEOUT_SECONDS + 1
            )
            rows.append(
                {"case": path, "seconds": round(seconds, 2), "outcome": outcome[:90], "ok": ok}
            )
    return rows


def run_disk() -> list[dict[str, Any]]:
    """The file sender against injected write errors: transient ones leave the
    delivery pending and no cut-off file; permanent ones are final."""
    import digest.export as export
    from digest.edition import make_digest
    from digest.store import open_store

    rows = []
    as_of = cases.READ_AT.replace(hour=4, minute=30)
    real = export.write_file
    for code in (errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT, errno.EACCES, errno.ENOTDIR):
        with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "s.db") as store:
            data = cases._sample_config()
            data["senders"] = {"out": {"type": "file", "path": str(Path(folder) / "out")}}
            app = make_digest(config=parse_config(data, base_dir=cases.ROOT), store=store)
            app.ingest()
            built = app.build(as_of)

            def failing(path: Path, content: bytes, code: int = code) -> None:
                path.write_bytes(content[: len(content) // 2])
                raise OSError(code, os.strerror(code), str(path))

            export.write_file = failing
            try:
                app.send(built)
            finally:
                export.write_file = real
            (delivery,) = store.deliveries(built.edition.id)
            out = Path(folder) / "out"
            leftovers = [p.name for p in out.iterdir()] if out.exists() else []
            transient = code not in (errno.EACCES, errno.ENOTDIR)
            expected = "pending" if transient else "failed"
            ok = delivery.status == expected and not leftovers
            if transient:
                app.send(app.build(as_of))
                (delivery,) = store.deliveries(built.edition.id)
                ok = ok and delivery.status == "sent"
            rows.append(
                {
                    "errno": errno.errorcode[code],
                    "first": expected,
                    "then": delivery.status,
                    "stray files": len(leftovers),
                    "ok": ok,
                }
            )
    return rows


def main() -> int:
    """Run everything and print the numbers; 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="cases × this (default 1)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    started = time.monotonic()
    run_generated(args.scale)
    servers = run_servers()
    disk = run_disk()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tally = cases.TALLY
    report = {
        "generated": {
            kind: {
                "cases": tally.cases[kind],
                "failures": tally.failures[kind],
                "slowest_seconds": round(tally.slowest.get(kind, 0.0), 3),
                "examples": tally.examples.get(kind, []),
            }
            for kind in tally.cases
        },
        "servers": servers,
        "disk": disk,
        "peak_memory_mb": round(peak_mb),
        "seconds": round(time.monotonic() - started, 1),
    }
    failed = (
        sum(tally.failures.values())
        + sum(not r["ok"] for r in servers)
        + sum(not r["ok"] for r in disk)
    )
    if args.json:
        print(json.dumps(report, indent=2))
        return 1 if failed else 0
    total = sum(tally.cases.values())
    print(f"Generated cases: {total:,}, failures: {sum(tally.failures.values())}")
    for kind, row in report["generated"].items():
        print(f"  {kind:<16} {row['cases']:>8,} cases  {row['failures']:>3} failures  "
              f"slowest {row['slowest_seconds']:.3f} s")  # fmt: skip
        for example in row["examples"]:
            print(f"      {example}")
    worst = max(r["seconds"] for r in servers)
    print(f"Hostile servers (timeout_seconds = {TIMEOUT_SECONDS:g}): {len(servers)} cases, "
          f"{sum(not r['ok'] for r in servers)} missed, longest {worst:.2f} s")  # fmt: skip
    for row in servers:
        mark = "ok  " if row["ok"] else "MISS"
        print(f"  {mark} {row['case']:<26} {row['seconds']:>5.2f} s  {row['outcome']}")
    print(f"Disk faults: {len(disk)} cases, {sum(not r['ok'] for r in disk)} missed")
    for row in disk:
        mark = "ok  " if row["ok"] else "MISS"
        print(f"  {mark} {row['errno']:<8} first {row['first']:<8} then {row['then']:<8} "
              f"stray files {row['stray files']}")  # fmt: skip
    print(f"Peak memory {report['peak_memory_mb']} MB; {report['seconds']} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
