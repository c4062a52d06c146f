"""The selector: from stored articles to one edition's ranked, explained picks.

Steps, each leaving reasons behind so ``digest select --explain`` can show them:

1. **Overrides**: articles the editor dropped (``select.block``, ``--drop``) are
   out; pinned ones (``select.pin``, ``--pin ID[:POS]``) are in whatever their
   section or age.
2. **Window**: published at or before ``as_of`` and last changed (published or
   updated) after ``as_of - window_hours``.
3. **Section**: World News by label, URL path, feed categories or, for unlabelled
   items, the fallback classifier (:mod:`digest.select.sections`).
4. **Stories**: items telling the same story, near-identical wire copies included,
   collapse into one (:mod:`digest.select.similarity`, near-linear): the
   best-scored member leads, the others are "also reported by".
5. **Memory**: a story picked in an edition of the last ``memory_days`` is left out
   unless it changed since and is at most ``update_similarity`` similar to what was
   sent; such an update is kept with its score times ``weights.repeat``.
6. **Score** of a story, from its lead article::

       recency = 0.5 ** (age_hours / half_life_hours)      age from the last change
       source  = select.source_weights[agency | publisher | source]   (default 1.0)
       quality = weights.image × has image + weights.summary × has standfirst
                 + weights.length × (body ≥ weights.long_body_chars characters)
       size    = weights.story_size × min(other outlets, weights.story_size_cap)
       score   = recency × source × (1 + quality) + size + select.boost[id]

   Defaults: half-life 8 h, image/summary/length 0.1 each (long body: 600 chars),
   story size 0.2 per other outlet up to 4, repeat ×0.5.
7. **Diversity**: picks are taken best first; a story sharing a hot name
   (:mod:`digest.select.events`) with k earlier picks is weighed ×
   ``weights.same_event`` ** k (default 0.75) and one about the same country as k
   earlier picks × ``weights.same_country`` ** k (default 0.85); no more than
   ``max_per_event`` picks share an event and ``max_per_country`` a country
   (default 3 each).  Pinned stories take their positions first.
8. **Headlines**: ``select.headlines`` / ``--headline ID=TEXT`` replace a pick's
   headline in the digest.

Every article given ends up a pick or a rejection, each with its reasons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..config import ScoreWeights, SelectSettings
from ..errors import ConfigError
from ..model import Article, Edition, Pick, Rejection
from .events import describe, event_keys, story_names
from .sections import SectionCall, SectionDetector
from .similarity import (
    MEMBERS_COMPARED,
    Fields,
    GroupIndex,
    Vector,
    Vocabulary,
    article_fields,
    resemblance,
    shingles,
)

#: Body resemblance (Jaccard of 5-word shingles) at which two items are copies.
COPY_RESEMBLANCE = 0.8


@dataclass(frozen=True, slots=True)
class Overrides:
    """Editorial decisions for one edition: pins (id → 1-based position or
    ``None`` for "anywhere"), drops, headline replacements and score boosts."""

    pins: Mapping[str, int | None] = field(default_factory=dict)
    drops: frozenset[str] = frozenset()
    headlines: Mapping[str, str] = field(default_factory=dict)
    boosts: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        settings: SelectSettings,
        *,
        pins: Iterable[str] = (),
        drops: Iterable[str] = (),
        headlines: Iterable[str] = (),
    ) -> Overrides:
        """Merge the config's overrides with command-line ones (``ID[:POS]``,
        ``ID``, ``ID=TEXT``); the command line wins.

        Raises :class:`ConfigError` naming the setting or flag for a bad value.
        """
        pinned: dict[str, int | None] = {}
        for origin, values in (("select.pin", settings.pin), ("--pin", list(pins))):
            for value in values:
                article_id, position = parse_pin(value, origin)
                pinned[article_id] = position
        replaced = dict(settings.headlines)
        for value in headlines:
            article_id, sep, text = value.partition("=")
            if not sep or not article_id.strip() or not text.strip():
                raise ConfigError(f"--headline: expected ID=TEXT, got {value!r}")
            replaced[article_id.strip()] = text.strip()
        dropped = frozenset(settings.block) | {d.strip() for d in drops}
        return cls(pinned, dropped, replaced, dict(settings.boost))


def parse_pin(value: str, origin: str = "--pin") -> tuple[str, int | None]:
    """``"ID"`` or ``"ID:POS"`` → ``(id, position or None)``; raises ConfigError."""
    article_id, sep, position = value.strip().rpartition(":")
    if not sep:
        return value.strip(), None
    if not position.isdigit() or int(position) < 1 or not article_id:
        raise ConfigError(f"{origin}: expected ID or ID:POSITION (1 or more), got {value!r}")
    return article_id, int(position)


@dataclass(frozen=True, slots=True)
class SentStory:
    """An article that was picked in an earlier edition (for memory)."""

    edition_id: str
    as_of: datetime
    article: Article


@dataclass(slots=True)
class _Candidate:
    article: Article
    call: SectionCall
    score: float
    breakdown: str
    vector: Vector | None = None
    pinned: bool = False
    #: Headline, standfirst and body words (kept only when memory needs them).
    fields: Fields = ((), (), ())


@dataclass(slots=True)
class _Story:
    members: list[_Candidate]
    similarity: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    also: tuple[str, ...] = ()
    keys: frozenset[str] = frozenset()
    #: Picked in a recent edition and substantially updated since.
    repeat: bool = False

    @property
    def lead(self) -> _Candidate:
        return self.members[0]


def edition_id(prefix: str, as_of: datetime, timezone: str) -> str:
    """The id of the edition for a moment: ``<prefix>-<local date>``."""
    return f"{prefix}-{as_of.astimezone(ZoneInfo(timezone)).date().isoformat()}"


def source_weight(article: Article, settings: SelectSettings) -> float:
    """The configured weight of an article's agency, publisher or source (default 1)."""
    weights = {k.lower(): v for k, v in settings.source_weights.items()}
    for key in (article.agency, article.publisher, article.source):
        if key and key.lower() in weights:
            return weights[key.lower()]
    return 1.0


