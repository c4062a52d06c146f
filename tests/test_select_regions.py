"""Regional desks, desk codes in addresses and company labour disputes
(``sections.py``, ``places.py``, ``disputes.py``), each on real headlines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.config import SelectSettings
from digest.model import Article
from digest.select.disputes import company_dispute, dispute_words
from digest.select.outlets import OutletTable
from digest.select.places import find_countries, place_data, region_key
from digest.select.sections import SectionDetector, desk_region, regional_desk

WHEN = datetime(2023, 6, 24, 12, 0, tzinfo=UTC)
AMERICAS = "https://www.independent.co.uk/news/world/americas/"
US_CANADA = "https://www.bbc.co.uk/news/world-us-canada-"


def article(url: str, title: str, summary: str = "", section: str = "") -> Article:
    return Article(
        id="x", url=url, title=title, summary=summary, section=section, published_at=WHEN
    )


def call_for(home: str, item: Article) -> tuple[str, str]:
    detector = SectionDetector(SelectSettings(home_country=home))
    found = detector.classify(item, OutletTable().of(item))
    return found.section, found.reason


# -- regional desks ------------------------------------------------------------------


def test_a_foreign_outlets_americas_desk_naming_nothing_is_us_news_for_the_us() -> None:
    item = article(
        AMERICAS + "submarine-titanic-found-people-b2363604.html",
        "'Catastrophic implosion' and five people dead: What we know about doomed Titanic sub",
        section="world",
    )
    section, reason = call_for("US", item)
    assert section == "national"
    assert "region 'americas', which takes in United States" in reason
    assert "United States leads the region's news" in reason
    # For a British publisher it is the Independent's own world desk: world news.
    assert call_for("GB", item)[0] == "world"
    # For India, the Americas are abroad.
    assert call_for("IN", item)[0] == "world"


def test_a_regional_desk_item_naming_a_foreign_place_stays_world_news() -> None:
    item = article(
        AMERICAS + "mexico-bus-crash-migrants-b2424242.html",
        "Mexico bus crash kills at least 16 Venezuelan and Haitian migrants",
        section="world",
    )
    section, reason = call_for("US", item)
    assert section == "world"
    assert "foreign" in reason


def test_a_regional_desk_is_placed_by_what_it_names_and_else_by_its_lead() -> None:
    named = article(
        US_CANADA + "64970156",
        "The prison experience Elizabeth Holmes is desperate to avoid",
        "The disgraced founder is due to report to a US prison.",
    )
    assert call_for("US", named)[0] == "national"  # a US name in the standfirst
    unnamed = article(US_CANADA + "66008843", "Investigators board support ship in harbour")
    assert call_for("US", unnamed)[0] == "national"
    # The US leads the US & Canada desk's news, so for Canada an item naming no
    # place is world news, and one naming Canada is Canada's.
    assert call_for("CA", unnamed)[0] == "world"
    in_canada = article(US_CANADA + "66008843", "Investigators board ship in Ontario harbour")
    assert call_for("CA", in_canada)[0] == "national"


def test_a_us_and_canada_desk_code_names_no_country_of_its_own() -> None:
    # Before, "world-us-canada" was read as Canada's desk.
    detector = SectionDetector(SelectSettings(home_country="CA"))
    assert detector.from_url(US_CANADA + "66008843") == ("world", "", "world-us-canada-66008843")
    assert detector.from_url("https://www.bbc.co.uk/news/world-asia-india-1234567")[:2] == (
        "world",
        "IN",
    )


def test_the_narrowest_region_of_an_address_is_its_desk() -> None:
    places = place_data()
    item = article(
        "https://www.independent.co.uk/asia/south-asia/afghanistan-earthquake-b2425.html",
        "At least 320 killed in earthquakes in Afghanistan, says UN",
    )
    region = desk_region(item, places)
    assert region is not None and region.name == "south asia"
    assert region_key("US & Canada") == region_key("us-canada") == "us canada"
    assert {"US", "CA", "MX", "BR"} <= places.regions["americas"].countries
    assert "US" not in places.regions["latin america"].countries


def test_a_home_outlets_regional_desk_is_its_world_desk() -> None:
    item = article(
        "https://www.cnn.com/2023/10/06/americas/mexico-bus-crash-intl/index.html",
        "Bus crash kills 16 migrants",
        section="americas",
    )
    assert call_for("US", item)[0] == "world"


# -- desk codes in addresses ---------------------------------------------------------


def test_a_headline_slug_with_an_id_is_no_desk_code() -> None:
    # "who-will-…" was read as the WHO's desk, and the item as world news.
    detector = SectionDetector(SelectSettings(home_country="US"))
    url = (
        "https://www.perthnow.com.au/news/disaster-and-emergency/"
        "who-will-foot-bill-for-titan-sub-search-and-rescue-c-11076248"
    )
    assert detector.from_url(url) is None
    assert detector.from_url("https://www.bbc.co.uk/news/uk-scotland-scotland-politics-66012345")


def test_the_netherlands_is_known_without_its_article() -> None:
    text = 'Police warn residents after "extremely venomous" snake escapes in the Netherlands'
    assert find_countries(text, place_data().text_names) == [("Netherlands", "NL")]


def test_a_regional_desks_reason_counts_the_foreign_names_it_outweighs() -> None:
    places = place_data()
    region = places.regions[region_key("Americas")]
    evidence = ({"US": 1.0, "CA": 0.5}, ["title: Washington", "summary: Canadian"])
    section, reason, country = regional_desk("US", places, "URL path /americas/", region, evidence)
    assert (section, country) == ("national", "US")
    assert "foreign 0.5 vs home 1" in reason


# -- labour disputes -----------------------------------------------------------------

KAISER = [
    article(
        "https://laist.com/news/kaiser-health-worker-strike-ends-as-talks-continue",
        "Kaiser Health Worker Strike Ends As Talks Continue",
        "About 34% of Kaiser’s Southern California workforce walked out.",
    ),
    article(
        "https://www.politico.com/news/2023/10/06/kaiser-health-care-strike-no-contract-deal-001",
        "Kaiser health care strike will end with no contract deal",
        "The next bargaining session between Kaiser Permanente and hospital workers isn’t "
        "scheduled until Oct. 12.",
    ),
]


@pytest.mark.parametrize("item", KAISER)
def test_a_companys_strike_is_business_news(item: Article) -> None:
    section, reason = call_for("IN", item)
    assert section == "business"
    assert "a labour dispute at a company (Kaiser" in reason


@pytest.mark.parametrize(
    ("title", "summary", "employer"),
    [
        ("Thousands of Starbucks baristas set to strike amid Pride decorations dispute", "",
         "Starbucks"),
        ("Woolworths and Coles workers taking first-ever nationwide strike", "", "Coles"),
        ("Hundreds of Amazon warehouse workers walk out in Coventry", "", "Amazon"),
        # Public services' disputes are news.
        ("Passport Office workers across UK to strike for five weeks over pay", "", ""),
        ("More than 1,000 Passport Office workers to strike over pay", "", ""),
        ("Teachers' strikes in England paused for talks", "", ""),
        ("NHS to be 'hit hard' as consultants walk out, say NHS workers", "", ""),
        ("LAUSD strike looms as resolution fails to be reached",
         "A strike by service workers would shut down Los Angeles Unified School District "
         "campuses.", ""),
        ("Junior doctors in England agree to pay talks after three-day strike", "", ""),
        # Not a labour dispute, or no company.
        ("Aid workers killed in Gaza strike", "", ""),
        ("Israeli hospital workers strike over hostages", "", ""),
        ("Starbucks workers win raise", "", ""),
        # Capitals that start a sentence, or every word of a title-case headline.
        ("Striking workers picket the port for a third day", "", ""),
        ("Talks on Pay Fail as Bus Drivers Strike", "", ""),
        # A strike that kills is an attack, whoever employs its victims.
        ("Israeli strike kills seven World Central Kitchen aid workers in Gaza", "", ""),
        ("Drone hits Kharkiv",
         "A Russian drone strike killed three Nova Poshta employees on Tuesday.", ""),
        # A company's name may open with a place or a people, not end with one.
        ("Thousands of American Airlines pilots vote to strike", "", "American Airlines"),
        ("Hundreds of New York Times tech workers walk out", "", "New York Times"),
        ("More Greater Manchester bus drivers to strike", "", ""),
        # The staff ending a sentence.
        ("Pay row deepens", "The walkout was called by Tesco workers.", "Tesco"),
    ],
)  # fmt: skip
def test_the_employer_of_a_dispute(title: str, summary: str, employer: str) -> None:
    item = article("https://news.example/a", title, summary)
    assert company_dispute(item, place_data(), dispute_words()) == employer


def test_a_headline_slug_with_an_id_names_no_regional_desk() -> None:
    # A numbered last part of five words or more is the headline's slug, as the
    # section labels read it: "north america" in it is the story's, not a desk's.
    places = place_data()
    item = article(
        "https://www.example.co.uk/news/record-heatwave-grips-north-america-12345678",
        "Record heatwave grips North America",
    )
    assert desk_region(item, places) is None
    desk = article("https://www.bbc.co.uk/news/world-us-canada-67512345", "Storm hits")
    region = desk_region(desk, places)
    assert region is not None and region.name == "us & canada"


class _Counted(str):
    """A token that counts how often its first letter is read."""

    reads = 0

    def __getitem__(self, key: object) -> str:  # type: ignore[override]
        _Counted.reads += 1
        return str.__getitem__(self, key)  # type: ignore[index]


@pytest.mark.parametrize("word", ["Workers", "Between"])
def test_a_long_capitalised_text_is_read_in_one_pass(word: str) -> None:
    # Hostile or shouting text ("Strike Workers Workers …", "… Between Between …"):
    # each word's run of capitals was walked anew, 20 million reads for 6,000 words.
    from digest.select.disputes import _employers

    n = 6000
    tokens = [_Counted(t) for t in ["Strike", *[word] * n, "workers"]]
    _Counted.reads = 0
    found = list(_employers(tokens, frozenset({"workers"})))
    assert _Counted.reads < 5 * n
    assert not any(found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Names with letters beyond ASCII (the tokens were ASCII: "S", "o Paulo").
        ("Floods in São Paulo", [("São Paulo", "BR")]),
        ("Brasília and Asunción sign a treaty", [("Brasília", "BR"), ("Asunción", "PY")]),
        ("Storm floods Düsseldorf", [("Düsseldorf", "DE")]),
    ],
)
def test_countries_named_with_accents_are_found(text: str, found: list[tuple[str, str]]) -> None:
    assert find_countries(text, place_data().text_names) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("U.S. stocks slide as bank shares fall", [("U.S.", "US")]),
        # The abbreviation's last stop is also the sentence's.
        ("Regulators open an inquiry into SUV recalls in the U.S.", [("U.S.", "US")]),
        ("U.K. police say man arrested over triple murder", [("U.K.", "GB")]),
        ("Wildfire smoke blankets L.A. suburbs", [("L.A.", "US")]),
        ("U.S. Virgin Islands subpoenas Musk", [("U.S. Virgin Islands", "US")]),
        # A sentence's full stop still goes.
        ("Floods displace thousands in Kenya.", [("Kenya", "KE")]),
    ],
)
def test_an_abbreviation_keeps_its_full_stops(text: str, found: list[tuple[str, str]]) -> None:
    assert find_countries(text, place_data().text_names) == found


def test_an_abbreviation_ending_a_sentence_before_more_text_is_still_a_name() -> None:
    text = "Stocks slide in the U.S.. Markets fall."
    assert find_countries(text, place_data().text_names) == [("U.S.", "US")]
