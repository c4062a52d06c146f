"""The selector: from stored articles to one edition's ranked, explained picks.

One module per stage; each keeps some candidates and leaves the others out with a
typed :class:`~digest.model.LeftOut` kind and a sentence (``digest select
--explain``).  Times are tz-aware UTC throughout.

1. **Overrides** (:mod:`.overrides`): articles the editor dropped are out
   (``BLOCKED``); pinned ones are in whatever their section, genre or age.
2. **Window**: published at or before ``as_of`` (else ``FUTURE``) and last changed
   after ``as_of - window_hours`` (else ``STALE``).
3. **Outlets and sections** (:mod:`.outlets`, :mod:`.sections`): each item's
   outlet (name, country, weight) from its web address, and World News from the
   publisher's point of view: desk labels read relative to the outlet's country,
   unlabelled items placed by what they are about, a summit the window places at
   home is home news (``NOT_WORLD``).
4. **Stories** (:mod:`.clustering`): items telling the same story, wire copies
   included, collapse into one; hard news leads (``SAME_STORY``).
5. **Genre** (:mod:`.genre`): a story with no hard-news member (opinion,
   analysis, features, soft news) is out unless ``select.genres`` lets it in
   (``NOT_HARD_NEWS``).
6. **Memory** (:mod:`.memory`): stories sent in the last ``memory_days`` are out
   unless substantially updated (``ALREADY_SENT``).
7. **Events** (:mod:`.events`): stories group into events (a war, a summit).
8. **Importance** (:mod:`.importance`): coverage by distinct outlets first (those
   telling other parts of its event at half weight), then how fast the story
   spreads, then recency and quality.
9. **Diversity** (:mod:`.diversity`): picks are taken best first with events and
   countries weighed down and capped; a story that turns out to be a pick told in
   other words is left out (``DIVERSITY``, ``SAME_STORY``, ``RANKED_BELOW``).
10. **Headlines**: ``select.headlines`` / ``--headline ID=TEXT`` replace a pick's
   headline in the digest.

Every article given ends up a pick or a rejection, each with its reasons.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..config import SelectSettings
from ..model import Article, Edition, LeftOut, Pick, Rejection
from .candidates import Candidate, Shared, Story, left_out
from .clustering import cluster
from .diversity import choose
from .events import group_events
from .genre import GenreCall, classify_genre, soft_story
from .importance import explain_scores, score_stories, source_weight, weigh_article
from .memory import SentStory, remember
from .outlets import OutletTable
from .overrides import Overrides, parse_pin
from .sections import SectionCall, SectionDetector


def edition_id(prefix: str, as_of: datetime, timezone: str) -> str:
    """The id of the edition for a moment: ``<prefix>-<local date>``."""
    return f"{prefix}-{as_of.astimezone(ZoneInfo(timezone)).date().isoformat()}"


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
    outlets: OutletTable | None = None,
) -> Edition:
    """Choose an edition's picks from ``articles``.

    ``as_of`` must be tz-aware (times are compared in UTC); ``sent`` lists what
    earlier editions picked; ``outlets`` adds the config's ``[outlets]`` to the
    built-in table.  Never raises for content: every article ends up a pick or a
    rejection, each with its reasons.
    """
    overrides = overrides or Overrides.build(settings)
    detector = detector or SectionDetector(settings)
    outlets = outlets or OutletTable()
    start = as_of - timedelta(hours=settings.window_hours)
    rejections: list[Rejection] = []
    candidates: list[Candidate] = []
    articles = list(articles)
    # Most items share their section call, genre call and left-out sentence with
    # many others ("section world (labelled 'World' by the source; counts)"): one
    # copy of each is kept, not one per item of a big pool.
    calls: Shared[SectionCall] = Shared()
    genres: Shared[GenreCall] = Shared()
    texts: Shared[str] = Shared()
    # The day's context first: a summit the window places at home is home news.
    detector.learn_summits(a for a in articles if _outside_window(a, start, as_of) is None)
    for article in articles:
        pinned = article.id in overrides.pins
        if article.id in overrides.drops:
            rejections.append(left_out(article, LeftOut.BLOCKED, "blocked by editor"))
            continue
        if not pinned:
            outside = _outside_window(article, start, as_of)
            if outside is not None:
                rejections.append(outside)
                continue
        outlet = outlets.of(article)
        call = calls(detector.classify(article, outlet))
        if not call.counted and not pinned:
            rejections.append(left_out(article, LeftOut.NOT_WORLD, call.reason, texts=texts))
            continue
        genre = genres(classify_genre(article))
        candidate = Candidate(article, outlet, call, genre, pinned=pinned)
        weigh_article(candidate, as_of=as_of, settings=settings)
        candidates.append(candidate)

    stories, same = cluster(candidates, settings, keep_fields=bool(sent))
    # Their sentences are written last, in this place among the rejections.
    same_at = len(rejections)
    stories = _hard_news(stories, settings, rejections)
    stories, repeats = remember(stories, sent, settings)
    rejections += repeats
    events = group_events(stories, settings.event_similarity, detector.places)
    score_stories(stories, as_of=as_of, settings=settings, overrides=overrides)
    chosen, below = choose(stories, settings, overrides, events, detector.places)
    rejections += below
    explained = explain_scores(chosen, stories, as_of=as_of, settings=settings, overrides=overrides)
    picks = []
    for story, reasons in zip(chosen, explained, strict=True):
        lead = story.lead.article
        headline = overrides.headlines.get(lead.id, "")
        if headline:
            reasons.append(f"headline set by editor (was: {lead.title})")
        picks.append(
            Pick(
                lead,
                round(story.score, 4),
                tuple(reasons),
                story.also,
                headline,
                story.lead.outlet.name,
                story.cap_lifted,
            )
        )
    # The vectors (most of what a selection holds) are not needed past this point:
    # dropped before the same-story sentences are written, so those do not add up
    # to a new peak.
    for candidate in candidates:
        candidate.vector = None
    # Each member's record is freed as its rejection is written (last first), so
    # the sentences take the records' memory rather than adding to it.
    written = [same.pop().rejection() for _ in range(len(same))]
    written.reverse()
    rejections[same_at:same_at] = written
    del written
    # Two stable sorts (by id, then by score, highest first, unscored last) order
    # the rejections as one sort on (unscored, -score, id) would, without a key
    # tuple per rejection, and each key an object the rejection already holds (a
    # negated score would be a new float per rejection, at the selection's peak).
    rejections.sort(key=lambda r: r.article.id)
    rejections.sort(key=_score_key, reverse=True)
    return Edition(
        id=edition_id(prefix, as_of, timezone),
        as_of=as_of,
        timezone=timezone,
        picks=tuple(picks),
        rejections=tuple(rejections),
        window_start=start,
    )


def _score_key(rejection: Rejection) -> float:
    """A rejection's score, or minus infinity when it has none (sorted last)."""
    return -math.inf if rejection.score is None else rejection.score


