"""Crumb trails on pages from sites no rule was written for (issue 12): a headline
printed above the trail that repeats it, and a row of footer links that reads like
a trail.  Both pages were refused ("no headline found above the article text")
before; the figures on real pages are in test_sources_generic_pages.py."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.model import Article
from digest.sources import ReadOptions
from digest.sources.pagemeta import LineFacts
from digest.sources.pages import _breadcrumb

from .german_story import read_lines

SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
LEAD = (
    "Planning a wedding can feel overwhelming, but it does not have to be. With a "
    "structured timeline every decision falls into place at the right moment."
)
MORE = (
    "Whether you are planning a grand celebration or an intimate gathering, the key is "
    "to start early and to book the venue before anything else on the list."
)


def _read(lines: list[str]) -> Article:
    return read_lines(lines, SAVED)


def test_headline_above_the_trail_that_repeats_it_names_the_page() -> None:
    """Headline, a byline run into its date, then ``Home » Blog » <headline>``: the
    trail does not cut the headline off as navigation."""
    title = "The Ultimate 12-Month Wedding Planning Timeline"
    article = _read(
        ["Contact Us", "Blog", title, "By thegrangehallFebruary 16, 2026No Comments",
         f"Home » Follow Our Journey » {title}", LEAD, MORE, MORE + " Really."]
    )  # fmt: skip
    assert article.title == title
    assert LEAD in f"{article.summary}\n{article.body}"


def test_a_trail_whose_last_crumb_is_a_section_still_opens_the_article() -> None:
    """``Home > World`` over the headline: what stands above the trail is navigation
    (a line above repeating the section's short name is no headline)."""
    title = "Floods close the old bridge for a week"
    article = _read(["World", "Sport", "Home > World", title, "3 May 2024", LEAD, MORE])
    assert article.title == title
    assert article.section == "world"


def test_a_long_row_of_footer_links_is_a_menu_not_a_trail() -> None:
    """``Home | Membership | About | … | Contact`` under the story, a copyright line
    under it: the page is read whole, not cut at the menu (it was refused)."""
    facts = LineFacts(ReadOptions("p.txt"))
    menu = "Home | Membership | About | FAQ's | Reviews | Terms | Privacy Policy | Contact"
    assert _breadcrumb(menu, facts) == []
    assert _breadcrumb("Home | Photography | Tips", facts) == ["Home", "Photography", "Tips"]
    title = "Landscape Photography Tips for Beginners"
    article = _read(
        ["Sign in", title, "30 Nov", "Written By Marc Newton", LEAD, MORE, MORE + " Again.",
         menu, "© The School of Photography. No photographers were harmed."]
    )  # fmt: skip
    assert article.title == title
    assert MORE in article.body


def test_a_menu_entry_repeating_a_long_section_crumb_stays_navigation() -> None:
    """``Business and Economy`` in the menu above ``Home > Business and Economy``:
    the crumb repeats a menu entry, not a headline over its time line, so the menu
    stays cut off (its ``Culture`` entry had become the page's section)."""
    title = "Floods close the old bridge for a week"
    menu = ["Menu", "Business and Economy", "Culture"]
    trail = "Home > Business and Economy"
    article = _read([*menu, trail, title, "By Jane Doe", "3 May 2024", LEAD, MORE])
    assert article.title == title
    assert article.section == ""
    article = _read(["Business and Economy", "Sport", trail, title, "3 May 2024", LEAD, MORE])
    assert article.section == ""


def test_a_story_far_below_charts_keeps_the_headline_over_its_time_line() -> None:
    """Headline, byline and time at the top, a paragraph, then a long run of chart
    labels and figures, the story's prose far below: no line over that prose reads
    as a headline, and the page is read by its header, not refused."""
    title = "The Hottest Real Estate Markets in the Country"
    charts = [f"{city}\n+{n}.{n % 10}%" for n, city in enumerate(["Austin", "Boise"] * 30, 3)]
    article = _read(
        ["Advertiser Disclosure", title, "Jonathan Jones", "Last Updated Nov 6, 2025",
         LEAD, "Home Sale Price Changes Over Time", "Data: Home Sale Price Time Series",
         *charts, MORE, MORE + " Then more.", MORE + " And the end."]
    )  # fmt: skip
    assert article.title == title
    assert article.published_at.date().isoformat() == "2025-11-06"
    assert MORE in article.body
