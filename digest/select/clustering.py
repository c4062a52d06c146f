"""Same-story clustering: items telling one story become one :class:`Story`.

Items join stories in publication order (a story grows as outlets pick it up),
which makes the grouping independent of the scoring weights; a round-up of a
running event (:func:`roundup`) stays a story of its own.  See
:mod:`digest.select.similarity` for the keyword vectors and the near-linear index.
Every member but the lead is left out with kind ``SAME_STORY``, naming the lead
and whether it is a near-identical copy (wire copy under a new headline); the
sentence is written when the edition is made (:class:`~.candidates.SameStory`).
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections import Counter
from datetime import timedelta

from ..config import SelectSettings
from .candidates import Candidate, SameStory, Shared, Story
from .genre import running_page
from .places import local_places, place_data
from .similarity import (
    MEMBERS_COMPARED,
    GroupIndex,
    Match,
    Vocabulary,
    article_fields,
    best_match,
    casing_votes,
    headline_countries,
    resemblance,
    shingles,
)

#: Body resemblance (Jaccard of 5-word shingles) at which two items are copies.
COPY_RESEMBLANCE = 0.8
#: Members of a story whose likeness to each other picks its lead.
CENTRALITY_SAMPLE = 12
#: A story whose other reports all came this long after its lead has moved on
#: (``select.spread_hours``' default: what "spreading" counts as the news of now)
#: when it has this many members (one later report is a follow-up, not the story).
MOVED_ON, MOVED_ON_MEMBERS = timedelta(hours=6), 3
#: Members of a story regrouped by :func:`resplit` (later ones follow them).
RESPLIT_CAP = 40
#: An event page's headline: at least this many of the pool's frequent words
#: (a dominant event's names) and at most :data:`EVENT_PAGE_OWN` others.
EVENT_PAGE_NAMES, EVENT_PAGE_OWN = 3, 1
#: Core headline words two sub-groups share to stay one story.
RESPLIT_SHARED_WORDS = 2
#: A report this like two stories (each, not only the one it joins) makes them one:
#: two outlets' first reports of one event, told in different words, each started
#: a story, and a later report in words of both shows they are one.
BRIDGE_SIMILARITY = 0.4
# A round-up's headline: a page gathering a running event's many developments
# ("Russia-Ukraine war at a glance: what we know on day 422 of the invasion",
# "List of key events, day 532", "What happened in the war this week?", "Live
# news updates from April 21: Deloitte to cut jobs, Raab resigns").
_ROUNDUP = re.compile(
    r"\bday \d{1,4} of (?:the )?(?:war|invasion|conflict)\b|\bkey events\b"
    r"|\bwhat happened\b.*\bthis week\b"
    # A dated page's date ends its name ("updates from April 21:"); one followed by
    # more words is a report's ("updates from June 2 press briefing").
    r"|\bupdates? from (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    r" \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?\s*(?:[:,;|\-–—]|$)",
    re.I,
)


def cluster(
    candidates: list[Candidate], settings: SelectSettings, *, keep_fields: bool = False
) -> tuple[list[Story], list[SameStory]]:
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
        vocabulary.vote(casing_votes(c.article.title, stems))
        vocabulary.vote(casing_votes(c.article.summary, stems))
        numbered.append(vocabulary.numbered(found))
        if keep_fields:
            c.fields = found
    del stems
    # The vectors keep each word's alphabetical place, not the words.  Every word
    # is numbered by now, so the places are found before the vectors are made
    # (the sort's own memory comes before the vectors', not on top of it).
    vocabulary.store.settle()
    done = array("i")
    places = place_data()
    country_sets: dict[frozenset[str], frozenset[str]] = {}
    for n, c in enumerate(candidates):
        c.vector = vocabulary.vector(vocabulary.fields(numbered[n]))
        c.vector.places = local_places(c.article.title, places)
        c.vector.countries = headline_countries(c.article.title, places, country_sets)
        c.vector.title = c.article.title
        numbered[n] = done
    frequent = vocabulary.frequent()
    # The word numbers can go before the stories are made.
    del vocabulary, numbered, country_sets
    # Pinned first, then by time, then by id: three stable sorts give the order one
    # sort on a key tuple would, without a tuple per candidate on top of the vectors.
    ordered = sorted(candidates, key=lambda c: c.article.id)
    ordered.sort(key=lambda c: c.article.published_at)
    ordered.sort(key=lambda c: not c.pinned)
    index = GroupIndex(
        settings.story_similarity, settings.same_story_threshold, anchors=True, frequent=frequent
    )
    stories: list[Story] = []
    pages: list[Candidate] = []  # event pages, placed once every other item is
    for c in ordered:
        assert c.vector is not None
        # A round-up tells many developments, so no one story's; it stays alone,
        # and no report joins it (its words reach every story of its event).
        if roundup(c.article.title):
            index.seal()
            stories.append(Story([c]))
            continue
        # An event page, whose headline names only the event, joins the story its
        # body is nearest to but is no member an item is compared with: its words
        # reach every development of the event, which would chain them.  So it
        # waits until every other item is placed: published before the reports of
        # its story, it would otherwise find none of them and stay alone.
        # A pinned one leads its own story (as any pinned article), which no
        # report joins either.
        if event_page(c.vector.headline, frequent):
            if c.pinned:
                index.seal()
                stories.append(Story([c]))
            else:
                pages.append(c)
            continue
        # A pinned article always leads its own story: the editor chose it.
        near = [] if c.pinned else index.all_near(c.vector)
        if not near:
            index.put(c.vector)  # group numbers follow story numbers
            stories.append(Story([c]))
            continue
        match = best_match(near)
        assert match is not None
        index.put(c.vector, match.group)
        story = stories[match.group]
        story.members.append(c)
        story.likeness()[c.article.id] = match.similarity
        for other in near:
            if other.group != match.group and bridges(c, story, stories[other.group], other):
                index.merge(match.group, other.group)
                _absorb(story, stories[other.group], c)
    for c in pages:
        assert c.vector is not None
        nearest = index.nearest(c.vector)
        if nearest is None:
            index.seal()  # group numbers follow story numbers
            stories.append(Story([c]))
            continue
        story = stories[nearest.group]
        story.members.append(c)
        story.likeness()[c.article.id] = nearest.similarity
    # The index (its postings and groups) is not needed past this point: freed now,
    # its memory takes the rejections about to be written.
    del index, ordered
    stories = [story for story in stories if story.members]  # none merged away
    # A second, stricter look at each story: joining one item at a time can chain
    # two stories told in like words (each newcomer close to a few members).
    stories = [part for story in stories for part in resplit(story, settings.story_similarity)]
    rejections: list[SameStory] = []
    likeness: Shared[str] = Shared()
    for story in stories:
        rejections += _lead_and_rest(story, likeness)
        story.similarity = None  # written into the rejections; not needed after
    return stories, rejections


def bridges(report: Candidate, joined: Story, other: Story, match: Match) -> bool:
    """Whether a report that joined one story makes another one with it: it is at
    least :data:`BRIDGE_SIMILARITY` like both, it is hard news and no running page
    (a live page tells many developments of an event, so it is like several of
    them), and both stories are led by hard news that is no running page (a live
    page's story, or a profile's, sits beside the report, not in it) and no pinned
    article (the editor's pick leads its own story, which no bridge merges)."""
    if match.similarity < BRIDGE_SIMILARITY or not other.members:
        return False
    firsts = (report, joined.members[0], other.members[0])
    return all(c.genre.hard and not c.pinned and not running_page(c.article.title) for c in firsts)


def _absorb(story: Story, other: Story, report: Candidate) -> None:
    """Move ``other``'s members into ``story``, leaving ``other`` empty.  Each
    keeps its likeness to the story it joined; ``other``'s first member, which
    joined none, gets its likeness to the ``report`` that bridged the two (not
    the report's likeness to ``other``: the rejection's sentence prints it as the
    member's own)."""
    lead = other.members[0]
    assert lead.vector is not None and report.vector is not None
    likeness = story.likeness()
    likeness.update(other.likeness())
    likeness[lead.article.id] = lead.vector.cosine(report.vector)
    story.members.extend(other.members)
    other.members = []


def event_page(headline: tuple[int, ...], frequent: frozenset[int]) -> bool:
    """Whether a headline (its word numbers) names a running event and hardly
    anything else: :data:`EVENT_PAGE_NAMES` or more of the pool's frequent words
    and at most :data:`EVENT_PAGE_OWN` others ("Israel-Hamas war live updates:
    latest news on Gaza conflict").  Such a page follows the whole event, so it
    tells none of its developments, and any of them would join it."""
    words = set(headline)
    named = len(words & frequent)
    return named >= EVENT_PAGE_NAMES and len(words) - named <= EVENT_PAGE_OWN


def roundup(title: str) -> bool:
    """Whether a headline is a round-up's: a page gathering the many developments
    of a running event (a war's "key events, day 532", a week's catch-up, a
    dated page of the day's news), which tells no one of them."""
    return _ROUNDUP.search(title) is not None


def resplit(story: Story, bar: float) -> list[Story]:
    """A story whose members fall into sub-groups, split into them.

    Members are grouped again by average linkage (two sub-groups merge while the
    mean similarity of their members' pairs reaches ``bar``), so a story joined
    through a chain of members (each like the last few, the ends unlike) falls
    apart where the chain was weakest.  Sub-groups whose headlines keep
    :data:`RESPLIT_SHARED_WORDS` words in common (each word in at least half of
    each sub-group's headlines) stay together: they tell one story in different
    words.  The first member's sub-group keeps the story; its first
    :data:`RESPLIT_CAP` members are regrouped, and any later one follows the
    sub-group it is most like on average, so the cost per story is bounded.
    """
    members = story.members
    if len(members) < 3 or any(m.vector is None for m in members):
        return [story]
    head = members[:RESPLIT_CAP]
    vectors = [m.vector for m in head if m.vector is not None]
    # Each vector's weights worked out once, not once per pair.
    read = [v.read() for v in vectors]
    alike = [[a.cosine(b) for b in read] for a in read]
    groups = average_linkage(alike, bar)
    groups = _rejoin_by_headline(groups, [v.headline for v in vectors])
    if len(groups) == 1:
        return [story]
    for member in members[RESPLIT_CAP:]:
        assert member.vector is not None
        mine = member.vector.read()
        closest = max(groups, key=lambda g: sum(mine.cosine(read[i]) for i in g) / len(g))
        closest.append(len(head))
        head.append(member)
        read.append(mine)
    groups.sort(key=lambda g: g[0])
    parts = []
    for n, group in enumerate(groups):
        part = Story([head[i] for i in group])
        for i in group[1:]:
            if n == 0:
                part.likeness()[head[i].article.id] = story.likeness()[head[i].article.id]
                continue
            # As when it joined: its mean likeness to the part's first members.
            firsts = [read[j] for j in group[:MEMBERS_COMPARED] if j != i]
            mean = sum(read[i].cosine(v) for v in firsts) / len(firsts)
            part.likeness()[head[i].article.id] = mean
        parts.append(part)
    return parts


def average_linkage(alike: list[list[float]], bar: float) -> list[list[int]]:
    """Agglomerative grouping of items by their similarity matrix: the two groups
    whose pairs are most alike on average merge, while that mean reaches ``bar``."""
    groups = [[i] for i in range(len(alike))]
    while len(groups) > 1:
        best, pair = bar, None
        for x, y in itertools.combinations(range(len(groups)), 2):
            gx, gy = groups[x], groups[y]
            link = sum(alike[i][j] for i in gx for j in gy) / (len(gx) * len(gy))
            if link >= best:
                best, pair = link, (x, y)
        if pair is None:
            break
        x, y = pair
        groups[x] = sorted(groups[x] + groups.pop(y))
    return groups


def _rejoin_by_headline(
    groups: list[list[int]], headlines: list[tuple[int, ...]]
) -> list[list[int]]:
    """Merge groups whose headlines share :data:`RESPLIT_SHARED_WORDS` core words
    (those in at least half of a group's headlines), until none do."""

    def core(group: list[int]) -> set[int]:
        counts = Counter(w for i in group for w in set(headlines[i]))
        return {w for w, k in counts.items() if 2 * k >= len(group)}

    merged = True
    while merged and len(groups) > 1:
        merged = False
        for x, y in itertools.combinations(range(len(groups)), 2):
            if len(core(groups[x]) & core(groups[y])) >= RESPLIT_SHARED_WORDS:
                groups[x] = sorted(groups[x] + groups.pop(y))
                merged = True
                break
    return groups


def _lead_and_rest(story: Story, likeness: Shared[str]) -> list[SameStory]:
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
    _moved_on(story)
    if story.lead is not first:
        assert first.vector is not None and story.lead.vector is not None
        story.likeness()[first.article.id] = first.vector.cosine(story.lead.vector)
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
        sim = story.likeness()[other.article.id]
        rejections.append(SameStory(other, lead, original, likeness(f"{sim:.2f}")))
    return rejections


def _moved_on(story: Story) -> None:
    """When every other report of a story came :data:`MOVED_ON` or more after its
    lead, the story has moved on from what the lead reports (a claim answered, a
    manhunt ended): the next report leads instead.  The first report is the most
    like the others because each later one retells it ("Ukraine says Black Sea
    Fleet commander killed"; then four reports: "… commander shown alive after
    Ukraine said it killed him"), yet the story the outlets tell is the later one."""
    members = story.members
    if len(members) < MOVED_ON_MEMBERS or members[0].pinned:
        return
    lead, after = members[0], members[1]
    if lead.genre.hard and not after.genre.hard:
        return
    # A time taken from the crawl (the page printed none) says when a page was
    # read, not when it was written: no evidence that the story moved on.
    if any(m.article.time_from_crawl for m in members):
        return
    start = lead.article.published_at + MOVED_ON
    if all(m.article.published_at >= start for m in members[1:]):
        members[0], members[1] = after, lead


def _centrality(members: list[Candidate]) -> dict[str, float]:
    """Each member's mean similarity to the others (the first :data:`CENTRALITY_SAMPLE`
    members, so a story of thousands costs no more than one of dozens)."""
    sample = [m for m in members[:CENTRALITY_SAMPLE] if m.vector is not None]
    if len(sample) < 3:
        return {}
    read = [m.vector.read() for m in sample if m.vector is not None]
    found = {}
    for n, m in enumerate(sample):
        others = [o.cosine(read[n]) for k, o in enumerate(read) if k != n]
        found[m.article.id] = sum(others) / len(others)
    return found


__all__ = ["COPY_RESEMBLANCE", "cluster", "event_page", "resplit", "roundup"]
