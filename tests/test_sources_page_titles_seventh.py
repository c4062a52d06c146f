"""The generic page reader's headline rules of the seventh pass (issue 12): a
headline read as names alone, a word starting with "credit", a byline of another
language under a header, years glued by the crawler, a blog's written-out date
line under the headline, links to the previous or next post, a headline ending in
an ellipsis, a kicker under a crumb trail, a caption over its picture's credit and
a post's tags.
The figures on real pages are in test_sources_generic_pages.py."""

from __future__ import annotations

import pytest

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pagegeneric import can_be_headline, post_date_line
from digest.sources.pagemeta import LineFacts

from .german_story import SAVED, STORY, read_lines
from .page_sets import page_record, read_record

OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)


@pytest.mark.parametrize(
    ("folder", "key"),
    [
        # Headlines read as names alone ("Neue DJV-Online-Seminare", "Managing
        # Python Environments", "Liebe Menschen Europas"), over the story's time or
        # credit line and sharing two words with its lead.
        ("page_fresh", "natuerliche-jagd.de-seminar"),
        ("page_fresh", "pluralsight.com.python"),
        ("page_fresh", "baumeister.de.sportzentrum"),
        ("page_fresh", "echte-demokratie-jetzt.de.blog"),
        # "creditshelf kooperiert mit …": no credit line.
        ("page_fresh", "it-finanzmagazin.de.creditshelf"),
        # "Hildesheimer Presse 1. November 20231. November 2023 Bockenem, …".
        ("page_fresh", "hildesheimer-presse.de-hund"),
        # The headline over a blog's date line ("28.01.22 / 0 Kommentare"), a
        # kicker or a deck close by.
        ("page_fresh", "meininger.de-wachstum"),
        ("page_fresh", "advents-shopping.de.weihnachtsmaerkte"),
        ("page_fresh", "lostiempos.com-juicio"),
        # The next post's link ("SW083 – Schwitzebaerchen →", "Vorstudie … »").
        ("page_fresh", "sprechwaisen.com.sw082"),
        ("page_fresh", "netzfueralle.blog.rosalux.de.netzpolitik"),
        # "Ein entspannter Start ins neue Jahr 2016 – … Alles andere kann warten…".
        ("page_fresh", "kleinegruenemonster.wordpress.com.start"),
        ("page_devset", "b3c19dd5f0612d098788fa5173e491b3280da6226b492f8fe110f4ab1896cca8"),
        # Under the crumb trail, a kicker over the headline over its byline.
        ("page_fresh", "d60caba9d12c467b9708ec8981cad8aa"),
        # A caption over "© E. Schwinge", nearer the story than the headline.
        ("page_fresh", "bfn.de-verden"),
        # "amiga, dogs, floppy, Hunde, …" under "Schlagwörter": the post's tags.
        ("page_fresh", "1hundetagebuch.wordpress.com.langer"),
    ],
)
def test_headline_of_real_pages(folder: str, key: str) -> None:
    """Pages whose headline a rule of this pass decides (each was wrong before)."""
    assert read_record(page_record(folder, key)).title == page_record(folder, key)["title"]


def test_a_line_read_as_names_is_the_headline_only_when_it_agrees_with_the_lead() -> None:
    """German nouns are capitalised: "Neue Online-Seminare" reads as a name, but
    it shares its words with the story under its date line; a writer's name over
    the date line does not, and is no headline."""
    lines = ["Verband", "Neue Online-Seminare", "3. Februar 2022", STORY, STORY]
    assert read_lines(lines).title == "Neue Online-Seminare"
    lines = ["Neue Seminare des Verbands", "Birgit Baumann", "3. Februar 2022", STORY, STORY]
    assert read_lines(lines).title == "Neue Seminare des Verbands"


@pytest.mark.parametrize(
    ("line", "may"),
    [
        ("creditshelf kooperiert mit finleap", True),
        ("Credit: Jane Doe", False),
        ("Credits Jane Doe and John Roe", False),
        ("SW083 – Schwitzebaerchen →", False),
        ("← SW081 – Europaqual", False),
        ("« Messenger: Welchen hätten Sie den gerne?", False),
        ("Vorstudie zur Menüerweiterung durch FOSS-Produkte bei der RLS »", False),
        ("« Les privatisations sont au profit d’intérêts privés »", True),
        ("Hildesheimer Presse 1. November 20231. November 2023 Bockenem, Polizei", False),
        ("Tópicos: País | Presidente Boric", False),
        ("Schlagwörter: amiga, dogs, floppy", False),
        ("Tagesschau: Neue Regeln für Pendler", True),
    ],
)
def test_which_lines_may_be_a_headline(line: str, may: bool) -> None:
    assert can_be_headline(line, LineFacts(OPTIONS)) is may


def test_a_post_date_line_needs_a_date() -> None:
    """The date line a headline stands over holds a date; a media player's clock
    ("0:00") is no post's date line."""
    assert post_date_line("28.01.22 / 0 Kommentare")
    assert post_date_line("Am 13. November 2019 Von Henry In Aktuell")
    assert not post_date_line("0:00")


def test_a_headline_ending_in_an_ellipsis_is_cut_only_when_printed_whole() -> None:
    headline = "Alles über neue Seminare…"
    motto = "Marktplatz für ein gutes Leben"
    lines = [motto, "Menü", "Veröffentlicht am 5. April 2017", headline, "von Henry"]
    assert read_lines([*lines, STORY, STORY]).title == headline
    # A teaser cut short, its whole text printed further down the page.
    lines += [STORY, STORY, "Mehr", "Alles über neue Seminare des Verbands im Netz"]
    assert read_lines(lines).title == motto


def test_a_line_under_a_foreign_byline_under_a_headline_is_under_its_header() -> None:
    """Headline, "von <names>", then a subheading over the story: the subheading
    stands under another line's byline, as one under "By …" would."""
    lines = [
        "Menü",
        "Presse im Frühjahr",
        "von Daniel Braun, Davor Pasoski",
        "Zwei neue Seminare für die Kommunikation",
        STORY,
        STORY,
    ]
    assert read_lines(lines).title == "Presse im Frühjahr"


def test_a_search_box_close_button_is_chrome() -> None:
    """WordPress themes print "Close this search box." over the story's header,
    where it was read as the headline."""
    assert Boilerplate.builtin().drops("Close this search box.")
    assert not Boilerplate.builtin().drops("Close this search box, the council said.")
