"""Kickers, labels and crumbs over the headline (issue 12): a label run into the
headline, a section's label, a call to action, the last of a list of comments or
related headlines, a blog's motto, and a crumb trail printed one crumb a line,
each giving way to the headline under it; a long headline in title case under a
label stays.  Lists of labels (a post's categories) are in
``test_sources_page_headline_label_lists.py``, crumb trails on one line in
``test_sources_page_trails.py``.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import Run, _may_be_headline, headline_at, sentence_deck
from digest.sources.pagemeta import LineFacts

from .german_story import BLOG_MENU as MENU
from .german_story import LEAD, MORE, STORY, paragraphs, read_lines
from .german_story import read_late as _read


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


def test_a_call_to_action_over_the_date_over_the_headline_gives_way() -> None:
    """A page printing its date over the headline: the menu's call to action over
    the date ("Book a Demo Log In") shares no word with the story, the line under
    the date shares two or more: that line is the headline."""
    title = "15 Essential Event Planning Skills for Successful Event Management"
    lead = (
        "Event planning requires a diverse skill set, from effective communication to "
        "financial management, and every event management team needs these skills."
    )
    lines = ["Platform", "Solutions", "Partners", "Careers", "Pricing"]
    lines += ["Book a Demo Log In", "October 8, 2024 Swoogo", title, lead]
    lines += paragraphs("Event planning", 5)
    assert _read(lines).title == title


def test_the_last_of_a_list_of_comments_over_a_headline_is_no_headline() -> None:
    """Guard: over a headline and its time line, the last line of a list of
    recent comments (a long line above it) is no headline over a deck, however
    much longer the headline is than it: the headline stays."""
    title = "FUTURE of HOPE – the island frees itself from its bankers – the film"
    lines = [
        *MENU,
        "Recent comments",
        "Rotzbua: when the old guard walks under the lime trees and the stars wear wigs again",
        "Daniel Ludewig: What is behind it? The treaties signed in London last year",
        "Cashca: The lie of Europe. And all the buildings of lies collapse sooner or later",
        "Heiderose Manthey: WE CAN DO OTHERWISE !!!",
        title,
        "2. August 2012",
        "By oradmin",
        "The island refused to pay the bankers' debts, and the film tells how its people "
        "voted twice against the deal and rebuilt their economy without it.",
        *paragraphs("The island", 5),
    ]
    facts = LineFacts(ReadOptions("p.txt", boilerplate=Boilerplate.builtin()))
    found = headline_at(lines, Run(lines.index(title) + 3, len(lines)), facts, slug_words=set())
    assert found is not None and lines[found[0]] == title


def test_a_sections_label_over_a_title_case_headline_is_no_headline() -> None:
    """Guard (review of stop 29): a section's label ("Blog - Latest News") over a
    headline in Title Case ending in "!" over its time line: the headline is no
    deck however it ends, so the label, sharing no word with the lead, stays out."""
    title = "[The Palace] More Reviews from KLOOK Visitors!"
    lead = (
        "Visitors who booked their tickets online came to the theatre to watch the show "
        "and have left their reviews of the evening, the music and the cast on the site."
    )
    lines = [*MENU, "SNS", "Blog - Latest News", title]
    lines += ["October 12, 2018/0 Comments/in Promotion /by jdadmin", lead]
    lines += paragraphs("The show", 5)
    facts = LineFacts(ReadOptions("p.txt", boilerplate=Boilerplate.builtin()))
    found = headline_at(lines, Run(lines.index(title) + 2, len(lines)), facts, slug_words=set())
    assert found is not None and lines[found[0]] == title


def test_the_last_of_a_list_of_related_headlines_is_no_headline() -> None:
    """Guard (review of stop 29): over a long headline in sentence case and its
    byline, the last of a list of related headlines of a size is no headline over
    a deck: the headline stays."""
    title = "Inside the quiet collapse of the town that once made every bicycle in the country"
    lead = (
        "The town council voted on Tuesday to close the old bridge to cars after engineers "
        "found deep cracks in two of its piers, and the work on a new one starts in May."
    )
    related = [
        "Ten ways to fix your old bicycle",
        "Why the price of steel keeps rising",
        "A guide to the best cycling routes",
    ]
    lines = [*MENU, *related, title, "By Jane Doe", "March 3, 2021", lead]
    lines += paragraphs("Bridges", 5)
    assert _read(lines).title == title


def test_a_blogs_motto_over_the_post_headline_gives_way_to_it() -> None:
    """Motto, headline, the post's date line: the motto shares the story's words
    and reads well, but the headline stands over the post's own time line."""
    headline = "Neue Seminare im Frühjahr"
    motto = "Ein Blog über Seminare, soziale Medien und die Presse im Verband"
    lines = ["Startseite", "Über uns", motto, headline, "Am 3. Februar 2022 von Henry"]
    assert read_lines([*lines, STORY, STORY]).title == headline


def test_a_long_headline_in_title_case_under_a_label_stays() -> None:
    """A long Title Case headline is no deck (nor CJK text without a sentence end)."""
    label = "Best Of, Japan, Travel Guides"
    title = "Complete Japan Itinerary and Travel Guide for First Timers: Two Weeks by Rail"
    assert not sentence_deck(label, title)
    assert sentence_deck("Short Headline Here", "A deck that reads as a sentence ends here.")
    assert not sentence_deck(
        "短い見出しです", "ITエンジニア/デザイナ向けにオープンソースを毎日紹介する記事です"
    )
    lines = ["Menu", "Destinations", label, title, "January 5, 2025", *paragraphs("Rail travel", 4)]
    assert _read(lines).title == title


def test_crumb_trail_one_crumb_a_line_names_the_page() -> None:
    """'Startseite', 'Leben', then the headline: that line names the page over the
    on-page heading, which words it otherwise."""
    article = read_lines(
        ["Startseite", "Leben", "Alte Brücke: Stadtrat sperrt sie für Autos", "Kinder",
         "Freizeit", "Digital", "Gesundheit", "Auto", "Brückensperrung: So geht es jetzt weiter",
         "03.05.2024, 14:55 Uhr", "Anne Neuberg", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Alte Brücke: Stadtrat sperrt sie für Autos"  # type: ignore[attr-defined]


def test_a_section_label_opening_with_a_lower_case_in_is_no_headline() -> None:
    """A post's section label written "in <Section>" (a blog theme's "in Noticias
    de Medellín") over the headline and the story: it shares the lead's words
    and stands over the headline, but a headline opens with a capital."""
    headline = "Der Stadtrat sperrt die alte Brücke nach Rissen in zwei Pfeilern"
    lines = ["Suche", "Menü", "in Brücke und Stadtrat", headline, LEAD, MORE, STORY]
    assert read_lines(lines).title == headline


def test_a_section_label_opening_with_in_before_an_accented_capital_is_no_headline() -> None:
    """The same label before a section named with an accented capital ("in Ärzte
    und Kliniken", "in Économie"): a capital is a capital in any alphabet; a line
    opening with a capital "In" or a lower-case word after "in" may be a headline."""
    facts = LineFacts(ReadOptions("p.txt"))
    for label in ("in Brücke und Stadtrat", "in Ärzte und Kliniken", "in Économie"):
        assert not _may_be_headline(label, facts), label
    assert _may_be_headline("In Ärzte-Streit sperrt der Stadtrat die alte Brücke", facts)
