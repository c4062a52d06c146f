"""Decks, standfirsts, captions and contents between the headline and the story
(issue 12): the headline over its standfirst or deck rather than a caption, a deck
or a byline under it; which lines read as a deck; a deck under a post's date line;
a table of contents between the headline and the story.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources import ReadOptions
from digest.sources.pagegeneric import (
    Run,
    _contents,
    dated_line,
    deck_under,
    headline_at,
    label_over_headline,
    section_key,
    title_case,
)
from digest.sources.pagemeta import LineFacts, caption_text

from .german_story import BLOG_MENU as MENU
from .german_story import ENGLISH_LEAD, ENGLISH_MORE, OPTIONS, STORY, paragraphs, read_lines
from .german_story import read_late as _read

SECTIONS = [
    "High-Intensity Interval Training",
    "Coaching Platforms",
    "Wearable Technology",
    "Exercise for Mental Health",
]


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


def test_the_headline_over_the_pictures_caption_beats_the_deck_over_the_time() -> None:
    """Headline, the picture's caption with its credit, then the deck written as a
    sentence over the time line: the deck heads the header, the headline over the
    caption is the page's."""
    title = "Fikk overraskelse av manageren på fødestua: – Helt absurd"
    story = [
        "Tone Damli fødte datteren tre uker for tidlig, og manageren David Eriksen kom på "
        "besøk på fødestua med blomster og en overraskelse.",
        "– Det var helt absurd, sier Damli til Nettavisen. Hun forteller at manageren "
        "hadde ordnet alt med sykehuset på forhånd.",
        "Eriksen sier selv at han bare ville gjøre dagen litt lettere for familien etter "
        "en lang natt på sykehuset i Oslo.",
    ]
    caption = (
        "BESØK: Tone Damli fikk besøk av manageren sin David Eriksen da hun fødte "
        "datteren. Foto: Alexander Winge"
    )
    deck = "David Eriksen måtte ta grep da Tone Damli fødte tre uker for tidlig."
    lines = ["Nyheter", "Sport", "Meny", "Tone Damli", title, caption, deck]
    lines += ["15.10.24 23:35", "Tuva Løland", *story]
    assert read_lines(lines, datetime(2024, 10, 16, 9, 0, tzinfo=UTC)).title == title


def test_a_headline_over_the_date_keeps_its_deck_under_it() -> None:
    """Guard: a headline sharing no word with the lead over the time line, its
    deck under the time line sharing a word with it and two with the lead: the
    headline stays (a deck or caption repeats the headline's words, a call to
    action does not)."""
    title = "A Quantum Leap for the Northern Quarter"
    deck = "Town opens the Northern park to families and runners"
    lead = (
        "The town opened the park on Saturday: families walked the paths and runners "
        "tried the track, and the mayor thanked the builders for finishing early."
    )
    lines = ["News", "Sport", "Culture", "Events", "Contact"]
    lines += [title, "November 19, 2025", deck, lead, *paragraphs("The new park", 5)]
    assert _read(lines).title == title


def test_a_headline_sharing_no_lead_word_over_its_deck_and_byline() -> None:
    """Headline, deck, byline: a headline written as a question or a pun shares
    no word with the lead ("Why collaborative thinking beats individual smarts"
    over "An interview with …, together with an extract from the book"); the deck
    right over the byline is still no headline."""
    title = "Why collaborative thinking beats individual smarts"
    deck = (
        "An interview with Thomas Malone, author of a book on superminds, together "
        "with an extract from the book"
    )
    lead = (
        "Thomas Malone has spent decades studying how groups of people and computers "
        "work together, and his book on superminds sums up what he has found."
    )
    lines = [*MENU, title, deck, "By Jane Doe", "Jun 18th 2018", lead]
    lines += paragraphs("Group work", 5)
    assert _read(lines).title == title


def test_a_three_word_headline_over_a_one_sentence_deck_names_the_page() -> None:
    """A sentence right under a three-word headline is its deck: it sits nearer
    the story, yet the headline over it names the page."""
    headline = "Bridge closes early"
    deck = "More safety for the drivers who cross the river each day."
    lines = ["Dec 17, 2025 Jane Miller", headline, deck, ENGLISH_LEAD, ENGLISH_MORE]
    assert read_lines(lines).title == headline


