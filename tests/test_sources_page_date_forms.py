"""The forms a page's date is printed in (issue 12): post date lines of blogs and
European sites, time lines and their labels, dates in other languages and the
shapes crawlers glue together, two-figure years, signatures (a handle, a date and
a clock), and the figures and month-year lines that are no date.  Numeric dates
that read both ways by the page's habit are in ``test_sources_page_date_order.py``.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagemeta import LineFacts, meta_line, read_time, time_in_line

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, LATER, LEAD, MORE, OPTIONS, SAVED, read_lines

SPANISH = [
    "El ayuntamiento ha cerrado el puente principal de la ciudad después de que los "
    "técnicos encontraran grietas en sus pilares durante una revisión rutinaria.",
    "Según el alcalde, las obras de reparación durarán al menos tres meses y el tráfico "
    "se desviará por la carretera de circunvalación mientras tanto.",
]


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


@pytest.mark.parametrize(
    ("line", "published"),
    [
        # A reading time after a dash, as after "|" (upper case, "Average ... time").
        ("AUG 25 2024 - 8 MIN READ", (2024, 8, 25, 0, 0)),
        ("February 4 2026 - Average reading time: 12 min", (2026, 2, 4, 0, 0)),
        # A clock alone between separators belongs to the date before it.
        ("04.02.2022 | 15:33 Uhr | Dennis Steimels", (2022, 2, 4, 15, 33)),
    ],
)
def test_time_line_shapes(line: str, published: tuple[int, ...]) -> None:
    """Each shape was no time line before stop 28."""
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=LATER)
    found = meta_line(line, options)
    assert found is not None
    assert found.published == datetime(*published, tzinfo=UTC)


def test_a_headline_with_a_reading_time_is_no_time_line() -> None:
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=LATER)
    assert meta_line("How to train for a marathon - 5 min read", options) is None


def test_labelled_time_line_with_a_two_figure_year_is_read() -> None:
    found = meta_line("Veröffentlicht am 27.04.24 um 07:39 Uhr", OPTIONS)
    assert found is not None and found.published == datetime(2024, 4, 27, 7, 39, tzinfo=UTC)
    # Unlabelled, such a line may be an event's date in a teaser: not a time line.
    assert meta_line("19.1.23, 10:00-11:30", OPTIONS) is None


def test_time_line_ending_in_the_updates_clock_time_is_read() -> None:
    options = ReadOptions("p.txt", reference_time=SAVED)
    for line in (
        "August 30, 2023 1:55 am(Updated 4:30 am)",
        "08:39, 06 Jan 2024Updated 08:41, 06 Jan 2024",
    ):
        found = meta_line(line, options)
        assert found is not None and found.published is not None, line
    assert meta_line("Updated 4:30 am", options) is None


@pytest.mark.parametrize(
    ("line", "day", "byline"),
    [
        (
            "HansEhrlich 17.10.2019, 13:56 Uhr",
            datetime(2019, 10, 17, 13, 56, tzinfo=UTC),
            "HansEhrlich",
        ),
    ],
)
def test_a_handle_then_a_date_and_clock_is_a_posts_signature(
    line: str, day: datetime, byline: str
) -> None:
    """Such a line was no header line (a one-word name is no byline)."""
    said = LineFacts(ReadOptions("p.txt", reference_time=SAVED))(line)
    assert said is not None
    assert said.published == day
    assert said.byline == byline


@pytest.mark.parametrize("line", ["Produkttest 17.10.2019, 13:56 Uhr", "HansEhrlich 17.10.2019"])
def test_a_plain_word_or_a_date_without_clock_is_no_signature(line: str) -> None:
    """A plain word is no handle, and a handle's signature carries the clock."""
    said = LineFacts(ReadOptions("p.txt", reference_time=SAVED))(line)
    assert said is None or said.byline == ""
