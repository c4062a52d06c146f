"""The page reader's date and refusal rules of the seventh pass (issue 12): post
date lines in the shapes blogs and European sites print, a date opening the
headline or the story, a labelled time line further off, day-first numeric dates
on pages not in English, and a footer's menu that is no crumb trail.  The figures
on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagemeta import meta_line, read_time, time_in_line
from digest.sources.pages import read_page

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, LEAD, MORE, SAVED, read_lines
from .page_sets import page_record

OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)


@pytest.mark.parametrize(
    ("line", "published", "updated"),
    [
        # A label and its date inside a line of other post facts.
        ("erstellt von Dominique — veröffentlicht 28.01.2022 06:00", (2022, 1, 28, 6, 0), None),
        (
            "Veröffentlicht: 05.01.2020 | Autor: gnaddrig | Abgelegt unter: Fotografie | "
            "Tags: Abendhimmel |5 Kommentare",
            (2020, 1, 5, 0, 0),
            None,
        ),
        ("Last updated on 20 Feb, 2020. 3 min read", None, (2020, 2, 20, 0, 0)),
        # The date before the update's is the publication's.
        (
            "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13 | Par Martin "
            "Untersinger (avec Damien Leloup)",
            (2015, 5, 4, 13, 36),
            (2015, 5, 5, 20, 13),
        ),
        # An update's label after a slash (world.kbs.co.kr).
        (
            "Written: 2019-11-07 15:03:30 / Updated: 2019-11-07 15:30:46",
            (2019, 11, 7, 15, 3),
            (2019, 11, 7, 15, 30),
        ),
        # The date opening the line, its author or categories after it.
        ("26/12/2019 von revamp-it Webteam", (2019, 12, 26, 0, 0), None),
        ("10.12.2022 18:27 von", (2022, 12, 10, 18, 27), None),
        ("19.11.2021 in Community, Deutschland, Moscheereport", (2021, 11, 19, 0, 0), None),
        # Labels German pages print.
        ("Veröffentlichung: 04.02.2022", (2022, 2, 4, 0, 0), None),
        # A two-figure year on a line holding only the date.
        ("17.11.19", (2019, 11, 17, 0, 0), None),
        ("28.09.19 14:05", (2019, 9, 28, 14, 5), None),
    ],
)
def test_post_date_lines(
    line: str, published: tuple[int, ...] | None, updated: tuple[int, ...] | None
) -> None:
    """Each shape was read as no time line before this pass."""
    found = meta_line(line, OPTIONS)
    assert found is not None
    assert found.published == (datetime(*published, tzinfo=UTC) if published else None)
    assert found.updated == (datetime(*updated, tzinfo=UTC) if updated else None)


@pytest.mark.parametrize(
    "line",
    [
        # A dated sentence or a dated headline over a dash is no post date line.
        "12.03.2020 von der Regierung beschlossen. Das Gesetz gilt ab Mai.",
        "24.01.2022 - Meldung - Energiewende im Gebäudebereich",
        # An event's time in a teaser: one-figure month, a range of hours.
        "19.1.23, 10:00-11:30",
        # A version number is no date.
        "Unter 13.1.3 besteht das Problem weiterhin",
        # A sentence saying when something was published is no post's date line.
        "The report published on 12 March 2021 showed that unemployment rose sharply.",
        "Das Gesetz wurde veröffentlicht am 12.03.2021 und gilt seit Mai.",
        "El informe publicado el 12/03/2021 muestra un aumento del paro en España",
    ],
)
def test_lines_that_stay_no_time_line(line: str) -> None:
    assert meta_line(line, OPTIONS) is None


@pytest.mark.parametrize(
    "line",
    [
        "Publicado el 12/03/2021 por Juan Pérez",
        "Por Juan Pérez — publicado el 12/03/2021",
        "12/03/2021 por Juan Pérez",
        "12/03/2021 von Hans Meier",
        "Gepubliceerd op 12/03/2021 | door Jan de Vries",
    ],
)
def test_a_post_date_in_another_language_than_english_reads_day_first(line: str) -> None:
    """Only American English puts the month first: these were read as 3 December,
    the reading nearer the crawl."""
    found = meta_line(line, OPTIONS)
    assert found is not None
    assert found.published == datetime(2021, 3, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Date de publication : 12/03/2021", (2021, 3, 12, 0, 0)),
        ("Date de publication: 12.03.2021 à 14h05", (2021, 3, 12, 14, 5)),
        ("Fecha de publicación: 12/03/2021", (2021, 3, 12, 0, 0)),
    ],
)
def test_a_long_label_is_read_whole_not_as_its_first_word(
    line: str, published: tuple[int, ...]
) -> None:
    """A long label ("Date de publication") was read as its first word ("date")
    over the time "de publication : 12/03/2021", which is no time."""
    found = meta_line(line, OPTIONS)
    assert found is not None
    assert found.published == datetime(*published, tzinfo=UTC)


def test_two_figure_year_glued_to_a_clock() -> None:
    """``30.09.1917:33`` (a forum's "30.09.19" run into "17:33") is 2019, not 1917."""
    moment = time_in_line("Ely30.09.1917:33", OPTIONS, month_first=None)
    assert moment == datetime(2019, 9, 30, 17, 33, tzinfo=UTC)


def test_date_opening_the_story_dates_the_page() -> None:
    lines = ["Startseite", "Brücke gesperrt", f"19.10.2023, 15:30 Uhr{LEAD}", MORE]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2023, 10, 19, 15, 30, tzinfo=UTC)


