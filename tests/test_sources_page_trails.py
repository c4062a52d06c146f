"""Crumb trails and rows of links on one line (issue 12): a headline printed above
the trail that repeats it, a trail whose last crumb is a section, a trail right
over the story or with doubled separators, and a row of footer links that reads
like a trail but is a menu.  A trail printed one crumb a line is in
``test_sources_page_headline_labels.py``, a footer's menu under the story in
``test_sources_page_story_bounds.py``.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from digest.sources import ReadOptions
from digest.sources.pagemeta import LineFacts
from digest.sources.pages import _breadcrumb

from .german_story import paragraphs
from .german_story import read_late as _read

LEAD = (
    "Planning a wedding can feel overwhelming, but it does not have to be. With a "
    "structured timeline every decision falls into place at the right moment."
)

MORE = (
    "Whether you are planning a grand celebration or an intimate gathering, the key is "
    "to start early and to book the venue before anything else on the list."
)


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


def test_a_trail_right_over_the_story_does_not_cut_off_its_headline() -> None:
    """Headline, byline and time line, some chrome, then ``Home / Blog / …`` right
    over the story's prose: the headline above the trail names the page (the page
    was refused: "no headline found above the article text")."""
    title = "Plumbing Pricing Guide 2025: Average Rates and How to Price Jobs"
    lines = ["Start free trial", "How to", title, "Written by Jorge Jimenez"]
    lines += ["Posted on November 6th, 2025", "10min read", "Industry", "Size"]
    lines += ["Home / Blog / Plumbing Pricing Guide", *paragraphs("Pricing plumbing jobs", 4)]
    article = _read(lines)
    assert article.title == title
    assert not article.time_from_crawl


def test_a_crumb_trail_with_doubled_separators_is_no_headline() -> None:
    """A crumb trail printed with doubled separators ("Home ›› Politik im Überblick
    ›› Politik") over the story's time line is no headline over it, as one with
    single ones is not: the headline under the picture's credit names the page."""
    title = "Verfassungsgericht: Berlusconis Sex-Prozess geht weiter"
    lead = (
        "Silvio Berlusconis Prozess um angeblichen Amtsmissbrauch kann in Mailand "
        "weitergehen, wie das Verfassungsgericht in Rom am Dienstag entschied."
    )
    lines = ["WETTER", "SERVICE", "Home ›› Politik im Überblick ›› Politik", "14. Februar 2012"]
    lines += ["Drucken", "© 2012 APA/AP", "Politik", title, lead]
    lines += paragraphs("Das Verfassungsgericht in Rom", 5)
    assert _read(lines).title == title
