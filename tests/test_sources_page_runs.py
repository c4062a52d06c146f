"""Which run of prose is the story's on a page of any publisher (issue 12): a
comment count printed in the story's header does not end a story not yet told.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

import pytest

from digest.sources.pagegeneric import header_count, main_run
from digest.sources.pages import read_page

from .test_sources_page_boxes import OPTIONS, TOLD

HEADLINE = "Bridge closed to cars after engineers find cracks"
# A site's blurb about itself, long enough to read as a story of its own.
BLURB = (
    "The Town Paper is an independent local newspaper that has reported on the "
    "council, the schools, the courts and the sports clubs of the county since 1921, "
    "and is read by more than forty thousand families in the towns and villages of the "
    "valley every week."
)
MENU = ["News", "Sport", "Business", "Schools", "Weather", "Letters", "Shop"]
COMMENTS = [
    "Anna Berg on May 2, 2024 at 8:50 pm said:",
    "The council should have mended the piers years ago, when the cracks were first "
    "reported by the people who walk across the bridge every single day.",
    "Tom Hill on May 2, 2024 at 9:10 pm said:",
    "Ten minutes is far too optimistic for the ring road in the morning, it is already "
    "full of lorries going to the quarry and the new warehouses by the river.",
]


def _read(lines: list[str]) -> tuple[str, str]:
    (article,) = read_page("\n".join(lines).encode(), OPTIONS).articles
    return article.title, f"{article.summary}\n{article.body}"


def test_comment_count_in_the_header_under_a_site_blurb() -> None:
    """The site's blurb above the menus is one paragraph: the "0 Comments" by
    the story's byline heads no comments, the story under it is the main run."""
    header = [HEADLINE, "By Jane Doe", "0 Comments", "Likes"]
    lines = ["Home", BLURB, *MENU, *MENU, *header, *TOLD, "© 2024 The Town Paper"]
    run = main_run(lines, [OPTIONS.boilerplate.stops(line) for line in lines])
    assert run is not None
    assert lines[run.start : run.end] == TOLD


def test_comment_count_under_the_first_paragraph() -> None:
    """A count and share buttons printed under the story's first paragraph: the
    story goes on under them, and its headline stays the one over it."""
    chrome = ["124 Comments", "Share this:", "Bluesky", "Mastodon", "Threads"]
    lines = ["Home", HEADLINE, "By Jane Doe, May 2, 2024", TOLD[0], *chrome, *TOLD[1:]]
    title, body = _read(lines)
    assert all(p[:40] in body for p in TOLD)
    assert title == HEADLINE


def test_comment_count_under_a_told_story_still_ends_it() -> None:
    """Under a story of some paragraphs the count heads readers' comments."""
    header = [HEADLINE, "May 2, 2024", "By Jane Doe"]
    _, body = _read(["Home", *MENU, *header, *TOLD, "2 Comments", *COMMENTS])
    assert all(p[:40] in body for p in TOLD)
    assert "optimistic" not in body and "mended" not in body


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("124 Comments", True),
        ("1 comment", True),
        # The same in the languages whose word for comments the data knows
        # (``boilerplate.toml``'s [reader] table), for a source's own stop rules.
        ("12 Kommentare", True),
        ("3 commentaires", True),
        ("7 comentarios", True),
        ("5 reacties", True),
        ("124 Comments so far", False),
        ("Comments", False),
        ("124 responses", False),
    ],
)
def test_a_bare_comment_count_in_any_known_language(line: str, count: bool) -> None:
    """A count and the word for comments alone is the header's count."""
    assert header_count(line, 0) is count
    assert not header_count(line, 3)


def test_all_comments_with_their_count_head_readers_comments() -> None:
    """ "All Comments 4" (the count after the words) heads the comments as "All
    comments" does: they stay out of the story."""
    comments = [
        "Anna Berg says:",
        "The council should have mended the piers years ago, when the cracks were first "
        "reported by the people who walk across the bridge every single day, and it is a "
        "shame that it took an inspection and a closed road for anyone to listen to them.",
        "Log in to Reply",
        "Tom Hill says:",
        "Ten minutes is far too optimistic for the ring road in the morning, it is already "
        "full of lorries going to the quarry and the new warehouses by the river, and the "
        "buses that still cross the bridge will be the only quick way into the town.",
    ]
    header = [HEADLINE, "May 2, 2024", "By Jane Doe"]
    _, body = _read(["Home", *MENU, *header, *TOLD, "All Comments 4", *comments])
    assert all(p[:40] in body for p in TOLD)
    assert "optimistic" not in body and "mended" not in body


def test_most_read_under_the_story_ends_it() -> None:
    """ "Most Read" (dropped as a sidebar's label before) heads other stories' list
    under the story: their headlines and blurbs stay out."""
    teasers = [
        "Most Read",
        "Council names new head of roads after twenty years",
        "Roads",
        "The town council named a new head of roads on Monday, after the engineer who held "
        "the post for twenty years retired in the spring, the council said in a statement.",
        "Ring road to get new traffic lights next month",
        "Traffic",
        "The ring road to the east of the town will get new traffic lights next month, the "
        "council said, as more drivers use the road while the old bridge is closed to cars.",
    ]
    header = [HEADLINE, "May 2, 2024", "By Jane Doe"]
    _, body = _read(["Home", *MENU, *header, *TOLD, *teasers, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert "head of roads" not in body and "traffic lights" not in body


def test_all_comments_with_their_count_end_the_story_before_a_longer_thread() -> None:
    """Under "All Comments 4" a thread longer than the story is readers' comments,
    not a later run that outweighs the story (:func:`comment_thread`)."""
    thread = [
        f"Reader {n} says: the council should have mended the piers of the old bridge years "
        f"ago, when the cracks were first reported by the people who walk across it every "
        f"day, and now the ring road will be full of lorries for months, comment {n}."
        for n in range(12)
    ]
    header = [HEADLINE, "May 2, 2024", "By Jane Doe"]
    _, body = _read(["Home", *MENU, *header, *TOLD, "All Comments 4", *thread])
    assert all(p[:40] in body for p in TOLD)
    assert "Reader" not in body