def test_date_opening_the_headline_dates_the_page() -> None:
    lines = ["Startseite", "24.01.2023 - Meldung - Brücke gesperrt", LEAD, MORE]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at.date() == datetime(2023, 1, 24).date()


SPANISH = [
    "El ayuntamiento ha cerrado el puente principal de la ciudad después de que los "
    "técnicos encontraran grietas en sus pilares durante una revisión rutinaria.",
    "Según el alcalde, las obras de reparación durarán al menos tres meses y el tráfico "
    "se desviará por la carretera de circunvalación mientras tanto.",
]


@pytest.mark.parametrize(
    "lines",
    [
        ["Inicio", "Puente cerrado", f"12/03/2023 - {SPANISH[0]}", SPANISH[1]],
        ["Inicio", "12/03/2023 - Puente cerrado por grietas", *SPANISH],
    ],
)
def test_date_opening_a_story_in_another_language_reads_day_first(lines: list[str]) -> None:
    """A numeric date opening a Spanish story or its headline is day first (it was
    read as 3 December, the reading nearer the crawl)."""
    assert read_lines(lines).published_at == datetime(2023, 3, 12, tzinfo=UTC)


def test_labelled_time_line_under_related_links_dates_the_page() -> None:
    """ "Datum: 19.11.2021" printed under the story's related links, beyond the
    lines a bare date is looked for."""
    related = [f"Verwandter Artikel Nummer {n} über etwas anderes" for n in range(20)]
    lines = ["Startseite", "Brücke gesperrt", LEAD, MORE, *related, "Datum: 19.11.2021"]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2021, 11, 19, tzinfo=UTC)
    # A bare date as far off may be a related story's: the crawl dates the page.
    bare = read_lines([*lines[:-1], "19.11.2021"])
    assert bare.time_from_crawl


def test_bare_date_a_little_under_the_story_dates_the_page() -> None:
    """ "21.01.2022" printed under the story's share buttons and tags (blogs and
    German sites print the date at the story's end): it dates the page (the
    crawl did)."""
    chrome = ["Teilen", "Drucken", "Artenschutz, Bartgeier, Naturschutz", "Zurück", "Spenden"]
    article = read_lines(["Startseite", "Brücke gesperrt", LEAD, MORE, *chrome, "21.01.2022"])
    assert not article.time_from_crawl
    assert article.published_at == datetime(2022, 1, 21, tzinfo=UTC)


def test_readers_comment_dates_do_not_date_the_page() -> None:
    """A comment's date under "3 Comments" is the reader's, not the story's: the
    crawl dates the page."""
    lines = ["Startseite", "Brücke gesperrt", LEAD, MORE, "3 Comments", "Gaye", "21.01.2022"]
    assert read_lines(lines).time_from_crawl


def test_time_line_above_the_headline_dates_the_page() -> None:
    """A date printed some lines above the headline, over a sports menu: it dates
    the page when nothing nearer does."""
    menu = ["Sport", "Fußball", "Handball", "Tennis", "Mehr Sport:", "Bundesliga"]
    article = read_lines(["Startseite", "08.11.2023", *menu, "Brücke gesperrt", LEAD, MORE])
    assert not article.time_from_crawl
    assert article.published_at.date() == datetime(2023, 11, 8).date()


def test_labelled_time_line_anywhere_dates_the_page() -> None:
    """A labelled publication line far above the story ("Veröffentlicht: …
    | Autor: …"), when nothing nearer dates it."""
    menu = [f"Rubrik {n}" for n in range(30)]
    lines = [
        "Startseite",
        "Veröffentlicht: 05.01.2020 | Autor: gnaddrig",
        *menu,
        "Brücke gesperrt",
        LEAD,
        MORE,
    ]
    article = read_lines(lines)
    assert not article.time_from_crawl
    assert article.published_at == datetime(2020, 1, 5, tzinfo=UTC)


@pytest.mark.parametrize("line", ["November 2021", "Nov. 2021", "Oktober 2021"])
def test_month_and_year_without_a_day_are_no_time(line: str) -> None:
    """A teaser's "November 2021" names no day (dateutil filled in today's day):
    it dates nothing."""
    assert read_time(line, OPTIONS) is None


@pytest.mark.parametrize(
    ("title", "lead", "more", "day"),
    [
        # German: day first.
        ("Brücke gesperrt", LEAD, MORE, datetime(2022, 5, 7).date()),
        # English, neither reading recent before the crawl (3 May 2024): month first.
        ("Bridge closed to cars", ENGLISH_LEAD, ENGLISH_MORE, datetime(2022, 7, 5).date()),
    ],
)
def test_numeric_date_reading_both_ways_follows_the_pages_language(
    title: str, lead: str, more: str, day: object
) -> None:
    """``07/05/2022`` in a story's short lines: day first unless the story is in
    English."""
    stamp = "07/05/2022 20H06 - ACTUALIZADO A 07/05/2022 20H17"
    lines = ["Menü", title, lead, "Redaktion", stamp, more]
    assert read_lines(lines).published_at.date() == day


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


