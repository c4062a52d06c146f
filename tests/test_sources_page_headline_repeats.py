"""Headlines a page prints more than once (issue 12): the headline printed twice in
a row or with its kicker set off, a line printed again further down that is no
twin, and the headline printed with the site's name after it (cut when the page
prints it alone too, kept when the rest is part of the headline).
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

import pytest

from digest.sources.pages import _without_site

from .german_story import BLOG_MENU as MENU
from .german_story import LEAD, MORE, STANDFIRST, paragraphs, read_lines
from .german_story import read_late as _read

TITLE = "The Benefits of the Latest AI Technologies for Patients and Clinicians"

TWIN_LEAD = (
    "Today, artificial intelligence (AI) is changing the trajectory of health care, "
    "from automating routine tasks to helping clinicians read medical images faster."
)

TWIN_MENU = ["Search", "Programs", "Featured Topics"]


def _page(headline_lines: list[str]) -> list[str]:
    """A page whose menu lists a topic sharing the lead's words ("AI in Medicine &
    Health") over a few labels and the headline."""
    lines = [*TWIN_MENU, "AI in Medicine & Health", "Health Care Leadership", "Clinical Research"]
    lines += ["Insights", "All Insights", *headline_lines, TWIN_LEAD]
    return lines + paragraphs("Artificial intelligence in health care", 5)


def test_headline_printed_twice_is_taken_with_its_kicker_set_off() -> None:
    """'Bei Protesten 2022: Bericht: …' over 'Bei Protesten 2022 Bericht: …' (the
    kicker run into the heading): the same letters, the fuller print is the title."""
    article = read_lines(
        ["Politik", "Bei Protesten 2022: Bericht: Brücke für Autos gesperrt",
         "Bei Protesten 2022 Bericht: Brücke für Autos gesperrt", STANDFIRST,
         "Von dpa 30.04.2024, 18:58", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Bei Protesten 2022: Bericht: Brücke für Autos gesperrt"  # type: ignore[attr-defined]


def test_a_headline_printed_twice_in_a_row_names_the_page() -> None:
    """The headline printed twice, one copy right under the other, is the page's
    headline, although a menu topic above shares more of the lead's words."""
    assert _read(_page([TITLE, TITLE])).title == TITLE


def test_a_line_printed_again_further_down_is_no_twin() -> None:
    """Guard: only a copy right next to a line counts.  Captions are printed
    again under their picture's credit, two lines down: such a copy weighs no more
    than any line printed twice (the page reads as with the headline once)."""
    once = _read(_page([TITLE])).title
    assert _read(_page([TITLE, "Photo: Getty Images", TITLE])).title == once


def test_a_headline_with_the_sites_name_printed_alone_too() -> None:
    """A line read as the headline in a document title's shape ("Feuerwehrleute
    sollen später in Pension | wdr aktuell", over a video), with the headline
    printed alone on the page: the headline alone is the title."""
    title = "Firefighters are to retire later"
    lead = (
        "The state government wants firefighters to retire later, at sixty-two rather "
        "than sixty, and the unions have already said they will fight the plan."
    )
    lines = [*MENU, f"{title} | wdr aktuell", "Video: 02:57 Min.", "Share", title, lead]
    lines += paragraphs("Retirement", 5)
    assert _read(lines).title == title


def test_a_headline_with_a_dash_is_kept_when_its_start_is_printed_alone() -> None:
    """Guard: a headline with a dash in it whose first part is a category the
    page lists too ("Wedding Planning Tools – Caterer Comparison Spreadsheet")
    keeps its whole text: a dash joins a headline's own parts."""
    title = "Wedding Planning Tools – Caterer Comparison Spreadsheet"
    lead = (
        "Comparing caterers is easier with a spreadsheet: list each caterer's price "
        "per guest, the menu, the tasting fee and what the deposit covers."
    )
    lines = [*MENU, title, "By Jane Doe", "March 3, 2021", lead, *paragraphs("Catering", 5)]
    lines += ["Categories", "Venue Spotlight", "Wedding Planning", "Wedding Planning Tools"]
    assert _read(lines).title == title


@pytest.mark.parametrize(
    "tag",
    [
        # Its first part is not printed alone: only a part printed alone names the page.
        "Bridge closures",
        # Its first part is printed alone, as a tag, but the part after the bar
        # agrees with the lead, which a site's name does not.
        "Bridge closures explained",
    ],
)
def test_a_headline_with_a_bar_keeps_its_whole_text(tag: str) -> None:
    """Guards (review of stop 29): a headline written as topic, bar, headline
    ("Bridge closures explained | Council shuts old bridge") keeps its whole text
    whether or not the page lists its first part as a tag."""
    title = "Bridge closures explained | Council shuts old bridge"
    lead = (
        "The town council voted on Tuesday to shut the old bridge to cars after engineers "
        "found deep cracks in two of its piers, and the work on a new one starts in May."
    )
    lines = [*MENU, title, "By Jane Doe", "March 3, 2021", lead, *paragraphs("Bridges", 5)]
    lines += ["Tags", tag, "Town council"]
    assert _read(lines).title == title


def test_a_sites_name_of_short_words_the_lead_uses_too_is_cut() -> None:
    """A site's name after the bar whose short words any lead in its language uses
    ("Bibliothek 2.0 und mehr" over a German post saying "und" and "mehr") is no
    headline's second part: the headline printed alone is the title."""
    title = "Alles Neue macht der Mai…"
    lead = (
        "Nachdem ich mein Blog über zwei Jahre vernachlässigt hatte, wird es Zeit für "
        "einen Neuanfang und mehr Beiträge: der Umzug auf neue Server ist gemacht."
    )
    line = f"{title} | Bibliothek 2.0 und mehr"
    assert _without_site([line, *MENU, "Uncategorized", title, lead], line, lead) == title
