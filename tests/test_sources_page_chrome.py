"""What ends a story on a page of any publisher, in more wordings, and the dates
of a page's foot and of a teaser under the story (issue 12, stop 27).
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from datetime import datetime

import pytest

from digest.sources.pages import read_page

from .test_sources_page_boxes import HEAD, OPTIONS, TOLD

# A bio of the writer, printed as prose under the story: without a heading that
# ends the story, it reads as one more paragraph of it.
BIO = [
    "Jane Doe has written about farming, local politics and the weather for the "
    "paper since 2015, and before that taught history at a school in the north.",
    "She lives with her husband and two dogs on a smallholding outside the village, "
    "where she keeps bees and grows far more courgettes than anyone could eat.",
]


def _read(lines: list[str]) -> tuple[str, datetime]:
    (article,) = read_page("\n".join(lines).encode(), OPTIONS).articles
    return f"{article.summary}\n{article.body}", article.published_at


@pytest.mark.parametrize(
    "heading",
    [
        "Related Topics:",  # a colon after the usual heading
        "Discussion about this post",  # a blog platform's readers' thread
        "Was this article helpful?",  # a feedback box
        "Previous Post: « Ten walks along the river",  # the neighbouring posts
        "Previous Post Next Post",
        "Submit a correction",
        "The Author",  # an author's box, in other wordings and languages
        "Über die Autorin",
        "Sobre o autor",
        "Written by",
        "Article Sources",  # a guide's list of sources
        "Sources",
        "Related articles on Example.com",
        "Read these next",
        "More you might like",
        "Související",  # Czech: "related"
        # A blog theme's lines under a post, in English and German.
        "Ähnliche Beiträge",
        "Kommentar verfassen",
        "Dieser Beitrag wurde am 3. Mai 2024 veröffentlicht",
        "This entry was posted in News and tagged bridge.",
        "11 Antworten zu „Brücke gesperrt“",
        "Kategorien: Verkehr, Stadt",
        "Blog at WordPress.com.",
    ],
)
def test_heading_under_the_story_ends_it(heading: str) -> None:
    body, _ = _read([*HEAD, *TOLD, heading, *BIO, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert "smallholding" not in body and "Jane Doe" not in body


def test_without_the_heading_the_bio_reads_as_story() -> None:
    """The other tests' page without its heading (what they would fail on)."""
    body, _ = _read([*HEAD, *TOLD, *BIO, "© 2024 The Town Paper"])
    assert "smallholding" in body


@pytest.mark.parametrize(
    "link",
    [
        "Les også: Tone Damli ofret musikkarrieren for barna",
        "Lesen Sie auch: Die Brücke über den Fluss wird gesperrt",
        "Leggi anche: Il ponte sul fiume chiude alle auto",
        "À lire aussi : Le pont sur la rivière fermé aux voitures",
    ],
)
def test_read_also_link_inside_the_story_is_dropped(link: str) -> None:
    """A link to another story printed inside the text, in the commoner European
    languages, leaves the text; the story goes on under it."""
    body, _ = _read([*HEAD, *TOLD[:3], link, *TOLD[3:], "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert link not in body


@pytest.mark.parametrize(
    "button",
    [
        "Speichern",
        "Merken",
        "Teilen",
        "Partager",
        "Condividi",
        "Share this:",  # a blog's share row's label
        "Teilen mit:",
        "Beitrag teilen",
        "Teile diesen Beitrag auf",
        "Rezept drucken",
        "Share this article:",
        "Back to top",  # between a long guide's parts
    ],
)
def test_buttons_in_other_languages_are_dropped(button: str) -> None:
    body, _ = _read([*HEAD, *TOLD[:2], button, *TOLD[2:], "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert f"\n{button}\n" not in f"\n{body}\n"


def test_page_last_modified_at_the_foot_gives_the_date() -> None:
    """An agency's page prints its date only at its foot: "Page last modified
    Jan. 17, 2025 @ 01:39 PM EST" (health services: "Page last reviewed: …")."""
    head = ["Home", "Bridge closed to cars after engineers find cracks"]
    references = [f"Bridge inspection report, part {n}" for n in range(1, 7)]
    foot = [
        "References",
        *references,
        "Page last modified May 2, 2024 @ 01:39 PM EST",
        "About us",
    ]
    _, published = _read([*head, *TOLD, *foot])
    assert published.date() == datetime(2024, 5, 2).date()


def test_teaser_date_later_than_the_pages_update_is_not_its_publication() -> None:
    """The header prints only the last update; a teaser's date printed inside the
    text under the story is later than that update: it is another story's, so the
    update stands for the publication."""
    head = [
        "Home",
        "Bridge closed to cars after engineers find cracks",
        "Last Modified: May 1, 2024",
    ]
    teasers = ["Town football club signs a new goalkeeper for the season", "May 3, 2024"]
    _, published = _read([*head, *TOLD, *teasers, *TOLD[:1], "© 2024 The Town Paper"])
    assert published.date() == datetime(2024, 5, 1).date()


def test_readers_comments_under_a_blogs_comment_form_do_not_become_the_story() -> None:
    """Under a German blog's comment form ("Hinterlasse einen Kommentar") the
    readers' comments follow, longer than the story: the story stays the text."""
    comments = [
        f"Reader {n} wrote that the council should have closed the old bridge years "
        "ago, because everyone in the village had seen the stones crumbling and the "
        "water rising under the arches every single winter since the great flood."
        for n in range(1, 16)
    ]
    body, _ = _read([*HEAD, *TOLD, "Hinterlasse einen Kommentar", *comments])
    assert all(p[:40] in body for p in TOLD)
    assert "Reader" not in body


@pytest.mark.parametrize(
    "sentence",
    [
        # A sentence of the story opening like a related-links heading: it ends in
        # a full stop, as no heading does.
        "More stories from survivors emerged on Tuesday.",
        "Related posts on the forum went up overnight.",
        # A subheading counting answers ("5 réponses à vos questions"): a blog's
        # count of replies quotes the post's title after it.
        "5 réponses à vos questions",
        "3 respuestas a la crisis del puente",
        "10 Antworten auf die wichtigsten Fragen",
    ],
)
def test_a_line_of_the_story_worded_like_a_heading_does_not_end_it(sentence: str) -> None:
    body, _ = _read([*HEAD, *TOLD[:3], sentence, *TOLD[3:], "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)


@pytest.mark.parametrize(
    "heading",
    [
        "5 réponses à « Le pont est fermé »",
        "3 respuestas a “El puente”",
        "12 risposte a “Il ponte”",
    ],
)
def test_a_count_of_replies_quoting_the_post_ends_it(heading: str) -> None:
    body, _ = _read([*HEAD, *TOLD, heading, *BIO, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert "smallholding" not in body
