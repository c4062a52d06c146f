"""Events: groups of stories about one bigger thing, for diversity.

On a day one event dominates (the Taliban take Kabul, Russia invades Ukraine),
many of the day's stories are parts of it.  Stories are grouped into events by
the similarity of their keyword vectors (tf-idf over the day's pool, so a name
every story mentions weighs little), at ``select.event_similarity``, a looser
bar than the same-story one.  A frequent name alone (a head of state, a big
country) does not make two stories one event: their other words must agree too.
Stories join events biggest first (most outlets), so the day's biggest story
seeds its event.
"""

from __future__ import annotations

from .candidates import Story
from .similarity import GroupIndex


def group_events(stories: list[Story], threshold: float) -> list[str]:
    """Number each story's event (``story.event``) and return each event's name
    (the headline of its biggest story), indexed by event number."""
    index = GroupIndex(threshold)
    names: list[str] = []
    ordered = sorted(
        stories, key=lambda s: (-len(s.outlets()), -s.lead.own, s.lead.article.id)
    )
    for story in ordered:
        vectors = [m.vector for m in story.members[:3] if m.vector is not None]
        match = None
        for vector in vectors:
            found = index.nearest(vector)
            if found is not None and (match is None or found.similarity > match.similarity):
                match = found
        if match is None:
            story.event = len(names)
            names.append(story.lead.article.title)
        else:
            story.event = match.group
        for vector in vectors:
            index.put(vector, story.event if story.event < len(index.groups) else None)
    return names


__all__ = ["group_events"]
