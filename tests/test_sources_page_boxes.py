"""A box inside a story on a page (a newsletter sign-up, a related-links box)
does not end the story when its prose resumes under the box, strongly and about
the same thing (issue 12); teasers of other stories and a site's short blurbs
under such a box stay out.  The figures on real pages are printed by
``tools/score_pages.py``."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

OPTIONS = ReadOptions(
    "p.txt",
    boilerplate=Boilerplate.builtin(),
    reference_time=datetime(2024, 5, 3, 18, 0, tzinfo=UTC),
)
HEAD = ["Home", "News", "Bridge closed to cars after engineers find cracks", "May 2, 2024"]
TOLD = [
    "The city council voted on Tuesday to close the old river bridge to cars after "
    "engineers found deep cracks in two of its stone piers during an inspection.",
    "The engineers said the cracks in the bridge piers had grown since the last "
    "inspection of the bridge, and that the council could not wait for the spring.",
    "Drivers who cross the river bridge each morning will have to take the ring road "
    "to the east of the town, which the council said would add about ten minutes.",
    "Buses will still cross the bridge for now, the council said, but the engineers "
    "will look at the piers again next week and may close the bridge to them too.",
    "The bridge was built of stone in 1870 and has carried cars across the river since "
    "the 1920s, when the council first paved the road that runs over the old piers.",
]
RESUMED = [
    "Work on a new bridge over the river is to begin in May and take two years, the "
    "council said, and the engineers will keep watching the cracks in the old piers.",
    "Shops near the bridge fear that fewer drivers will stop in the town while the "
    "bridge is closed to cars, and asked the council to help them through the work.",
]
SIGN_UP = ["Sign up for our daily newsletter", "Get the news that matters in your inbox"]


def _body(lines: list[str]) -> str:
    (article,) = read_page("\n".join(lines).encode(), OPTIONS).articles
    return f"{article.summary}\n{article.body}"


def test_story_goes_on_under_a_sign_up_box() -> None:
    body = _body([*HEAD, *TOLD, *SIGN_UP, *RESUMED, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD + RESUMED)
    assert "Sign up" not in body and "inbox" not in body


def test_teasers_under_a_related_box_stay_out() -> None:
    """Other stories' headlines and blurbs alternate: no two paragraphs in a row."""
    teasers = [
        "Council names new head of roads",
        "The town council named a new head of roads on Monday, after the bridge engineer "
        "who held the post for twenty years retired in the spring, the council said.",
        "Ring road to get new lights",
        "The ring road to the east of the town will get new traffic lights next month, "
        "the council said, as more drivers use the road while the bridge is closed.",
    ]
    body = _body([*HEAD, *TOLD, "Related articles", *teasers, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD)
    assert "new head of roads" not in body and "traffic lights" not in body


def test_short_blurbs_under_a_sign_up_box_stay_out() -> None:
    blurbs = [
        "Visit our shop to buy framed prints of the old river bridge and the town.",
        "Please donate to keep the news of the river bridge coming to the town.",
    ]
    body = _body([*HEAD, *TOLD, *SIGN_UP, *blurbs, "© 2024 The Town Paper"])
    assert "Visit our shop" not in body and "donate" not in body


def test_story_goes_on_under_a_box_after_three_paragraphs() -> None:
    """A box may stand early in a story: three paragraphs over it are enough for
    the story to resume under it (with five, the run ended at the box)."""
    body = _body([*HEAD, *TOLD[:3], *SIGN_UP, *TOLD[3:], *RESUMED, "© 2024 The Town Paper"])
    assert all(p[:40] in body for p in TOLD + RESUMED)
    assert "Sign up" not in body and "inbox" not in body
