"""Same-story clustering: which items the selector tells as one story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.config import SelectSettings
from digest.model import Article
from digest.select.candidates import Candidate
from digest.select.clustering import cluster
from digest.select.genre import classify_genre
from digest.select.outlets import OutletTable
from digest.select.places import local_places, place_data
from digest.select.sections import SectionDetector

WHEN = datetime(2023, 6, 24, 12, 0, tzinfo=UTC)
FILLER = [
    "Wagner forces halt march on Moscow",
    "Titan submersible inquiry begins in Canada",
    "Floods close roads across Bavaria",
    "Parliament votes on the new budget",
    "Heatwave grips southern Europe",
]


def stories(titles: list[str]) -> list[set[str]]:
    settings = SelectSettings()
    detector, outlets = SectionDetector(settings), OutletTable()
    articles = [
        Article(id=f"a{n}", url=f"https://n{n}.example/p/{n}", title=t,
                published_at=WHEN + timedelta(minutes=n))
        for n, t in enumerate([*titles, *FILLER])
    ]  # fmt: skip
    candidates = [
        Candidate(a, outlets.of(a), detector.classify(a), classify_genre(a)) for a in articles
    ]
    found, _ = cluster(candidates, settings)
    return [{m.article.title for m in s.members} for s in found if len(s.members) > 1]


def test_cities_in_headlines_are_named_capitals_are_not() -> None:
    places = place_data()
    assert local_places("Man shot dead in Melbourne's north", places) == {"Melbourne"}
    # A capital often stands for its government ("Beijing bans seafood").
    assert local_places("Beijing bans Japanese seafood", places) == frozenset()


def test_one_story_in_two_cities_is_two_stories() -> None:
    melbourne = "Man charged with murder after woman found dead in Melbourne home"
    sydney = "Man charged with murder after woman found dead in Sydney home"
    same = "Man charged with murder after woman found dead in Melbourne flat"
    found = stories([melbourne, sydney, same])
    assert {melbourne, same} in found
    assert not any(sydney in s and melbourne in s for s in found)
    # Without a city on one side nothing is in conflict: the words decide.
    plain = "Man charged with murder after woman found dead at home"
    assert any({melbourne, plain} <= s for s in stories([melbourne, plain]))
