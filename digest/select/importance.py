"""Importance: how big a story is, how fast it spreads, how fresh it is.

A story's score, with every factor shown in ``--explain``::

    own       = recency × source × (1 + quality)            of the lead article
    recency   = 0.5 ** (hours since the story last changed / half_life_hours)
    source    = select.source_weights[agency | publisher | source | outlet]  (1.0)
    quality   = weights.image × has image + weights.summary × has standfirst
                + weights.length × (body ≥ weights.long_body_chars characters)
    coverage  = 1 + weights.story_size × min(others + lift, story_size_cap)
    others    = Σ weights of the other outlets telling the story
    lift      = min(weights.event_share × Σ weights of the outlets telling only other
                    stories of its event, others + 1)
    spreading = 1 + weights.spread × (share of its outlets that joined in the
                last select.spread_hours)
    placed    = weights.unplaced when only the outlet's country, or a place named only
                in passing, put its lead abroad and fewer than weights.placed_outlets
                outlets tell it, else 1; lifted by (1 - unplaced) × the share of its
                outlets that place it abroad by what they say, when at least
                weights.placed_by do
    score     = own × coverage × spreading × placed + select.boost[id]
                (× weights.repeat for an update of a story sent before)

Coverage leads: with the defaults (one day's half-life, story_size 1) a story told
by five outlets in the morning outranks a single outlet's story of the evening,
and recency only orders stories of the same size.  Outlets that tell other parts
of the same event (:mod:`.events`) count at ``event_share``: a development of the
day's biggest event matters more than a lone story of the same size.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import NamedTuple

from ..config import SelectSettings
from ..model import Article
from .candidates import Candidate, Explain, Shared, Story
from .outlets import Outlet
from .overrides import Overrides


def source_weight(article: Article, settings: SelectSettings, outlet_name: str = "") -> float:
    """The configured weight of an article's agency, publisher, source or outlet (1)."""
    weights = {k.lower(): v for k, v in settings.source_weights.items()}
    for key in (article.agency, article.publisher, article.source, outlet_name):
        if key and key.lower() in weights:
            return weights[key.lower()]
    return 1.0


def weigh_article(candidate: Candidate, *, as_of: datetime, settings: SelectSettings) -> None:
    """Set a candidate's own weight (recency × source × quality)."""
    recency, source, quality, _ = _own_factors(candidate, as_of, settings)
    candidate.own = recency * source * (1 + quality)


def own_reason(candidate: Candidate, *, as_of: datetime, settings: SelectSettings) -> str:
    """Why a candidate weighs what it does (recency × source × quality), in words."""
    recency, source, quality, has = _own_factors(candidate, as_of, settings)
    return (
        f"recency {recency:.2f} ({_age(candidate.article, as_of)} old, half-life "
        f"{settings.half_life_hours:g}h) × source {source:.2f} × quality {1 + quality:.2f} "
        f"({has})"
    )


def _own_factors(
    candidate: Candidate, as_of: datetime, settings: SelectSettings
) -> tuple[float, float, float, str]:
    """Recency, source weight and quality of a candidate, and the quality signals
    it has, in words: computed again for an explanation rather than kept for
    every candidate (a big pool's sentences would outweigh its vectors)."""
    article, w = candidate.article, settings.weights
    age_hours = max(0.0, (as_of - article.last_changed).total_seconds() / 3600)
    recency = 0.5 ** (age_hours / settings.half_life_hours)
    source = source_weight(article, settings, candidate.outlet.name)
    signals = [
        ("image", w.image, bool(article.image and article.image.url)),
        ("summary", w.summary, bool(article.summary)),
        ("long body", w.length, len(article.body) >= w.long_body_chars),
    ]
    quality = sum(weight for _, weight, present in signals if present)
    has = ", ".join(name for name, _, present in signals if present) or "none"
    return recency, source, quality, has


def score_stories(
    stories: list[Story], *, as_of: datetime, settings: SelectSettings, overrides: Overrides
) -> None:
    """Score every story in place.  Its reasons (what it is, each factor) are kept
    as placeholders and written by :func:`explain_scores` for the stories picked:
    a big pool's sentences would outweigh everything else the selection holds."""
    recent = as_of - timedelta(hours=settings.spread_hours)
    by_event = _outlets_by_event(stories)
    # Most stories' reasons are the same placeholders: one tuple of each kept.
    shared: Shared[tuple[str | Explain, ...]] = Shared()
    # Many stories are told by the same few outlets: one tuple of each list kept.
    also: Shared[tuple[str, ...]] = Shared()
    for story in stories:
        factors = _factors(story, by_event, recent, settings, overrides)
        story.score = factors.score
        story.also = also(tuple(o.name for o in factors.outlets[1:]))
        reasons = (Explain.SCORE, *story.reasons)
        if len(story.members) > 1:
            reasons += (Explain.MEMBERS,)
        story.reasons = shared(reasons)


def explain_scores(
    chosen: list[Story],
    stories: list[Story],
    *,
    as_of: datetime,
    settings: SelectSettings,
    overrides: Overrides,
) -> list[list[str]]:
    """The reasons of each of the ``chosen`` stories, in words: the placeholders
    :func:`score_stories` left written out from the same factors (``stories`` are
    all it scored, for the outlets of each event)."""
    recent = as_of - timedelta(hours=settings.spread_hours)
    events = {story.event for story in chosen}
    by_event = _outlets_by_event([s for s in stories if s.event in events])
    explained = []
    for story in chosen:
        factors = _factors(story, by_event, recent, settings, overrides)
        reasons: list[str] = []
        for reason in story.reasons:
            if reason is Explain.SCORE:
                lead = story.lead
                reasons.append(f"{lead.call.reason}; outlet {lead.outlet.name}")
                reasons.append(_formula(story, factors, as_of, settings))
            elif reason is Explain.MEMBERS:
                members = ", ".join(f"{m.article.id} ({m.outlet.name})" for m in story.members[1:])
                reasons.append(f"story of {len(story.members)}: also {members}")
                if story.also:
                    reasons.append(f"also reported by {', '.join(story.also)}")
            else:
                reasons.append(reason)
        explained.append(reasons)
    return explained


