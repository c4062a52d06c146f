"""Outlets from web addresses: a country's edition of a site, and governments' own sites."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.config import SelectSettings
from digest.model import Article
from digest.select.outlets import OFFICIAL_WEIGHT, OutletTable, country_from_host, official_host
from digest.select.sections import SectionDetector

WHEN = datetime(2023, 10, 18, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("host", "country"),
    [
        ("uk.yahoo.com", "GB"),
        ("in.reuters.com", "IN"),
        ("nz.news.yahoo.com", "NZ"),
        # Two letters that are words, not an edition; a site's own name.
        ("my.yahoo.com", ""),
        ("go.example.com", ""),
        # A city's desk ("la." Los Angeles) is no country's edition.
        ("la.curbed.com", ""),
        ("it.reuters.com", "IT"),
        ("edition.example.com", ""),
        ("example.com", ""),
        ("bbc.co.uk", "GB"),
    ],
)
def test_a_countrys_edition_of_a_site_is_that_countrys(host: str, country: str) -> None:
    assert country_from_host(host) == country


def test_an_editions_item_naming_no_place_is_its_countrys_news() -> None:
    study = Article(id="x", url="https://uk.yahoo.com/news/covid-hospital-study-151500.html",
                    title="Up to 167,000 people caught Covid in hospital in second wave",
                    published_at=WHEN)  # fmt: skip
    outlet = OutletTable().of(study)
    assert outlet.country == "GB"
    assert SectionDetector(SelectSettings(home_country="US")).classify(study, outlet).counted
    assert not SectionDetector(SelectSettings(home_country="GB")).classify(study, outlet).counted


def test_a_government_site_counts_for_part_of_an_outlet() -> None:
    assert official_host("fda.gov") and official_host("www.gov.uk")
    assert official_host("health.gov.au") and official_host("army.mil")
    # "gov" opening an address is a site's own name, not a government's domain.
    assert not official_host("govtrack.us") and not official_host("gov.example.com")
    table = OutletTable()
    release = Article(id="r", url="https://www.fda.gov/news-events/press-announcements/x",
                      title="FDA approves new drug", published_at=WHEN)  # fmt: skip
    paper = Article(id="p", url="https://www.washingtonpost.com/health/x",
                    title="Drug approved", published_at=WHEN)  # fmt: skip
    assert table.of(release).weight == OFFICIAL_WEIGHT < 1
    assert table.of(paper).weight == 1.0


def test_a_us_outlets_politics_desk_is_us_news_for_the_us() -> None:
    item = Article(id="f", url="https://www.foxbusiness.com/politics/law-firm-rescinds-offers",
                   title="Top law firm rescinds job offers to students linked to letters",
                   section="politics", published_at=WHEN)  # fmt: skip
    outlet = OutletTable().of(item)
    assert outlet.country == "US"
    assert not SectionDetector(SelectSettings(home_country="US")).classify(item, outlet).counted
    assert SectionDetector(SelectSettings(home_country="IN")).classify(item, outlet).counted