def test_a_deck_over_the_byline_gives_way_to_the_headline_over_it() -> None:
    """Headline, deck, byline, date (a blog platform's layout): the header found
    by the time line takes the deck over the byline for the headline; the
    generic reader reads it as the deck under the line over it, which names the
    page."""
    headline = "How to write a (good) newsletter with AI"
    deck = "5-steps to build your AI-powered newsletter system"
    lead = (
        "I built my newsletter with two things: my voice and a repeatable system. "
        "The system runs on AI. The voice stays mine."
    )
    more = (
        "This edition walks you through the exact workflow I use to turn raw notes "
        "into a finished edition that readers open."
    )
    header = ["Weekly Notes", "Subscribe", "Sign in", headline, deck, "Jane Miller"]
    counts = ["Apr 02, 2024", "∙ Paid", "88", "10", "4", "Share"]
    assert read_lines([*header, *counts, lead, more, ENGLISH_LEAD]).title == headline


def test_a_two_word_headline_under_the_date_over_a_sentence() -> None:
    """A blog's date over a two-word headline (which reads as a person's name)
    over the story's first sentence: the headline shares a word with the lead
    and names the page, not the sentence under it."""
    sentence = "I have been watching the old bridge close for weeks."
    lines = ["Jane's Weblog", "May 3, 2024", "Bridge Closure", sentence, ENGLISH_LEAD, ENGLISH_MORE]
    assert read_lines(lines).title == "Bridge Closure"


def test_a_deck_over_the_byline_does_not_take_the_headline_over_it() -> None:
    """Headline, deck (a sentence), byline: the deck stands over the byline, but it
    reads as a deck, so the headline over it stays."""
    headline = "Neue Seminare im Frühjahr"
    deck = "Der Verband lädt zu zwei Seminaren über die Presse ein."
    lines = ["Menü", headline, deck, "Von Birgit Baumann", "3. Februar 2022", STORY, STORY]
    assert read_lines(lines).title == headline


@pytest.mark.parametrize(
    ("upper", "lower", "deck"),
    [
        ("Neue Seminare", "Der Verband lädt zu zwei Seminaren ein.", True),
        ("Neue Seminare", "It took years. The council finally agrees", True),
        (
            "Neue Seminare",
            "Der Verband lädt zu zwei Seminaren über die Presse und die Medien ein",
            True,
        ),
        ("Seminare im Frühjahr", "Verband lädt zu neuen Seminaren ein", False),
        ("Ein Blog über Seminare, Medien und die Presse", "Neue Seminare im Frühjahr", False),
        # Long, but not much longer than the line over it: a long headline under a
        # long motto, no deck.
        (
            "Ein Blog über Seminare, Medien, die Presse und die Öffentlichkeitsarbeit",
            "Der Verband lädt im Frühjahr zu zwei neuen Seminaren über Presse und Medien",
            False,
        ),
    ],
)
def test_which_lines_read_as_a_deck_under_a_headline(upper: str, lower: str, deck: bool) -> None:
    assert deck_under(upper, lower) is deck


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("31.01.2016 Hardware", True),
        ("1. Februar 2022 , Daniel Dillenburg", True),
        ("November 12, 2019 by admin in News", True),
        # A date and time alone may head a list's teaser: left to the header facts.
        ("11/12/19 4:40PM", False),
        # ... also with the word some languages print after the clock.
        ("31.01.2016, 12:00 Uhr", False),
        ("28.04.2023 18.41 h", False),
        ("12.05.2021 09:30 uur", False),
        ("2019 war ein gutes Jahr für den Verband", False),
        ("Neue Seminare im Frühjahr", False),
        ("31.01.2016 " + "Hardware " * 20, False),  # no time line: too long
    ],
)
def test_which_lines_open_with_a_date(line: str, dated: bool) -> None:
    assert dated_line(line, LineFacts(OPTIONS)) is dated


@pytest.mark.parametrize("dated", ["31.01.2016 Hardware", "1. Februar 2022 , Daniel Dillenburg"])
def test_a_deck_under_a_post_date_line_is_no_headline(dated: str) -> None:
    """Headline, a date line with the post's topic or author, deck, story: the deck
    shares more of the story's words, but it stands under the headline's time
    line, as a caption would."""
    headline = "Presse: Ein Tag beim Verband"
    deck = "Der Verband bietet im Frühjahr zwei neue Seminare zur Kommunikation an"
    lines = ["verband.de", "[Home] [Impressum]", headline, dated, deck, STORY, STORY]
    assert read_lines(lines).title == headline


