"""The main run of prose found by stop 31's pass (issue 12): a run of prose far
under the story, past a sidebar's and a footer's lists of links (a legal notice,
a blog's blurb), must be much larger than the story to be taken for it.  The
figures are in the README."""

from __future__ import annotations

from digest.sources.pagegeneric import main_run

from .german_story import ENGLISH_LEAD, ENGLISH_MORE, read_lines

HEADLINE = "City shuts the old bridge to cars after cracks are found"
#: A sidebar and a footer: single labels, no sentence among them.
SIDEBAR = [f"Archive {month}" for month in ("January", "February", "March", "April")] * 8
#: A footer's notice, a little longer than the story but no story.
NOTICE = (
    "This website links now and then to pages run by others, over whose content we have "
    "no influence whatsoever, so we can take no responsibility for what those pages say "
    "or show; the operators of each linked page alone are responsible for it, and any "
    "link found to break the law on inspection is removed from here at once, as soon as "
    "we learn of it through a reader's note or our own regular checks of everything "
    "that we have linked to over the years."
)


def _page() -> list[str]:
    return ["Home", "News", HEADLINE, "May 3, 2024", ENGLISH_LEAD, ENGLISH_MORE, *SIDEBAR, NOTICE]


def test_a_footers_notice_far_under_the_story_is_not_the_story() -> None:
    """The notice outweighs the story by a few words; it stands 32 label lines
    under it, with no stop marker between: the story above is the main run, and
    its headline names the page."""
    lines = _page()
    run = main_run(lines, [False] * len(lines))
    assert run is not None and lines[run.start] == ENGLISH_LEAD
    article = read_lines(lines)
    assert article.title == HEADLINE
    assert NOTICE not in article.body


def test_a_much_larger_run_far_under_a_short_opening_still_wins() -> None:
    """A page opening with a short paragraph over a long table, its story far
    under the table, is read from that story: the later run wins when it is much
    larger (here three times the opening's size)."""
    story = [ENGLISH_LEAD, ENGLISH_MORE] * 3
    lines = ["Intro", ENGLISH_LEAD, ENGLISH_MORE, *SIDEBAR, "Why it matters", *story]
    run = main_run(lines, [False] * len(lines))
    assert run is not None and run.start == len(lines) - len(story)