def _outside_window(article: Article, start: datetime, end: datetime) -> Rejection | None:
    if article.published_at > end:
        return left_out(article, LeftOut.FUTURE, "published after the edition time")
    if article.last_changed <= start:
        return left_out(article, LeftOut.STALE, "outside the time window")
    return None


def _hard_news(
    stories: list[Story], settings: SelectSettings, rejections: list[Rejection]
) -> list[Story]:
    """Stories whose lead (hard news first) is of an allowed genre, or pinned."""
    allowed = set(settings.genres)
    kept = []
    for story in stories:
        lead = story.lead
        call = lead.genre
        if call.hard and len(story.members) > 1:
            call = soft_story([m.genre for m in story.members]) or call
        if lead.pinned or call.genre in allowed:
            kept.append(story)
            continue
        rejections.append(left_out(lead.article, LeftOut.NOT_HARD_NEWS, call.reason, lead.own))
    return kept


def rejection_kind(rejection: Rejection) -> str:
    """The kind of a rejection (one of :class:`~digest.model.LeftOut`'s values), or
    the first words of its reason if it has none."""
    kind = rejection.kind or LeftOut.of_reason(rejection.reason)
    return kind.value if kind is not None else rejection.reason.split(":")[0]


def rejection_summary(edition: Edition) -> str:
    """How many articles were left out, by kind ("4 not World News, 2 outside the
    time window…"), for "not enough news" explanations."""
    kinds = Counter(rejection_kind(r) for r in edition.rejections)
    found = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return found or "nothing else in the window"


__all__: Sequence[str] = [
    "Overrides",
    "SentStory",
    "edition_id",
    "parse_pin",
    "rejection_kind",
    "rejection_summary",
    "select",
    "source_weight",
]
