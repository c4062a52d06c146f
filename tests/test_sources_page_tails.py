"""What follows a story on a page of any publisher stays out of its body
(issue 12): a list of other stories' teasers printed as prose under it.  The
figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from digest.sources.pages import read_page

from .test_sources_page_boxes import HEAD, OPTIONS, TOLD

# Other stories' teasers, each a section label, a headline, a one-paragraph blurb
# and an age, under the site's labels (none of them a stop marker).
TEASERS = [
    "Jane Doe",
    "Town Hall reporter",
    "Around the county",
    "More from the region",
    "Business",
    "Bakery on the high street closes after ninety years",
    "The family that ran the bakery for three generations said rising costs had made "
    "it impossible to keep the ovens going.",
    "3 hours ago",
    "Sport",
    "Town football club signs a new goalkeeper for the season",
    "The club said the goalkeeper, who played for two league sides, had agreed a "
    "contract for the next two seasons.",
    "5 hours ago",
    "Schools",
    "Primary school wins a national award for its garden",
    "Pupils planted more than two hundred trees and built a pond in the school's "
    "garden over the past three years.",
    "6 hours ago",
    "Weather",
    "Heavy rain expected across the county this weekend",
    "Forecasters warned of flooding on low roads near the river and asked drivers to "
    "take care on Saturday night.",
    "8 hours ago",
]


def _body(lines: list[str]) -> str:
    (article,) = read_page("\n".join(lines).encode(), OPTIONS).articles
    return f"{article.summary}\n{article.body}"


def test_teaser_list_under_the_story_stays_out() -> None:
    body = _body([*HEAD, *TOLD, *TEASERS, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert "bakery" not in body and "goalkeeper" not in body and "Forecasters" not in body


def test_story_of_headed_sections_keeps_every_paragraph() -> None:
    """A story whose subheadings each head one paragraph reads like a list of
    teasers, but its paragraphs are long and only a subheading stands between
    them: a paragraph there earns half its length, not nothing."""
    headings = [
        "What the engineers found",
        "What drivers must do",
        "What happens to the buses",
        "How old the bridge is",
    ]
    story = [TOLD[0]]
    for heading, paragraph in zip(headings, TOLD[1:], strict=True):
        story += [heading, paragraph]
    body = _body([*HEAD, *story, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)


def test_box_about_the_writer_ends_the_story() -> None:
    """A name alone, then a paragraph about that person, under the story, the
    name printed over the story too (the byline): the writer's box (in any
    language), and what follows it, is no part of the story."""
    box = [
        "Jane Doe",
        "Jane Doe is a reporter at The Town Paper, where she has covered the council, "
        "its roads and its bridges since 2015.",
        "More by this writer",
        "Council votes to keep the library open on Sundays after a long campaign",
    ]
    german = [
        "Erika Mustermann",
        "Redakteurin",
        "Seit 2019 bei der Zeitung. Interessiert sich vor allem für Verkehr, Brücken und "
        "die Arbeit des Stadtrats.",
    ]
    for lines in (box, german):
        byline = f"By {lines[0]}"
        body = _body([*HEAD[:3], byline, *HEAD[3:], *TOLD, *lines, "© 2024 The Town Paper"])
        assert all(p[:40] in body for p in TOLD)
        assert "reporter at" not in body and "Seit 2019" not in body


def test_list_of_names_each_over_its_paragraph_ends_nothing() -> None:
    """A list of people or products, each name over a paragraph opening with it,
    names them nowhere over the story: no box about the writer."""
    items = [
        "Stella Brand",
        "Stella Brand is a pioneer of clothes made from old fabric, and sells them in "
        "shops across the county and on its own website.",
        "Harbour Lights",
        "Harbour Lights makes lamps from driftwood collected on the beaches near the "
        "town, and sells them at the Saturday market by the river.",
    ]
    body = _body([*HEAD[:3], "By Jane Doe", *HEAD[3:], *TOLD, *items, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in [*TOLD, items[1], items[3]])


def test_box_about_the_writer_inside_the_story_ends_nothing() -> None:
    """The same box between the story's paragraphs, its prose going on under it."""
    box = [
        "Jane Doe",
        "Jane Doe is a reporter at The Town Paper, where she has covered the council, "
        "its roads and its bridges since 2015.",
    ]
    page = [*HEAD[:3], "By Jane Doe", *HEAD[3:], *TOLD[:3], *box, *TOLD[3:]]
    body = _body([*page, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)


def test_name_over_a_paragraph_about_someone_else_ends_nothing() -> None:
    """A caption naming a person over a paragraph that does not open with the
    name is no box about the writer."""
    lines = [
        "John Paulson",
        "The bridge's engineer, John Paulson, said the piers could be mended by winter "
        "if the council found the money for the work this year.",
    ]
    body = _body([*HEAD, *TOLD[:4], *lines, TOLD[4], "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in [*TOLD, lines[1]])


# The next story, printed under the story with its own header (about another
# thing: a story printed on under a box shares the story's words).
NEXT_STORY = [
    "Ferry to the island will sail twice a day from June",
    "Anna Berg",
    "May 2, 2024 - 16:25",
    "The ferry to the island will sail twice a day from June, the shipping company "
    "said on Thursday, after islanders asked for a second crossing each afternoon.",
    "Islanders had asked for a second crossing for years, saying that one boat a day "
    "left them no way to work on the mainland and come home on the same evening.",
    "The company said the second crossing would leave the harbour at five o'clock and "
    "reach the island an hour later, in time for the last bus to the villages.",
    "Tickets for the new crossing will cost the same as for the morning boat, and "
    "children under twelve will travel free, the company said in its statement.",
    "The shipping company said it would hire four more crew for the summer, and that "
    "the older of its two boats would be painted and mended before the first crossing.",
]


def test_next_story_under_the_story_stays_out() -> None:
    """Pages that print the next story under this one: its header (a byline over
    a time line) under the story's paragraphs ends the story."""
    (article,) = read_page(
        "\n".join([*HEAD, *TOLD, *NEXT_STORY, "© 2024 The Town Paper"]).encode(), OPTIONS
    ).articles
    body = f"{article.summary}\n{article.body}"
    assert article.title == HEAD[2]
    assert all(p[:40] in body for p in TOLD)
    assert "ferry" not in body.lower() and "Anna Berg" not in body


def test_dated_update_inside_the_story_ends_nothing() -> None:
    """A time line with no byline over it, under the story's paragraphs and over
    more of them (an update to the story), does not end it."""
    update = ["Update: May 2, 2024 - 16:25", *TOLD[3:]]
    body = _body([*HEAD, *TOLD[:3], *update, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)


def test_list_announced_by_the_last_paragraph_is_kept() -> None:
    """A story ending in a sentence that announces a list ("…:") goes on with the
    list's items, lines of a few words each; a stop marker under them ends it."""
    announced = (
        "The council listed the roads that drivers should take while the bridge is "
        "closed, and asked them to allow more time:"
    )
    items = ["The ring road east of the town", "Mill Lane and the old ford", "The bypass at Upton"]
    body = _body([*HEAD, *TOLD, announced, *items, "Related stories", "Town fair returns in June"])
    assert all(item in body for item in items)
    assert "fair" not in body


def test_label_over_tags_announces_no_list() -> None:
    """A label ending in a colon ("Topics:") is no paragraph: the tags under it
    stay out."""
    tags = ["Roads and transport news", "Town council meetings", "Bridges of the county"]
    body = _body([*HEAD, *TOLD, "Topics:", *tags, "© 2024 The Town Paper"])
    assert "Roads and transport news" not in body and "Bridges of the county" not in body
