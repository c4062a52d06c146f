"""A story that goes on under a list of long item lines (a checklist, a guide's
steps, a product's specs) is one run on a page of any publisher (issue 12); a
list of other stories' headlines under a story still keeps out what follows it.
The figures on real pages are printed by ``tools/score_pages.py``."""

from __future__ import annotations

from digest.sources.pagegeneric import list_item, main_run
from digest.sources.pages import read_page

from .test_sources_page_boxes import HEAD, OPTIONS, RESUMED, TOLD
from .test_sources_page_runs import BLURB

# A checklist's steps: long lines, their parts set off by commas and brackets, no
# sentence end.
CHECKLIST = [
    f"{step}, {detail} (about {minutes} minutes each way)"
    for step, detail, minutes in [
        ("Check the ring road before you leave", "as the lorries use it too", 10),
        ("Take the early bus over the bridge", "which still crosses for now", 5),
        ("Park at the station on the east bank", "then walk over the footbridge", 15),
        ("Share a car with a neighbour on the ring road", "or ask your employer", 10),
        ("Cycle along the river path to the weir", "then cross at the lock gates", 20),
        ("Leave the car at the school on the west bank", "if the head agrees", 5),
    ]
    for _ in range(3)
]
# Other stories' headlines, set off by a dash or a colon as headlines often are.
RELATED = [
    "Council to vote on new bridge – work could start in May next year",
    "Ring road: lorries to be banned from the town centre during rush hour",
    "Stone piers of the old mill bridge cracked too – engineers to look again",
    "Quarry traffic on the ring road doubles as new warehouses open by the river",
]


def _body(lines: list[str]) -> str:
    (article,) = read_page("\n".join(lines).encode(), OPTIONS).articles
    return f"{article.summary}\n{article.body}"


def test_story_goes_on_under_a_checklist() -> None:
    """The story's paragraphs under a long checklist are the story's: the steps
    cost nothing, so the paragraphs above and under the list are one run."""
    body = _body([*HEAD, *TOLD[:3], *CHECKLIST, *RESUMED, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in [*TOLD[:3], *RESUMED])


def test_checklist_between_paragraphs_is_one_run() -> None:
    """The run found over a checklist spans it (the lines read as items)."""
    lines = ["Home", *TOLD[:3], *CHECKLIST, *RESUMED]
    run = main_run(lines, [OPTIONS.boilerplate.stops(line) for line in lines])
    assert run is not None
    assert (run.start, run.end) == (1, len(lines))
    assert all(map(list_item, CHECKLIST))


def test_related_headlines_are_no_items() -> None:
    """Headlines of other stories (a dash or a colon, no comma or bracket) and
    Title Case lines are no items: a site's blurb under them stays out."""
    assert not any(map(list_item, RELATED))
    assert not list_item("Council Votes To Close The Old Bridge, Drivers To Use Ring Road")
    body = _body([*HEAD, *TOLD, *RELATED * 3, BLURB])
    assert all(p[:40] in body for p in TOLD)
    assert BLURB[:40] not in body
