"""Page dumps and feeds of other publishers, in the shapes real sites print.

Every page fixture in ``fixtures/pages/other`` is the crawler's text dump of one
article from a different site (navigation at the top, breadcrumbs or none,
headline, byline/agency/time lines in that site's style, captions, promos and
footers).  Each is read with the built-in rules only and checked field by field;
the boilerplate lines of each page are checked to reach no field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import parse_config
from digest.errors import ConfigError, SourceError
from digest.model import Article, SourceResult, to_plain
from digest.sources import Boilerplate, ReadOptions
from digest.sources.configured import rules
from digest.sources.feeds import read_feed
from digest.sources.normalise import article_id, parse_time
from digest.sources.pages import read_page

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = FIXTURES / "pages" / "other"
FEEDS = FIXTURES / "feeds" / "other"
KOLKATA = ZoneInfo("Asia/Kolkata")
#: When the BBC page was saved: its "2 hours ago" counts back from here.
SAVED = datetime(2020, 11, 23, 6, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@dataclass(frozen=True)
class Expected:
    """What one page must read as (times in UTC)."""

    file: str
    title: str
    published: datetime
    updated: datetime | None
    section: str
    dateline: str
    agency: str
    byline: str
    summary_start: str
    body_start: str
    caption_start: str
    #: Text of the page's navigation, promos and footers: none may reach a field.
    junk: tuple[str, ...]
    language: str = "en"
    #: Zone the source is configured with (for times printed without one).
    zone: str = "UTC"
    #: The site's own drop_lines, as its [boilerplate.NAME] table would add them.
    site_rules: tuple[str, ...] = ()


PAGES_EXPECTED = [
    Expected(
        "hindustantimes-world-russia-biden.txt",
        "Putin says he is not ready to recognise Biden as US president-elect",
        utc(2020, 11, 23, 3, 25), None, "world", "Moscow", "Reuters", "",
        "Russian President Vladimir Putin on Sunday said he was still not ready",
        "Russia's President Vladimir Putin said on Sunday",
        "Russian President Vladimir Putin attends a meeting",
        ("Sign In", "Subscribe", "E-Paper", "Latest News", "Share Via", "Read Time",
         "Also Read", "Advertisement", "newsletters", "Follow us", "Get Latest",
         "Topics", "joe biden russia", "Copyright", "HT Digital", "Poulomi"),
    ),
    Expected(
        "ndtv-world-kabul-rockets.txt",
        "Rockets Hit Kabul Residential Areas, 8 Killed As Pompeo Meets Taliban",
        utc(2020, 11, 22, 10, 10), utc(2020, 11, 22, 10, 10), "world", "Kabul",
        "Agence France-Presse", "",
        "A barrage of rockets slammed into densely populated parts of Kabul",
        "Interior ministry spokesman Tariq Arian said",
        "Afghan security officials inspect a damaged vehicle",
        ("LIVE TV", "Edition", "Trending", "Opinion", "Promoted", "JioSaavn",
         "syndicated feed", "NDTV staff", "Track Latest News", "Follow us", "Comments",
         "Do Not Sell", "Kabul: "),
    ),
    Expected(
        "indianexpress-world-ethiopia.txt",
        "Ethiopia gives Tigray forces 72 hours to surrender Mekelle",
        # "Updated" in the header, "First published on" under the story.
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25, 12), "world", "Addis Ababa",
        "Reuters", "",
        "Prime Minister Abiy Ahmed said the army would encircle",
        "Ethiopia's prime minister gave Tigray's leaders 72 hours",
        "Ethiopian refugees who fled the conflict in Tigray",
        ("ePaper", "Explained", "Advertisement", "Story continues", "Telegram",
         "Indian Express App", "First published", "(P) Ltd", "ADDIS ABABA (Reuters)"),
        zone="Asia/Kolkata",
    ),
    Expected(
        "thehindu-international-lebanon.txt",
        "Lebanon marks independence day under economic collapse",
        utc(2020, 11, 22, 16, 0), utc(2020, 11, 22, 17, 35), "world", "Beirut", "Reuters", "",
        "President Michel Aoun laid a wreath",
        "Lebanon marked its 77th independence day",
        "",
        ("Today's Paper", "Login", "BEIRUT:", "reached your limit", "Subscribe",
         "Printable version", "thehindu.com", "THG PUBLISHING"),
    ),
    Expected(
        "timesofindia-world-cyclone.txt",
        "Cyclone Gati makes landfall in Somalia, the strongest storm on record there",
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "world", "Mogadishu", "PTI", "",
        "A powerful tropical cyclone made landfall in north-eastern Somalia",
        "The storm is the strongest ever recorded",
        "",
        ("READ ALSO", "Somalia floods displace", "Times of India News App",
         "Start a Conversation", "FOLLOW US", "Bennett, Coleman", "MOGADISHU:"),
    ),
    Expected(
        "bbc-world-hongkong.txt",
        "Hong Kong and Singapore delay travel bubble after Covid spike",
        SAVED - timedelta(hours=2), None, "world", "", "", "",
        "Hong Kong and Singapore have postponed the launch of a travel corridor",
        'The quarantine-free "air travel bubble"',
        "The first flights were due to leave on Sunday",
        ("Skip to content", "Accessibility", "iPlayer", "Related Topics", "Coronavirus pandemic",
         "image copyright", "Getty Images", "image caption", "More on this story",
         "agree travel bubble", "Top Stories", "Share this page", "Copyright", "external sites"),
    ),
    Expected(
        "aljazeera-news-armenia.txt",
        "Armenians flee homes as land handed back to Azerbaijan",
        utc(2020, 11, 22), None, "", "", "", "Ali Latifi",
        "Villagers burn their houses before the district is returned",
        "Ethnic Armenian residents of the Kalbajar district",
        "Ethnic Armenians set fire to a house before leaving",
        ("Skip", "Show navigation", "News|Conflict", "Published On", "Source: Al Jazeera",
         "Sign up", "Week in the Middle East", "inbox", "Follow Al Jazeera"),
    ),
    Expected(
        "reuters-world-asia-pacific-sk.txt",
        "South Korea raises social distancing curbs as Seoul cases jump",
        utc(2020, 11, 22, 23, 30), None, "world", "Seoul", "Reuters", "Sangmi Cha",
        "South Korea will tighten social distancing rules",
        "The country reported 271 new cases",
        "",
        ("Skip to main", "Refinitiv", "Breakingviews", "Min Read", "Reporting by",
         "Editing by", "Our Standards", "Trust Principles", "Newsletters", "SEOUL (Reuters)"),
    ),
    Expected(
        "apnews-world-news-us-ap.txt",
        "Trump campaign loses appeal in Pennsylvania election suit",
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "world", "Philadelphia", "AP",
        "Maryclaire Dale and Mark Scolforo",
        "A federal judge on Saturday threw out the Trump campaign's lawsuit",
        "U.S. District Judge Matthew Brann wrote",
        "In this Nov. 5, 2020 file photo",
        ("AP NEWS", "Top Stories", "Listen", "RELATED COVERAGE", "legal losses pile up",
         "Copyright 2020", "redistributed", "PHILADELPHIA (AP)"),
    ),
    Expected(
        "guardian-world-armenia.txt",
        "Armenians torch homes before handover of land to Azerbaijan",
        utc(2020, 11, 22, 14, 10), utc(2020, 11, 22, 16, 45), "world", "Moscow", "",
        "Andrew Roth",
        "Residents of Kalbajar leave with belongings",
        "Ethnic Armenians in the Kalbajar district have set fire",
        "A man throws furniture from the balcony",
        ("Skip to main", "Support the Guardian", "funded by readers", "Contribute",
         "Sign in", "Lifestyle", "Last modified", "small favour", "Topics", "Reuse this content"),
    ),
    Expected(
        "deccanherald-international-nepal.txt",
        "Nepal PM Oli meets China's defence minister amid border row",
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 4, 50), "world", "Kathmandu", "PTI", "",
        "Nepal Prime Minister K P Sharma Oli met visiting Chinese Defence Minister",
        "Wei arrived in Kathmandu on a day-long visit",
        "",
        ("Karnataka", "Also Read", "foreign secretary talks", "Google News", "round-up",
         "newsletters", "(PTI)", "updated:"),
    ),
    Expected(
        "freepressjournal-world-pakistan.txt",
        "Pakistan court indicts Hafiz Saeed aides in terror financing case",
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "world", "Lahore", "",
        "FPJ Web Desk",
        "An anti-terrorism court in Pakistan on Monday indicted",
        "The court had last week sentenced Saeed",
        "",
        ("Free Press Journal", "Stay up to date", "newsletter", "Follow us", "Lahore:",
         "Listen to", "A- A+", "With inputs", "Also Watch", "Imran Khan"),
    ),
    Expected(
        "scroll-world-iran.txt",
        "Iran says it will not negotiate over its missile programme",
        utc(2020, 11, 23, 3, 25), None, "world", "", "", "Scroll Staff",
        "Tehran responded to the demands of European countries",
        "Iran's foreign ministry spokesperson said on Monday",
        "",
        ("Scroll.in", "Trending", "Video", "Support our journalism", "letters@scroll.in"),
        zone="Asia/Kolkata",
    ),
    Expected(
        "amarujala-videsh-putin-hindi.txt",
        "पुतिन ने कहा, अभी बाइडन को अमेरिकी राष्ट्रपति के रूप में मान्यता नहीं देंगे",
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "world", "मॉस्को", "",
        "वर्ल्ड डेस्क",
        "रूसी राष्ट्रपति व्लादिमीर पुतिन ने कहा कि वह अमेरिकी जनता",
        "रूसी राष्ट्रपति व्लादिमीर पुतिन ने रविवार को कहा",
        "",
        ("ई-पेपर", "क्रिकेट", "Published by", "देव कश्यप", "सार", "विस्तार", "विज्ञापन",
         "ये भी पढ़ें", "पेंसिल्वेनिया", "डाउनलोड करें", "Hindi News App", "Get all World News"),
        language="hi",
    ),
    Expected(
        "navbharattimes-world-kabul-hindi.txt",
        "काबुल में रिहायशी इलाकों पर रॉकेट हमला, आठ लोगों की मौत",
        utc(2020, 11, 22, 10, 10), utc(2020, 11, 22, 10, 10), "world", "काबुल", "भाषा", "",
        "अफगानिस्तान की राजधानी काबुल में शनिवार सुबह",
        "गृह मंत्रालय के प्रवक्ता तारिक एरियन ने कहा",
        "",
        ("नवभारत टाइम्स", "अपडेट:", "यह भी पढ़ें", "दोहा में तालिबान", "हमें फॉलो करें",
         "कॉमेंट लिखें", "(भाषा)"),
        language="hi",
    ),
    Expected(
        "livemint-world-blinken-long-menu.txt",
        "Biden picks Antony Blinken as secretary of state",
        utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "world", "Washington", "Reuters", "",
        "President-elect Joe Biden will nominate his longtime adviser",
        "President-elect Joe Biden plans to nominate Antony Blinken",
        "Antony Blinken served as deputy secretary of state",
        ("Livemint", "Mumbai News", "Credit Cards", "Premium", "min read", "WASHINGTON —",
         "Newsletters", "valid email", "subscribing", "Catch all the", "Mint News App",
         "More Less", "Topics"),
    ),
    Expected(
        "firstpost-world-date-above-title.txt",
        "Biden names Antony Blinken as secretary of state, Jake Sullivan as NSA",
        utc(2020, 11, 23, 3, 25, 12), utc(2020, 11, 23, 3, 40, 44), "world", "Washington", "ANI",
        "",
        "US President-elect Joe Biden on Monday announced his picks",
        "Jake Sullivan, a former adviser to Biden",
        "Representative image. Reuters",
        ("Firstpost", "Politics", "[US]", "(ANI)", "Tech2 Gadgets", "Updated Date", "TAGS"),
        site_rules=("^find latest and upcoming tech gadgets",),
    ),
]  # fmt: skip


def read(path: Path, **options: object) -> SourceResult:
    """One fixture read with the built-in rules, as a configured source would be."""
    base = ReadOptions(source=path.name, boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    reader = read_feed if path.parent == FEEDS else read_page
    return reader(path.read_bytes(), dataclasses.replace(base, **options))  # type: ignore[arg-type]


def page(expected: Expected) -> Article:
    tz = ZoneInfo(expected.zone) if expected.zone != "UTC" else UTC
    site = Boilerplate.builtin().extended(Boilerplate.compile(expected.site_rules, ()))
    result = read(PAGES / expected.file, timezone=tz, boilerplate=site)
    assert (result.error, result.skipped, len(result.articles)) == ("", (), 1)
    return result.articles[0]


def test_every_page_fixture_has_expectations() -> None:
    assert sorted(p.name for p in PAGES.glob("*.txt")) == sorted(e.file for e in PAGES_EXPECTED)
    assert len(PAGES_EXPECTED) >= 10


@pytest.mark.parametrize("expected", PAGES_EXPECTED, ids=lambda e: e.file.split("-")[0])
def test_page_headline_times_and_credits(expected: Expected) -> None:
    article = page(expected)
    assert article.title == expected.title
    assert article.published_at == expected.published and article.published_at.tzinfo is UTC
    assert article.updated_at == expected.updated
    assert (article.section, article.dateline, article.agency, article.byline) == (
        expected.section,
        expected.dateline,
        expected.agency,
        expected.byline,
    )
    assert article.language == expected.language


@pytest.mark.parametrize("expected", PAGES_EXPECTED, ids=lambda e: e.file.split("-")[0])
def test_page_summary_body_and_caption(expected: Expected) -> None:
    article = page(expected)
    assert len(article.body) >= 80
    assert article.summary.startswith(expected.summary_start)
    assert article.body.startswith(expected.body_start)
    assert article.summary not in article.body and article.title not in article.body
    if expected.caption_start:
        assert article.image is not None
        assert article.image.caption.startswith(expected.caption_start)
        assert article.image.caption not in article.body
    else:
        assert article.image is None


@pytest.mark.parametrize("expected", PAGES_EXPECTED, ids=lambda e: e.file.split("-")[0])
def test_page_boilerplate_reaches_no_field(expected: Expected) -> None:
    article = page(expected)
    fields = to_plain(article)
    text = "\n".join(str(v) for k, v in fields.items() if k not in ("source", "id", "url"))
    for junk in expected.junk:
        assert junk not in text, junk


def test_without_its_site_rules_a_site_promo_stays_in_the_body() -> None:
    """Rules for one site are data in its [boilerplate.NAME] table, not built in."""
    result = read(PAGES / "firstpost-world-date-above-title.txt")
    assert "Tech2 Gadgets" in result.articles[0].body


def test_relative_time_needs_the_moment_the_page_was_saved() -> None:
    """ "2 hours ago" with no crawl time reads as no time: the page is dated when it
    is read and flagged (stop 29: it was refused, "no crawl time")."""
    data = (PAGES / "bbc-world-hongkong.txt").read_bytes()
    now = datetime(2019, 8, 12, 9, 30, tzinfo=UTC)
    options = ReadOptions(source="bbc.txt", boilerplate=Boilerplate.builtin(), clock=lambda: now)
    (article,) = read_page(data, options).articles
    assert article.time_from_crawl
    assert article.published_at == now


def test_todays_date_in_the_site_header_is_not_the_article_time() -> None:
    data = "\n".join(
        [
            "E-Paper",
            "Monday, November 23, 2020",
            "Home",
            "World",
            "Thailand protesters rally outside parliament in Bangkok",
            "PTI | Updated: Nov 22, 2020, 19:10 IST",
            "BANGKOK: Thousands of pro-democracy protesters rallied outside parliament "
            "on Sunday as lawmakers debated changes to the constitution.",
        ]
    ).encode()
    (article,) = read_page(data, ReadOptions(source="t.txt")).articles
    assert article.title == "Thailand protesters rally outside parliament in Bangkok"
    assert article.published_at == utc(2020, 11, 22, 13, 40)
    assert (article.section, article.dateline, article.agency) == ("world", "Bangkok", "PTI")


def test_menu_entry_that_looks_like_a_stop_marker_does_not_end_the_article() -> None:
    data = "\n".join(
        [
            "Related Stories",
            "Iran says it will not negotiate over its missile programme",
            "Published: 23 Nov 2020 08:55 AM (IST)",
            "Tehran said on Monday its ballistic missile programme was not up for negotiation "
            "with European powers.",
            "Related Stories",
            "Another story entirely",
        ]
    ).encode()
    options = ReadOptions(source="t.txt", boilerplate=Boilerplate.builtin())
    (article,) = read_page(data, options).articles
    assert article.published_at == utc(2020, 11, 23, 3, 25)
    assert article.summary.startswith("Tehran said") and "Another story" not in article.body


def test_publisher_rules_from_config_drop_a_label_with_the_line_after_it() -> None:
    config = parse_config(
        {"boilerplate": {"desk": {"drop_with_next": ["^more from the desk$"]}}},
        base_dir=FIXTURES,
    )
    data = "\n".join(
        [
            "Nepal PM Oli meets China's defence minister amid border row",
            "PTI | Updated: Nov 23, 2020, 08:55 IST",
            "Kathmandu, Nov 23 (PTI) Nepal Prime Minister K P Sharma Oli met visiting Chinese "
            "Defence Minister Wei Fenghe on Sunday.",
            "More from the desk",
            "Nepal, India hold foreign secretary talks",
            "Wei arrived in Kathmandu on a day-long visit, the highest-level visit from China.",
        ]
    ).encode()
    result = read_page(data, ReadOptions(source="t.txt", boilerplate=rules(config, "desk")))
    (article,) = result.articles
    assert "foreign secretary" not in article.body and "More from" not in article.body
    assert article.body.startswith("Wei arrived")
    plain = read_page(data, ReadOptions(source="t.txt", boilerplate=Boilerplate.builtin()))
    assert "foreign secretary" in plain.articles[0].body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 नवंबर 2020, 15:40 IST", utc(2020, 11, 22, 10, 10)),
        ("सोम, २३ नवंबर २०२० ०८:५५ AM IST", utc(2020, 11, 23, 3, 25)),
        ("23-11-2020 at 08:55 IST", utc(2020, 11, 23, 3, 25)),
        ("05-11-2020 at 08:55 IST", utc(2020, 11, 5, 3, 25)),  # day first
        ("Sun 22 Nov 2020 14.10 GMT", utc(2020, 11, 22, 14, 10)),
        ("23 Nov 2020 08:55 AM (IST)", utc(2020, 11, 23, 3, 25)),
        ("Nov 23 2020, 08:55 ist", utc(2020, 11, 23, 3, 25)),
        ("Nov 23, 2020 · 08:55 am +0530", utc(2020, 11, 23, 3, 25)),
        ("3:25 AM UTC, November 23, 2020", utc(2020, 11, 23, 3, 25)),
        ("Monday, November 23, 2020, 08:55 AM IST", utc(2020, 11, 23, 3, 25)),
        ("2020-07-01 12:00 Europe/London", utc(2020, 7, 1, 11, 0)),
    ],
)
def test_parse_time_reads_the_spellings_of_other_sites(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


# ---- feeds ---------------------------------------------------------------------------


def feed(name: str, **options: object) -> SourceResult:
    result = read(FEEDS / name, **options)
    assert result.error == ""
    return result


def test_bbc_rss_with_cdata_and_media_thumbnail() -> None:
    result = feed("bbc-world.rss")
    first, second = result.articles
    assert first.title == "Armenians torch homes before handover to Azerbaijan"
    assert first.published_at == utc(2020, 11, 22, 16, 41, 12)
    assert first.image is not None and first.image.url.endswith("_kalbajar.jpg")
    assert (first.section, second.section) == ("world", "world")
    assert first.summary.startswith("Residents of Kalbajar")
    # BBC's tracking parameters do not make a second id for the same story.
    assert "at_medium" in second.url
    assert second.id == article_id(url="https://www.bbc.co.uk/news/world-asia-55030722")


def test_al_jazeera_rss_with_category_only_and_html_in_cdata() -> None:
    rockets, g20 = feed("aljazeera-all.rss").articles
    assert (
        rockets.summary
        == "At least 31 people were wounded as 23 rockets struck the Afghan capital."
    )
    assert rockets.section == "" and rockets.tags == ("News",)  # "News" names no section
    assert g20.section == "business"  # "Economy"
    assert rockets.published_at == utc(2020, 11, 22, 10, 15)


def test_nyt_rss_with_dc_creator_media_content_and_caption() -> None:
    ethiopia, lebanon = feed("nyt-world.rss").articles
    assert ethiopia.byline == "Declan Walsh and Simon Marks"
    assert ethiopia.section == "world"  # from /2020/11/22/world/africa/ in the link
    assert ethiopia.image is not None
    assert ethiopia.image.caption.startswith("Ethiopian refugees who fled fighting")
    assert ethiopia.image.caption.endswith("(Eduardo Soteras/Agence France-Presse — Getty Images)")
    # media:description is the picture's caption, not the article.
    assert ethiopia.body == "" and ethiopia.summary.startswith("Prime Minister Abiy Ahmed")
    assert lebanon.published_at == utc(2020, 11, 22, 20, 2, 11)  # -0500


def test_atom_with_xhtml_content_relative_link_and_wire_dateline() -> None:
    seoul, iran = feed("wire-xhtml.atom").articles
    assert seoul.published_at == utc(2020, 11, 22, 23, 55)
    assert seoul.updated_at == utc(2020, 11, 23, 0, 40)
    assert (seoul.dateline, seoul.agency, seoul.byline) == ("Seoul", "Reuters", "Sangmi Cha")
    assert seoul.body.startswith("South Korea will tighten")
    assert "Reporting by" not in seoul.body and "<" not in seoul.body
    assert seoul.section == "world" and seoul.tags == ("World News",)
    assert iran.title == "Iran rules out missile talks"
    assert iran.url == "https://wire.example/article/iran-missiles-idUSKBN2820CD"
    assert (iran.dateline, iran.agency) == ("Dubai", "Reuters")


def test_google_news_rss_names_the_outlet_and_drops_its_link_lists() -> None:
    putin, kabul = feed("googlenews-world.rss").articles
    assert putin.title == "Putin says not ready to recognise Biden as US president"
    assert (putin.publisher, kabul.publisher) == ("Hindustan Times", "NDTV")
    assert kabul.title == "Rockets hit Kabul residential areas, eight killed"
    for article in (putin, kabul):
        assert article.section == "world"  # the feed is "World - Latest - Google News"
        text = article.summary + article.body
        assert "Full coverage" not in text and "Kremlin says" not in text and "NDTV" not in text


def test_site_feed_with_relative_links_indian_and_us_zones_and_an_undated_item() -> None:
    result = feed("indian-outlet-relative-ist.rss", timezone=KOLKATA)
    assert result.skipped == ()
    nepal, pakistan, iran, markets, thailand = result.articles
    assert nepal.url == (
        "https://www.dailychronicle.example/world/"
        "nepal-pm-oli-meets-chinas-defence-minister-1234567.html"
    )
    assert nepal.published_at == utc(2020, 11, 23, 3, 25)  # "IST", which feedparser takes for UTC
    assert (nepal.dateline, nepal.agency) == ("Kathmandu", "PTI")
    assert nepal.summary.startswith("Nepal Prime Minister") and "Read More" not in nepal.summary
    # The picture in the description's HTML, its relative src resolved.
    assert nepal.image is not None
    assert nepal.image.url == "https://www.dailychronicle.example/images/2020/11/oli.jpg"
    assert (iran.agency, iran.byline) == ("Reuters", "")  # dc:creator "By Reuters"
    assert pakistan.byline == "Chronicle World Desk"  # "desk@… (Chronicle World Desk)"
    assert pakistan.published_at == utc(2020, 11, 23, 2, 10)  # +0530
    assert iran.published_at == utc(2020, 11, 23, 0, 40)  # dc:date
    assert markets.published_at == utc(2020, 11, 23, 14, 30)  # EST
    assert markets.section == "business"
    assert {a.section for a in (nepal, pakistan, iran, thailand)} == {"world"}
    # No date anywhere: as new as the moment the feed was read.
    assert thailand.published_at == SAVED


def test_undated_item_without_a_reading_time_is_skipped_with_its_reason() -> None:
    data = (FEEDS / "indian-outlet-relative-ist.rss").read_bytes()
    result = read_feed(data, ReadOptions(source="t.rss"))
    assert [s.reason for s in result.skipped] == ["item has no usable publication date"]
    assert len(result.articles) == 4


BODY = (
    "Officials said on Monday that talks would resume next week after a pause of several "
    "months, and that both sides had agreed on an agenda."
)


@pytest.mark.parametrize(
    ("header", "published", "updated", "agency", "byline", "dateline"),
    [
        (["By Asha Rao, Hindustan Times, New Delhi", "Nov 23, 2020 08:55 AM IST"],
         utc(2020, 11, 23, 3, 25), None, "", "Asha Rao", "New Delhi"),
        (["Edited By: Aryan Sharma | Updated: Nov 23, 2020, 08:55 IST"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "", "", ""),
        (["Updated: Nov 23, 2020, 08:55 IST | Source: PTI"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "PTI", "", ""),
        (["Express News Service | New Delhi | Published: 23 Nov 2020 08:55 AM (IST)"],
         utc(2020, 11, 23, 3, 25), None, "", "Express News Service", "New Delhi"),
        (["Last Updated: November 23, 2020 8:55 am IST", "IANS"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "IANS", "", ""),
        (["Reuters • 3 hours ago"], SAVED - timedelta(hours=3), None, "Reuters", "", ""),
        (["Updated - November 23, 2020 08:55 am IST"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "", "", ""),
        (["AP | Published on: 2020-11-23T08:55:00+05:30 | Updated on: 2020-11-23T10:00:00+05:30"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 4, 30), "AP", "", ""),
        (["23 Nov, 2020 | 08:55 AM IST"], utc(2020, 11, 23, 3, 25), None, "", "", ""),
        (["Published: Nov 23, 2020, 08:55 IST Updated: Nov 23, 2020, 10:00 IST"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 4, 30), "", "", ""),
        (["By Reuters", "November 23, 20203:25 AM UTCUpdated 2 hours ago"],
         utc(2020, 11, 23, 3, 25), SAVED - timedelta(hours=2), "Reuters", "", ""),
        (["By Reuters", "| Posted by Poulomi Ghosh", "Moscow",
          "UPDATED ON NOV 23, 2020 08:55 AM IST"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "Reuters", "", "Moscow"),
        (["TOI World Desk / TIMESOFINDIA.COM / Updated: Nov 23, 2020, 08:55 IST"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "", "TOI World Desk", ""),
        (["Updated: 23 Nov 2020 08:55 AM IST, Mumbai"],
         utc(2020, 11, 23, 3, 25), utc(2020, 11, 23, 3, 25), "", "", "Mumbai"),
        (["Associated Press", "Monday, November 23, 2020, 08:55 AM IST"],
         utc(2020, 11, 23, 3, 25), None, "Associated Press", "", ""),
    ],
)  # fmt: skip
def test_header_line_shapes(
    header: list[str],
    published: datetime,
    updated: datetime | None,
    agency: str,
    byline: str,
    dateline: str,
) -> None:
    title = "Talks on the border dispute to resume next week"
    data = "\n".join(["Home", "World", title, *header, BODY, BODY]).encode()
    options = ReadOptions(source="t.txt", reference_time=SAVED)
    (article,) = read_page(data, options).articles
    assert article.title == title
    assert (article.published_at, article.updated_at) == (published, updated)
    assert (article.agency, article.byline, article.dateline) == (agency, byline, dateline)
    assert article.summary == BODY


ALL_PAGES = sorted((FIXTURES / "pages").rglob("*.txt"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(min_value=0, max_value=len(ALL_PAGES) - 1),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
    truncate=st.integers(min_value=0, max_value=400),
)
def test_damaged_pages_give_an_article_or_a_named_error(
    index: int, cuts: list[int], truncate: int
) -> None:
    """Lines lost or cut short by the crawler never crash the reader."""
    lines = ALL_PAGES[index].read_bytes().decode("utf-8", "replace").splitlines()
    for cut in cuts:
        if lines:
            del lines[cut % len(lines)]
    if lines:
        at = truncate % len(lines)
        lines[at] = lines[at][: truncate % (len(lines[at]) + 1)]
    options = ReadOptions(source="t.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    try:
        result = read_page("\n".join(lines).encode(), options)
    except SourceError as exc:
        assert exc.reason
        return
    (article,) = result.articles
    assert article.title and article.published_at.tzinfo is UTC
    assert article.updated_at is None or article.updated_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("feed_title", "section"),
    [
        ("BBC News - World", "world"),
        ("NYT > World News", "world"),
        ("Times of India: World", "world"),
        ("The Hindu - International", "world"),
        ("World - Latest - Google News", "world"),
        ("Hindustan Times | Sports", "sports"),
        ("Top Stories - Google News", ""),
        ("Worldly Wisdom Blog", ""),
    ],
)
def test_feed_title_gives_a_section_to_items_that_name_none(feed_title: str, section: str) -> None:
    data = (
        f"<rss version='2.0'><channel><title>{feed_title}</title><item><title>Talks resume</title>"
        "<link>https://example.org/a/123</link><pubDate>Mon, 23 Nov 2020 08:55:00 GMT</pubDate>"
        "</item></channel></rss>"
    ).encode()
    (article,) = read_feed(data, ReadOptions(source="t.rss")).articles
    assert article.section == section


def test_hindi_page_with_hindi_labels_relative_time_and_agency_credit() -> None:
    data = "\n".join(
        [
            "होम / विदेश",
            "नेपाल के प्रधानमंत्री ओली ने चीन के रक्षा मंत्री से मुलाकात की",
            "एजेंसी, काठमांडू",
            "प्रकाशित: 3 घंटे पहले",
            "शेयर करें",
            "नई दिल्ली: नेपाल के प्रधानमंत्री के पी शर्मा ओली ने रविवार को चीन के रक्षा मंत्री वेई फेंगही से "
            "मुलाकात की और सैन्य सहयोग बढ़ाने पर चर्चा की।",
            "वेई एक दिन की यात्रा पर काठमांडू पहुंचे थे।",
            "हमें फॉलो करें",
            "खबरें और भी हैं...",
            "भारत-नेपाल सीमा पर बातचीत",
        ]
    ).encode()
    options = ReadOptions(source="t.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
    (article,) = read_page(data, options).articles
    assert article.title == "नेपाल के प्रधानमंत्री ओली ने चीन के रक्षा मंत्री से मुलाकात की"
    assert article.published_at == SAVED - timedelta(hours=3)
    assert (article.section, article.agency, article.dateline) == ("world", "एजेंसी", "काठमांडू")
    assert article.summary.startswith("नेपाल के प्रधानमंत्री के पी शर्मा ओली")
    assert article.body == "वेई एक दिन की यात्रा पर काठमांडू पहुंचे थे।"
    assert article.language == "hi"


def test_bad_drop_with_next_pattern_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            {"boilerplate": {"desk": {"drop_with_next": ["(unclosed"]}}}, base_dir=FIXTURES
        )
    assert "boilerplate.desk.drop_with_next.0" in str(caught.value.problems)
