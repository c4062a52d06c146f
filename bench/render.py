"""Render benchmark: one edition (all four renditions) and where the time goes.

Renders the twelve-story fixture edition (``tests/golden/edition.py``) repeatedly
and reports, side by side from the same run, the median time of one edition and
its split between Jinja2 (all four templates), MJML and premailer, plus the cost
of filling one recipient's placeholders into the finished email compared with a
full render (why MJML and inlining run once per edition, never per recipient).

    python bench/render.py [--runs 30] [--json bench/results/render.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest.render import personalise  # noqa: E402
from tests.golden.edition import edition, renderer  # noqa: E402


def main() -> None:
    """Run the benchmark and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    fixture = edition()
    r = renderer()
    rendered = r.render(fixture)  # warm-up: templates compiled, caches filled
    totals, jinja, mjml, premailer = [], [], [], []
    for _ in range(args.runs):
        started = perf_counter()
        rendered = r.render(fixture)
        totals.append(perf_counter() - started)
        assert r.last_timings is not None
        jinja.append(r.last_timings.jinja)
        mjml.append(r.last_timings.mjml)
        premailer.append(r.last_timings.premailer)

    values = {"unsubscribe_url": "https://www.mid-day.com/u/0123456789abcdef", "name": "Asha"}
    per_recipient = []
    for _ in range(args.runs * 20):
        started = perf_counter()
        personalise(rendered.email, values)
        per_recipient.append(perf_counter() - started)

    total = statistics.median(totals)
    figures = {
        "runs": args.runs,
        "stories": len(fixture.picks),
        "email_html_bytes": len(rendered.email.html.encode()),
        "edition_ms": total * 1000,
        "jinja_ms": statistics.median(jinja) * 1000,
        "mjml_ms": statistics.median(mjml) * 1000,
        "premailer_ms": statistics.median(premailer) * 1000,
        "personalise_ms": statistics.median(per_recipient) * 1000,
    }
    figures["render_to_personalise_ratio"] = figures["edition_ms"] / figures["personalise_ms"]
    print(f"one edition, {figures['stories']} stories, all four renditions "
          f"(median of {args.runs}): {figures['edition_ms']:.1f} ms, "
          f"email {figures['email_html_bytes']:,} bytes")  # fmt: skip
    names = {
        "jinja": "jinja2 (4 templates + short texts)",
        "mjml": "MJML",
        "premailer": "premailer",
    }
    for part, label in names.items():
        ms = figures[f"{part}_ms"]
        print(f"  {label:<36} {ms:7.2f} ms  {ms / figures['edition_ms']:6.1%}")
    ratio = figures["render_to_personalise_ratio"]
    print(f"personalise one recipient: {figures['personalise_ms'] * 1000:.0f} µs "
          f"(a full render costs {ratio:,.0f}× as much)")  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
