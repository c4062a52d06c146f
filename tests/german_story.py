"""A short German story shared by the page reader's headline tests: a lead and a
second paragraph, the time the page was saved, and how those tests read a page."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

SAVED = datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
LEAD = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Autos zu sperren, "
    "nachdem Ingenieure tiefe Risse in zwei ihrer Pfeiler gefunden hatten."
)
MORE = (
    "Die Arbeiten an einer neuen Brücke sollen im Mai beginnen und zwei Jahre dauern, "
    "teilte die Stadt mit. Bis dahin müssen Autofahrer die Umgehungsstraße nehmen."
)
#: A one-paragraph story of the titles tests (a seminar announcement).
#: An English story of the same shape, for pages whose dates are read in English.
ENGLISH_LEAD = (
    "The city council voted on Tuesday to close the old bridge to cars after engineers "
    "found deep cracks in two of its piers, and the work is to start in the spring."
)
ENGLISH_MORE = (
    "Work on a new bridge is to begin in May and take two years, the city said. Until "
    "then drivers will have to take the ring road that runs to the east of the town."
)
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


def paragraphs(topic: str, n: int) -> list[str]:
    """``n`` ordinary English paragraphs about ``topic``: the main run of prose a
    headline test puts under its candidate lines."""
    return [
        f"{topic} is part {k} of a routine that many people have come to rely on, and it "
        f"takes only a few minutes each day to see what it does for the rest of the week."
        for k in range(n)
    ]