def score_breakdown(
    article: Article, *, as_of: datetime, settings: SelectSettings
) -> tuple[float, str]:
    """An article's own score (before story size and boosts) and how it was made."""
    w = settings.weights
    age_hours = max(0.0, (as_of - article.last_changed).total_seconds() / 3600)
    recency = 0.5 ** (age_hours / settings.half_life_hours)
    source = source_weight(article, settings)
    signals = [
        ("image", w.image, bool(article.image and article.image.url)),
        ("summary", w.summary, bool(article.summary)),
        ("long body", w.length, len(article.body) >= w.long_body_chars),
    ]
    quality = sum(weight for _, weight, present in signals if present)
    score = recency * source * (1 + quality)
    has = ", ".join(name for name, _, present in signals if present) or "none"
    text = (
        f"recency {recency:.2f} ({_age(article, as_of)} old, half-life "
        f"{settings.half_life_hours:g}h) × source {source:.2f} × quality {1 + quality:.2f} "
        f"({has})"
    )
    return score, text


def score_article(article: Article, *, as_of: datetime, settings: SelectSettings) -> float:
    """An article's own score (before story size and boosts), as documented above."""
    return score_breakdown(article, as_of=as_of, settings=settings)[0]


def select(
    articles: Iterable[Article],
    *,
    as_of: datetime,
    settings: SelectSettings,
    timezone: str = "UTC",
    prefix: str = "world",
    sent: Sequence[SentStory] = (),
    overrides: Overrides | None = None,
    detector: SectionDetector | None = None,
) -> Edition:
    """Choose an edition's picks from ``articles``.

    ``as_of`` must be tz-aware (times are compared in UTC); ``sent`` lists what
    earlier editions picked.  Never raises for content: every article ends up a
    pick or a rejection, each with its reasons.
    """
    overrides = overrides or Overrides.build(settings)
    detector = detector or SectionDetector(settings)
    start = as_of - timedelta(hours=settings.window_hours)
    rejections: list[Rejection] = []
    candidates: list[_Candidate] = []
    for article in articles:
        pinned = article.id in overrides.pins
        if article.id in overrides.drops:
            rejections.append(Rejection(article, "blocked by editor"))
            continue
        if not pinned:
            reason = _outside_window(article, start, as_of)
            if reason:
                rejections.append(Rejection(article, reason))
                continue
        call = detector.classify(article)
        if not call.counted and not pinned:
            rejections.append(Rejection(article, f"not World News: {call.reason}"))
            continue
        score, breakdown = score_breakdown(article, as_of=as_of, settings=settings)
        candidates.append(_Candidate(article, call, score, breakdown, pinned=pinned))

    stories = _cluster(candidates, settings, rejections, keep_fields=bool(sent))
    _remember(stories, sent, settings, rejections)
    _score_stories(stories, settings, overrides)
    leads = [s.lead.article for s in stories]
    keys = event_keys([story_names(a.title, a.summary, a.body, detector.places) for a in leads])
    for story, story_keys in zip(stories, keys, strict=True):
        story.keys = story_keys
    chosen = _choose(stories, settings, overrides, rejections, detector)
    picks = []
    for story in chosen:
        lead = story.lead.article
        headline = overrides.headlines.get(lead.id, "")
        if headline:
            story.reasons.append(f"headline set by editor (was: {lead.title})")
        picks.append(Pick(lead, round(story.score, 4), tuple(story.reasons), story.also, headline))
    rejections.sort(key=lambda r: (r.score is None, -(r.score or 0.0), r.article.id))
    return Edition(
        id=edition_id(prefix, as_of, timezone),
        as_of=as_of,
        timezone=timezone,
        picks=tuple(picks),
        rejections=tuple(rejections),
        window_start=start,
    )