def test_a_table_of_contents_between_headline_and_story_is_the_storys_own() -> None:
    """Headline, byline, intro, then numbered contents whose entries head the
    story's sections: the headline far above is the page's, not the first section
    heading just over the story (the contents name it again: "2.1 1. …")."""
    title = "Fitness Trends 2025: Nine Things to Keep an Eye On"
    contents = ["Contents hide", "1 A Brief Look", "2 The Top Trends"]
    contents += [f"2.{k} {k}. {name}" for k, name in enumerate(SECTIONS, 1)]
    contents += ["3 Final Words"]
    story: list[str] = []
    for k, name in enumerate(SECTIONS, 1):
        story += [f"{k}. {name}", *paragraphs(f"Among fitness trends, {name}", 3)]
    lines = ["Log In", "Get Started", title, "Written by Philip Stefanov", "A Brief Look"]
    lines += [
        "Coaching platforms, wearable technology and virtual reality workouts are the "
        "fitness trends to follow this year.",
        *contents,
        "The Top Trends",
        *story,
        "Final Words",
        *paragraphs("Training", 2),
    ]
    article = _read(lines)
    assert article.title == title


def test_contents_are_entries_printed_again_over_the_storysparagraphs() -> None:
    """Entries count when they head a section of prose further down (numbered or
    not); a short table printed twice (values under values) is no contents."""
    assert section_key("2.1 1. Coaching Platforms") == "Coaching Platforms"
    assert section_key("2025 AI Search Trends") == "2025 AI Search Trends"
    entries = [f"{k}. {name}" for k, name in enumerate(SECTIONS, 1)]
    story = [line for name in SECTIONS for line in (name, *paragraphs(name, 1))]
    lines = ["Headline of the page", *entries, *paragraphs("Lead", 1), *story]
    found = _contents(lines, Run(5, len(lines)))
    assert set(found) == set(SECTIONS) and min(found.values()) == 1
    table = ["Meal 1", "Eat every 2 hours", "Meal 2", "Eat 60 minutes before"]
    twice = ["Headline of the page", *table, *paragraphs("Lead", 1), *table, *paragraphs("Tail", 1)]
    assert _contents(twice, Run(5, len(twice))) == {}


def test_a_deck_written_as_a_sentence_under_the_headline_gives_way() -> None:
    """Menu, headline, a long deck in sentence case, then the time line: the time
    line's header took the deck as its headline; the shorter line over it, reading
    about as well, is the headline."""
    title = "Are AI Evangelists In Heat?"
    deck = (
        "What Hollywood legends in estrus can teach us about the ludicrous claims about "
        "generative AI being democratizing"
    )
    lines = ["Spectre Collie", "About", "One Thing I Like", "Blogroll", "Now", "Archives"]
    lines += [title, deck, "December 18, 2025", "Nonessential Thoughts, Technology"]
    # The lead agrees with the menu line more than with the headline; the story
    # further down names the headline's words.
    lines += [f"One thing I like about generative AI is part {k} of a routine." for k in range(4)]
    lines += ["Its evangelists are in heat, and the heat shows in every claim they make."] * 2
    article = _read(lines)
    assert article.title == title


def test_a_title_case_headline_under_its_short_kicker_is_not_read_as_a_deck() -> None:
    """Menu, a section's label run into a crumb ("Home Topics Bridges"), a Title
    Case headline much longer than it, its byline and time, the story: the label
    shares the lead's words and stands over the headline, but a deck is written as
    a sentence; the long Title Case line under a short one is the headline."""
    headline = "Engineers Find Deep Cracks in the Piers of the Old Town Bridge"
    lines = [
        "About Us", "Search", "Home Topics Old Bridge", headline,
        "Author: Jane Miller", "Published: Nov 12, 2019", "Print", "Email",
        ENGLISH_LEAD, ENGLISH_MORE, ENGLISH_LEAD + " Again.",
    ]  # fmt: skip
    assert read_lines(lines).title == headline


def test_a_deck_in_sentence_case_under_a_long_title_case_headline_gives_way() -> None:
    """A long Title Case headline over a deck written as a sentence (no full stop,
    not much longer than the headline) over the story: the deck stands nearer the
    story and shares more of its words, but it is the headline's deck."""
    headline = "What's Next for the Old Bridge? Here Are 5 Things the Council Says You Can't Ignore"
    deck = "Key points on the cracks in the piers and the work planned for the spring"
    lines = ["Subscribe", headline, deck, ENGLISH_LEAD, ENGLISH_MORE, ENGLISH_LEAD]
    found = headline_at(lines, Run(3, 6), LineFacts(OPTIONS), slug_words=set())
    assert found is not None and lines[found[0]] == headline


