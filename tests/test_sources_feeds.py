"""RSS 0.91/1.0/2.0, Atom, JSON Feed 1.1, plain JSON lists and HTML article pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import SourceError
from digest.model import SourceResult
from digest.sources import ReadOptions, detect_kind
from digest.sources.feeds import read_feed
from digest.sources.htmlpage import read_html
from digest.sources.jsonfeed import read_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def read(reader: object, path: str) -> SourceResult:
    file = FIXTURES / path
    return reader(file.read_bytes(), ReadOptions(source=path))  # type: ignore[operator, no-any-return]


def test_real_guardian_rss_reads_every_item() -> None:
    result = read(read_feed, "feeds/guardian-2018-01-31.rss")
    assert (len(result.articles), result.skipped, result.error) == (55, (), "")
    first = result.articles[0]
    assert first.title == "Trump State of the Union address promised unity but emphasized discord"
    assert first.published_at == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert first.summary.startswith("The president’s ‘new American moment’ speech")
    assert first.byline == "David Smith in Washington"
    assert first.publisher == "The Guardian" and first.language == "en"
    assert first.image is not None and first.image.url.startswith("https://i.guim.co.uk/")
    assert first.image.caption.startswith("Photograph:")
    # The feed's own navigation ("Related: …", "Continue reading…") is not story text.
    for article in result.articles:
        assert "Continue reading" not in article.body and "Related:" not in article.body
        assert "<" not in article.title + article.summary + article.body
    sections = {a.section for a in result.articles}
    assert {"world", "us", "sports"} <= sections
    assert len({a.id for a in result.articles}) == 55


def test_atom_feed_with_html_title_script_and_broken_entries() -> None:
    result = read(read_feed, "feeds/atom-wire.atom")
    first, second = result.articles
    assert first.title == "Ethiopia’s army encircles Mekelle"
    assert first.summary == "Tanks are within 60km of the regional capital, the military says."
    assert first.body.split("\n\n") == [
        "Ethiopia’s military said on Sunday its tanks were closing in on Mekelle.",
        "The government has given Tigray leaders 72 hours to surrender.",
    ]
    assert "steal" not in first.body  # script content is dropped, never kept as text
    assert first.published_at == datetime(2020, 11, 22, 18, 15, tzinfo=UTC)
    assert first.updated_at == datetime(2020, 11, 22, 22, 0, tzinfo=UTC)
    assert (first.byline, first.section, first.publisher) == (
        "Hana Girma",
        "world",
        "Atlantic Wire & Co",
    )
    # Tracking parameters do not change the id: the same story from another link is one row.
    assert (
        first.id
        == read_feed(
            (FIXTURES / "feeds/atom-wire.atom")
            .read_bytes()
            .replace(b"?utm_source=rss&amp;utm_medium=feed", b""),
            ReadOptions(source="x"),
        )
        .articles[0]
        .id
    )
    assert second.published_at == datetime(2020, 11, 22, 10, 0, tzinfo=UTC)  # only <updated>
    reasons = {s.item: s.reason for s in result.skipped}
    assert reasons == {
        "tag:atlanticwire.example,2020:no-title": "item has no title",
        "tag:atlanticwire.example,2020:no-link": "item has no http(s) link",
    }


def test_rss_1_0_rdf_feed() -> None:
    (article,) = read(read_feed, "feeds/rss1-wire.rdf").articles
    assert article.published_at == datetime(2020, 11, 21, 22, 30, tzinfo=UTC)
    assert (article.section, article.byline, article.publisher) == (
        "world", "Pacific News staff", "Pacific News",
    )  # fmt: skip


def test_rss_0_91_with_netscape_doctype_and_undated_item() -> None:
    result = read(read_feed, "feeds/rss091-netscape.xml")
    (article,) = result.articles
    assert article.title == "Café owners protest new curfew"
    # The item has no date: it is as new as the channel (18:00 EST).
    assert article.published_at == datetime(2020, 11, 22, 23, 0, tzinfo=UTC)


def test_json_feed_items_and_reasons_for_the_bad_ones() -> None:
    result = read(read_json, "json/asia-desk.feed.json")
    seoul, japan = result.articles
    assert (seoul.section, seoul.dateline, seoul.agency, seoul.byline) == (
        "world", "Seoul", "Yonhap", "Min-ji Park",
    )  # fmt: skip
    assert seoul.published_at == datetime(2020, 11, 22, 5, 5, tzinfo=UTC)
    assert seoul.updated_at == datetime(2020, 11, 22, 7, 0, tzinfo=UTC)
    assert seoul.body.startswith("South Korea will raise") and "<p>" not in seoul.body
    assert seoul.image is not None and seoul.image.url.endswith("seoul.jpg")
    assert japan.title == "Japan to suspend ‘Go To’ travel subsidies in hotspots"
    assert japan.published_at == datetime(2020, 11, 21, 12, 0, tzinfo=UTC)  # Asia/Tokyo named
    assert japan.summary.startswith("Prime Minister Yoshihide Suga")
    assert {s.item: s.reason for s in result.skipped} == {
        "no-title": "item has no title",
        "no-url": "item has no http(s) url",
        "bad-date": "unreadable date 'yesterday-ish'",
        "item 6": "item is not a JSON object",
    }


def test_plain_json_list_of_articles() -> None:
    result = read(read_json, "json/plain-list.json")
    france, isl = result.articles
    assert (france.section, france.agency, france.byline, france.publisher) == (
        "world", "Reuters", "Claire Dubois", "City Post",
    )  # fmt: skip
    assert france.body.split("\n\n")[1] == "Organisers put the turnout at 46,000."
    assert france.image is not None and france.image.caption.startswith("Marchers on Place")
    assert isl.section == "sports"
    assert isl.published_at == datetime(2020, 11, 22, 16, 45, tzinfo=UTC)  # IST
    assert [s.reason for s in result.skipped] == [
        "'tags' must be a list",
        "'title' must be a string",
    ]


def test_html_article_page_extracted_without_navigation_or_scripts() -> None:
    (article,) = read(read_html, "html/lebanon-article.html").articles
    assert article.title == "Lebanon marks a muted independence day amid economic collapse"
    assert article.url.endswith("/2020/11/22/lebanon-muted-independence-day")
    assert article.published_at == datetime(2020, 11, 22, 9, 20, tzinfo=UTC)
    assert (article.section, article.byline, article.publisher) == (
        "world",
        "Rania Haddad",
        "Levant Times",
    )
    assert article.body.startswith("Lebanon marked the 77th anniversary")
    assert len(article.body.split("\n\n")) == 4
    for junk in ("Download our app", "cookies", "Most read", "All rights reserved", "tracker"):
        assert junk not in article.body + article.summary, junk


@pytest.mark.parametrize(
    ("name", "data", "content_type", "kind"),
    [
        ("a.txt", b"Home > News", "", "page"),
        ("feed", b"\xef\xbb\xbf<?xml version='1.0'?><rss>", "", "feed"),
        ("x", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "", "feed"),
        ("x", b'{"version": "https://jsonfeed.org/version/1.1"}', "", "json"),
        ("x", b"<!DOCTYPE html><html>", "", "html"),
        ("https://a.example/rss", b"  <rss>", "application/rss+xml", "feed"),
    ],
)
def test_detect_kind(name: str, data: bytes, content_type: str, kind: str) -> None:
    assert detect_kind(name, data, content_type) == kind


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json at all", "invalid JSON"),
        (b'{"title": "x"}', "neither a JSON Feed nor a list"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "no 'items' list"),
        ("[]".encode("utf-16"), "not UTF-8"),
    ],
)
def test_unusable_json_gets_a_named_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        read_json(data, ReadOptions(source="bad.json"))


def test_html_page_declaring_the_wrong_charset_is_read_as_utf8() -> None:
    data = (FIXTURES / "html/lebanon-article.html").read_bytes()
    data = data.replace(b'<meta charset="utf-8">', b'<meta charset="iso-8859-1">')
    data = data.replace(b"Lebanon marked", "Liban – Lebanon marked".encode())
    (article,) = read_html(data, ReadOptions(source="x.html")).articles
    assert article.body.startswith("Liban – Lebanon marked")


def test_html_page_in_windows_1252_follows_its_declaration() -> None:
    data = (FIXTURES / "html/lebanon-article.html").read_bytes()
    data = data.replace(b'<meta charset="utf-8">', b'<meta charset="windows-1252">')
    data = data.replace(b"Lebanon marked", "Liban – Lebanon marked".encode("cp1252"))
    (article,) = read_html(data, ReadOptions(source="x.html")).articles
    assert article.body.startswith("Liban – Lebanon marked")


def test_an_aggregated_json_feed_names_each_items_own_publisher() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "All the news",
        "home_page_url": "https://aggregator.example/",
        "items": [
            {"id": "1", "url": "https://www.bbc.co.uk/news/world-1", "title": "One",
             "date_published": "2023-10-07T10:00:00Z"},
            {"id": "2", "url": "https://aggregator.example/story/2", "title": "Two",
             "date_published": "2023-10-07T10:00:00Z", "_digest": {"publisher": "Reuters"}},
            {"id": "3", "url": "https://aggregator.example/story/3", "title": "Three",
             "date_published": "2023-10-07T10:00:00Z", "source": {"name": "Al Jazeera"}},
            {"id": "4", "url": "https://aggregator.example/story/4", "title": "Four",
             "date_published": "2023-10-07T10:00:00Z"},
        ],
    }  # fmt: skip
    result = read_json(json.dumps(feed).encode(), ReadOptions(source="agg.json"))
    assert [a.publisher for a in result.articles] == [
        "bbc.co.uk",  # another site than the feed's: its own
        "Reuters",  # named by the item
        "Al Jazeera",  # a news API's source field
        "All the news",  # the feed's own item
    ]


def test_an_aggregated_rss_feed_names_each_items_own_site() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Planet News</title>
    <link>https://planet.example/</link>
    <item><title>One</title><link>https://www.dw.com/en/one/a-1</link>
      <pubDate>Sat, 07 Oct 2023 10:00:00 GMT</pubDate></item>
    <item><title>Two</title><link>https://news.planet.example/two</link>
      <pubDate>Sat, 07 Oct 2023 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    result = read_feed(rss, ReadOptions(source="planet.rss"))
    assert [a.publisher for a in result.articles] == ["dw.com", "Planet News"]
    # A publisher named in the config names the feed's own items only.
    named = read_feed(rss, ReadOptions(source="planet.rss", publisher="Planet"))
    assert [a.publisher for a in named.articles] == ["dw.com", "Planet"]


def _json_feed(urls: list[str]) -> bytes:
    items = [
        {"id": str(n), "url": url, "title": f"Story {n}", "date_published": "2023-10-07T10:00:00Z"}
        for n, url in enumerate(urls)
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()


def test_an_aggregated_feed_with_a_configured_publisher_keeps_each_items_site() -> None:
    # No home page and no site holding most items: an aggregate, whatever the config
    # calls it, so unlisted outlets are not all counted as one.
    data = _json_feed(
        ["https://7news.com.au/news/a", "https://laist.com/news/b", "https://www.9news.com.au/c"]
    )
    result = read_json(data, ReadOptions(source="agg.json", publisher="Aggregator"))
    assert [a.publisher for a in result.articles] == ["7news.com.au", "laist.com", "9news.com.au"]


def test_a_feed_linking_through_one_other_host_keeps_the_configured_publisher() -> None:
    # Most items on one site: the feed's own (a redirector or CDN host), so they keep
    # the source's name; the odd link to another site is that site's.
    data = _json_feed(
        [
            "https://feeds.example-redirect.net/r/1",
            "https://feeds.example-redirect.net/r/2",
            "https://feeds.example-redirect.net/r/3",
            "https://www.reuters.com/world/x",
        ]
    )
    result = read_json(data, ReadOptions(source="own.json", publisher="Daily Planet"))
    assert [a.publisher for a in result.articles] == [
        "Daily Planet", "Daily Planet", "Daily Planet", "reuters.com",
    ]  # fmt: skip


def test_one_publishers_sites_in_two_countries_are_the_feeds_own() -> None:
    # bbc.com and bbc.co.uk are one publisher's: neither holds most items alone, but
    # the two together do, so every item keeps the configured name.
    data = _json_feed(
        [
            "https://www.bbc.com/news/articles/c1",
            "https://www.bbc.co.uk/sport/football/2",
            "https://www.bbc.com/news/articles/c3",
            "https://www.bbc.co.uk/news/uk-4",
        ]
    )
    result = read_json(data, ReadOptions(source="bbc.json", publisher="BBC News"))
    assert {a.publisher for a in result.articles} == {"BBC News"}
    # A feed whose home is on the one domain and whose items are on the other.
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>BBC News</title>
    <link>https://www.bbc.co.uk/news/</link>
    <item><title>One</title><link>https://www.bbc.com/news/articles/c1</link>
      <pubDate>Sat, 07 Oct 2023 10:00:00 GMT</pubDate></item>
    <item><title>Two</title><link>https://www.bbc.co.uk/sport/2</link>
      <pubDate>Sat, 07 Oct 2023 10:00:00 GMT</pubDate></item>
    <item><title>Three</title><link>https://www.bbc.co.uk/news/3</link>
      <pubDate>Sat, 07 Oct 2023 10:00:00 GMT</pubDate></item>
    <item><title>Four</title><link>https://www.dw.com/en/four/a-4</link>
      <pubDate>Sat, 07 Oct 2023 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    items = read_feed(rss, ReadOptions(source="bbc.rss")).articles
    assert [a.publisher for a in items] == ["BBC News", "BBC News", "BBC News", "dw.com"]
