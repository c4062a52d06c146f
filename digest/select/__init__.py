"""The selector: from stored articles to one edition's ranked picks.

Steps, each leaving reasons behind so ``digest select --explain`` can show them:

1. **Candidates**: in a counted section (``select.sections``, default ``world``),
   published or updated inside the window ``(as_of - window_hours, as_of]``, not
   blocked, not in a recent edition.
2. **Stories**: candidates that tell the same story (headline word overlap at or
   above ``same_story_threshold``, or headline and standfirst both overlapping
   loosely; see :mod:`digest.select.similarity`) collapse into one, kept from the
   best-scored member; the others become "also reported by".
3. **Score** of an article::

       recency  = 0.5 ** (age_hours / half_life_hours)
       quality  = 0.1 × (has image) + 0.1 × (has summary) + 0.1 × (body ≥ 600 chars)
       score    = recency × source_weight × (1 + quality) + 0.15 × (other sources)

   ``source_weight`` comes from ``select.source_weights`` keyed by agency,
   publisher or source (default 1.0).
4. **Picks**: pinned articles first, then by score, ``count`` of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..config import SelectSettings
from ..model import Article, Edition, Pick, Rejection
from .similarity import StoryIndex


@dataclass(slots=True)
class _Story:
    members: list[Article] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


def edition_id(prefix: str, as_of: datetime, timezone: str) -> str:
    """The id of the edition for a moment: ``<prefix>-<local date>``."""
    return f"{prefix}-{as_of.astimezone(ZoneInfo(timezone)).date().isoformat()}"


def score_article(article: Article, *, as_of: datetime, settings: SelectSettings) -> float:
    """An article's own score (before story size), as documented in this module."""
    age_hours = max(0.0, (as_of - article.last_changed).total_seconds() / 3600)
    recency = 0.5 ** (age_hours / settings.half_life_hours)
    quality = 0.1 * bool(article.image and article.image.url)
    quality += 0.1 * bool(article.summary) + 0.1 * (len(article.body) >= 600)
    return float(recency * source_weight(article, settings) * (1 + quality))


def source_weight(article: Article, settings: SelectSettings) -> float:
    """The configured weight of an article's agency, publisher or source (default 1)."""
    weights = {k.lower(): v for k, v in settings.source_weights.items()}
    for key in (article.agency, article.publisher, article.source):
        if key and key.lower() in weights:
            return weights[key.lower()]
    return 1.0


def select(
    articles: Iterable[Article],
    *,
    as_of: datetime,
    settings: SelectSettings,
    timezone: str = "UTC",
    prefix: str = "world",
    recently_sent: Mapping[str, datetime] | None = None,
) -> Edition:
    """Choose an edition's picks from ``articles``.

    ``as_of`` must be tz-aware; ``recently_sent`` maps article ids already sent to
    when.  Never raises for content: every article ends up a pick or a rejection.
    """
    recently_sent = recently_sent or {}
    start = as_of - timedelta(hours=settings.window_hours)
    sections = {s.lower() for s in settings.sections}
    pinned = [p for p in settings.pin]
    blocked = set(settings.block)

    rejections: list[Rejection] = []
    candidates: list[tuple[float, Article]] = []
    for article in articles:
        reason = _excluded(article, start, as_of, sections, blocked, recently_sent)
        if reason:
            rejections.append(Rejection(article, reason))
            continue
        candidates.append((score_article(article, as_of=as_of, settings=settings), article))

    # Best first, so each story is led by its strongest telling.
    candidates.sort(key=lambda pair: (-pair[0], pair[1].id))
    index = StoryIndex(threshold=settings.same_story_threshold)
    stories: dict[int, _Story] = {}
    for score, article in candidates:
        story_id = index.add(article.title, article.summary)
        story = stories.setdefault(story_id, _Story())
        story.members.append(article)
        story.scores[article.id] = score

    ranked: list[tuple[float, Pick]] = []
    for story in stories.values():
        lead, *others = story.members
        outlets = _outlets(lead)
        also = tuple(dict.fromkeys(o for a in others for o in _outlets(a) if o not in outlets))
        bonus = 0.15 * len(also)
        score = story.scores[lead.id] + bonus
        reasons = [
            f"section {lead.section}",
            f"{_age(lead, as_of)} old, own score {story.scores[lead.id]:.3f}",
        ]
        if also:
            reasons.append(f"also reported by {', '.join(also)} (+{bonus:.2f})")
        if lead.id in pinned:
            reasons.append(f"pinned to position {pinned.index(lead.id) + 1}")
        headline = settings.headlines.get(lead.id, "")
        if headline:
            reasons.append("headline set by editor")
        ranked.append((score, Pick(lead, round(score, 4), tuple(reasons), also, headline)))
        for other in others:
            rejections.append(
                Rejection(other, f"same story as {lead.id} ({lead.title})", story.scores[other.id])
            )

    def order(pair: tuple[float, Pick]) -> tuple[int, float, str]:
        pick = pair[1]
        pin = pinned.index(pick.article.id) if pick.article.id in pinned else len(pinned)
        return (pin, -pair[0], pick.article.id)

    ranked.sort(key=order)
    picks = [pick for _, pick in ranked[: settings.count]]
    for score, pick in ranked[settings.count :]:
        rejections.append(
            Rejection(pick.article, f"ranked below the top {settings.count}", round(score, 4))
        )
    return Edition(
        id=edition_id(prefix, as_of, timezone),
        as_of=as_of,
        timezone=timezone,
        picks=tuple(picks),
        rejections=tuple(rejections),
        window_start=start,
    )


def _excluded(
    article: Article,
    start: datetime,
    end: datetime,
    sections: set[str],
    blocked: set[str],
    recently_sent: Mapping[str, datetime],
) -> str:
    if article.id in blocked:
        return "blocked by editor"
    if article.section.lower() not in sections:
        return f"section {article.section or 'unknown'!r} is not counted"
    if article.published_at > end:
        return "published after the edition time"
    if not start < article.last_changed <= end and not start < article.published_at <= end:
        return "outside the time window"
    if article.id in recently_sent:
        return f"already sent on {recently_sent[article.id].date().isoformat()}"
    return ""


def _outlets(article: Article) -> list[str]:
    return [o for o in (article.agency, article.publisher) if o]


def _age(article: Article, as_of: datetime) -> str:
    minutes = int((as_of - article.last_changed).total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m"


__all__: Sequence[str] = ["edition_id", "score_article", "select", "source_weight"]
