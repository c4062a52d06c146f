"""What the selector's stages pass to each other: candidates and stories.

Each stage takes these and returns what it kept; what it leaves out becomes a
:class:`~digest.model.Rejection` with a typed :class:`~digest.model.LeftOut` kind.
All times are tz-aware UTC.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from ..model import Article, CapLift, LeftOut, Rejection
from .genre import GenreCall
from .outlets import Outlet
from .sections import SectionCall
from .similarity import Fields, Vector


@dataclass(slots=True)
class Candidate:
    """An article that passed the window and section stages."""

    article: Article
    outlet: Outlet
    call: SectionCall
    genre: GenreCall
    vector: Vector | None = None
    pinned: bool = False
    #: Headline, standfirst and body words (kept only when memory needs them).
    fields: Fields = ((), (), ())
    #: The article's own weight (recency × source × quality), set by importance.
    own: float = 0.0


class Explain(Enum):
    """A place in a story's reasons for sentences written only if it is picked
    (:func:`~digest.select.importance.explain_scores`): a big pool's stories are
    mostly left out, and their sentences would outweigh the rest of a selection."""

    #: The lead's section call and the score with its factors.
    SCORE = "score"
    #: The other members and the outlets that also reported the story.
    MEMBERS = "members"


@dataclass(slots=True)
class Story:
    """Candidates telling the same story; the first member leads."""

    members: list[Candidate]
    #: Each member's likeness to the story when it joined (by article id), while
    #: clustering writes it into the rejections; see :meth:`likeness`.
    similarity: dict[str, float] | None = None
    score: float = 0.0
    #: A tuple, not a list, and no dict above until needed: a big pool has tens of
    #: thousands of stories, most with no reason of their own and one member.
    reasons: tuple[str | Explain, ...] = ()
    #: Outlets other than the lead's, in the order they joined.
    also: tuple[str, ...] = ()
    #: The event (a group of related stories) this story belongs to.
    event: int = -1
    #: Picked in a recent edition and substantially updated since.
    repeat: bool = False
    #: Why diversity took it past a cap, if it did (:class:`~digest.model.CapLift`).
    cap_lifted: CapLift | None = None

    def likeness(self) -> dict[str, float]:
        """The members' likeness to the story (:attr:`similarity`), made on first use."""
        if self.similarity is None:
            self.similarity = {}
        return self.similarity

    @property
    def lead(self) -> Candidate:
        """The member whose headline the edition shows."""
        return self.members[0]

    def outlets(self) -> list[Outlet]:
        """The distinct outlets telling the story, lead's first."""
        seen: dict[str, Outlet] = {}
        for member in self.members:
            seen.setdefault(member.outlet.key, member.outlet)
        return list(seen.values())


@dataclass(slots=True)
class SameStory:
    """A member left out of its story (``SAME_STORY``), its sentence written only
    when the edition is made (:meth:`rejection`): a big pool has tens of thousands,
    and their sentences, held from clustering on, were much of a selection's peak."""

    member: Candidate
    #: The story's lead article.
    lead: Article
    #: The member it is a near-identical copy of, if any.
    original: Article | None
    #: Its likeness to the story, as the sentence prints it ("0.83"; shared).
    likeness: str

    def rejection(self) -> Rejection:
        """The member's rejection, with its sentence."""
        lead, original = self.lead, self.original
        how = f"near-identical copy of {original.id}" if original else "similarity"
        return left_out(
            self.member.article,
            LeftOut.SAME_STORY,
            f"same story as {lead.id} ({lead.title}): {how}, {self.likeness}",
            self.member.own,
        )


_T = TypeVar("_T", bound=Hashable)


class Shared(Generic[_T]):
    """One copy of each distinct value seen: a value equal to an earlier one is
    replaced by it.  A big pool's items mostly share their section call and the
    sentence that leaves them out; kept once, they cost nothing per item."""

    def __init__(self) -> None:
        self._seen: dict[_T, _T] = {}

    def __call__(self, value: _T) -> _T:
        """The first value seen equal to ``value`` (``value`` itself if none)."""
        return self._seen.setdefault(value, value)


def left_out(
    article: Article,
    kind: LeftOut,
    reason: str,
    score: float | None = None,
    *,
    texts: Shared[str] | None = None,
) -> Rejection:
    """A rejection whose reason starts with its kind's words, as the CLI shows it
    (one copy of each sentence when ``texts`` is given)."""
    text = reason if reason.startswith(kind.value) else f"{kind.value}: {reason}"
    if texts is not None:
        text = texts(text)
    return Rejection(article, text, None if score is None else round(score, 4), kind)


__all__ = ["Candidate", "Explain", "SameStory", "Shared", "Story", "left_out"]
