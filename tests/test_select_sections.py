"""Section detection: labels, URL paths, category domains and the fallback classifier."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.config import SelectSettings
from digest.model import Article
from digest.select.outlets import OutletTable
from digest.select.places import place_data
from digest.select.sections import SectionDetector, artist_death, lead_clause

WHEN = datetime(2020, 11, 23, 4, 0, tzinfo=UTC)


def article(**fields: object) -> Article:
    base: dict[str, object] = {
        "id": "x",
        "url": "https://news.example/p/123",
        "title": "A headline",
        "published_at": WHEN,
    }
    base.update(fields)
    return Article(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def detector() -> SectionDetector:
    return SectionDetector(SelectSettings(home_country="IN"))


@pytest.mark.parametrize(
    ("label", "section"),
    [
        ("World News", "world"),
        ("International", "world"),
        ("Middle East", "world"),
        ("Latin America & Caribbean", "world"),
        ("US news", "world"),
        ("UK", "world"),
        ("India", "national"),
        ("India News", "national"),
        ("Tennis News", "sports"),
        ("Business", "business"),
    ],
)
def test_a_source_label_decides(detector: SectionDetector, label: str, section: str) -> None:
    call = detector.classify(article(section=label, dateline="Kabul", agency="AFP"))
    assert call.section == section
    assert f"labelled {label!r}" in call.reason
    assert call.counted == (section == "world")


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://globalwire.example/world/2020/nov/22/putin-biden", "world"),
        ("https://globalwire.example/us-news/2020/nov/22/michigan-vote", "world"),
        ("https://globalwire.example/sport/2020/nov/22/medvedev-thiem", "sports"),
        ("https://ws.example/news/world-africa-59239972", "world"),
        ("https://ws.example/news/world-asia-india-59437901", "national"),
        ("https://www.mid-day.com/news/world-news/article/putin-23100123", "world"),
        ("https://www.mid-day.com/news/india-news/article/gogoi-23100123", "national"),
    ],
)
def test_an_unlabelled_item_is_placed_by_its_url_path(
    detector: SectionDetector, url: str, section: str
) -> None:
    call = detector.classify(article(url=url))
    assert call.section == section
    assert "URL path" in call.reason


def test_a_category_domain_url_places_an_item(detector: SectionDetector) -> None:
    call = detector.classify(article(tags=("https://www.theguardian.com/world",)))
    assert call.section == "world"
    assert "category domain https://www.theguardian.com/world" in call.reason


def test_a_sports_category_wins_over_foreign_places(detector: SectionDetector) -> None:
    call = detector.classify(
        article(title="Liverpool sink Leicester", dateline="Liverpool", agency="Reuters",
                tags=("Soccer",))
    )  # fmt: skip
    assert call.section == "sports" and not call.counted


def test_the_fallback_weighs_foreign_against_home_evidence(detector: SectionDetector) -> None:
    foreign = detector.classify(
        article(title="Insurgents in Kabul palace as government collapses", dateline="Kabul",
                agency="AFP")
    )  # fmt: skip
    assert foreign.counted and foreign.country == "AF"
    assert "no section label; dateline Kabul (AF); foreign agency AFP" in foreign.reason
    home = detector.classify(
        article(title="Kerala steps up vaccination ahead of Onam", dateline="Thiruvananthapuram",
                agency="PTI")
    )  # fmt: skip
    assert home.section == "national" and not home.counted
    assert "home agency PTI" in home.reason
    # An Indian agency filing from abroad is still foreign news.
    assert detector.classify(
        article(title="Imran Khan hails Taliban", dateline="Islamabad", agency="PTI")
    ).counted
    # Only the text says it is foreign.
    assert detector.classify(
        article(title="Hong Kong hospitals overwhelmed", body="Hospitals in Hong Kong struggle.")
    ).counted


def test_with_nothing_to_go_on_the_outlet_decides_and_says_so(
    detector: SectionDetector,
) -> None:
    # Nothing named: a foreign outlet's item is World News, a home outlet's is not,
    # and one from an unknown outlet is not either; every call says why.
    rain = "Rain expected later this week"
    unknown = detector.classify(article(title=rain))
    assert not unknown.counted and "no sign of abroad" in unknown.reason
    table = OutletTable()
    abroad = article(title=rain, url="https://www.nbcnews.com/news/weather/rain-n123")
    call = detector.classify(abroad, table.of(abroad))
    assert call.counted and call.by_outlet and "NBC News is from United States" in call.reason
    # A place only the standfirst names puts an item abroad as weakly as its
    # outlet does; one the headline names, firmly.
    recall = "Regulators open an inquiry into a recall of 250,000 SUVs in the U.S. after crashes"
    passing = detector.classify(article(title="Carmaker recall prompts inquiry", summary=recall))
    assert passing.counted and passing.country == "US" and passing.by_outlet
    named = detector.classify(article(title="U.S. regulators open an inquiry into SUV recall"))
    assert named.counted and named.country == "US" and not named.by_outlet
    region = detector.classify(article(title="New outbreaks in Africa raise alarm over Marburg"))
    assert region.counted and not region.by_outlet
    home = article(title=rain, url="https://www.ndtv.com/news/rain-123")
    call = detector.classify(home, table.of(home))
    assert not call.counted and "NDTV is a home outlet" in call.reason


@pytest.mark.parametrize(
    ("home", "url", "counted"),
    [
        # A US outlet's politics and US desks are World News for India and the UK...
        ("IN", "https://edition.cnn.com/2023/08/24/politics/trump-surrender/index.html", True),
        ("GB", "https://www.foxnews.com/us/storm-hits-florida-coast", True),
        ("IN", "https://www.bbc.co.uk/news/uk-politics-66612345", True),
        # ... and national news at home.
        ("US", "https://edition.cnn.com/2023/08/24/politics/trump-surrender/index.html", False),
        ("GB", "https://www.bbc.co.uk/news/uk-politics-66612345", False),
        ("IN", "https://www.hindustantimes.com/india-news/pm-speaks-101692857.html", False),
        ("IN", "https://www.thehindu.com/news/national/rains-lash-city/article1.ece", False),
    ],
)
def test_desk_labels_are_read_relative_to_the_outlets_country(
    home: str, url: str, counted: bool
) -> None:
    detector = SectionDetector(SelectSettings(home_country=home))
    item = article(title="Officials respond as the day unfolds", url=url)
    assert detector.classify(item, OutletTable().of(item)).counted is counted


def test_a_story_told_from_the_home_countrys_side_is_national_news() -> None:
    us = SectionDetector(SelectSettings(home_country="US"))
    world_desk = "https://www.theguardian.com/world/2023/oct/07/story"
    table = OutletTable()
    for title in (
        "Biden condemns Hamas attack on Israel, pledges support",
        "Americans among hostages taken to Gaza",
    ):
        item = article(title=title, url=world_desk)
        call = us.classify(item, table.of(item))
        assert not call.counted, title
    item = article(title="Hamas fighters storm Israeli towns near Gaza", url=world_desk)
    assert us.classify(item, table.of(item)).counted
    # Named once among three other countries, home is one party of foreign news;
    # among two, it may still be the side the story is told from.
    tanks = article(title="Russia says German tanks, U.S. vehicles captured in Ukraine")
    assert us.classify(tanks).counted
    trip = article(title="China looms large over Biden's trip to Vietnam")
    assert not us.classify(trip).counted
    # Georgia next to Trump is the US state, not the country.
    georgia = article(title="Trump surrenders at Georgia jail over election charges")
    assert us.classify(georgia).section == "national"
    assert SectionDetector(SelectSettings(home_country="IN")).classify(georgia).counted


def test_a_specialist_outlet_keeps_its_desk_unless_the_item_is_news_from_abroad(
    detector: SectionDetector,
) -> None:
    table = OutletTable()
    markets = article(title="Stocks slide as bank shares fall", url="https://www.cnbc.com/2023/x")
    assert detector.classify(markets, table.of(markets)).section == "business"
    war = article(title="China's Xi to visit Russia's Putin in Moscow next week",
                  url="https://www.cnbc.com/2023/03/17/xi-russia.html")  # fmt: skip
    assert detector.classify(war, table.of(war)).counted
    # Its own country named by its name or code is its home market, not abroad;
    # its country's president is news.
    ev_sales = article(title="GM overtakes Ford in EV sales in the U.S.",
                       url="https://www.cnbc.com/2023/04/04/gm-ev-sales.html")  # fmt: skip
    assert detector.classify(ev_sales, table.of(ev_sales)).section == "business"
    # ... by any name for the whole country ("America", "American"), too.
    for title in ("America's factories add jobs for a third month",
                  "American shoppers pull back as prices rise"):  # fmt: skip
        factories = article(title=title, url="https://www.cnbc.com/2023/05/05/jobs.html")
        assert detector.classify(factories, table.of(factories)).section == "business", title
    biden = article(title="Biden to order federal agencies to prioritize climate",
                    url="https://www.cnbc.com/2023/04/21/biden-order.html")  # fmt: skip
    assert detector.classify(biden, table.of(biden)).counted
    match = article(title="Messi scores twice as Inter Miami beat Orlando",
                    url="https://www.espn.com/soccer/story/_/id/1/messi")  # fmt: skip
    assert detector.classify(match, table.of(match)).section == "sports"


def test_the_home_country_and_the_counted_sections_are_configurable() -> None:
    us = SectionDetector(SelectSettings(home_country="US"))
    assert us.classify(article(section="US news")).section == "national"
    assert us.classify(article(section="India")).section == "world"
    assert us.classify(article(title="Storm", dateline="Mumbai", agency="PTI")).counted
    business = SectionDetector(SelectSettings(sections=["world", "business"]))
    assert business.classify(article(section="Business")).counted
    aliased = SectionDetector(SelectSettings(section_aliases={"Overseas": "world"}))
    assert aliased.classify(article(section="Overseas")).counted
    off = SectionDetector(SelectSettings(fallback_classifier=False))
    call = off.classify(article(title="Blast in Kabul", dateline="Kabul", agency="AFP"))
    assert not call.counted and "fallback classifier off" in call.reason
    home_places = SectionDetector(SelectSettings(home_places=["Konkan"]))
    assert home_places.classify(article(title="Konkan rains", dateline="Konkan")).section == (
        "national"
    )


def test_an_aggregators_items_are_their_own_outlets() -> None:
    table = OutletTable()
    # By web address, by a publisher or author named like a known outlet, else as given.
    by_host = article(url="https://edition.cnn.com/2023/10/07/world/x", publisher="Agg")
    assert table.of(by_host).name == "CNN" and table.of(by_host).country == "US"
    by_author = article(url="https://agg.example/i/1", publisher="Agg", byline="BBC News")
    assert table.of(by_author).name == "BBC"
    with_writer = article(
        url="https://agg.example/i/2", publisher="Agg", byline="A. Writer, Reuters"
    )
    assert table.of(with_writer).name == "Reuters"
    unknown = article(url="https://www.krqe.com/news/x", publisher="")
    assert table.of(unknown).country == "US"  # a US broadcaster's call sign
    assert table.of(article(url="https://agg.example/i/3", publisher="Agg")).name == "Agg"


def test_a_summit_the_days_items_place_at_home_is_home_news() -> None:
    world_desk = "https://www.theguardian.com/world/2023/sep/09/story"
    pool = [
        article(id="a", title="World leaders gather in New Delhi for G20 summit"),
        article(id="b", title="African Union made permanent member of G20 at Delhi summit"),
        article(id="c", title="G20 stops short of condemning Russia's invasion", url=world_desk),
    ]
    table = OutletTable()
    india = SectionDetector(SelectSettings(home_country="IN"))
    assert india.classify(pool[2], table.of(pool[2])).counted  # no context yet: abroad
    india.learn_summits(pool)
    call = india.classify(pool[2], table.of(pool[2]))
    assert not call.counted and "G20 summit meets at home" in call.reason
    assert "New Delhi" in call.reason
    # Elsewhere the same summit is world news; one item alone hosts nothing.
    britain = SectionDetector(SelectSettings(home_country="GB"))
    britain.learn_summits(pool)
    assert britain.classify(pool[2], table.of(pool[2])).counted
    once = SectionDetector(SelectSettings(home_country="IN"))
    once.learn_summits(pool[:1])
    assert once.classify(pool[2], table.of(pool[2])).counted


def test_a_small_group_acting_as_one_is_its_members_home_news() -> None:
    table = OutletTable()
    world_desk = "https://www.theguardian.com/world/2023/aug/24/story"
    invites = article(title="Brics leaders invite six nations to join bloc", url=world_desk)
    india = SectionDetector(SelectSettings(home_country="IN"))
    call = india.classify(invites, table.of(invites))
    assert not call.counted and "BRICS" in call.reason.upper()
    # Not a member: still news from abroad.
    britain = SectionDetector(SelectSettings(home_country="GB"))
    assert britain.classify(invites, table.of(invites)).counted
    # One member's own debate about a group is that member's news, not the others'.
    debate = article(
        title="Former minister unloads on AUKUS: 'God help future generations'",
        url="https://www.abc.net.au/news/2023-03-17/story/102107654",
    )
    assert britain.classify(debate, table.of(debate)).counted


def test_space_news_is_science_even_on_a_world_desk_and_banks_are_business() -> None:
    britain = SectionDetector(SelectSettings(home_country="GB"))
    table = OutletTable()
    rover = article(
        title="Chandrayaan-3: India lunar rover Pragyaan takes a walk on the Moon",
        url="https://www.bbc.com/news/world-asia-india-66601996",
    )
    call = britain.classify(rover, table.of(rover))
    assert call.section == "science" and not call.counted
    assert "reads as science" in call.reason
    # A research finding is science news too; a scientist quoted on the news is not.
    study = article(title="New study cites market animals as possible origin of the virus")
    assert britain.classify(study).section == "science"
    quoted = article(title="Floods made the city a haven for flies, scientists say")
    assert britain.classify(quoted).section != "science"
    banks = article(title="Banks fall again as bailouts fail to restore calm")
    assert britain.classify(banks).section == "business"
    # The West Bank is a place, and a river's banks are no business.
    raid = article(title="Israeli raids in the West Bank kill three", dateline="Jenin")
    assert britain.classify(raid).counted
    flood = article(title="River bursts its banks as floods hit Bavaria", dateline="Passau")
    assert britain.classify(flood).counted


def test_an_artists_death_is_entertainment_news_even_on_a_world_desk() -> None:
    britain = SectionDetector(SelectSettings(home_country="GB"))
    table = OutletTable()
    for title, url in (
        ("Treat Williams: Everwood and Hair actor dies in road accident",
         "https://www.bbc.co.uk/news/world-us-canada-65886521"),
        ("Cormac McCarthy, celebrated US author, dead aged 89",
         "https://www.9news.com.au/world/cormac-mccarthy-dead/f98ad78f"),
        ("Mark Stewart, frontman of The Pop Group, dies aged 62",
         "https://news.example/story/mark-stewart-12862993"),
    ):  # fmt: skip
        obituary = article(title=title, url=url)
        call = britain.classify(obituary, table.of(obituary))
        assert call.section == "entertainment" and not call.counted, call.reason
        assert "an artist's death" in call.reason
    # A politician's death is news; so is a killing the police speak of, and an
    # actor's crime, though the headline calls him an actor.
    for title in (
        "Nigel Lawson: Reforming chancellor dies aged 91",
        "Retired dean married to Pulitzer Prize-winning writer found shot to death",
        "Actor charged with murder after death of his neighbour in Paris",
    ):
        news = article(title=title, url="https://news.example/world/2023/x")
        assert britain.classify(news, table.of(news)).counted, title


def test_an_artists_relative_a_killing_or_a_death_toll_is_no_artists_death() -> None:
    places = place_data()
    for title in (
        "Actor's son shot dead outside nightclub",
        "Singer's mother dies after fall at home",
        "Rapper shot dead in Los Angeles",
        "Author receives death threats over new novel",
        "Pop star's father dies aged 80",
    ):
        assert not artist_death(places, title), title
    # The possessive that is the death itself is the artist's.
    assert artist_death(places, "Actor's death ruled accidental by coroner")
    assert artist_death(places, "Film director and screenwriter died on Sunday")


def test_an_unknown_outlets_local_desk_is_placed_by_the_places_it_names(
    detector: SectionDetector,
) -> None:
    # A small paper's /local/ desk is its own nation's, which the places named tell:
    # Phoenix is in the US, so for India it is World News; naming none, it stays home.
    table = OutletTable()
    phoenix = article(title="Phoenix heat wave breaks two more records",
                      url="https://citypaper.example/news/local/weather/x/1/")  # fmt: skip
    call = detector.classify(phoenix, table.of(phoenix))
    assert call.counted and call.country == "US" and "country not known" in call.reason
    plain = article(title="Council approves new bus lanes",
                    url="https://www.citypaper.example/story/news/local/x/1/")  # fmt: skip
    assert not detector.classify(plain, table.of(plain)).counted
    # A national label that names its country is that country's, whatever the dateline.
    india = detector.classify(article(section="India News", dateline="Kabul"))
    assert india.section == "national" and not india.counted


def test_content_places_what_a_desk_or_a_headline_word_would_misplace() -> None:
    us = SectionDetector(SelectSettings(home_country="US"))
    table = OutletTable()
    # A region named and no country: abroad, when it leaves out the home country.
    outbreak = article(title="New Outbreaks in Africa Raise Alarms About a Deadly Virus")
    assert us.classify(outbreak).counted
    assert not SectionDetector(SelectSettings(home_country="ZA")).classify(outbreak).counted
    # A sportsman's crime is crime news; his match is sport.
    verdict = article(title="Former NRL player found guilty of sexual assault after trial",
                      dateline="Sydney")  # fmt: skip
    assert us.classify(verdict).section == "world"
    match = article(title="NRL star scores twice as Eels beat Storm", dateline="Sydney")
    assert us.classify(match).section == "sports"
    # A business outlet's report of politics abroad is news; of GDP, business.
    resign = article(title="Two Singapore lawmakers resign after admitting affair",
                     url="https://www.cnbc.com/2023/07/17/singapore-lawmakers.html")  # fmt: skip
    assert us.classify(resign, table.of(resign)).counted
    gdp = article(title="China reports second-quarter GDP miss",
                  url="https://www.cnbc.com/2023/07/17/china-gdp.html")  # fmt: skip
    assert us.classify(gdp, table.of(gdp)).section == "business"
    # A standfirst reporting a research finding is science, though the headline
    # states the finding as a fact.
    study = article(
        title="People in poorer districts face higher risks of heart failure",
        summary="Adults in such districts have an 8% higher risk, a study published "
        "Monday in the journal Circulation says. Doctors called for action.",
        url="https://www.cnn.com/2023/07/17/health/heart-failure-risks/index.html",
    )
    call = us.classify(study, table.of(study))
    assert call.section == "science" and "research finding" in call.reason


def test_a_headline_of_several_clauses_is_placed_by_the_one_it_leads_with() -> None:
    us = SectionDetector(SelectSettings(home_country="US"))
    # The news leads; the president named in a later clause is in passing.
    blast = article(section="World",
                    title="Conflict live updates: Gaza hospital explosion kills hundreds; "
                          "Joe Biden set to travel to Israel")  # fmt: skip
    call = us.classify(blast)
    assert call.counted, call.reason
    # Led by the home country's side, it is home news, whatever follows.
    visit = article(section="World",
                    title="War live updates: Biden lands in Israel; Gaza hospital blast "
                          "toll rises")  # fmt: skip
    assert not us.classify(visit).counted
    assert lead_clause("Israel-Gaza war live updates: Biden lands; toll rises") == "Biden lands"
    assert lead_clause("Biden: Israel not to blame; aid to flow") == "Biden: Israel not to blame"


def test_a_place_in_several_countries_is_the_outlets_own_when_nothing_else_decides() -> None:
    us = SectionDetector(SelectSettings(home_country="US"))
    table = OutletTable()
    shot = article(title="Man freed after wrongful conviction is shot dead in a traffic stop",
                   summary="He was killed by a deputy in Georgia on Monday.",
                   url="https://www.npr.org/2023/10/17/shot")  # fmt: skip
    assert not us.classify(shot, table.of(shot)).counted
    # A foreign outlet's Georgia is the likeliest one, the country.
    tbilisi = article(title="Protesters rally outside parliament",
                      summary="Thousands marched in Georgia on Monday.",
                      url="https://www.bbc.co.uk/news/x-1")  # fmt: skip
    assert us.classify(tbilisi, table.of(tbilisi)).counted
    # The other names named decide first.
    russia = article(title="Russia and Georgia trade accusations",
                     url="https://www.npr.org/2023/10/17/caucasus")  # fmt: skip
    assert us.classify(russia, table.of(russia)).counted


def test_a_companys_insolvency_is_business_news() -> None:
    us = SectionDetector(SelectSettings(home_country="US"))
    for title in ("Sara Lee goes into voluntary administration in Australia",
                  "Retailer files for Chapter 11 bankruptcy protection",
                  "Builder collapses into liquidation owing millions"):  # fmt: skip
        assert us.classify(article(title=title)).section == "business", title
    # An administration that governs is not.
    assert us.classify(article(title="Biden administration sanctions Iran")).section != "business"
