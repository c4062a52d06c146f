"""A short German story shared by the page reader's tests: a lead and a second
paragraph, a standfirst, an English story of the same shape, the times the pages
count as saved, and how those tests read a page."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

SAVED = datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
#: When the English headline pages count as saved (after every date they print).
LATE_SAVED = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
#: When the English date pages count as saved (after every date they print).
LATER = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
#: How the tests read a page saved at ``SAVED``, for the rules' functions themselves.
OPTIONS = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=SAVED)
LEAD = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Autos zu sperren, "
    "nachdem Ingenieure tiefe Risse in zwei ihrer Pfeiler gefunden hatten."
)
MORE = (
    "Die Arbeiten an einer neuen Brücke sollen im Mai beginnen und zwei Jahre dauern, "
    "teilte die Stadt mit. Bis dahin müssen Autofahrer die Umgehungsstraße nehmen."
)
#: An English story of the same shape, for pages whose dates are read in English.
ENGLISH_LEAD = (
    "The city council voted on Tuesday to close the old bridge to cars after engineers "
    "found deep cracks in two of its piers, and the work is to start in the spring."
)
ENGLISH_MORE = (
    "Work on a new bridge is to begin in May and take two years, the city said. Until "
    "then drivers will have to take the ring road that runs to the east of the town."
)
#: The German story's standfirst, printed under its headline.
STANDFIRST = (
    "Ingenieure haben tiefe Risse in den Pfeilern der alten Brücke gefunden. Der Stadtrat "
    "sperrt sie für Autos, bis eine neue gebaut ist."
)
#: A blog's menu over the headline tests' English pages.
BLOG_MENU = ["Home", "Blog", "Projects", "About", "Contact"]
#: A one-paragraph story of the titles tests (a seminar announcement).
STORY = (
    "Der Verband bietet im Frühjahr zwei neue Seminare an, die sich mit der Kommunikation "
    "in sozialen Medien und mit dem Umgang mit der Presse befassen, und lädt dazu ein."
)


def read_lines(lines: list[str], saved: datetime = SAVED) -> Article:
    """The one article a page dump of these ``lines`` holds, read with the
    built-in boilerplate rules as if saved at ``saved``."""
    options = ReadOptions("p.txt", boilerplate=Boilerplate.builtin(), reference_time=saved)
    (article,) = read_page("\n".join(lines).encode(), options).articles
    return article


def read_late(lines: list[str]) -> Article:
    """The one article of ``lines`` read as if saved at ``LATE_SAVED``."""
    return read_lines(lines, LATE_SAVED)


def paragraphs(topic: str, n: int) -> list[str]:
    """``n`` ordinary English paragraphs about ``topic``: the main run of prose a
    headline test puts under its candidate lines."""
    return [
        f"{topic} is part {k} of a routine that many people have come to rely on, and it "
        f"takes only a few minutes each day to see what it does for the rest of the week."
        for k in range(n)
    ]


#: An English story of four paragraphs, for the date tests' English pages.
WALK_STORY = paragraphs("The morning walk", 4)
