"""Benchmark: selection time for 1,000 / 10,000 / 100,000 synthetic candidates.

Run from the repository root::

    python bench/selection.py            # 1k, 10k, 100k; prints times and ratios, then memory
    python bench/selection.py --sizes 1000 10000 --memory 10000

The pool looks like a news day scaled up: 70% labelled World News, 10% unlabelled
with datelines and agencies (the fallback classifier decides), 20% other
sections; about half the stories are told by 2-4 outlets (rewritten headlines,
shared body sentences); words follow a Zipf-like distribution so some are common,
and the vocabulary grows as the square root of the pool (Heaps' law).
Every size is timed in the same run, best of ``--repeat`` rounds over all sizes, in CPU time of this
process (``time.process_time``: other work on a shared machine does not count; wall
time is printed beside it), and the script fails (exit 1) if 100k costs more than 12
times 10k: the cost must stay near-linear.

Memory: for each ``--memory`` size (10k and 100k) a fresh process builds the pool,
then selects from it, and reports its peak RSS (``VmHWM``) with what it held
before the selection began (imports, the place tables, the pool itself), so the
selection's own share is the difference.  Target: 100k candidates under 250 MiB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from peak import peak_mib  # bench/peak.py, before this folder leaves the path

# This file shares its name with the standard library's ``select`` module, which
# asyncio and socket import: keep its own folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from digest.config import SelectSettings  # noqa: E402
from digest.model import Article, Image  # noqa: E402
from digest.select import select  # noqa: E402
from digest.select.places import place_data  # noqa: E402

AS_OF = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
MAX_RATIO = 12.0
PLACES = ["Kabul", "Moscow", "Paris", "Nairobi", "Lima", "Seoul", "Cairo", "Berlin", "Ottawa"]
AGENCIES = ["Reuters", "AFP", "AP", "PTI", "IANS", ""]
SECTIONS = ["Sports", "Business", "India News", "Entertainment"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Made-up words, a few hundred of them per thousand stories."""
    letters = "abcdefghijklmnoprstuvwy"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(size)]


def pool(n: int, seed: int = 7) -> list[Article]:
    """``n`` candidates in stories of 1-4 outlets."""
    rng = random.Random(seed)
    # Heaps' law: a news pool's vocabulary grows about as the square root of its size.
    words = vocabulary(int(200 * n**0.5), rng)

    def word() -> str:
        # Zipf-like: low indexes are common words, the tail is rare names.
        return words[min(len(words) - 1, int(rng.paretovariate(1.1)) - 1)]

    def rare() -> str:
        return rng.choice(words)

    articles: list[Article] = []
    story = 0
    while len(articles) < n:
        story += 1
        core = [rare() for _ in range(5)]
        facts = " ".join(core + [word() for _ in range(40)])
        kind = rng.random()
        for outlet in range(rng.choice((1, 1, 2, 3, 4))):
            if len(articles) >= n:
                break
            title = " ".join(rng.sample(core, 4) + [word() for _ in range(4)]).capitalize()
            body = f"{facts}. " + " ".join(word() for _ in range(60))
            section, dateline = "World News", rng.choice(PLACES)
            if kind > 0.9:
                section = ""
            elif kind > 0.7:
                section, dateline = rng.choice(SECTIONS), "Mumbai"
            articles.append(
                Article(
                    id=f"s{story}-{outlet}",
                    url=f"https://outlet{outlet}.example/news/{story}",
                    title=title,
                    summary=" ".join(rng.sample(core, 3) + [word() for _ in range(12)]),
                    body=body,
                    section=section,
                    published_at=AS_OF - timedelta(minutes=rng.randint(1, 60 * 30)),
                    dateline=dateline,
                    agency=rng.choice(AGENCIES),
                    publisher=f"Outlet {outlet}",
                    image=Image(f"https://img.example/{story}.jpg", "x") if outlet % 2 else None,
                )
            )
    return articles


def timed(articles: list[Article], settings: SelectSettings) -> tuple[float, float, int]:
    """CPU seconds and wall seconds of one selection, and its number of picks."""
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    edition = select(articles, as_of=AS_OF, settings=settings)
    return time.process_time() - start_cpu, time.perf_counter() - start_wall, len(edition.picks)


def memory_child(size: int) -> None:
    """Build a pool of ``size`` and select from it; print the peak RSS before and
    after the selection (MiB)."""
    place_data()
    articles = pool(size)
    settings = SelectSettings(home_country="IN")
    gc.collect()
    before = peak_mib()
    select(articles, as_of=AS_OF, settings=settings)
    print(f"{before:.1f} {peak_mib():.1f}")


def memory(sizes: list[int]) -> None:
    """Peak RSS of a selection of each size, each in a fresh process."""
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        before, peak = (float(x) for x in out)
        print(
            f"{size:>8,} candidates: peak RSS {peak:6.1f} MiB (imports, place tables and pool "
            f"before selecting: {before:6.1f} MiB; the selection adds {peak - before:6.1f})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds over all sizes (best kept)")
    parser.add_argument(
        "--memory", type=int, nargs="*", default=[10_000, 100_000],
        help="sizes whose peak memory is measured, each in a fresh process (none: skip)",
    )  # fmt: skip
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        memory_child(args.child)
        return 0
    place_data()  # loaded once per process; not part of a selection
    settings = SelectSettings(home_country="IN")
    pools = {size: pool(size) for size in args.sizes}
    # The pools live through the whole run: keep the collector from walking them
    # inside every timed selection, so one size's pool does not tax another's.
    gc.collect()
    gc.freeze()
    cpu = dict.fromkeys(args.sizes, float("inf"))
    wall = dict.fromkeys(args.sizes, float("inf"))
    picks = dict.fromkeys(args.sizes, 0)
    # Rounds over all sizes, so a busy moment on a shared machine hits every size.
    for _ in range(args.repeat):
        for size in args.sizes:
            c, w, n = timed(pools[size], settings)
            cpu[size], wall[size], picks[size] = min(cpu[size], c), min(wall[size], w), n
    results = cpu
    for size in args.sizes:
        print(f"{size:>8,} candidates: {cpu[size]:8.3f} s CPU "
              f"({cpu[size] / size * 1e6:6.1f} µs each), {wall[size]:8.3f} s wall, "
              f"{picks[size]} picks")  # fmt: skip
    sizes = sorted(results)
    ok = True
    for small, large in itertools.pairwise(sizes):
        ratio = results[large] / results[small]
        print(f"{large:,} vs {small:,}: {ratio:.1f}x CPU time for {large / small:.0f}x candidates")
        if large == 10 * small and small >= 10_000 and ratio > MAX_RATIO:
            ok = False
    if not ok:
        print(f"FAIL: growth above {MAX_RATIO:g}x per 10x candidates", file=sys.stderr)
    memory(args.memory)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
