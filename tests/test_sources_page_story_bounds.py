"""Where the story on a page starts and ends (issue 12): chrome lines dropped in
more wordings and languages (consent notices, reading times, search boxes), the
lines that end the story and those that must not (a picture's credit, a footer's
menu), and the main run of prose against a larger notice far under the story.
More story ends are in ``test_sources_page_chrome.py``.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

import pytest

from digest.sources import Boilerplate
from digest.sources.pagegeneric import main_run

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, LEAD, MORE, STANDFIRST, read_lines

HEADLINE = "City shuts the old bridge to cars after cracks are found"

#: A footer's notice, a little longer than the story but no story.
NOTICE = (
    "This website links now and then to pages run by others, over whose content we have "
    "no influence whatsoever, so we can take no responsibility for what those pages say "
    "or show; the operators of each linked page alone are responsible for it, and any "
    "link found to break the law on inspection is removed from here at once, as soon as "
    "we learn of it through a reader's note or our own regular checks of everything "
    "that we have linked to over the years."
)

#: A sidebar and a footer: single labels, no sentence among them.
SIDEBAR = [f"Archive {month}" for month in ("January", "February", "March", "April")] * 8


def _page() -> list[str]:
    return ["Home", "News", HEADLINE, "May 3, 2024", ENGLISH_LEAD, ENGLISH_MORE, *SIDEBAR, NOTICE]


@pytest.mark.parametrize(
    "line",
    [
        "términos y condiciones de uso",
        "Privacy policy",
        "ca. 8 Min.",
        "Strict Standards: Only variables should be passed by reference in /www/htdocs/x.php "
        "on line 12",
    ],
)
def test_more_chrome_is_dropped(line: str) -> None:
    assert Boilerplate.builtin().drops(line)


def test_a_search_box_close_button_is_chrome() -> None:
    """WordPress themes print "Close this search box." over the story's header,
    where it was read as the headline."""
    assert Boilerplate.builtin().drops("Close this search box.")
    assert not Boilerplate.builtin().drops("Close this search box, the council said.")


@pytest.mark.parametrize(
    "line",
    [
        "Ähnliche Artikel:",
        "Weitere Artikel zum Thema:",
        "Artículos relacionados",
        "Vous aimerez aussi",
        "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns bitte mit einer Spende.",
        "Enjoyed this article? Support our work.",
        "この記事は会員限定です。",
    ],
)
def test_more_story_ends_are_stop_markers(line: str) -> None:
    """Related links, a plea for support and a paywall's notice end the story
    (each left text of other stories in real pages' bodies)."""
    assert Boilerplate.builtin().stops(line)


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: First look at Thorpe Park's terrifying new rollercoaster",
        "Vis mer Vis mindre",
        "Mehr anzeigen",
        "Current Issue",
    ],
)
def test_more_chrome_lines_are_dropped(line: str) -> None:
    assert Boilerplate.builtin().drops(line)


def test_footer_menu_is_no_crumb_trail() -> None:
    """``Home | Autoren | Archiv`` under the story: the page is not cut there (it
    was refused as a page with a title and no body)."""
    lines = [
        "Login",
        "Brücke gesperrt",
        "Georg Quaas, 21. Jan. 2022",
        LEAD,
        MORE,
        "Home | Autoren | Themen | Archiv",
        "Impressum",
    ]
    article = read_lines(lines)
    assert article.title == "Brücke gesperrt"
    assert LEAD in f"{article.summary}\n{article.body}"


def test_page_printing_no_sentence_is_read_not_refused() -> None:
    """A story printed as lines without a full stop (a recipe, a list, a poem) has
    no run of prose: its longest stretch of lines of some words is the story, so
    the page (a title and a body) is not refused."""
    story = [
        "Zwei Zwiebeln in feine Würfel schneiden und in Butter glasig dünsten",
        "Die Leber in dünne Streifen schneiden und kurz scharf anbraten",
        "Mit einem Schuss Weißwein ablöschen und die Sahne dazugeben",
        "Alles zusammen fünf Minuten leise köcheln lassen und abschmecken",
    ]
    article = read_lines(["Startseite", "Rezepte", "Leber mit Zwiebeln", *story, "Impressum"])
    assert article.title == "Leber mit Zwiebeln"
    assert story[0] in f"{article.summary}\n{article.body}"
    assert story[-1] in article.body


@pytest.mark.parametrize(
    "line",
    ["Kommentare (0)", "zu den Kommentaren (0)", "Das könnte Sie auch interessieren",
     "Themen", "© SZ - Rechte am Artikel können Sie hier erwerben."],
)  # fmt: skip
def test_chrome_of_other_languages_ends_the_story(line: str) -> None:
    assert Boilerplate.builtin().stops(line)


@pytest.mark.parametrize(
    "line",
    ["Empfohlener redaktioneller Inhalt",
     "An dieser Stelle findest du einen externen Inhalt von YouTube, der den Artikel ergänzt.",
     "Ich bin damit einverstanden, dass mir Inhalte von YouTube angezeigt werden.",
     "Lesezeit: 3 Min."],
)  # fmt: skip
def test_consent_notices_and_reading_times_of_other_languages_are_dropped(line: str) -> None:
    assert Boilerplate.builtin().drops(line)


def test_picture_credit_and_mid_story_labels_do_not_end_the_story() -> None:
    rules = Boilerplate.builtin()
    for line in ("© Matt Campbell / DPA", "Mehr zum Thema", "Kommentare"):
        assert not rules.stops(line), line
    assert rules.stops("© 2024 Example Media")


def test_lesen_sie_auch_is_dropped_with_the_link_under_it() -> None:
    article = read_lines(
        ["Startseite", "Stadtrat sperrt die alte Brücke für Autos", STANDFIRST,
         "03.05.2024, 14:55 Uhr", LEAD, "Lesen Sie auch:", "Ein anderer Artikel über Straßen",
         MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert "anderer Artikel" not in article.body  # type: ignore[attr-defined]
    assert "Weiter." in article.body  # type: ignore[attr-defined]


def test_a_footers_notice_far_under_the_story_is_not_the_story() -> None:
    """The notice outweighs the story by a few words; it stands 32 label lines
    under it, with no stop marker between: the story above is the main run, and
    its headline names the page."""
    lines = _page()
    run = main_run(lines, [False] * len(lines))
    assert run is not None and lines[run.start] == ENGLISH_LEAD
    article = read_lines(lines)
    assert article.title == HEADLINE
    assert NOTICE not in article.body


def test_a_much_larger_run_far_under_a_short_opening_still_wins() -> None:
    """A page opening with a short paragraph over a long table, its story far
    under the table, is read from that story: the later run wins when it is much
    larger (here three times the opening's size)."""
    story = [ENGLISH_LEAD, ENGLISH_MORE] * 3
    lines = ["Intro", ENGLISH_LEAD, ENGLISH_MORE, *SIDEBAR, "Why it matters", *story]
    run = main_run(lines, [False] * len(lines))
    assert run is not None and run.start == len(lines) - len(story)
