"""The generic page reader's header rules of the fifth pass (issue 12): the headline
over its standfirst rather than a caption or a byline under it, bylines and
captions in the forms other languages print, the headline printed twice, a crumb
trail one crumb a line, a title the page quotes, and the chrome of other
languages.  The figures on real pages are in test_sources_generic_pages.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import (
    Run,
    can_be_headline,
    foreign_byline,
    headline_at,
    headline_scores,
    names_only,
)
from digest.sources.pagemeta import LineFacts, caption_text, meta_line

from .german_story import LEAD, MORE, SAVED, read_lines

STANDFIRST = (
    "Ingenieure haben tiefe Risse in den Pfeilern der alten Brücke gefunden. Der Stadtrat "
    "sperrt sie für Autos, bis eine neue gebaut ist."
)


def test_headline_over_its_standfirst_beats_the_caption_over_the_time_line() -> None:
    """Headline, standfirst, a share button, a caption (no credit on it), time,
    byline, story: the caption shares more of the lead's words and stands nearer
    the story, but the line over the standfirst is the headline."""
    lead = (
        "Ireland's voters go to the polls on Friday, and the latest opinion poll puts the "
        "socialist Catherine Connolly far ahead of her rival for the presidency."
    )
    lines = [
        "Politics", "Socialist critic poised to win Ireland's presidency",
        "Independent socialist Catherine Connolly's coolness to Brussels and hostility to "
        "Washington put her at odds with the Irish government before the presidency vote.",
        "Copy Link Copied",
        "Should she win, Catherine Connolly will succeed another Galway socialist as president",
        "October 23, 2025 5:50 pm CET", "By Shawn Pogatchnik",
        lead, lead + " Again.", lead + " More.",
    ]  # fmt: skip
    facts = LineFacts(ReadOptions("p.txt", reference_time=datetime(2025, 11, 1, tzinfo=UTC)))
    found = headline_at(lines, Run(7, 10), facts, slug_words=set())
    assert found is not None and found[0] == 1


@pytest.mark.parametrize(
    "byline",
    [
        "Von Christian Unger, Tobias Köberlein und Laura Wagener",
        "von Jemima Kelly",
        "Daniel Großert Redakteur",
        "Steffan Rhys Deputy Content Hub Director",
    ],
)
def test_bylines_of_other_forms_are_no_headline(byline: str) -> None:
    """A byline in another language's form, or a name with the writer's job, over
    the time line: the headline is the line over the standfirst, and the byline is
    read as such."""
    article = read_lines(
        ["Startseite", "Stadtrat sperrt die alte Brücke für Autos", STANDFIRST, byline,
         "03.05.2024, 14:55 Uhr", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Stadtrat sperrt die alte Brücke für Autos"  # type: ignore[attr-defined]
    assert foreign_byline(byline)


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Von Christian Unger, Tobias Köberlein", True),
        ("Par David Mouriquand", True),
        ("Freelance sports writer", True),
        ("Von der Leyen will mehr Geld für die Ukraine", False),
        ("Por qué Madrid gana", False),
        ("Trump fires FBI director", False),
        ("Meet the ghost writer", False),
    ],
)
def test_foreign_bylines_are_told_from_headlines(line: str, byline: bool) -> None:
    assert foreign_byline(line) is byline


def test_names_alone_are_a_byline_only_under_a_standfirst() -> None:
    """'Birgit Baumann Anna Giulia Fink' under the standfirst is the byline; a line
    of capitalised words with no small word elsewhere may be a headline."""
    assert names_only("Birgit Baumann Anna Giulia Fink")
    article = read_lines(
        ["Panorama", "Stadtrat sperrt die alte Brücke für Autos", STANDFIRST,
         "Birgit Baumann Anna Giulia Fink", "3. Mai 2024, 17:47", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Stadtrat sperrt die alte Brücke für Autos"  # type: ignore[attr-defined]
    assert article.byline == "Birgit Baumann Anna Giulia Fink"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Der Golf von Mexiko wurde kurzerhand umbenannt. Getty Images/Juanmonino", True),
        ("El ministro Albares, este domingo en Madrid. EFE/ J.J. Guillén", True),
        ("Verstappen y Russell, durante la primera vuelta del GP de Qatar.AFP", True),
        ("Arthur Kluckers gewinnt das Straßenrennen. Foto: Alexander Daleiden", True),
        ("Nataliia Romanenko im Lager. Bild © Roman Warschauer (hr)", True),
        (
            "Should she win, she will succeed Higgins. | Niall Carson/PA Images via Getty Images",
            True,
        ),
        ("The leaders of seven parties, including Ishiba, center, participate in a debate", True),
        ("イスラエルの国旗＝同国で2019年5月", True),
        ("Erstes Bild: So könnte die Duisburger Seilbahn aussehen", False),
        ("Stadtrat sperrt die alte Brücke für Autos", False),
    ],
)
def test_captions_with_their_credit_run_on(line: str, caption: bool) -> None:
    assert bool(caption_text(line)) is caption


def test_headline_printed_twice_is_taken_with_its_kicker_set_off() -> None:
    """'Bei Protesten 2022: Bericht: …' over 'Bei Protesten 2022 Bericht: …' (the
    kicker run into the heading): the same letters, the fuller print is the title."""
    article = read_lines(
        ["Politik", "Bei Protesten 2022: Bericht: Brücke für Autos gesperrt",
         "Bei Protesten 2022 Bericht: Brücke für Autos gesperrt", STANDFIRST,
         "Von dpa 30.04.2024, 18:58", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Bei Protesten 2022: Bericht: Brücke für Autos gesperrt"  # type: ignore[attr-defined]


def test_crumb_trail_one_crumb_a_line_names_the_page() -> None:
    """'Startseite', 'Leben', then the headline: that line names the page over the
    on-page heading, which words it otherwise."""
    article = read_lines(
        ["Startseite", "Leben", "Alte Brücke: Stadtrat sperrt sie für Autos", "Kinder",
         "Freizeit", "Digital", "Gesundheit", "Auto", "Brückensperrung: So geht es jetzt weiter",
         "03.05.2024, 14:55 Uhr", "Anne Neuberg", LEAD, MORE, MORE + " Weiter."]
    )  # fmt: skip
    assert article.title == "Alte Brücke: Stadtrat sperrt sie für Autos"  # type: ignore[attr-defined]


def test_a_title_the_page_quotes_names_it() -> None:
    """The comments' header quoting the headline in full ('6 thoughts on “…”') makes
    that line read better as the headline than the kicker in capitals over it."""
    prose = (
        "It took me years to see that the scary part of running a business online is "
        "not the work itself, but the mindset you bring to it every day."
    )
    lines = [
        "Blog", "GROWING AN ONLINE BUSINESS", "How to Adopt an Online Leader Success Mindset",
        "197 Shares", prose, prose + " Again.", prose + " More.",
    ]  # fmt: skip
    quoted = [*lines, "6 thoughts on “How to Adopt an Online Leader Success Mindset”", "Ann"]
    facts = LineFacts(ReadOptions("p.txt"))
    _, plain = headline_scores(lines, Run(4, 7), facts, slug_words=set())
    _, cited = headline_scores(quoted, Run(4, 7), facts, slug_words=set())
    assert cited[2] > plain[2] and cited[1] == plain[1]
    assert cited[2] > cited[1]


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


def test_time_line_ending_in_the_updates_clock_time_is_read() -> None:
    options = ReadOptions("p.txt", reference_time=SAVED)
    for line in (
        "August 30, 2023 1:55 am(Updated 4:30 am)",
        "08:39, 06 Jan 2024Updated 08:41, 06 Jan 2024",
    ):
        found = meta_line(line, options)
        assert found is not None and found.published is not None, line
    assert meta_line("Updated 4:30 am", options) is None


def test_quote_dash_and_low_quote_may_open_a_headline() -> None:
    facts = LineFacts(ReadOptions("p.txt"))
    assert can_be_headline("- Angsten vil øke blant naboene", facts)
    assert can_be_headline("„Unermüdlicher Einsatz“ für die Brücke", facts)
    assert not can_be_headline("— David McKinley on Sunday, October 13th, 2019", facts)
    assert not can_be_headline("The Yomiuri Shimbun", facts)
    assert not can_be_headline("Glass cloche terrariums (Lucy Akins)", facts)