def _outside_window(article: Article, start: datetime, end: datetime) -> str:
    if article.published_at > end:
        return "published after the edition time"
    if article.last_changed <= start:
        return "outside the time window"
    return ""


def _cluster(
    candidates: list[_Candidate],
    settings: SelectSettings,
    rejections: list[Rejection],
    *,
    keep_fields: bool = False,
) -> list[_Story]:
    """Collapse same-story candidates; best-scored (pinned first) lead each story.

    Items join stories in publication order (a story grows as outlets pick it
    up), which makes the grouping independent of the scoring weights.
    """
    vocabulary = Vocabulary()
    fields = [article_fields(c.article) for c in candidates]
    for found in fields:
        vocabulary.count(found)
    for c, found in zip(candidates, fields, strict=True):
        c.vector = vocabulary.vector(found)
        if keep_fields:
            c.fields = found
    del fields  # a large pool's words are the biggest thing held here
    candidates.sort(key=lambda c: (not c.pinned, c.article.published_at, c.article.id))
    index = GroupIndex(settings.story_similarity, settings.same_story_threshold)
    stories: list[_Story] = []
    for c in candidates:
        assert c.vector is not None
        # A pinned article always leads its own story: the editor chose it.
        match = None if c.pinned else index.nearest(c.vector)
        if match is None:
            index.put(c.vector)  # group numbers follow story numbers
            stories.append(_Story([c]))
            continue
        index.put(c.vector, match.group)
        story = stories[match.group]
        story.members.append(c)
        story.similarity[c.article.id] = match.similarity
    for story in stories:
        first = story.lead
        story.members.sort(key=lambda c: (not c.pinned, -c.score, c.article.id))
        if story.lead is not first:
            assert first.vector is not None and story.lead.vector is not None
            story.similarity[first.article.id] = first.vector.cosine(story.lead.vector)
        lead = story.lead.article
        # Copies are checked against the first few members (the lead among them).
        compared = [(m.article, shingles(m.article.body)) for m in story.members[:MEMBERS_COMPARED]]
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
                Rejection(
                    other.article,
                    f"same story as {lead.id} ({lead.title}): {how}, {sim:.2f}",
                    round(other.score, 4),
                )
            )
    return stories


