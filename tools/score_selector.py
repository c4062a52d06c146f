"""Print the selector's figures on the real labelled days (issue 11's targets).

    python tools/score_selector.py                 # every day, homes IN, GB and US
    python tools/score_selector.py --home US --explain 2023-10-07
    python tools/score_selector.py --pairs 2023-08-24   # the worst clustering mistakes
    python tools/score_selector.py --labels labels2     # against the second annotation
    python tools/score_selector.py --set heldout        # the three held-out days
    python tools/score_selector.py --set blind          # six more (stop 26), since tuned on
    python tools/score_selector.py --set blind3         # four more, labelled first, measured once
    python tools/score_selector.py --set blind4         # stop 28's four, the same way
    python tools/score_selector.py --desks --set heldout  # the news-desk decision

Targets, per day and home country: at least 4 of the day's 5 biggest world
stories carried, 0 opinion/feature/soft picks, 0 same-story pairs, at least 5
outlets among 8 picks, world/home precision ≥ 0.95 and recall ≥ 0.9; over all
days, same-story pairwise precision ≥ 0.95 and recall ≥ 0.85.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from digest.select.evaluation import (
    Day,
    clustering_errors,
    clustering_pairs,
    desk_decisions,
    load_day,
    meets_every_target,
    run,
    score_day,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {
    "real": DATA / "selector_real",
    "heldout": DATA / "selector_heldout",
    "blind": DATA / "selector_blind",
    "blind3": DATA / "selector_blind3",
    "blind4": DATA / "selector_blind4",
    "blind5": DATA / "selector_blind5",
    "blind6": DATA / "selector_blind6",
    "blind7": DATA / "selector_blind7",
    "blind8": DATA / "selector_blind8",
    "blind9": DATA / "selector_blind9",
}


def main() -> int:
    """Score every day (or those named) and print one line per day and home."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("days", nargs="*", help="YYYY-MM-DD (default: all)")
    parser.add_argument("--home", action="append", help="home country (default IN, GB, US)")
    parser.add_argument("--explain", action="store_true", help="print each pick and the misses")
    parser.add_argument(
        "--pairs", action="store_true", help="print the worst false merges and splits of stories"
    )
    parser.add_argument(
        "--labels",
        choices=("labels", "labels2"),
        default="labels",
        help="score against the first annotation (default) or the second, blind one",
    )
    parser.add_argument(
        "--set",
        choices=tuple(SETS),
        default="real",
        help="the six days the selector is developed on (default); the three held-out"
        " days (two since tuned on); the six blind days of stop 26 (since read and tuned"
        " on); blind3, four days labelled at the start of stop 27 and measured once"
        " at its end (since read); blind4, four days labelled at the start of stop 28"
        " and measured once at its end (since read); blind5, four days labelled at"
        " the start of stop 29 and measured once at its end (since read); blind6, four"
        " days labelled at the start of stop 30 and measured once at its end (since"
        " read); blind7, four days labelled at the start of stop 31 and measured"
        " once at its end (since read); blind8, four days labelled at the start of"
        " stop 32 and measured once at its end (since read); or blind9, four days"
        " labelled at the start of stop 33 and measured once at its end",
    )
    parser.add_argument(
        "--desks",
        action="store_true",
        help="score only the news-desk decision (news vs business, sport, science…)"
        " as a classifier over every labelled item; --explain lists its mistakes",
    )
    args = parser.parse_args()
    homes = args.home or ["IN", "GB", "US"]
    feeds = sorted(SETS[args.set].glob("day-*.feed.json"))
    if args.days:
        feeds = [f for f in feeds if any(d in f.name for d in args.days)]
    if args.desks:
        return print_desks(feeds, homes, args.labels, args.explain)
    failures = 0
    right = found = labelled = 0
    print("day         home  biggest carried  soft dup outlets/picks  world P   world R")
    for feed in feeds:
        day = load_day(feed, args.labels)
        for home in homes:
            s = score_day(day, home)
            ok = meets_every_target(s)
            failures += not ok
            print(
                f"{s.day}  {home}    {s.biggest:>3}    {s.carried:>3}    {s.soft_picks:>4} "
                f"{s.duplicate_pairs:>3}    {s.outlets:>2}/{s.picks:<2}       "
                f"{s.world_precision:.3f}   {s.world_recall:.3f}  {'ok' if ok else 'MISSED'}"
            )
            if args.explain:
                for n, pick in enumerate(run(day, home).picks, 1):
                    print(f"   {n}. {pick.title} [{pick.score:.2f}] {pick.reasons[1][:150]}")
                if s.missed:
                    print(f"   missed: {', '.join(s.missed)}")
        if args.pairs:
            print_errors(day)
        r, f, lab = clustering_pairs(day)
        right, found, labelled = right + r, found + f, labelled + lab
        print(
            f"{day.name}  same-story pairs: precision {r / max(f, 1):.3f}, "
            f"recall {r / max(lab, 1):.3f}"
        )
    precision, recall = right / max(found, 1), right / max(labelled, 1)
    clusters_ok = precision >= 0.95 and recall >= 0.85
    print(
        f"all days    same-story pairs: precision {precision:.3f}, recall {recall:.3f}"
        f"  {'ok' if clusters_ok else 'MISSED'}"
    )
    print(
        f"{len(feeds) * len(homes) - failures} of {len(feeds) * len(homes)} day/home editions"
        " meet every target"
    )
    return 0 if failures == 0 and clusters_ok else 1


def print_desks(feeds: list[Path], homes: list[str], annotation: str, explain: bool) -> int:
    """Precision and recall of "news desk" over every labelled item, per day and
    home and over all: of the items kept as news-desk candidates, how many are
    labelled news; of the items labelled news, how many are kept."""
    print("day         home  items  kept  news  news P   news R")
    total = [0, 0, 0, 0]
    for feed in feeds:
        day = load_day(feed, annotation)
        for home in homes:
            hits, kept, truth, wrong = desk_decisions(day, home)
            for n, value in enumerate((hits, kept, truth, len(day.labels))):
                total[n] += value
            print(
                f"{day.name}  {home}   {len(day.labels):>5} {kept:>5} {truth:>5}  "
                f"{hits / max(kept, 1):.3f}   {hits / max(truth, 1):.3f}"
            )
            if explain:
                for item, said, why in wrong:
                    label = day.labels[item]["desk"]
                    kind = f"kept, labelled {label}" if said else "dropped news"
                    article = day.articles[item]
                    print(f"   {kind:<24} {article.title[:80]}  <{article.url[:90]}>  {why[:160]}")
    hits, kept, truth, items = total
    print(
        f"all days    {items} item decisions: news-desk precision {hits / max(kept, 1):.3f}"
        f" ({kept - hits} off-desk kept), recall {hits / max(truth, 1):.3f}"
        f" ({truth - hits} news dropped)"
    )
    return 0


def print_errors(day: Day, worst: int = 6) -> None:
    """The day's worst clustering mistakes, each item with its labelled story."""
    merges, splits = clustering_errors(day)
    for title, found in (("joined but labelled apart", merges), ("labelled one, split", splits)):
        print(f"   {title}:")
        for wrong, items in found[:worst]:
            print(f"     {wrong} pair(s):")
            for item in items:
                story = day.labels[item]["story"] or "(alone)"
                print(f"       {story[:32]:<32} {day.articles[item].title[:90]}")


if __name__ == "__main__":
    raise SystemExit(main())
