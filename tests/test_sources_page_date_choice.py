"""Which date dates a page when it prints several (issue 12): its publication
over its updates, over readers' comments, embedded posts, cited papers and
teasers' credits; the earliest of a line of dates; a blog theme's or a wiki's
sentence stating when the post was published or created.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagemeta import meta_line, time_in_line

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, LATER, LEAD, MORE, SAVED, read_lines
from .german_story import WALK_STORY as STORY

OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=LATER)

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


def page(shape: list[str], statement: str) -> list[str]:
    return [statement if line == "{statement}" else line for line in shape]


def test_readers_comment_dates_do_not_date_the_page() -> None:
    """A comment's date under "3 Comments" is the reader's, not the story's: the
    crawl dates the page."""
    lines = ["Startseite", "Brücke gesperrt", LEAD, MORE, "3 Comments", "Gaye", "21.01.2022"]
    assert read_lines(lines).time_from_crawl


@pytest.mark.parametrize("label", ["Datum: 21.01.2022", "Veröffentlicht: 21.01.2022"])
def test_labelled_comment_dates_do_not_date_the_page(label: str) -> None:
    """A labelled date in the readers' comments, past every line searched near
    the story, is a reader's: the last search of the whole page stops at the
    comments too, and the crawl dates the page."""
    related = [f"Verwandter Artikel Nummer {n} über etwas anderes" for n in range(20)]
    comments = [f"Leser {n}" for n in range(30)]
    lines = ["Startseite", "Brücke gesperrt", LEAD, MORE, *related, "3 Comments", *comments]
    assert read_lines([*lines, "Gaye", label, "Sehr gut geschrieben."]).time_from_crawl
    # Above the comments, as far from the story, it is the page's.
    above = read_lines([*lines[:-31], label, *lines[-31:]])
    assert above.published_at == datetime(2022, 1, 21, tzinfo=UTC)


def test_embedded_post_date_does_not_date_the_page() -> None:
    """An Instagram post's credit line in the story ("… (@handle) am Apr 21, 2019")
    was read as the story's time; its own date line under the story is."""
    lines = [
        "Startseite",
        "Brücke gesperrt",
        LEAD,
        "Ein Beitrag geteilt von Anna Beispiel (@anna_beispiel) am Apr 21, 2019 um 4:47 PDT",
        MORE,
        "von Ulrike",
        "18.10.2019 16:06 Uhr",
    ]
    article = read_lines(lines)
    assert article.published_at == datetime(2019, 10, 18, 16, 6, tzinfo=UTC)


def test_cited_papers_date_does_not_date_the_page() -> None:
    """A reference under the story ("In: Science; Vol. 371, …, 15. Januar 2021, DOI
    10.…") gave the paper's day; the page's labelled date is taken instead."""
    lines = [
        "Startseite",
        "Brücke gesperrt",
        LEAD,
        MORE,
        LEAD,
        "In: Science; Vol. 371, Issue 6526, pp. 260 - 264, 15. Januar 2021, DOI 10.1126/abc",
        "Aktualisiert am 17.01.2021.",
    ]
    article = read_lines(lines)
    assert article.published_at == datetime(2021, 1, 17, tzinfo=UTC)


def test_posted_date_listed_with_updates_is_the_publication() -> None:
    """A post's dates printed together under the story: the first update's was
    taken for the publication; the "Posted" line below is."""
    chrome = ["Share", "Print"]
    dates = ["Updated November 23, 2013", "Updated September 26, 2011", "Posted July 10, 2004"]
    article = read_lines(["Home", "How to train for a marathon", *STORY, *chrome, *dates], LATER)
    assert article.published_at == datetime(2004, 7, 10, tzinfo=UTC)
    assert article.updated_at == datetime(2013, 11, 23, tzinfo=UTC)


def test_teasers_dated_credits_between_headline_and_story_are_not_its_time() -> None:
    """A "Most Popular" list (its heading dropped as chrome) between the headline and
    the story, each teaser with a dated credit: the first teaser's date was taken;
    the date over the headline is the story's."""
    teasers = []
    for day in (15, 9, 5, 2):
        teasers += [
            "Mobile Marketing",
            f"A guide to app growth strategies number {day}",
            f"Sam Writer |June {day}, 2025",
        ]
    lines = [
        "Home > Blog > Mobile Marketing",
        "January 16, 2025",
        "What are the different types of mobile apps?",
        "Written by: Jo Author",
        *teasers,
        *STORY,
    ]
    article = read_lines(lines, LATER)
    assert article.published_at == datetime(2025, 1, 16, tzinfo=UTC)


