"""Headlines found by stop 32's headline pass (issue 12): a page printing its
headline twice in a row (the visible heading and its copy over the picture or
in a hidden heading) names its story there, not in the section label over it.
The figures are in the README."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.model import Article

from .german_story import paragraphs, read_lines

SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
MENU = ["Search", "Programs", "Featured Topics"]
TITLE = "The Benefits of the Latest AI Technologies for Patients and Clinicians"
LEAD = (
    "Today, artificial intelligence (AI) is changing the trajectory of health care, "
    "from automating routine tasks to helping clinicians read medical images faster."
)


def _read(lines: list[str]) -> Article:
    return read_lines(lines, SAVED)


def _page(headline_lines: list[str]) -> list[str]:
    """A page whose menu lists a topic sharing the lead's words ("AI in Medicine &
    Health") over a few labels and the headline."""
    lines = [*MENU, "AI in Medicine & Health", "Health Care Leadership", "Clinical Research"]
    lines += ["Insights", "All Insights", *headline_lines, LEAD]
    return lines + paragraphs("Artificial intelligence in health care", 5)


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
