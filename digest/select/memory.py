"""Memory: stories sent in recent editions are left out unless substantially updated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..config import SelectSettings
from ..model import Article, LeftOut, Rejection
from .candidates import Story, left_out
from .similarity import GroupIndex, Vocabulary, article_fields


@dataclass(frozen=True, slots=True)
class SentStory:
    """An article that was picked in an earlier edition (``as_of`` in UTC)."""

    edition_id: str
    as_of: datetime
    article: Article


def remember(
    stories: list[Story], sent: Sequence[SentStory], settings: SelectSettings
) -> tuple[list[Story], list[Rejection]]:
    """The stories to keep, and the members of those sent recently and not
    substantially updated since (kind ``ALREADY_SENT``)."""
    if not sent:
        return stories, []
    vocabulary = Vocabulary()
    fields = [article_fields(s.article) for s in sent]
    for found in fields:
        vocabulary.count(found)
    for story in stories:
        for m in story.members:
            vocabulary.count(m.fields)
    index = GroupIndex(settings.story_similarity, settings.same_story_threshold)
    first_sent: dict[int, int] = {}
    for n, found in enumerate(fields):
        first_sent.setdefault(index.add(vocabulary.vector(found)).group, n)
    sent_ids = {s.article.id: n for n, s in enumerate(sent)}
    keep: list[Story] = []
    rejections: list[Rejection] = []
    for story in stories:
        earlier: int | None = None
        for m in story.members:
            if m.article.id in sent_ids:
                earlier = sent_ids[m.article.id]
                break
            match = index.nearest(vocabulary.vector(m.fields))
            if match is not None:
                earlier = first_sent[match.group]
                break
        if earlier is None or story.lead.pinned:
            keep.append(story)
            continue
        newest = max(story.members, key=lambda m: m.article.last_changed)
        similarity = vocabulary.vector(newest.fields).cosine(vocabulary.vector(fields[earlier]))
        reason = _repeat_reason(story, sent[earlier], newest.article, similarity, settings)
        if not reason:
            keep.append(story)
            continue
        rejections.extend(
            left_out(m.article, LeftOut.ALREADY_SENT, reason, m.own) for m in story.members
        )
    return keep, rejections


def _repeat_reason(
    story: Story,
    earlier: SentStory,
    newest: Article,
    similarity: float,
    settings: SelectSettings,
) -> str:
    """Why a story picked before is left out, or ``""`` (and a reason on the story)
    when it was substantially updated since."""
    when = f"{earlier.edition_id} ({earlier.article.title})"
    if newest.last_changed <= earlier.as_of:
        return f"already sent: in {when}"
    if similarity >= settings.update_similarity:
        return (
            f"already sent: in {when}; changed since but not substantially "
            f"(similarity {similarity:.2f} ≥ {settings.update_similarity:g})"
        )
    story.reasons += (
        f"update to a story sent in {when} (similarity {similarity:.2f}); "
        f"score × {settings.weights.repeat:g}",
    )
    story.repeat = True
    return ""


__all__ = ["SentStory", "remember"]
