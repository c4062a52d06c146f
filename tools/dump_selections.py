"""Print every selection decision, for checking that a change selects the same.

    python tools/dump_selections.py > before.txt     # on the old code
    python tools/dump_selections.py > after.txt      # on the new code
    diff before.txt after.txt                         # nothing: the same editions

For each real labelled day (``tests/data/selector_real``) and home country IN, GB
and US, then for GB with the day's first five picks sent the evening before (the
memory stage), for each day of the hand-written set (``tests/data/selector_eval``,
for its own home country), and for the 1,000 and 10,000 candidate pools of
``bench/selection.py``: every pick with its score, outlets and reasons, and every
rejection with its kind, score and reason, in the edition's order.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from digest.codec import article_from_plain
from digest.config import SelectSettings
from digest.model import Edition
from digest.select import SentStory, select
from digest.select.evaluation import load_day, run

ROOT = Path(__file__).resolve().parent.parent


def dump(name: str, edition: Edition) -> None:
    """Print one edition's picks and rejections."""
    print(f"== {name} {edition.id}: {len(edition.picks)} picks, {len(edition.rejections)} out")
    for pick in edition.picks:
        print("P", pick.article.id, pick.score, pick.also_reported_by, pick.headline, pick.outlet)
        for reason in pick.reasons:
            print("   ", reason)
    for rejection in edition.rejections:
        print("R", rejection.article.id, rejection.score, rejection.kind, rejection.reason)


def main() -> int:
    """Print the editions of the real days and of the bench pools."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    args = parser.parse_args()
    for feed in sorted((ROOT / "tests" / "data" / "selector_real").glob("day-*.feed.json")):
        day = load_day(feed)
        for home in ("IN", "GB", "US"):
            dump(f"{day.name} {home}", run(day, home))
        earlier = run(day, "GB")
        sent = [
            SentStory("world-earlier", day.as_of - timedelta(hours=20), p.article)
            for p in earlier.picks[:5]
        ]
        settings = SelectSettings(home_country="GB")
        again = select(day.unique(), as_of=day.as_of, settings=settings, sent=sent)
        dump(f"{day.name} GB, five picks sent before", again)
    for path in sorted((ROOT / "tests" / "data" / "selector_eval").glob("day-*.json")):
        data = json.loads(path.read_text("utf-8"))
        settings = SelectSettings(home_country=data["home_country"])
        articles = [article_from_plain(a) for a in data["articles"]]
        as_of = datetime.fromisoformat(data["as_of"])
        edition = select(articles, as_of=as_of, settings=settings)
        dump(f"{path.stem} {settings.home_country}", edition)
    # bench/selection.py builds the synthetic pools (its folder holds peak.py).
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_selection", ROOT / "bench/selection.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for size in args.sizes:
        settings = SelectSettings(home_country="IN")
        dump(f"bench pool {size}", select(bench.pool(size), as_of=bench.AS_OF, settings=settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