def _remember(
    stories: list[_Story],
    sent: Sequence[SentStory],
    settings: SelectSettings,
    rejections: list[Rejection],
) -> None:
    """Drop stories sent recently unless substantially updated since (in place)."""
    if not sent:
        return
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
    keep: list[_Story] = []
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
        for m in story.members:
            rejections.append(Rejection(m.article, reason, round(m.score, 4)))
    stories[:] = keep


def _repeat_reason(
    story: _Story,
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
    story.reasons.append(
        f"update to a story sent in {when} (similarity {similarity:.2f}); "
        f"score × {settings.weights.repeat:g}"
    )
    story.repeat = True
    return ""


def _score_stories(stories: list[_Story], settings: SelectSettings, overrides: Overrides) -> None:
    w = settings.weights
    for story in stories:
        lead = story.lead
        outlets = _outlets(lead.article)
        also = tuple(
            dict.fromkeys(
                o for m in story.members[1:] for o in _outlets(m.article) if o not in outlets
            )
        )
        story.also = also
        size = w.story_size * min(len(also), w.story_size_cap)
        boost = overrides.boosts.get(lead.article.id, 0.0)
        repeat = w.repeat if story.repeat else 1.0
        story.score = (lead.score + size + boost) * repeat
        formula = f"score {round(story.score, 4):.3f} = {lead.breakdown}"
        if size:
            formula += f" + story size {size:.2f} ({len(also)} other outlet(s))"
        if boost:
            formula += f" + editor's boost {boost:+g}"
        if repeat != 1.0:
            formula = f"{formula}, × repeat {repeat:g}"
        story.reasons[:0] = [lead.call.reason, formula]
        if len(story.members) > 1:
            members = ", ".join(
                f"{m.article.id} ({m.article.agency or m.article.publisher or m.article.source})"
                for m in story.members[1:]
            )
            story.reasons.append(f"story of {len(story.members)}: also {members}")
        if also:
            story.reasons.append(f"also reported by {', '.join(also)}")


def _choose(
    stories: list[_Story],
    settings: SelectSettings,
    overrides: Overrides,
    rejections: list[Rejection],
    detector: SectionDetector,
) -> list[_Story]:
    """Pinned stories at their places, then the best by diversity-weighed score."""
    w = settings.weights
    pinned = [s for s in stories if s.lead.pinned]
    free = sorted(
        (s for s in stories if not s.lead.pinned), key=lambda s: (-s.score, s.lead.article.id)
    )
    count = max(settings.count, len(pinned))
    taken: list[_Story] = []
    events: Counter[str] = Counter()
    countries: Counter[str] = Counter()

    def take(story: _Story) -> None:
        taken.append(story)
        events.update(story.keys)
        if story.lead.call.country:
            countries[story.lead.call.country] += 1

    for story in pinned:
        position = overrides.pins[story.lead.article.id]
        where = f"position {position}" if position else "the edition"
        story.reasons.append(f"pinned to {where} by editor")
        take(story)
    capped: dict[str, str] = {}
    remaining = list(free)
    while len(taken) < count and remaining:
        best: tuple[float, int, str] | None = None
        for n, story in enumerate(remaining):
            if best is not None and story.score <= best[0]:
                break  # adjusted scores only shrink: nobody further down can win
            limit = _limit(story, events, countries, settings, detector)
            if limit:
                capped[story.lead.article.id] = limit
                continue
            shared = max((events[k] for k in story.keys), default=0)
            same_country = countries[story.lead.call.country] if story.lead.call.country else 0
            factor = w.same_event**shared * w.same_country**same_country
            note = ""
            if factor < 1:
                parts = []
                if shared:
                    parts.append(
                        f"same event as {shared} earlier pick(s) × {w.same_event:g}^{shared}"
                    )
                if same_country:
                    parts.append(
                        f"same country as {same_country} earlier pick(s) × "
                        f"{w.same_country:g}^{same_country}"
                    )
                note = f"diversity: {'; '.join(parts)} → {story.score * factor:.3f}"
            if best is None or story.score * factor > best[0]:
                best = (story.score * factor, n, note)
        if best is None:
            # Every story left is capped: an empty slot helps nobody, so the best
            # of them (with its diversity weight) fills it and says so.
            best = _best_capped(remaining, events, countries, w)
            if best is None:
                break
        story = remaining.pop(best[1])
        if best[2]:
            story.reasons.append(best[2])
        capped.pop(story.lead.article.id, None)
        take(story)
    # Pins without a position lead, in the order given; pins with one are then
    # put at their places, lowest first; the others keep their order around them.
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
    for story in remaining:
        lead = story.lead
        reason = capped.get(lead.article.id) or f"ranked below the top {count}"
        shared = max((events[k] for k in story.keys), default=0)
        if not capped.get(lead.article.id) and shared:
            weighed = story.score * w.same_event**shared
            reason += f" (same event as {shared} pick(s): weighed down to {weighed:.3f})"
        rejections.append(Rejection(lead.article, reason, round(story.score, 4)))
    return ordered


def _best_capped(
    remaining: list[_Story],
    events: Counter[str],
    countries: Counter[str],
    w: ScoreWeights,
) -> tuple[float, int, str] | None:
    best: tuple[float, int, str] | None = None
    for n, story in enumerate(remaining):
        shared = max((events[k] for k in story.keys), default=0)
        country = story.lead.call.country
        factor = w.same_event**shared * (w.same_country ** countries[country] if country else 1.0)
        if best is None or story.score * factor > best[0]:
            note = (
                f"diversity cap lifted: no other story left for this slot "
                f"(× {factor:.2f} → {story.score * factor:.3f})"
            )
            best = (story.score * factor, n, note)
    return best


def _limit(
    story: _Story,
    events: Counter[str],
    countries: Counter[str],
    settings: SelectSettings,
    detector: SectionDetector,
) -> str:
    for key in sorted(story.keys):
        if events[key] >= settings.max_per_event:
            name = describe(key, detector.places)
            return f"diversity: {events[key]} picks already about {name} (max_per_event)"
    country = story.lead.call.country
    if country and countries[country] >= settings.max_per_country:
        name = detector.places.country_names.get(country, country)
        return f"diversity: {countries[country]} picks already from {name} (max_per_country)"
    return ""


def _outlets(article: Article) -> list[str]:
    return [o for o in (article.agency, article.publisher) if o]


def _age(article: Article, as_of: datetime) -> str:
    minutes = int((as_of - article.last_changed).total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}m"


#: The kinds of rejection, by the start of their reason.
REJECTION_KINDS = (
    "blocked by editor", "outside the time window", "published after the edition time",
    "not World News", "same story as", "already sent", "diversity", "ranked below",
)  # fmt: skip


def rejection_kind(reason: str) -> str:
    """The kind of a rejection reason (one of :data:`REJECTION_KINDS`)."""
    return next((k for k in REJECTION_KINDS if reason.startswith(k)), reason.split(":")[0])


def rejection_summary(edition: Edition) -> str:
    """How many articles were left out, by kind ("4 not World News, 2 outside the
    time window…"), for "not enough news" explanations."""
    kinds = Counter(rejection_kind(r.reason) for r in edition.rejections)
    found = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return found or "nothing else in the window"


__all__: Sequence[str] = [
    "Overrides",
    "SentStory",
    "edition_id",
    "parse_pin",
    "rejection_kind",
    "rejection_summary",
    "score_article",
    "score_breakdown",
    "select",
    "source_weight",
]
