"""Same-story clustering: items telling one story become one :class:`Story`.

Items join stories in publication order (a story grows as outlets pick it up),
which makes the grouping independent of the scoring weights; see
:mod:`digest.select.similarity` for the keyword vectors and the near-linear index.
Every member but the lead is left out with kind ``SAME_STORY``, naming the lead
and whether it is a near-identical copy (wire copy under a new headline).
"""

from __future__ import annotations

from array import array

from ..config import SelectSettings
from ..model import LeftOut, Rejection
from .candidates import Candidate, Story, left_out
from .similarity import (
    MEMBERS_COMPARED,
    GroupIndex,
    Vocabulary,
    article_fields,
    resemblance,
    shingles,
)

#: Body resemblance (Jaccard of 5-word shingles) at which two items are copies.
COPY_RESEMBLANCE = 0.8
#: Members of a story whose likeness to each other picks its lead.
CENTRALITY_SAMPLE = 12


def cluster(
    candidates: list[Candidate], settings: SelectSettings, *, keep_fields: bool = False
) -> tuple[list[Story], list[Rejection]]:
    """Collapse same-story candidates; the best (pinned first, then by own weight)
    leads each story.  Returns the stories and the members left out."""
    vocabulary = Vocabulary()
    stems: dict[str, str] = {}
    # Each item's words are kept as 4-byte numbers between counting them and making
    # its vector, and the stems dropped before the vectors are made: a big pool's
    # word lists and stems, beside its vectors, would be the most a selection holds.
    numbered = []
    for c in candidates:
        found = article_fields(c.article, stems)
        vocabulary.count(found)
        numbered.append(vocabulary.numbered(found))
        if keep_fields:
            c.fields = found
    del stems
    done = array("i")
    for n, c in enumerate(candidates):
        c.vector = vocabulary.vector(vocabulary.fields(numbered[n]))
        numbered[n] = done
    # The vectors keep the list of words; the word numbers can go before the
    # stories are made.
    del vocabulary, numbered
    ordered = sorted(candidates, key=lambda c: (not c.pinned, c.article.published_at, c.article.id))
    index = GroupIndex(settings.story_similarity, settings.same_story_threshold)
    stories: list[Story] = []
    for c in ordered:
        assert c.vector is not None
        # A pinned article always leads its own story: the editor chose it.
        match = None if c.pinned else index.nearest(c.vector)
        if match is None:
            index.put(c.vector)  # group numbers follow story numbers
            stories.append(Story([c]))
            continue
        index.put(c.vector, match.group)
        story = stories[match.group]
        story.members.append(c)
        story.similarity[c.article.id] = match.similarity
    rejections = [r for story in stories for r in _lead_and_rest(story)]
    for story in stories:
        story.similarity.clear()  # written into the rejections; not needed after
    return stories, rejections


def _lead_and_rest(story: Story) -> list[Rejection]:
    first = story.lead
    central = _centrality(story.members)
    # The lead is the report that best tells the story: hard news, most like the
    # other members (a side angle or a late follow-up is not), then the freshest.
    story.members.sort(
        key=lambda c: (
            not c.pinned,
            not c.genre.hard,
            -round(central.get(c.article.id, 0.0), 2),
            -c.own,
            c.article.id,
        )
    )
    if story.lead is not first:
        assert first.vector is not None and story.lead.vector is not None
        story.similarity[first.article.id] = first.vector.cosine(story.lead.vector)
    lead = story.lead.article
    # Copies are checked against the first few members (the lead among them).
    compared = [(m.article, shingles(m.article.body)) for m in story.members[:MEMBERS_COMPARED]]
    rejections = []
    for other in story.members[1:]:
        body = shingles(other.article.body)
        original = next(
            (
                a
                for a, s in compared
                if a.id != other.article.id and resemblance(body, s) >= COPY_RESEMBLANCE
            ),
            None,
        )
        how = f"near-identical copy of {original.id}" if original else "similarity"
        sim = story.similarity[other.article.id]
        rejections.append(
            left_out(
                other.article,
                LeftOut.SAME_STORY,
                f"same story as {lead.id} ({lead.title}): {how}, {sim:.2f}",
                other.own,
            )
        )
    return rejections


def _centrality(members: list[Candidate]) -> dict[str, float]:
    """Each member's mean similarity to the others (the first :data:`CENTRALITY_SAMPLE`
    members, so a story of thousands costs no more than one of dozens)."""
    sample = [m for m in members[:CENTRALITY_SAMPLE] if m.vector is not None]
    if len(sample) < 3:
        return {}
    found = {}
    for m in sample:
        assert m.vector is not None
        others = [o.vector.cosine(m.vector) for o in sample if o is not m and o.vector is not None]
        found[m.article.id] = sum(others) / len(others)
    return found


__all__ = ["COPY_RESEMBLANCE", "cluster"]