@pytest.mark.parametrize(
    ("folder", "key"),
    [
        # A labelled time line under related links or tags, 7 to 40 lines under
        # the story: "Datum: 19.11.2021", "Stand 27.01.2022", "erstellt von
        # Dominique — veröffentlicht 28.01.2022 06:00", "Issue Published: 7 April 2020".
        ("page_fresh", "livenet.ch-sprache"),
        ("page_fresh", "bundesrat.de-erinnerungen"),
        ("page_fresh", "gay.ch-papst"),
        ("page_fresh", "acpjournals.org.3075"),
        # A date opening the headline or the story.
        ("page_fresh", "bmwi.de-neubau"),
        ("page_fresh", "d60caba9d12c467b9708ec8981cad8aa"),
        # A post's date line with its author, or an update label inside the line.
        ("page_fresh", "talent.ch.5031"),
        ("page_fresh", "wevolver.com.3dprinting"),
        # A German label: "Veröffentlichung: 04.02.2022".
        ("page_fresh", "mix1.de-clio"),
        # "07/05/2022" on a Spanish page is 7 May.
        ("page_fresh", "elcomercio.pe-kenjifujimori"),
        # A time line right over the headline (a list's layout).
        ("page_fresh", "islamische-zeitung.de-Bundespräsident"),
        # The headline printed again with its date.
        ("page_fresh", "energieverbraucher.de.energie"),
        ("page_blind", "ls/LesothoTimes_2025_11_24"),
    ],
)
def test_date_of_real_pages(folder: str, key: str) -> None:
    """Pages whose date a rule of this pass reads (each was dated by its crawl, or
    wrongly, before)."""
    record = page_record(folder, key)
    saved = datetime.fromisoformat(record["crawled"]).replace(tzinfo=UTC)
    options = ReadOptions(key, boilerplate=Boilerplate.builtin(), reference_time=saved)
    (article,) = read_page(record["dump"].encode(), options).articles
    assert not article.time_from_crawl
    assert article.published_at.date().isoformat() == record["date"][:10]


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
    ("line", "when"),
    [
        # A post's published and updated dates glued by the crawler.
        ("1. November 20161. November 2016 surfguard", datetime(2016, 11, 1, tzinfo=UTC)),
        # Dotted numeric dates with a space after each dot.
        ("18. 05. 2014 22:38", datetime(2014, 5, 18, 22, 38, tzinfo=UTC)),
        ("28. 4. 2023, 18:41 Uhr", datetime(2023, 4, 28, 18, 41, tzinfo=UTC)),
        # The Scandinavian "kl." before the clock time.
        ("Publicerad 23 okt 2023 kl 10.23Uppdaterad kl 12.17", datetime(2023, 10, 23, 10, 23)),
        ("02/02/2024 KL. 09:00", datetime(2024, 2, 2, 9, 0, tzinfo=UTC)),
        # A capital month glued to the word before it.
        ("Associated PressApril 28, 2023 GMT", datetime(2023, 4, 28, tzinfo=UTC)),
    ],
)
def test_dates_in_shapes_crawlers_and_other_languages_print(line: str, when: datetime) -> None:
    """Each was read as no date at all (the page took the crawl's time)."""
    moment = time_in_line(line, OPTIONS, month_first=None)
    assert moment == when.replace(tzinfo=UTC)


@pytest.mark.parametrize("line", ["Version 2.1. Update", "Tabelle 3. 4. Spieltag", "AprilFools 1"])
def test_figures_that_are_no_dates_stay_unread(line: str) -> None:
    assert time_in_line(line, OPTIONS, month_first=None) is None


@pytest.mark.parametrize(
    "line",
    ["November 2021 5:30 PM", "Nov 2021, 10:00", "2021 10:00", "2021-11", "May 2021 at 9:15 am"],
)
def test_a_year_with_a_clock_but_no_day_is_no_time(line: str) -> None:
    """A clock time beside a month and year (or a year alone) names no day
    either: dateutil filled the day (and month) in from the day the reader ran,
    so the page's date changed from one run to the next."""
    assert read_time(line, OPTIONS) is None


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("January 1, 2021 5:30 PM", datetime(2021, 1, 1, 17, 30, tzinfo=UTC)),
        ("1 Jan 2000", datetime(2000, 1, 1, tzinfo=UTC)),
        ("2021-12-31", datetime(2021, 12, 31, tzinfo=UTC)),
        ("February 2, 2001 10:00", datetime(2001, 2, 2, 10, 0, tzinfo=UTC)),
    ],
)
def test_a_full_date_on_the_first_of_january_still_reads(line: str, when: datetime) -> None:
    """A date that names its day, month and year reads whatever the day."""
    assert read_time(line, OPTIONS) == when


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
