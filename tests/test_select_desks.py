"""The news desk told from business, sport and the other desks (issue 11's "0
soft picks"): desks in addresses, hosts that cover one desk, business words in
headlines; and how the decision is measured over labelled days."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.config import SelectSettings
from digest.model import Article
from digest.select.evaluation import desk_decisions, load_day, on_news_desk
from digest.select.outlets import OutletTable
from digest.select.places import place_data
from digest.select.sections import SectionDetector, host_desk

from .selector_days import DATA

WHEN = datetime(2023, 11, 16, 12, 0, tzinfo=UTC)


def article(url: str, title: str = "A headline", **fields: object) -> Article:
    return Article(id="x", url=url, title=title, published_at=WHEN, **fields)  # type: ignore[arg-type]


def section(item: Article, home: str = "IN") -> str:
    detector = SectionDetector(SelectSettings(home_country=home))
    return detector.classify(item, OutletTable().of(item)).section


@pytest.mark.parametrize(
    ("url", "desk"),
    [
        ("https://www.telegraph.co.uk/rugby-union/2023/03/17/ireland-v-england/", "sports"),
        ("http://www.phillytv.example/nfl/philadelphia-eagles/eagles-chiefs/", "sports"),
        ("https://www.example.com/college-football/2023/8/24/a-documentary-review", "sports"),
        ("https://paper.example/investing/2023/03/16/first-republic-bank/index.html", "business"),
    ],
)
def test_a_desk_in_the_address_files_an_item_off_the_news_desk(url: str, desk: str) -> None:
    assert section(article(url, "Kyiv mayor meets Paris counterpart")) == desk


@pytest.mark.parametrize(
    "url",
    [
        # news.com.au files politics under /finance/work/leaders/, Fox News its
        # political talk under /media/: neither is a business desk.
        "https://www.news.com.au/finance/work/leaders/ukraine-says-g20-statement-not-enough",
        "https://www.foxnews.com/media/biden-laughs-reporter-asking-trump-indictment",
    ],
)
def test_finance_and_media_in_an_address_say_nothing_of_the_desk(url: str) -> None:
    assert section(article(url, "Ukraine says G20 statement on Russia war falls short")) == "world"


@pytest.mark.parametrize(
    ("url", "desk"),
    [
        ("https://sports.yahoo.com/march-madness-perfect-brackets-left", "sports"),
        ("https://www.nbcsports.example/2023/03/17/jets-leverage-rodgers", "sports"),
        ("https://www.planetrugby.example/news/england-v-argentina-five-takeaways", "sports"),
        ("https://football.london/arsenal-fc/news/saka-injury-27861753", "sports"),
        ("https://money.cnn.com/2023/11/16/markets-close-higher", "business"),
        # "sport" inside another word is no sport.
        ("https://www.transportnews.example/rail-strike-called-off", ""),
        ("https://www.passportindex.example/visa-rules-change", ""),
        ("https://www.reuters.com/world/europe/a-report-2023-11-16/", ""),
        # A town's paper is no sports site, though a tournament bears the town's
        # name; nor are flashes and clashes the Ashes.
        ("https://www.wimbledonguardian.example/news/23912345.council-vote/", ""),
        ("https://www.bathurstlocal.example/news/hospital-upgrade", ""),
        ("https://www.newsflashes.example/kyiv-strike", ""),
        # A news portal is no sports site ("news" + "portal").
        ("https://www.nepalnewsportal.example/kathmandu-flood", ""),
        # The registered name, not whatever label leads the host.
        ("https://m.sportskeeda.example/nfl/news-chiefs-win", "sports"),
        ("https://amp.nbcsports.example/2023/03/17/jets-leverage-rodgers", "sports"),
    ],
)
def test_a_host_names_the_one_desk_it_covers(url: str, desk: str) -> None:
    assert host_desk(url, place_data()) == desk


def test_a_host_desk_files_an_unlabelled_item_that_names_abroad() -> None:
    item = article("https://www.nbcsports.example/2023/11/16/sinner-sinks-rune-in-turin")
    assert section(item, "US") == "sports"


@pytest.mark.parametrize(
    ("host", "desk"),
    [
        ("www.atptour.com", "sports"),
        ("www.fifa.com", "sports"),
        ("www.liverpoolfc.com", "sports"),
        ("www.foxbusiness.com", "business"),
        ("www.investors.com", "business"),
        ("www.ft.com", ""),  # a newspaper with a world desk, not a business-only outlet
    ],
)
def test_sports_bodies_and_business_outlets_have_their_desk(host: str, desk: str) -> None:
    outlet = OutletTable().of(article(f"https://{host}/news/an-item"))
    assert outlet.desk == desk


@pytest.mark.parametrize(
    "title",
    [
        "Buffett Exits TSMC While Hedge Funds Coatue, Tiger Global Buy",
        "Europe backs Microsoft's deal to buy Activision Blizzard",
        "Metro Bank board to meet bondholders over refinancing package",
        "GAM starts funding talks with investors after Liontrust bid fails",
        "Westpac urges RBA interest rates pause as major banks hike rates",
        # A war's toll on the economy is business news.
        "Wars risk keeping interest rates higher for longer, says new RBA governor",
        # A markets regulator's case is business news.
        "US SEC sues Coinbase, one day after suing Binance",
        "Binance lawsuit: 61 cryptocurrencies are now seen as securities by the SEC",
        "FTC and 17 states sue Amazon on antitrust charges",
        "Bitcoin tops $40,000 for the first time since 2022",
    ],
)
def test_business_words_in_a_headline_file_it_under_business(title: str) -> None:
    assert section(article("https://paper.example/news/articles/2023-11-16/x", title)) == "business"


@pytest.mark.parametrize(
    "title",
    [
        # A state's takeover of a school district, not a company's.
        "How some Brazos Valley districts narrowly avoided a TEA takeover",
        "What's going on with DeSantis' takeover of Disney special district",
        "Kyiv says Russian strike hit grain terminal in Odesa",
        # Business words in a war's or a protest's headline.
        "Israel shares intelligence with Ukraine on Iranian drones",
        "Russia's oligarchs profit from war in Ukraine as sanctions bite",
        "Ukraine says Russia's stock of missiles is running low",
        "Ukraine's children fear for their futures as Russian strikes go on",
        # "Sec." is a secretary, not the markets regulator.
        "Sec. Blinken charges Russia with war crimes in Ukraine",
        # Bitcoin stolen for a missile programme is a state's hack, not markets news.
        "North Korean hackers stole $600m in bitcoin to fund missile programme",
    ],
)
def test_news_headlines_stay_on_the_news_desk(title: str) -> None:
    assert section(article("https://paper.example/2023/11/16/x", title), "GB") in (
        "world",
        "national",
    )


def test_soft_news_filed_under_a_soft_desk_is_off_the_news_desk() -> None:
    detector = SectionDetector(SelectSettings(home_country="IN"))
    item = article("https://paper.example/lifestyle/2023/11/16/kyiv-cafes-reopen")
    kept, why = on_news_desk(item, detector, OutletTable())
    assert not kept and "lifestyle" in why
    kept, why = on_news_desk(
        article("https://paper.example/world/2023/11/16/kyiv-cafes-reopen"), detector, OutletTable()
    )
    assert kept and "section world" in why


def test_the_desk_decision_is_counted_over_every_labelled_item() -> None:
    day = load_day(DATA / "selector_real" / "day-2023-03-17.feed.json")
    hits, kept, truth, wrong = desk_decisions(day, "US")
    news = sum(1 for label in day.labels.values() if label["desk"] == "news")
    assert truth == news
    assert 0 < hits <= min(kept, truth)
    # Every mistake is one item, kept though labelled off-desk or news left out.
    assert len(wrong) == (kept - hits) + (truth - hits)
    for item, said, _ in wrong:
        assert said == (day.labels[item]["desk"] != "news")


@pytest.mark.parametrize(
    ("url", "title", "desk"),
    [
        # An arts award's night or nominations is the arts desk's, on a world desk too.
        ("https://www.9news.example/world/emmy-nominations-2023-full-list/3792167e",
         "'Succession' tops Emmy nominations with 27 as HBO takes top 3 spots",
         "entertainment"),
        ("https://paper.example/world/2023/05/15/x",
         "Bafta TV Awards 2023: full list of winners", "entertainment"),
        # An artist or a reporter described by a prize is told by what happened.
        ("https://paper.example/world/2023/05/15/y",
         "Emmy-winning journalist killed in strike on Gaza City", "world"),
        ("https://paper.example/world/2023/05/15/z",
         "Oscar-winning actor arrested over assault in central London", "world"),
        # A crime or a killing at an award's night is told by what happened.
        ("https://paper.example/world/2023/05/15/v",
         "Gunman kills two outside Brit Awards party in London", "world"),
        ("https://paper.example/world/2023/05/15/w",
         "Man charged with murder after shooting near Oscars ceremony", "world"),
    ],
)  # fmt: skip
def test_an_arts_award_is_entertainment_news_even_on_a_world_desk(
    url: str, title: str, desk: str
) -> None:
    assert section(article(url, title), "US") == desk


@pytest.mark.parametrize(
    ("url", "title", "label", "desk"),
    [
        # A science-and-technology desk in one word, and a space desk.
        ("https://www.dailymail.example/sciencetech/article-12622893/x.html",
         "Antarctica's melting ice shelves have unleashed 7.5 trillion tonnes of water",
         "", "science"),
        ("https://www.independent.example/space/ring-of-fire-b2425790.html",
         "'Ring of fire' over the Americas this month will be the last until 2046", "", "science"),
        # A sports site that labels everything "World" files its rugby under /rugby-union/.
        ("https://www.codesports.example/rugby-union/world-cup/wallabies-drop-hooper",
         "Wallabies drop Michael Hooper, new captain to lead squad", "World", "sports"),
        # A World Cup is a sport's; the sky's shows are science's; a music icon's death
        # is the arts desk's, though a world desk files it.
        ("https://news.example/story/lionesses-through-12940000",
         "England's Lionesses through to their first World Cup final", "", "sports"),
        ("https://paper.example/news/atlanta-news/solar-eclipse-saturday/XQA6FM",
         "Solar eclipse darkens the sky over Georgia on Saturday", "", "science"),
        ("https://www.9news.example/world/tina-turner-dies/948992f8",
         "Tributes pour in for Tina Turner after music icon dies aged 83", "", "entertainment"),
        ("https://news.example/story/pop-band-renamed-12890000",
         "Pop band renamed for upcoming tour dedicated to former member", "", "entertainment"),
        # A civil-rights icon's death, a tax band, a world-desk report: news.
        ("https://www.9news.example/world/icon-dies/948992f9",
         "Civil rights icon dies aged 83 in Atlanta", "", "world"),
        ("https://news.example/story/council-tax-band-12890001",
         "Millions of French homes moved up a council tax band", "", "world"),
        ("https://paper.example/world/2023/10/12/x",
         "Israel links Gaza aid to hostages' release", "", "world"),
        # "Eclipse" the verb is no sky show: a world desk's economy report stays news.
        ("https://news.example/world/germany-economy-12940001",
         "Germany set to eclipse Japan as world's third-largest economy", "World", "world"),
        ("https://news.example/world/rebels-12940002",
         "Rebel gains eclipse peace talks in Sudan", "World", "world"),
        # The sky's show still files a world desk's item under science.
        ("https://news.example/world/eclipse-12940003",
         "Total eclipse plunges Mexico into darkness", "World", "science"),
        ("https://news.example/world/eclipse-12940004",
         "Annular eclipse draws crowds to Texas", "World", "science"),
    ],
)  # fmt: skip
def test_science_sport_and_arts_words_and_desks_file_an_item_off_the_news_desk(
    url: str, title: str, label: str, desk: str
) -> None:
    assert section(article(url, title, section=label), "IN") == desk


@pytest.mark.parametrize(
    ("url", "title", "label", "desk"),
    [
        # A new species, a fossil, a parasite found in a patient: the
        # science desk's finds, though a world desk files them or nothing labels them.
        ("https://www.cnn.example/2023/11/02/americas/mosasaur/index.html",
         "Newly identified species could shed light on evolution of prehistoric 'sea monsters'",
         "World", "science"),
        ("https://www.aljazeera.example/news/2023/8/29/worm",
         "Live parasitic worm found in Australian woman's brain in world first", "", "science"),
        ("https://news.example/story/jellyfish-12940005",
         "Oldest species of swimming jellyfish discovered in 505m-year-old fossils", "", "science"),
        ("https://news.example/story/fossil-12940006",
         "Palaeontologists identify fossil found in sandstone slab 30 years ago", "", "science"),
        # A fossil fuel, an invasive species found in a region, a volunteer's dinosaur
        # sculpture (a museum's feature, no find): news-desk items.
        ("https://news.example/world/eu-car-ban-12940007",
         "EU fossil fuel car ban gets final green light", "", "world"),
        ("https://news.example/world/mosquito-12940008",
         "Spain on alert for new invasive mosquito species found in Catalonia", "", "world"),
        ("https://www.abc.example/news/2023-05-26/dinosaur-sculpture/102392046",
         "Volunteer donates 3D-printed dinosaur nest sculpture to Queensland museum", "", "world"),
    ],
)  # fmt: skip
def test_a_new_species_a_fossil_or_a_parasite_is_the_science_desk_s(
    url: str, title: str, label: str, desk: str
) -> None:
    assert section(article(url, title, section=label), "IN") == desk


@pytest.mark.parametrize(
    ("url", "title", "label", "desk"),
    [
        # A space launcher named is a launch's news, the science desk's, on a world desk too.
        ("https://www.couriermail.example/news/world/delta-iv/video/619efec4",
         "Penultimate launch of Delta IV Heavy rocket", "World", "science"),
        ("https://news.example/story/starship-12940009",
         "Starship rocket explodes minutes after take-off", "", "science"),
        # A war's rockets and a war's satellite link are news.
        ("https://news.example/world/rockets-12940010",
         "Rockets launched from Gaza hit southern Israel", "World", "world"),
        ("https://news.example/world/starlink-12940011",
         "SpaceX restricts Ukraine's use of Starlink for drones", "World", "world"),
    ],
)  # fmt: skip
def test_a_space_launcher_named_is_the_science_desk_s(
    url: str, title: str, label: str, desk: str
) -> None:
    assert section(article(url, title, section=label), "IN") == desk
