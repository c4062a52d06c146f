"""Importance: the weakly-placed weight and the outlets that lift it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from digest.config import SelectSettings
from digest.model import Article
from digest.select.candidates import Candidate, Story
from digest.select.genre import classify_genre
from digest.select.importance import explain_scores, score_stories, weigh_article
from digest.select.outlets import OutletTable
from digest.select.overrides import Overrides
from digest.select.sections import SectionCall

WHEN = datetime(2023, 3, 23, 12, 0, tzinfo=UTC)


WEAK = SectionCall("world", True, "no section label; outlet is foreign", "US", True)
NAMED = SectionCall("world", True, "no section label; names (US 1.5)", "US")


def told_by(outlets: int, *, by_outlet: bool, firm: int = 0) -> Story:
    """A story of one unnamed-place report per outlet, each placed abroad only by
    its (foreign) outlet when ``by_outlet``, but for the last ``firm`` outlets'
    reports, which place it abroad by what they say."""
    weak = WEAK if by_outlet else NAMED
    return story_of([NAMED if k >= outlets - firm else weak for k in range(outlets)])


def story_of(calls: list[SectionCall]) -> Story:
    """A story of one unnamed-place report per outlet, each with its call."""
    settings, table = SelectSettings(), OutletTable()
    members = []
    for k, call in enumerate(calls):
        article = Article(
            id=f"m{k}",
            url=f"https://outlet{k}.example/news/crash",
            title="Six construction workers killed when car crashed into work zone",
            published_at=WHEN - timedelta(hours=2),
        )
        candidate = Candidate(article, table.of(article), call, classify_genre(article))
        weigh_article(candidate, as_of=WHEN, settings=settings)
        members.append(candidate)
    return Story(members)


def scored(story: Story) -> float:
    score_stories([story], as_of=WHEN, settings=SelectSettings(), overrides=Overrides())
    return story.score


@pytest.mark.parametrize(("outlets", "weight"), [(2, 0.6), (4, 0.6), (5, 1.0), (7, 1.0)])
def test_a_story_many_outlets_tell_is_not_weighed_as_weakly_placed(
    outlets: int, weight: float
) -> None:
    # Blind7 2023-03-23: a work-zone crash five outlets told, its lead naming no
    # place the tables know, ranked under three-outlet stories at × 0.6.
    weak = scored(told_by(outlets, by_outlet=True))
    placed = scored(told_by(outlets, by_outlet=False))
    assert weak == pytest.approx(placed * weight)


def test_the_outlets_that_lift_the_weak_placement_are_a_setting() -> None:
    settings = SelectSettings()
    assert settings.weights.placed_outlets == 5
    lowered = settings.weights.model_copy(update={"placed_outlets": 3})
    story = told_by(3, by_outlet=True)
    score_stories(
        [story],
        as_of=WHEN,
        settings=settings.model_copy(update={"weights": lowered}),
        overrides=Overrides(),
    )
    assert story.score == pytest.approx(scored(told_by(3, by_outlet=False)))


@pytest.mark.parametrize(("firm", "weight"), [(0, 0.6), (1, 0.6), (2, 0.8), (3, 0.9)])
def test_outlets_that_place_a_story_abroad_lift_its_weak_placement(
    firm: int, weight: float
) -> None:
    # Heldout 2023-07-17: a dingo attack on K'gari, led by a report naming no place
    # the tables know, was weighed × 0.6 though two of its three outlets place it
    # in Australia (a desk label, a path): the doubt is its lead's, and the story
    # is weighed up by the share of its outlets that place it, from two of them.
    story = told_by(4, by_outlet=True, firm=firm)
    assert story.lead.call.by_outlet
    assert scored(story) == pytest.approx(scored(told_by(4, by_outlet=False)) * weight)


def test_a_pinned_home_news_member_places_nothing_abroad() -> None:
    # An editor's pin keeps an item that is not World News (home news, by what it
    # says, not by its outlet): it is no outlet placing the story abroad.
    home = SectionCall("national", False, "no section label; names (GB 2)", "GB")
    story = story_of([WEAK, home, home, NAMED])
    assert scored(story) == pytest.approx(scored(told_by(4, by_outlet=False)) * 0.6)


@pytest.mark.parametrize(
    ("firm", "said"),
    [
        (0, "placed 0.6 (its lead abroad only by its outlet or a passing mention)"),
        (
            1,
            "placed 0.6 (its lead abroad only by its outlet or a passing mention; 1 of 3"
            " outlets place it by what they say, fewer than the 2 that lift it)",
        ),
        (
            2,
            "placed 0.87 (its lead abroad only by its outlet or a passing mention; lifted"
            " by the 2 of 3 outlets that place it by what they say)",
        ),
    ],
)
def test_the_explanation_says_whether_outlets_lift_a_weak_placement(firm: int, said: str) -> None:
    story = told_by(3, by_outlet=True, firm=firm)
    settings = SelectSettings()
    score_stories([story], as_of=WHEN, settings=settings, overrides=Overrides())
    (reasons,) = explain_scores(
        [story], [story], as_of=WHEN, settings=settings, overrides=Overrides()
    )
    assert any(r.endswith(f"× {said}") for r in reasons), reasons


def test_the_outlets_that_place_a_story_from_which_it_is_lifted_are_a_setting() -> None:
    settings = SelectSettings()
    assert settings.weights.placed_by == 2
    one = settings.weights.model_copy(update={"placed_by": 1})
    story = told_by(4, by_outlet=True, firm=1)
    score_stories(
        [story],
        as_of=WHEN,
        settings=settings.model_copy(update={"weights": one}),
        overrides=Overrides(),
    )
    assert story.score == pytest.approx(scored(told_by(4, by_outlet=False)) * 0.7)