def test_the_headers_two_part_headline_under_a_section_label_stays() -> None:
    """A section's label ("Bridge & Road Works") over a two-part headline over the
    lead, the byline and time: the generic reader scores the label higher, but the
    header's line is twice its size and written as a headline ("…explained: …"),
    not as a deck: it names the page."""
    headline = "Bridge closures explained: Costs, detours, and the repair plans"
    lines = [
        "Services", "Resources", "Offices", "Back to Blogs", "Bridge & Road Works", headline,
        ENGLISH_LEAD, "Jane Miller", "12.11.2019 · 6 min read",
        ENGLISH_MORE, ENGLISH_LEAD + " Again.", ENGLISH_MORE,
    ]  # fmt: skip
    assert read_lines(lines).title == headline


def test_a_german_deck_is_no_title_case_headline_under_a_kicker() -> None:
    """A German headline over its deck, a sentence twice its size: German
    capitalises its nouns, so the deck has as many capitals as a Title Case
    headline, but its lower-case "der", "die", "für" make it a sentence; the line
    over it is the headline, not a kicker."""
    headline = "Stadtrat sperrt die alte Brücke"
    deck = (
        "Nach Rissen in zwei Pfeilern sperrt der Stadtrat die Brücke für Autos "
        "und Lastwagen bis Ende März"
    )
    assert title_case(deck)  # by its capitals alone
    assert not label_over_headline(headline, deck)
    # ... while an English Title Case headline naming "von der Leyen" stays one.
    assert label_over_headline("Europe", "Ursula von der Leyen Says Europe Will Stand With Kyiv")


def test_a_quoted_sentence_after_a_colon_is_no_two_part_headline() -> None:
    """'The mayor said: "We will not reopen it this year."' ends in a full stop
    inside its closing quote: a deck's sentence, not a headline's two parts; a
    headline's two parts may be set off by any dash."""
    for deck in (
        'The mayor said: "We will not reopen the bridge this year."',
        "The mayor said: “We will not reopen the bridge this year.”",
    ):
        assert not label_over_headline("Bridge shut", deck)
    for dash in "‒―–—-":
        assert label_over_headline("News", f"Brücke gesperrt {dash} Stadtrat reagiert auf Risse")


def test_cjk_words_have_no_case() -> None:
    """A Japanese headline naming a Latin product ("Kindle for PCを…"): its CJK
    words have no capital to count, so it is no Title Case line."""
    assert not title_case("Kindle for PCをCtrl＋Alt＋Kのショートカットキーで立ち上がらなくする方法")
    assert title_case("Engineers Find Deep Cracks in the Piers")


def test_deck_over_the_caption_gives_way_to_the_headline_over_it() -> None:
    """Teasers, headline (two parts), a deck of names about as long, the picture's
    caption, byline and time line: the deck shares more of the lead's words and
    is no sentence, yet the line over it is the headline (it stood right over
    the credit only without the caption)."""
    lead = (
        "Jane Holt rounded off a clean sweep on Tuesday as all five Scottish rowers "
        "reached the final of the world championships on the lake at Lucerne."
    )
    lines = [
        "Latest",
        "1h agoWhy the new coach of the national football side has to start winning soon",
        "Latest",
        "3h agoHow a small club from the Highlands found the money for its new stadium",
        "Rowing worlds 2024 results: Jane Holt among five Scottish rowers to reach "
        "the final without losing a race",
        "Holt, Grant, Reid, Baird and Munro all won their heats to reach the final "
        "of the championships at Lucerne",
        "All five Scottish rowers won their heats on Tuesday at Lucerne (Photos: Getty/AP)",
        "By Tom Fraser",
        "August 30, 2024 1:55 am",
        lead, lead + " Again.", lead + " More.",
    ]  # fmt: skip
    facts = LineFacts(ReadOptions("p.txt", reference_time=datetime(2024, 9, 1, tzinfo=UTC)))
    found = headline_at(lines, Run(9, 12), facts, slug_words=set())
    assert found is not None and found[0] == 4