def test_header_printed_twice_is_no_list_of_teasers() -> None:
    """One day printed three times over the story (a header repeated for another
    screen width) is the story's time, not a list of teasers'."""
    lines = [
        "Home",
        "What are the different types of mobile apps?",
        "Jan 13, 2025",
        "Jan 13, 2025",
        "Jan 13, 2025",
        *STORY,
        "Read next",
        "Dec 25, 2024",
    ]
    assert read_lines(lines, LATER).published_at == datetime(2025, 1, 13, tzinfo=UTC)


def test_forum_thread_start_date_is_a_time_label() -> None:
    found = meta_line("Start date Sep 18, 2020", OPTIONS)
    assert found is not None
    assert found.published == datetime(2020, 9, 18, tzinfo=UTC)


def test_line_of_dates_alone_gives_the_earliest() -> None:
    """ "last modified, created, created again" printed together: the creation is
    the publication (the first date printed was taken: the last change)."""
    line = "2018-08-29 14:15:57 2018-06-22 10:20:0022.06.2018 10:20"
    moment = time_in_line(line, OPTIONS, month_first=None)
    assert moment == datetime(2018, 6, 22, 10, 20, tzinfo=UTC)


def test_dates_among_words_keep_the_first() -> None:
    """A line with words between its dates ("Sendung vom 16.10.2019 (16.1.2019)") is
    no line of a post's dates: its first date stands."""
    line = "Video der Sendung vom 16.10.2019 18:15 Uhr (16.1.2019)"
    moment = time_in_line(line, OPTIONS, month_first=False)
    assert moment == datetime(2019, 10, 16, 18, 15, tzinfo=UTC)


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


def test_a_wikis_created_sentence_under_a_comment_prompt_dates_the_page() -> None:
    """Such a page was dated by its crawl: the sentence stands under "Add a comment"
    (taken for the opening of readers' comments) and far under the story."""
    lines = [
        "Toggle navigation",
        "Blog",
        "Council closes the old bridge to cars",
        "blog",
        ENGLISH_LEAD,
        ENGLISH_MORE,
        *(f"note {k}" for k in range(45)),
        "Add a comment",
        "Created late in the afternoon of Sunday, October 18th, 2020. Edited late in the "
        "afternoon of Monday, October 19th, 2020.",
        "Tags",
        "Edit",
    ]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2020, 10, 18, tzinfo=UTC)


@pytest.mark.parametrize(
    "credit",
    [
        "Created by Jane Doe, whose 12 notes from March 3, 2020 are in the archive.",
        # The same in the other languages the openings are known in (data,
        # ``pagedates.toml``): these dated the page by the day the sentence names.
        "Erstellt von Jana Schmidt, deren 12 Notizen vom 3. März 2020 im Archiv liegen.",
        "Créé par Jeanne Dupont, dont les 12 notes du 3 mars 2020 sont aux archives.",
        "Creado por Juana Pérez, cuyas 12 notas del 3 de marzo de 2020 están en el archivo.",
        "Creato da Giovanna Rossi, le cui 12 note del 3 marzo 2020 sono in archivio.",
    ],
)
def test_created_by_a_name_is_no_statement_of_the_date(credit: str) -> None:
    """ "Created by …" names who made the page, not when: the crawl's time stays."""
    lines = ["Blog", "Council closes the old bridge to cars", ENGLISH_LEAD, ENGLISH_MORE, credit]
    assert read_lines(lines).time_from_crawl
    # Nor in a wiki's page footer, under the comment prompt.
    notes = [f"note {k}" for k in range(45)]
    footer = ["Tags", "Edit"]
    assert read_lines([*lines[:-1], *notes, "Add a comment", credit, *footer]).time_from_crawl


@pytest.mark.parametrize(
    "paragraph",
    [
        "Created in 1946 by a group of critics, the festival opened its doors on March 3, "
        "2020 with a film by a young director from the town.",
        "Créé en 1946, le festival de la ville a ouvert ses portes le 3 mars 2020 avec un "
        "film d'une jeune réalisatrice.",
    ],
)
def test_a_story_paragraph_opening_with_created_does_not_date_the_page(paragraph: str) -> None:
    """A paragraph of the story itself opening so ("Created in 1946, the festival
    …") tells of the day something happened: a page printing no date keeps its
    crawl's time (the statement is read under the story, in its footer)."""
    lines = [
        "Blog",
        "Council closes the old bridge to cars",
        ENGLISH_LEAD,
        ENGLISH_MORE,
        paragraph,
        ENGLISH_MORE.replace("The", "A"),
        "Tags",
    ]
    assert read_lines(lines).time_from_crawl
