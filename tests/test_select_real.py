"""The selector on six real, labelled news days (tests/data/selector_real/).

Run ``python tools/score_selector.py`` for the whole table.  The tests assert the
issue's targets where the selector meets them on this set (outlets among the picks,
world/home precision and recall pooled per home country, the diversity of the set)
and, where it does not yet, floors at today's figures so that a change for the
worse fails: editions meeting every target, the biggest stories carried, soft and
duplicate picks, world/home figures day by day, same-story pairs.
"""

from __future__ import annotations

import pytest

from digest.select.evaluation import (
    DayScore,
    clustering_errors,
    clustering_pairs,
    load_day,
    meets_every_target,
    score_day,
)

from . import selector_days
from .selector_days import DATA, HOMES, check_pinned_real_set, day

REAL = DATA / "selector_real"
FEEDS = sorted(REAL.glob("day-*.feed.json"))


def scores() -> tuple[DayScore, ...]:
    return selector_days.scores(tuple(FEEDS))


def test_the_set_is_real_pinned_and_big_enough() -> None:
    assert len(FEEDS) >= 5
    check_pinned_real_set(REAL, FEEDS, ("labels", "labels2"))


@pytest.mark.parametrize("home", HOMES)
def test_world_news_is_told_from_home_news_by_what_and_who(home: str) -> None:
    # The targets, precision 0.95 and recall 0.9: pooled over the days for
    # every home, and on each of the 18 days (2023-06-24 for the US, Titan sub items
    # on a British outlet's Americas desk, needs the regional-desk rule).  BRICS
    # admitting members is India's own news (a group India belongs to acting as one).
    precision, recall = selector_days.world_figures(tuple(FEEDS), home)
    assert precision >= 0.95
    assert recall >= 0.9
    daily = [s for s in scores() if s.home == home]
    assert all(s.world_recall >= 0.9 for s in daily)
    assert all(s.world_precision >= 0.95 for s in daily)


def test_most_editions_meet_every_target() -> None:
    met = [s for s in scores() if meets_every_target(s)]
    print(f"\n{len(met)} of {len(scores())} editions meet every target")
    # Target: all 18, met today (a floor, so a change for the worse fails).
    assert len(met) >= 18


def test_the_second_blind_annotation_scores_the_selector_too() -> None:
    # tools/score_selector.py --labels labels2: the same editions against labels
    # made blind to the first; floors at today's figures (18 of 18 editions).
    met = 0
    for feed in FEEDS:
        second = load_day(feed, "labels2")
        assert set(second.labels) == set(second.articles)
        for home in HOMES:
            met += meets_every_target(score_day(second, home))
    print(f"\nagainst the second annotation: {met} of {len(FEEDS) * len(HOMES)} editions")
    assert met >= 18


def test_editions_do_not_carry_one_story_twice_and_picks_come_from_many_outlets() -> None:
    for s in scores():
        assert s.outlets >= min(5, s.picks), (s.day, s.home)
        assert s.picks == 8, (s.day, s.home)
    # Target: no same-story pair in any edition, met today.  Before joins needed an
    # anchor, 2023-10-07's "Israeli woman dragged by hair from car boot" was
    # clustered with a Liverpool car-row report (they share only "woman" and "car"),
    # which lent it a second outlet and made a duplicate pick in two editions.
    assert sum(s.duplicate_pairs for s in scores()) == 0


def test_the_days_biggest_stories_are_carried() -> None:
    carried = sum(s.carried for s in scores())
    biggest = sum(s.biggest for s in scores())
    for s in scores():
        print(f"\n{s.day} {s.home}: {s.carried} of {s.biggest} biggest, missed {s.missed}")
        # Target: 4 of 5 on every day, met today in every edition.
        assert s.carried >= min(4, s.biggest), (s.day, s.home, s.missed)
    print(f"\nbiggest stories carried: {carried} of {biggest}")
    assert carried / biggest >= 0.85


def test_opinion_features_and_soft_news_stay_out() -> None:
    soft = sum(s.soft_picks for s in scores())
    picks = sum(s.picks for s in scores())
    print(f"\nopinion/analysis/feature/soft or off-desk picks: {soft} of {picks}")
    # Target: none, met today (a Kaiser health workers' strike, labelled business,
    # was picked in 2023-10-07's IN and GB editions before a company's labour
    # dispute was read as business news).
    assert soft == 0


def test_same_story_clustering_on_real_headlines() -> None:
    right = found = labelled = 0
    for feed in FEEDS:
        r, f, lab = clustering_pairs(day(feed))
        right, found, labelled = right + r, found + f, labelled + lab
    precision, recall = right / found, right / labelled
    print(f"\nsame-story pairs: precision {precision:.3f}, recall {recall:.3f}")
    # Targets 0.95 and 0.85 are not met on headline-only items; floors at today's
    # (0.800 and 0.727, stop 27: round-ups and reports set in other countries
    # sharing no name stand apart).  Most wrongly joined pairs are two
    # developments of one labelled event (the Fukushima release and China's
    # seafood ban).
    assert precision >= 0.80
    assert recall >= 0.72


def test_clustering_mistakes_account_for_every_wrong_pair() -> None:
    # tools/score_selector.py --pairs lists these: what it shows must add up.
    d = day(FEEDS[0])
    right, found, labelled = clustering_pairs(d)
    merges, splits = clustering_errors(d)
    assert sum(wrong for wrong, _ in merges) == found - right
    assert sum(wrong for wrong, _ in splits) == labelled - right
    assert merges[0][0] >= merges[-1][0] and splits[0][0] >= splits[-1][0]


def test_the_news_desk_is_told_from_business_sport_and_the_rest() -> None:
    # No target in the issue; floors at today's figures (0.746 and 0.969 over the
    # six days and three homes), so that a desk rule costing news fails.
    precision, recall = selector_days.desk_figures(tuple(FEEDS))
    print(f"\nnews-desk precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.745 and recall >= 0.96
