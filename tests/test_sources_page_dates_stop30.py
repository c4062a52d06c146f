"""Date rules of stop 30 (issue 12): a blog theme's sentence stating when the post
was published ("This entry was posted in … on March 3, 2020 by admin.", "Dieser
Beitrag wurde am 04/02/2020 von kj in … veröffentlicht.") dates a page whose header
prints no time; a date opening one of the story's first lines (its dateline)
comes before short dated lines further inside the story.  Hand-written pages in
the shapes of real dumps; the figures on the real sets are printed by
``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, LEAD, MORE, SAVED, read_lines

GERMAN_PAGE = [
    "Aktuelles aus dem Stadtrat",
    "Menü",
    "Springe zum Inhalt",
    "Startseite",
    "Impressum",
    "Stadtrat sperrt die alte Brücke",
    "Schreibe eine Antwort",
    LEAD,
    MORE,
    "Drucken",
    "E-Mail",
    "Twitter",
    "Facebook",
    "Ähnliche Beiträge",
    "{statement}",
    "Beitrags-Navigation",
    "← Neue Buslinie GesBG: Haushalt 2020 →",
    "Schreibe einen Kommentar",
    "Deine E-Mail-Adresse wird nicht veröffentlicht.",
]
ENGLISH_PAGE = [
    "Town Notes",
    "Home",
    "About",
    "Council closes the old bridge to cars",
    ENGLISH_LEAD,
    ENGLISH_MORE,
    "Share this:",
    "Twitter",
    "Facebook",
    "Related",
    "{statement}",
    "Post navigation",
    "Leave a Reply",
]


def page(shape: list[str], statement: str) -> list[str]:
    return [statement if line == "{statement}" else line for line in shape]


@pytest.mark.parametrize(
    ("shape", "statement", "day"),
    [
        (
            GERMAN_PAGE,
            "Dieser Beitrag wurde am 04/02/2020 von kj in Stadtrat, Verkehr veröffentlicht. "
            "Schlagworte: Brücke, Verkehr, Stadtrat.",
            datetime(2020, 2, 4, tzinfo=UTC),
        ),
        (
            GERMAN_PAGE,
            "Von Stadtnachrichten am 21/02/2021. Abgelegt unter Stadtrat. Sie können alle "
            "Antworten zu diesem Eintrag durch den RSS 2.0 verfolgen.",
            datetime(2021, 2, 21, tzinfo=UTC),
        ),
        (
            ENGLISH_PAGE,
            "This entry was posted in Local News on March 3, 2020 by admin. Bookmark the "
            "permalink.",
            datetime(2020, 3, 3, tzinfo=UTC),
        ),
    ],
)
def test_a_post_statement_under_the_story_dates_the_page(
    shape: list[str], statement: str, day: datetime
) -> None:
    """Such a page was dated by its crawl (the statement is a sentence, no time
    line): the statement's date is the post's."""
    article = read_lines(page(shape, statement))
    assert not article.time_from_crawl
    assert article.published_at == day


def test_a_sentence_with_a_date_that_states_no_post_leaves_the_crawl() -> None:
    """Only a statement of the post's publication dates it: a sentence under the
    story naming a day ("The bridge was closed on March 3, 2020 …") does not."""
    statement = "The bridge was closed on March 3, 2020 by the council. Bookmark the permalink."
    article = read_lines(page(ENGLISH_PAGE, statement))
    assert article.time_from_crawl
    assert article.published_at == SAVED


def test_the_storys_dateline_beats_a_readers_comment_taken_into_the_story() -> None:
    """A date opening the story's third line ("29.11.2022 – …", its dateline) lost
    to a reader's dated comment that the main run of prose took in (the comment's
    prose goes on under it, and a short dated line inside the run was tried
    first): the story's opening date comes before such lines."""
    lines = [
        "Startseite",
        "Energie",
        "Meinung",
        "Stadtrat sperrt die alte Brücke für Autos nach Rissen in den Pfeilern",
        "Die alte Brücke bleibt für Autos gesperrt, warnt die Stadt. (Foto: Peter Muster)",
        "Am vergangenen Freitag hat der Stadtrat die Sperrung der alten Brücke beschlossen, "
        "die seit Jahren als baufällig gilt und nun geschlossen wird.",
        f"29.11.2022 – {LEAD}",
        MORE,
        *(
            f"{k}. {LEAD.replace('Dienstag', day)} {MORE}"
            for k, day in enumerate(("Montag", "Mittwoch", "Donnerstag", "Freitag"), 1)
        ),
        "Diskutieren Sie über diesen Artikel",
        "Marth 02.12.2022, 15:57:32",
        "Ich bin schon vor Wochen mit Fachleuten ins Gespräch gekommen, die sich mit der "
        "Brücke auskennen, und sie haben mir das alles so bestätigt. Die Risse in den "
        "Pfeilern waren schon lange bekannt, nur hat sich im Stadtrat niemand darum gekümmert.",
        "Die Umgehungsstraße ist jeden Morgen verstopft, und die Busse kommen zu spät. Die "
        "Stadt hätte die Brücke schon vor Jahren sanieren müssen, sagen auch die Händler.",
        "Neuen Kommentar schreiben",
    ]
    article = read_lines(lines, saved=datetime(2022, 12, 5, tzinfo=UTC))
    assert not article.time_from_crawl
    assert article.published_at == datetime(2022, 11, 29, tzinfo=UTC)
