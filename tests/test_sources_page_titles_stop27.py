"""Headlines found by stop 27's title pass (issue 12): a byline split by the crawler
into its label and the name, a label run into the headline whose bare text is
printed far off, a headline that exclaims at the top of the story, and a headline
over the picture's caption over the deck.  The figures are in the README
and the page-set floor tests."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.model import Article
from digest.sources import ReadOptions
from digest.sources.pagegeneric import _is_credit, ends_in_stopword
from digest.sources.pagemeta import LineFacts

from .german_story import paragraphs, read_lines

SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)


def _read(lines: list[str]) -> Article:
    return read_lines(lines, SAVED)


def test_a_bylines_label_alone_is_a_credit_line() -> None:
    """Crawlers save "By" and the linked name as two lines: the label alone is the
    credit line, as "By <name>" would be; a headline opening with "By" is none."""
    facts = LineFacts(ReadOptions("p.txt"))
    for label in ("By", "Written By:", "written by", "Author", "Reviewed by"):
        assert _is_credit(label, facts), label
    assert not _is_credit("Bypass road opens to traffic", facts)
    assert not _is_credit("Authors Guild sues over training data", facts)


def test_the_headline_over_a_split_byline_beats_a_search_prompt_above_it() -> None:
    """A search box's prompt ("What are you looking for?") over the headline
    shares a small word with the lead; the headline stands over its byline, split
    into "Written By:" and the name, and over the time line under them."""
    title = "10 Best Car Rentals In USA In 2025 [For all Budgets!]"
    lead = (
        "Here's a rundown of what the best car rentals are in the USA, and what you "
        "should look for when you book one for a long trip."
    )
    lines = ["Home", "Destinations", "Guides", "Shop", "About"]
    lines += ["What are you looking for?", title, "Written By:", "Cazzy Magennis"]
    lines += ["Last Updated:", "August 1, 2025", lead, *paragraphs("Car rental", 4)]
    assert _read(lines).title == title


def test_a_label_run_into_the_headline_gives_way_to_its_bare_print_far_off() -> None:
    """A label run into the headline ("Blog <headline>") over the story, the
    headline printed alone again far below (in the list of recent posts): the bare
    print is the headline."""
    title = "Machine Learning Industry News: AI in Patient Care and Operations"
    story = [
        f"Hospitals use machine learning in patient care, part {k}: the industry news "
        f"of the month shows how clinics plan operations, staff and beds with it."
        for k in range(5)
    ]
    tail = ["Recent posts", title, "Data Annotation at Scale", "Contact us", "Privacy"]
    tail += ["Terms", "Careers", "Press"]
    lines = ["Home", "Solutions", "Blog", f"Blog {title}", "By : Joe S.", *story, *tail]
    assert _read(lines).title == title


def test_a_headline_opening_with_a_count_keeps_its_opening() -> None:
    """The headline "12 of the Best Sewing Machines for Beginners" over the story,
    its end printed alone far off (a menu's link): "12 of the" runs on into the
    rest, it is no label run into the headline."""
    assert ends_in_stopword("12 of the")
    assert not ends_in_stopword("Blog")
    title = "12 of the Best Sewing Machines for Beginners"
    story = [
        f"Choosing among sewing machines for beginners is hard, part {k}: we tested "
        f"the best machines for threading, stitches, speed and price over six weeks."
        for k in range(5)
    ]
    lines = ["Home", "Patterns", "Tutorials", title, "By Heather Smith", *story]
    lines += ["Popular", "Best Sewing Machines for Beginners", "Quilting", "About"]
    lines += ["Contact", "Privacy", "Shop"]
    assert _read(lines).title == title


def test_a_headline_that_exclaims_opens_the_story_over_its_authors_name() -> None:
    """A headline ending in "!" reads as a sentence and joins the main run; over
    the author's name it is the headline, not the last menu line above it (a
    standfirst states, it does not exclaim)."""
    title = "Du wirst nicht glauben, wie viel CO2 Clickbait-Websites produzieren!"
    story = [
        "Eine neue Studie enthüllt die gesamten ökologischen und wirtschaftlichen "
        "Auswirkungen von Clickbait-Websites auf das Klima und die Werbung.",
        "Die Forschenden haben dafür den Stromverbrauch von Servern, Netzen und Geräten "
        "gemessen, die solche Seiten ausliefern und anzeigen.",
        "Clickbait-Websites verursachen demnach jedes Jahr so viel CO2 wie eine "
        "mittelgroße Stadt, obwohl kaum jemand ihre Artikel zu Ende liest.",
    ]
    # The last line above it, a teaser of another story, shares a word with the lead.
    teaser = "Neue Studie zu Satelliten und Drohnen im Klimaschutz"
    lines = ["Suche", teaser, "Umwelt", "Lösung", title, "Nenad Stojkovic", *story]
    assert _read(lines).title == title


def test_the_headline_over_the_pictures_caption_beats_the_deck_over_the_time() -> None:
    """Headline, the picture's caption with its credit, then the deck written as a
    sentence over the time line: the deck heads the header, the headline over the
    caption is the page's."""
    title = "Fikk overraskelse av manageren på fødestua: – Helt absurd"
    story = [
        "Tone Damli fødte datteren tre uker for tidlig, og manageren David Eriksen kom på "
        "besøk på fødestua med blomster og en overraskelse.",
        "– Det var helt absurd, sier Damli til Nettavisen. Hun forteller at manageren "
        "hadde ordnet alt med sykehuset på forhånd.",
        "Eriksen sier selv at han bare ville gjøre dagen litt lettere for familien etter "
        "en lang natt på sykehuset i Oslo.",
    ]
    caption = (
        "BESØK: Tone Damli fikk besøk av manageren sin David Eriksen da hun fødte "
        "datteren. Foto: Alexander Winge"
    )
    deck = "David Eriksen måtte ta grep da Tone Damli fødte tre uker for tidlig."
    lines = ["Nyheter", "Sport", "Meny", "Tone Damli", title, caption, deck]
    lines += ["15.10.24 23:35", "Tuva Løland", *story]
    assert read_lines(lines, datetime(2024, 10, 16, 9, 0, tzinfo=UTC)).title == title
