"""Diversity: the edition's picks, best first, without one event or country filling it.

Picks are taken best first.  A story of an event with k earlier picks is weighed
× ``weights.same_event`` ** k and one about a country with k earlier picks ×
``weights.same_country`` ** k, unless at least ``weights.country_outlets`` outlets
tell it: the country weight keeps one country's many small stories from filling
the edition, and a story that many outlets tell is big news however many of its
country's stories came first (a British outlet-heavy day otherwise weighed a
five-outlet Westminster story for an Indian publisher below two-outlet ones of
other countries); no more than ``max_per_event`` picks share an event
and ``max_per_country`` a country while other stories are left (then the best capped
one fills the slot, and says so); for a story told by :data:`EVENT_CAP_OUTLETS` or
more outlets, its country's picks of its own event count toward that event's cap only,
not its country's too.  Past two picks an event needs breadth for more: one pick per
:data:`EVENT_OUTLETS_PER_PICK` outlets telling it (the day's dominant event, told
everywhere, fills three slots; a smaller one's third pick is mostly a retelling of
one of its first two in other words); a development of a big event told by several
outlets, across the fragments clustering split it into,
is capped and weighed as a big story of its own (:class:`_EventNames`), unless
one of its fragments is already picked (the edition carries it).  A story
of an event already picked
whose closest member is as alike as the clustering's bar to a pick's (half of it
when both headlines name the same city, or when it uses the pick's core phrase,
one not made of two names) is the same story told in other words, and is left
out; a report of one development is never taken for a running page's retelling,
and a second running page of an event about the same country always is (both
follow the whole event; the country keeps apart two wars' live pages that an
analysis tying them chained into one event).
Event grouping can split one story's reports (it wants a name in common, and
"Ukrainian dam near Kherson" shares none with "Ukraine dam … Nova Kakhovka"): a
story about a pick's country, of another event, is a retelling when several of
their first reports' pairs (each story's best-telling three), and
:data:`CROSS_EVENT_SHARE` of them, are alike at the clustering's bar (one alike
pair across events is chance); a pair set in two cities never is (two shootings
on one day share their words, not their incident).  A story placed in no country,
whose headline hides who and where, needs one alike pair with a pick or its
retellings (:func:`_alike_unplaced`).  What a headline says came after a pick's
development, in the words of the pick or of its retellings, is the pick again.
Pinned stories take their positions first.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence

from ..config import ScoreWeights, SelectSettings
from ..model import CapLift, LeftOut, Rejection
from .candidates import Story, left_out
from .events import story_names
from .genre import running_page
from .overrides import Overrides
from .places import PlaceData, name_country
from .similarity import (
    Vector,
    Weights,
    casing_votes,
    content_words,
    english_stemmer,
    headline_phrases,
)

#: Members of a story (its first, the reports that tell it best) compared with a
#: pick's first members: the picks of its event, and of its country across events.
_COMPARED = 3
#: Members of a pick whose headlines tell its core phrases.
_CORE_SAMPLE = 12
#: An event's picks past the second need this many outlets telling the event each:
#: a third pick needs 9 of them (3 to 6 give the same editions on the real days).
EVENT_OUTLETS_PER_PICK = 4
#: A story told by at least this many outlets (with the fragments of its development,
#: see :meth:`_EventNames.development`) is not held back by its event's cap
#: (``max_per_event`` or the breadth above): on a war's busiest days its distinct
#: developments are each among the day's biggest stories.  Told by
#: ``weights.country_outlets`` across its fragments (and by two outlets itself), it
#: is not weighed down for its event either.
EVENT_CAP_OUTLETS = 3
#: The stories already left out as a pick's retellings (read as the pick's own
#: reports: clustering can split one story's reports in two).
Retellings = Callable[[Story], list[Story]]
#: A story of another event than a pick's, about the same country, retells it when
#: at least :data:`CROSS_EVENT_PAIRS` of their compared members' pairs, and this
#: share of them, are alike at the clustering's bar: the reports agree, where two
#: stories of different events alike by chance have one such pair (a dam's
#: collapse, split over two events, has 4 of 9; a pardon and a war report 3 of 9,
#: about two countries).
CROSS_EVENT_SHARE = 0.4
CROSS_EVENT_PAIRS = 2
#: The share of the clustering's bar at which two reports of one event whose
#: headlines name the same city are one story (clustering never joins reports
#: set in different cities; two of one event set in the same city, alike at half
#: the bar, are one incident: "police kill man in Albuquerque shootout" and
#: "officer-involved shooting in Albuquerque").
_SAME_CITY = 0.5
#: An event of at least this many stories is big: its developments share its words
#: and names, so one alike pair of reports no longer makes a story a pick's
#: retelling unless their leads share a name the event's stories seldom use (see
#: :class:`_EventNames`); otherwise at least :data:`CROSS_EVENT_PAIRS` pairs, and
#: :data:`BIG_EVENT_SHARE` of them, must be alike (2023-10-12: "Blinken arrives in
#: Tel Aviv" and "Israel links Gaza aid to hostages' release" have one pair of six).
BIG_EVENT_STORIES = 6
BIG_EVENT_SHARE = 1 / 3
#: The stories of an event (its best-scored) whose names are read.
EVENT_SAMPLE = 400
#: A name at least this share of a big event's stories use is the event's, not a
#: development's ("Israel", "Gaza", "Hamas").
EVENT_NAME_SHARE = 1 / 3


#: How a pick's reason taken past a diversity cap starts (:class:`~digest.model.CapLift`
#: types it).
_CAP_LIFTED = "diversity cap lifted"
#: What a headline says it comes after ("first words after court appearance").
_AFTER = re.compile(r"\bafter\b(.+)", re.I)


def choose(
    stories: list[Story],
    settings: SelectSettings,
    overrides: Overrides,
    events: Sequence[str],
    places: PlaceData,
) -> tuple[list[Story], list[Rejection]]:
    """The edition's stories in order, and the stories left out (``DIVERSITY`` or
    ``RANKED_BELOW``)."""
    w = settings.weights
    pinned = [s for s in stories if s.lead.pinned]
    free = sorted(
        (s for s in stories if not s.lead.pinned), key=lambda s: (-s.score, s.lead.article.id)
    )
    count = max(settings.count, len(pinned))
    taken: list[Story] = []
    per_event: Counter[int] = Counter()
    per_country: Counter[str] = Counter()
    # The picks of each event about each country (see :func:`capped_country`).
    event_country: Counter[tuple[int, str]] = Counter()

    def own_event(story: Story) -> int:
        # The picks about its country a story's country cap leaves out: for a
        # story told by :data:`EVENT_CAP_OUTLETS` or more outlets, those of its own
        # event, which its event's cap and breadth already count (a country's
        # dominant event, a coronation told everywhere, gets the slots its breadth
        # earns, not two fewer; a side piece fewer outlets tell does not).  Its
        # weight still counts them all.
        country = _country(story)
        if not country or len(story.outlets()) < EVENT_CAP_OUTLETS:
            return 0
        return event_country[story.event, country]

    def capped_country(story: Story) -> int:
        # The picks that hold a story back under its country's cap.
        country = _country(story)
        return per_country[country] - own_event(story) if country else 0

    def tally(story: Story, step: int) -> None:
        # A pick counted in (1) or out (-1) of its event's and its country's caps.
        per_event[story.event] += step
        country = _country(story)
        if country:
            per_country[country] += step
            event_country[story.event, country] += step

    def take(story: Story) -> None:
        taken.append(story)
        event_names.take(story)
        tally(story, 1)

    def swap(pick: Story, wider: Story) -> None:
        taken[taken.index(pick)] = wider
        event_names.drop(pick)
        event_names.take(wider)
        tally(pick, -1)
        tally(wider, 1)
        wider.reasons += (
            f"carried in place of {pick.lead.article.id} ({pick.lead.article.title}): the "
            f"same story, which {len(wider.outlets())} outlets tell in these words and "
            f"{len(pick.outlets())} in those",
        )
        if pick.cap_lifted is not None:
            # The slot past the cap is the story's, whichever report fills it: the
            # report carried says so (typed and in words), the one left out no more.
            wider.cap_lifted, pick.cap_lifted = pick.cap_lifted, None
            wider.reasons += tuple(r for r in pick.reasons if str(r).startswith(_CAP_LIFTED))
        # Stories taken for retellings of the pick now left out are looked at again.
        for key in [k for k, twin in retold.items() if twin is pick]:
            del retold[key]

    # Best first: a huge event is read in its biggest stories only.  The pins
    # too: a pinned fragment of a development is in the edition, as a picked one.
    event_names = _EventNames([*pinned, *free], places)
    for story in pinned:
        position = overrides.pins[story.lead.article.id]
        where = f"position {position}" if position else "the edition"
        story.reasons += (f"pinned to {where} by editor",)
        take(story)
    capped: dict[str, str] = {}
    breadth = _EventBreadth(stories, settings.max_per_event * EVENT_OUTLETS_PER_PICK)
    retold: dict[str, Story] = {}
    # Each pick's core phrases, read once (by lead id), not once per candidate.
    cores: dict[str, set[tuple[str, str]]] = {}
    remaining = list(free)

    def retellings(pick: Story) -> list[Story]:
        return [s for s in remaining if retold.get(s.lead.article.id) is pick]

    while len(taken) < count and remaining:
        best: tuple[float, int, str] | None = None
        for n, story in enumerate(remaining):
            if best is not None and story.score <= best[0]:
                break  # adjusted scores only shrink: nobody further down can win
            if story.lead.article.id in retold:
                continue
            twin = _told_before(
                story, taken, settings.story_similarity, cores, retellings, event_names
            )
            if twin is not None:
                if _broader(story, twin):
                    # The same story, told by more outlets: it takes the pick's
                    # place, and the pick becomes its retelling.
                    swap(twin, story)
                    remaining[n] = twin
                    retold[twin.lead.article.id] = story
                else:
                    retold[story.lead.article.id] = twin
                continue
            limit = _limit(
                story,
                per_event,
                capped_country(story),
                own_event(story),
                settings,
                events,
                places,
                breadth,
                event_names,
            )
            if limit:
                capped[story.lead.article.id] = limit
                continue
            factor, note = _factor(story, per_event, per_country, w, events, event_names)
            if best is None or story.score * factor > best[0]:
                best = (story.score * factor, n, note)
        lifted: CapLift | None = None
        if best is None:
            # Every story left is capped: an empty slot helps nobody, so the best
            # of them (with its diversity weight) fills it and says so; a retelling
            # of a pick never does.
            best = _best_capped(remaining, per_event, per_country, w, events, retold)
            if best is None:
                break
            lifted = CapLift.NO_OTHER_STORY
        story = remaining.pop(best[1])
        if best[2]:
            story.reasons += (best[2],)
        if per_event[story.event] >= settings.max_per_event and lifted is None:
            # Past its event's cap by its breadth (see :func:`_limit`): said so.
            lifted = CapLift.BREADTH
            story.reasons += (
                f"{_CAP_LIFTED}: {per_event[story.event]} picks already about its "
                f"event, but told by {EVENT_CAP_OUTLETS}+ outlets (with its development's "
                "fragments) it is among the day's big stories",
            )
        if capped_country(story) >= settings.max_per_country and lifted is None:
            # Past its country's cap by its breadth (see :func:`_country_breadth`).
            lifted = CapLift.BREADTH
            story.reasons += (
                f"{_CAP_LIFTED}: {capped_country(story)} picks already about its "
                f"country{_besides(own_event(story))}, but told by "
                f"{len(story.outlets())} outlets it is among the day's big stories",
            )
        # Typed as well as said, for what reads the edition (explain, tests).
        story.cap_lifted = lifted
        capped.pop(story.lead.article.id, None)
        take(story)
    rejections = []
    # One sentence for the many stories simply ranked below the picks.
    below = f"ranked below the top {count}"
    for story in remaining:
        lead = story.lead
        twin = retold.get(lead.article.id)
        if twin is not None:
            rejections.append(
                left_out(
                    lead.article,
                    LeftOut.SAME_STORY,
                    f"same story as pick {twin.lead.article.id} ({twin.lead.article.title}), "
                    "told in other words",
                    story.score,
                )
            )
            continue
        cap = capped.get(lead.article.id)
        if cap:
            rejections.append(left_out(lead.article, LeftOut.DIVERSITY, cap, story.score))
            continue
        reason = below
        if per_event[story.event]:
            weighed = story.score * w.same_event ** per_event[story.event]
            reason += (
                f" (same event as {per_event[story.event]} pick(s): weighed down to {weighed:.3f})"
            )
        rejections.append(left_out(lead.article, LeftOut.RANKED_BELOW, reason, story.score))
    return _in_order(taken, overrides), rejections


def _broader(story: Story, pick: Story) -> bool:
    """Whether ``story``, a retelling of ``pick``, is told by more outlets (and
    neither is pinned): of two reports of one story an edition carries the one
    more outlets tell, not the one that happened to rank first."""
    if story.lead.pinned or pick.lead.pinned:
        return False
    return len(story.outlets()) > len(pick.outlets())


def _told_before(
    story: Story,
    taken: list[Story],
    threshold: float,
    cores: dict[str, set[tuple[str, str]]],
    retellings: Retellings | None = None,
    names: _EventNames | None = None,
) -> Story | None:
    """A pick that this story retells.  Of the same event: some member of each is
    at least ``threshold`` alike (the clustering's bar, on the closest pair rather
    than on average), or half as alike when both headlines name the same city or
    the story uses the pick's core phrase; a running page retells a running page
    of its event about the same country (:func:`_one_running_story`); a report is
    not compared with a running page, nor with one set in another city (``cores``
    keeps each pick's core phrases, by its lead's id; ``retellings`` gives the
    stories already left out as a pick's retellings).  Of another event: about the
    story's country, see :func:`_alike_across_events`; a story placed nowhere is
    compared with every pick, see :func:`_alike_unplaced`."""
    mine = [m.vector for m in story.members[:_COMPARED] if m.vector is not None]
    country = _country(story)
    # A story led by a report is one development, however its reports tell it: a
    # live page among them ("Israel-Hamas war live updates: France's Macron
    # proposes…") is read as a report of it, not as a second running page of the
    # war (which retells a picked one whatever it says).
    running_story = running_page(story.lead.article.title)
    # Read (a dict per member) only when some pick may be compared with.
    compared = [p for p in taken if p.event == story.event or not country or _country(p) == country]
    read = [a.read() for a in mine] if compared else []
    for pick in compared:
        if pick.event != story.event:
            if country:
                if _alike_across_events(mine, read, pick, threshold):
                    return pick
                continue
            told = retellings(pick) if retellings is not None else []
            if _alike_unplaced(read, pick, told, threshold):
                return pick
            continue
        # Two running pages of one event follow the same running story, whatever
        # development each headline leads with: an edition carries one.  They must
        # be about one country: events are chains, and an analysis tying two wars
        # ("What the Niger coup could mean for Russia's war in Ukraine") puts both
        # wars' live pages in one event.
        if _one_running_story(story, pick):
            return pick
        theirs = [m.vector for m in pick.members[:_COMPARED] if m.vector is not None]
        core = cores.get(pick.lead.article.id)
        if core is None:
            core = cores[pick.lead.article.id] = _core_phrases(pick)
        alike = pairs = 0
        # Whether one alike pair is enough: asked at the first (names are read then).
        one_pair: bool | None = None
        for a, weights in zip(mine, read, strict=True):
            running = running_story and running_page(a.title)
            if not running and _follows(a.title, pick, retellings):
                return pick
            pinned = not core.isdisjoint(headline_phrases(a.title))
            for b in theirs:
                # A running page follows its whole event: a report of one of its
                # developments is like it in the event's words, not a retelling;
                # two reports set in two cities are two incidents.
                if (not running and running_page(b.title)) or _elsewhere(a, b):
                    continue
                pairs += 1
                bar = threshold * _SAME_CITY if pinned or a.places & b.places else threshold
                if weights.cosine(b.read()) < bar:
                    continue
                if one_pair is None:
                    one_pair = names is None or names.specific(story, pick)
                # Two running pages of one event cover the same ground, whatever
                # names their latest headlines carry.
                if bar < threshold or one_pair or (running and running_page(b.title)):
                    return pick
                alike += 1
        # Every development of a big event shares its words ("Israel", "Gaza",
        # "hostages"): one pair alike at the bar among many is chance, as across
        # events; the reports of one story agree in several pairs.
        if alike >= CROSS_EVENT_PAIRS and alike >= BIG_EVENT_SHARE * pairs:
            return pick
    return None


def _one_running_story(story: Story, pick: Story) -> bool:
    """Whether a story and a pick of its event are two running pages of one
    running story: both led by a running page, about the same country."""
    if not (running_page(story.lead.article.title) and running_page(pick.lead.article.title)):
        return False
    country = _country(story)
    return bool(country) and country == _country(pick)


def _alike_across_events(
    mine: list[Vector], read: list[Weights], pick: Story, threshold: float
) -> bool:
    """Whether a story (its compared members, ``read`` their weights) and a pick of
    another event about its country agree as one story's reports do: at least
    :data:`CROSS_EVENT_PAIRS` of their pairs, and :data:`CROSS_EVENT_SHARE` of them,
    alike at ``threshold``.  A pair set in different cities is never alike."""
    theirs = [m.vector for m in pick.members[:_COMPARED] if m.vector is not None]
    alike = 0
    for a, weights in zip(mine, read, strict=True):
        for b in theirs:
            # A running page is compared: a live page of the split event is one of
            # its reports ("Nova Kakhovka dam live updates").
            if _elsewhere(a, b):
                continue
            alike += weights.cosine(b.read()) >= threshold
    return alike >= CROSS_EVENT_PAIRS and alike >= CROSS_EVENT_SHARE * len(mine) * len(theirs)


def _elsewhere(a: Vector, b: Vector) -> bool:
    """Whether two reports are set in different cities: both headlines name some,
    none in common ("mass shooting in Philadelphia" / "... in Louisville"), so the
    words they share are the kind of news, not one incident (clustering never
    joins such reports either)."""
    return bool(a.places) and bool(b.places) and a.places.isdisjoint(b.places)


def _alike_unplaced(
    read: list[Weights], pick: Story, retellings: list[Story], threshold: float
) -> bool:
    """Whether a story placed in no country (its compared members' weights) retells
    a pick of another event: one of its members is alike at ``threshold`` to one
    of the pick's or of its retellings'.  A headline that hides who and where
    ("Wife of famous presenter reveals husband at centre of 'sex pictures
    scandal'") shares no name for event grouping and no country for
    :func:`_alike_across_events`; only its words tie it to its story, and with no
    place words to share by chance (the likeness of two stories of one country
    is partly their country's words), one pair alike at the clustering's bar says
    they tell one thing."""
    theirs = [
        m.vector.read()
        for told in (pick, *retellings)
        for m in told.members[:_COMPARED]
        if m.vector is not None
    ]
    return any(a.cosine(b) >= threshold for a in read for b in theirs)


def _follows(title: str, pick: Story, retellings: Retellings | None = None) -> bool:
    """Whether a headline tells what came after the development a pick reports, in
    the pick's own words ("Trump's first words after court appearance", the pick's
    reports: "… pleads not guilty in historic court appearance"): the same story's
    aftermath, which an edition carrying the pick does not carry again (the two
    share few other words, so likeness alone does not find it).  The pick's words
    include its retellings' (``retellings(pick)``): clustering can split one
    story's reports in two ("pleads not guilty in arraignment", "… in historic
    court appearance"), and the half left out as a retelling is the pick's story
    as much as the half picked (none when ``retellings`` is not given)."""
    after = _AFTER.search(title)
    # Split as the pick's phrases are ("after Trump's arrest" is "trump arrest").
    words = content_words(after[1])[:2] if after else []
    if len(words) < 2:
        return False
    phrase = (words[0], words[1])

    def says(told: Story) -> bool:
        return any(phrase in headline_phrases(m.article.title) for m in told.members[:_CORE_SAMPLE])

    # The retellings are looked up only when the pick's own reports do not say it.
    if says(pick):
        return True
    return retellings is not None and any(says(told) for told in retellings(pick))


def _core_phrases(story: Story) -> set[tuple[str, str]]:
    """The headline phrases ("grain deal") at least half of a story's reports
    (of two or more; the first :data:`_CORE_SAMPLE`) use: what its reports call
    it.  Another story of its event that uses one retells it."""
    members = story.members[:_CORE_SAMPLE]
    titles = [m.article.title for m in members]
    if len(titles) < 2:
        return set()
    counts = Counter(p for t in titles for p in headline_phrases(t))
    core = {p for p, k in counts.items() if 2 * k >= len(titles)}
    if not core:
        return core
    # A phrase of two names ("Israel-Hamas", "Donald Trump") says who or where, as
    # every story of the event does; what happened ("grain deal", "hospital
    # blast") has a common word in it.  A name is a word the story's reports
    # write with a capital inside a sentence more often than without.
    votes: Counter[str] = Counter()
    for m in members:
        for text in (m.article.title, m.article.summary):
            for word, vote in casing_votes(text):
                votes[word] += vote
    stem = english_stemmer()
    return {p for p in core if not all(votes[stem(w)] > 0 for w in p)}


def _country(story: Story) -> str:
    """The country a story is about: its lead's, or when the lead names none, the
    one most of its other reports are placed in ("Lucy Letby: parents of baby…"
    names no place; the British outlets telling it file it under their UK desks)."""
    if story.lead.call.country:
        return story.lead.call.country
    placed = Counter(m.call.country for m in story.members[1:] if m.call.country)
    return placed.most_common(1)[0][0] if placed else ""


def _in_order(taken: list[Story], overrides: Overrides) -> list[Story]:
    """Pins without a position lead, in the order given; pins with one are then put
    at their places, lowest first; the others keep their order around them."""
    order = list(overrides.pins)
    loose = sorted(
        (s for s in taken if s.lead.pinned and not overrides.pins[s.lead.article.id]),
        key=lambda s: order.index(s.lead.article.id),
    )
    ordered = loose + [s for s in taken if not s.lead.pinned]
    placed = sorted(
        (s for s in taken if s.lead.pinned and overrides.pins[s.lead.article.id]),
        key=lambda s: overrides.pins[s.lead.article.id] or 0,
    )
    for story in placed:
        position = overrides.pins[story.lead.article.id] or 1
        ordered.insert(min(position - 1, len(ordered)), story)
    return ordered


def _factor(
    story: Story,
    per_event: Counter[int],
    per_country: Counter[str],
    w: ScoreWeights,
    events: Sequence[str],
    names: _EventNames | None = None,
) -> tuple[float, str]:
    shared = per_event[story.event]
    # A fragment of a development that many outlets tell across its fragments
    # ("Blinken arrives in Tel Aviv", "Blinken pledges US will never falter") is
    # one of the day's big stories, not a side piece of its event: not weighed down
    # for it.  A lone outlet's piece is not lifted by a name it shares.
    if (
        shared
        and names is not None
        and len(story.outlets()) > 1
        and names.development(story) >= w.country_outlets
    ):
        shared = 0
    country = _country(story)
    same_country = per_country[country] if country else 0
    if same_country and len(story.outlets()) >= w.country_outlets:
        same_country = 0
    factor = w.same_event**shared * w.same_country**same_country
    if factor == 1:
        return 1.0, ""
    parts = []
    if shared:
        parts.append(
            f"same event as {shared} earlier pick(s) ({events[story.event]!r}) "
            f"× {w.same_event:g}^{shared}"
        )
    if same_country:
        parts.append(
            f"same country as {same_country} earlier pick(s) × {w.same_country:g}^{same_country}"
        )
    return factor, f"diversity: {'; '.join(parts)} → {story.score * factor:.3f}"


def _best_capped(
    remaining: list[Story],
    per_event: Counter[int],
    per_country: Counter[str],
    w: ScoreWeights,
    events: Sequence[str],
    retold: dict[str, Story],
) -> tuple[float, int, str] | None:
    best: tuple[float, int, str] | None = None
    for n, story in enumerate(remaining):
        if story.lead.article.id in retold:
            continue
        factor, _ = _factor(story, per_event, per_country, w, events)
        if best is None or story.score * factor > best[0]:
            note = (
                f"{_CAP_LIFTED}: no other story left for this slot "
                f"(× {factor:.2f} → {story.score * factor:.3f})"
            )
            best = (story.score * factor, n, note)
    return best


class _EventBreadth:
    """The distinct outlets telling each event's stories, counted on first asking
    and only up to ``enough`` (no decision needs more): only the events that
    already have two picks are asked about, and a big pool's dominant event is
    not copied into a set of all its outlets."""

    def __init__(self, stories: list[Story], enough: int) -> None:
        self._stories = stories
        self._enough = enough
        self._known: dict[int, int] = {}

    def __call__(self, event: int) -> int:
        """How many distinct outlets tell the stories of ``event`` (at most
        ``enough``)."""
        if event not in self._known:
            keys: set[str] = set()
            for story in self._stories:
                if story.event == event:
                    keys.update(m.outlet.key for m in story.members)
                    if len(keys) >= self._enough:
                        break
            self._known[event] = min(len(keys), self._enough)
        return self._known[event]


class _EventNames:
    """The names of big events (:data:`BIG_EVENT_STORIES` stories or more): those at
    least :data:`EVENT_NAME_SHARE` of an event's stories use are the event's, the
    rest name its developments ("Blinken", "Sokolov").  Worked out on first asking,
    for the events of picks only, and each story's names once."""

    def __init__(self, stories: list[Story], places: PlaceData) -> None:
        self._stories = stories
        self._places = places
        self._common: dict[int, frozenset[str] | None] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._told: dict[int, list[Story]] = {}
        # Each story's development, by lead id: asked again in every round of picks.
        self._outlets: dict[str, tuple[int, frozenset[str]]] = {}
        self._picked: set[str] = set()
        # A country's names as a whole ("israeli", "palestinians"), lower case as
        # story names are, with the country they name.
        self._countries = {
            name.lower(): code
            for name, code in places.text_names.items()
            if code and (name in places.whole_country or places.country_names.get(code) == name)
        }

    def names(self, story: Story) -> frozenset[str]:
        """A story's names (:func:`~.events.story_names`)."""
        key = story.lead.article.id
        if key not in self._names:
            self._names[key] = story_names(story, self._places)
        return self._names[key]

    def development(self, story: Story) -> int:
        """The distinct outlets telling ``story`` and the stories of its big event
        that share a name of their own with it: clustering splits one development's
        reports into fragments, each of which looks small, and the name the event's
        other stories seldom use ("Blinken") ties them.  For a story of a small
        event, or naming nothing of its own, its own outlets; and for one whose
        development is already in the edition (one of its fragments is a pick, see
        :meth:`take`): it is that pick's development, which the edition carries,
        not another big story of the day.  Worked out once per story (a read of
        up to :data:`EVENT_SAMPLE` stories), not once per round."""
        key = story.lead.article.id
        if key not in self._outlets:
            self._outlets[key] = self._development(story)
        outlets, fragments = self._outlets[key]
        if fragments and not fragments.isdisjoint(self._picked):
            return len(story.outlets())
        return outlets

    def take(self, story: Story) -> None:
        """Note ``story`` as picked (see :meth:`development`)."""
        self._picked.add(story.lead.article.id)

    def drop(self, story: Story) -> None:
        """Note ``story`` as no longer picked (another report took its place)."""
        self._picked.discard(story.lead.article.id)

    def _development(self, story: Story) -> tuple[int, frozenset[str]]:
        """:meth:`development`, worked out: the outlets, and the fragments' lead ids."""
        keys = {o.key for o in story.outlets()}
        common = self.common(story.event)
        if common is None:
            return len(keys), frozenset()
        mine = self.own(self.names(story), common)
        if not mine:
            return len(keys), frozenset()
        fragments = set()
        for other in self._told[story.event]:
            if other is not story and not mine.isdisjoint(self.names(other)):
                keys.update(o.key for o in other.outlets())
                fragments.add(other.lead.article.id)
        return len(keys), frozenset(fragments)

    def common(self, event: int) -> frozenset[str] | None:
        """The names of a big event, or ``None`` for a smaller one."""
        if event not in self._common:
            # Its best-scored stories only, so a big pool's dominant event costs
            # no more than a day's: the fragments that matter are among them.
            told = list(
                itertools.islice((s for s in self._stories if s.event == event), EVENT_SAMPLE)
            )
            self._told[event] = told
            if len(told) < BIG_EVENT_STORIES:
                self._common[event] = None
            else:
                counts = Counter(n for s in told for n in self.names(s))
                floor = EVENT_NAME_SHARE * len(told)
                self._common[event] = frozenset(n for n, k in counts.items() if k >= floor)
        return self._common[event]

    def specific(self, story: Story, pick: Story) -> bool:
        """Whether ``story`` and ``pick``, of one event, share a name of their own:
        always for a small event, else one the event's stories seldom use (the
        countries its places are in do not count)."""
        common = self.common(pick.event)
        if common is None:
            return True
        return bool(self.own(self.names(story) & self.names(pick), common))

    def own(self, names: frozenset[str], common: frozenset[str]) -> frozenset[str]:
        """The names of ``names`` that are a development's own: not the event's
        (``common``), nor the countries its places are in, nor a name of one of the
        event's countries as a whole ("Israeli" in a war the event's stories place
        in Israel: every development of it is Israeli)."""
        return frozenset(
            n for n in names if n not in common and not self._names_its_country(n, common)
        )

    def _names_its_country(self, name: str, common: frozenset[str]) -> bool:
        """Whether ``name`` is a country's: one its places are in (``country:XX``),
        or a lower-case name of a country as a whole ("palestinians") the event's
        names place it in."""
        if name.startswith("country:"):
            return True
        code = name_country(name, self._countries)
        return code is not None and f"country:{code}" in common


def _country_breadth(story: Story, settings: SelectSettings) -> bool:
    """Whether ``story`` is told by so many outlets (``weights.country_outlets``)
    that its country's earlier picks hold it back neither by weight nor by the
    ``max_per_country`` cap: the cap keeps one country's many small stories from
    filling the edition, not one of the day's big stories out of it (a five-outlet
    story of anti-monarchy arrests on coronation day, with three British picks)."""
    return len(story.outlets()) >= settings.weights.country_outlets


def _limit(
    story: Story,
    per_event: Counter[int],
    same_country: int,
    own_event: int,
    settings: SelectSettings,
    events: Sequence[str],
    places: PlaceData,
    breadth: _EventBreadth,
    names: _EventNames,
) -> str:
    shared = per_event[story.event]
    # development() counts the story's own distinct outlets and more: no need to
    # count them apart.
    if shared >= 2 and names.development(story) >= EVENT_CAP_OUTLETS:
        # A development that many outlets tell (across its fragments) is among the
        # day's big stories however many of its event's came first: the cap holds
        # back the event's small side stories, not its big ones.
        shared = 0
    if shared >= settings.max_per_event:
        return (
            f"diversity: {shared} picks already about the event of "
            f"{events[story.event]!r} (max_per_event)"
        )
    if shared >= 2:
        outlets = breadth(story.event)
        slots = max(2, -(-outlets // EVENT_OUTLETS_PER_PICK))
        if shared >= slots:
            return (
                f"diversity: {shared} picks already about the event of "
                f"{events[story.event]!r}, which {outlets} outlets tell "
                f"({EVENT_OUTLETS_PER_PICK} per pick)"
            )
    if same_country >= settings.max_per_country and not _country_breadth(story, settings):
        # ``same_country`` leaves out the ``own_event`` picks of its own event
        # (see choose): the sentence says so, or it would count fewer picks of its
        # country than the edition has.
        country = _country(story)
        name = places.country_names.get(country, country)
        return (
            f"diversity: {same_country} picks already from {name}{_besides(own_event)} "
            "(max_per_country)"
        )
    return ""


def _besides(own_event: int) -> str:
    """The words naming a country's picks of a story's own event that its country
    cap left out ("" when none)."""
    return f" besides {own_event} of its own event" if own_event else ""


__all__ = ["choose"]