class _Factors(NamedTuple):
    """The factors of a story's score (see the module docstring)."""

    outlets: list[Outlet]
    around: float
    lift: float
    coverage: float
    new: int
    spreading: float
    placed: float
    #: Distinct outlets placing the story abroad by what they say (counted only
    #: for a weakly placed lead, else 0).
    firm: int
    boost: float
    repeat: float
    score: float


def _outlets_by_event(stories: list[Story]) -> dict[int, dict[str, float]]:
    """The outlets (key → weight) telling each event's stories, in story order,
    for the events of two stories or more: a lone story's event adds no outlets
    of its own (``around`` is 0 without it), and a big pool's lone stories are
    tens of thousands of dicts."""
    size = Counter(story.event for story in stories)
    by_event: dict[int, dict[str, float]] = {}
    for story in stories:
        if size[story.event] > 1:
            outlets = ((o.key, o.weight) for o in story.outlets())
            by_event.setdefault(story.event, {}).update(outlets)
    return by_event


def _factors(
    story: Story,
    by_event: dict[int, dict[str, float]],
    recent: datetime,
    settings: SelectSettings,
    overrides: Overrides,
) -> _Factors:
    w = settings.weights
    lead = story.lead
    outlets = story.outlets()
    others = outlets[1:]
    own_keys = {o.key for o in outlets}
    around = sum(wt for k, wt in by_event.get(story.event, {}).items() if k not in own_keys)
    own_breadth = sum(o.weight for o in others)
    # An event lifts a story by at most its own breadth plus one: a lone side
    # piece of the day's big event does not outrank a story many outlets tell.
    lift = min(w.event_share * around, own_breadth + 1)
    breadth = min(own_breadth + lift, float(w.story_size_cap))
    coverage = 1 + w.story_size * breadth
    joined: dict[str, datetime] = {}
    for m in story.members:
        key = m.outlet.key
        joined[key] = min(joined.get(key, m.article.published_at), m.article.published_at)
    new = sum(1 for when in joined.values() if when > recent)
    spreading = 1 + w.spread * new / len(joined)
    # Weak placement is doubt about a small story (a foreign outlet's local news
    # read as World News); one that many outlets tell is news wherever it happened.
    # The doubt is its lead's: when other outlets place it abroad by what they say
    # (a dateline, names, a desk label, a path), it is lifted by their share.  One
    # such outlet is too little: a celebrity's or an oddity's second telling often
    # names the country (real 2023-08-24 GB would pick a soft story).
    placed, firm = 1.0, 0
    if lead.call.by_outlet and len(outlets) < w.placed_outlets:
        firm = _firmly_placed(story)
        placed = w.unplaced
        if firm >= w.placed_by:
            placed += (1 - w.unplaced) * firm / len(outlets)
    boost = overrides.boosts.get(lead.article.id, 0.0)
    repeat = w.repeat if story.repeat else 1.0
    score = (lead.own * coverage * spreading * placed + boost) * repeat
    return _Factors(
        outlets, around, lift, coverage, new, spreading, placed, firm, boost, repeat, score
    )


def _firmly_placed(story: Story) -> int:
    """How many distinct outlets place the story abroad by what their reports say
    (not by the outlet's country alone nor a place named in passing).  A member an
    editor pinned though it is not World News (home news) places nothing abroad."""
    return len({m.outlet.key for m in story.members if m.call.counted and not m.call.by_outlet})


def _formula(story: Story, f: _Factors, as_of: datetime, settings: SelectSettings) -> str:
    """A story's score and each of its factors, in words."""
    names = ", ".join(o.name for o in f.outlets)
    event = f" + {f.lift:.2f} for {f.around:g} more on its event" if f.around else ""
    own = own_reason(story.lead, as_of=as_of, settings=settings)
    formula = (
        f"score {round(f.score, 4):.3f} = coverage {f.coverage:.2f} "
        f"({len(f.outlets)} outlet(s): {names}{event}) × spreading {f.spreading:.2f} "
        f"({f.new} joined in the last {settings.spread_hours:g}h) × {own}"
    )
    if f.placed != 1.0:
        formula += f" × placed {f.placed:.2g} ({_placement(f, settings.weights.placed_by)})"
    if f.boost:
        formula += f" + editor's boost {f.boost:+g}"
    if f.repeat != 1.0:
        formula = f"{formula}, × repeat {f.repeat:g}"
    return formula


def _placement(f: _Factors, placed_by: int) -> str:
    """Why a weakly placed story weighs what it does, in words: its lead's doubt,
    and the outlets that place it by what they say, which lift it from ``placed_by``."""
    why = "its lead abroad only by its outlet or a passing mention"
    of = f"{f.firm} of {len(f.outlets)} outlets"
    if f.firm >= placed_by:
        return f"{why}; lifted by the {of} that place it by what they say"
    if f.firm:
        return f"{why}; {of} place it by what they say, fewer than the {placed_by} that lift it"
    return why


def _age(article: Article, as_of: datetime) -> str:
    minutes = int((as_of - article.last_changed).total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}m"


__all__ = ["explain_scores", "own_reason", "score_stories", "source_weight", "weigh_article"]
