"""Articles, upserted by their stable id, and the inputs kept aside with their reason."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..codec import article_from_plain, article_to_plain
from ..model import Article, Skipped, to_plain
from .clock import now_text, utc_text
from .database import Database
from .types import UpsertCounts

_ARTICLE_COLUMNS = (
    "id", "url", "title", "summary", "body", "section", "tags", "published_at",
    "updated_at", "dateline", "agency", "byline", "image", "language", "publisher",
    "source", "time_from_crawl", "content_hash", "first_seen_at", "last_seen_at",
)  # fmt: skip
# A changed story replaces every column but keeps when it was first seen.
_UPSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _ARTICLE_COLUMNS)}) ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS if c not in ("id", "first_seen_at"))
)


class ArticleTables:
    """The ``articles`` and ``skipped`` tables (part of every store)."""

    _db: Database

    def upsert_articles(self, articles: Iterable[Article]) -> UpsertCounts:
        """Insert new articles and replace changed ones, matched by id.

        An article whose content is unchanged only has its last-seen time bumped.
        """
        new = updated = unchanged = 0
        now = now_text()
        with self._db.transaction() as db:
            for article in articles:
                digest_ = _content_hash(article)
                row = db.execute(
                    "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if row is not None and row[0] == digest_:
                    unchanged += 1
                    db.execute(
                        "UPDATE articles SET last_seen_at = ? WHERE id = ?", (now, article.id)
                    )
                    continue
                if row is None:
                    new += 1
                else:
                    updated += 1
                db.execute(_UPSERT_ARTICLE, (*_article_row(article), digest_, now, now))
        return UpsertCounts(new, updated, unchanged)

    def articles_between(self, start: datetime, end: datetime) -> list[Article]:
        """Articles published or updated in ``[start, end]`` (UTC), newest first."""
        rows = self._db.rows(
            "SELECT * FROM articles WHERE "
            "(published_at BETWEEN ? AND ?) OR (updated_at BETWEEN ? AND ?) "
            "ORDER BY published_at DESC, id",
            (utc_text(start), utc_text(end), utc_text(start), utc_text(end)),
        )
        return [_article_from_row(r) for r in rows]

    def article(self, article_id: str) -> Article | None:
        """One article by id, or ``None``."""
        row = self._db.row("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _article_from_row(row) if row else None

    def article_ids_starting(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids of stored articles that start with ``prefix`` (at most ``limit``)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.rows(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (escaped + "%", limit),
        )
        return [str(r[0]) for r in rows]

    def count_articles(self) -> int:
        """How many articles the store holds."""
        row = self._db.row("SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    def replace_skipped(self, source: str, skipped: Iterable[Skipped]) -> None:
        """Make ``skipped`` the kept-aside inputs of ``source``: items that now read
        cleanly are no longer listed."""
        now = now_text()
        with self._db.transaction() as db:
            db.execute("DELETE FROM skipped WHERE source = ?", (source,))
            db.executemany(
                "INSERT INTO skipped VALUES (?,?,?,?) ON CONFLICT(source, item) "
                "DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
                [(s.source, s.item, s.reason, now) for s in skipped],
            )

    def skipped(self) -> list[Skipped]:
        """Every input kept aside, with its reason."""
        rows = self._db.rows("SELECT source, item, reason FROM skipped ORDER BY source, item")
        return [Skipped(*r) for r in rows]


def _content_hash(article: Article) -> str:
    plain = article_to_plain(article)
    # Left out when unset, so stories stored before the flag existed keep their hash.
    if not plain["time_from_crawl"]:
        del plain["time_from_crawl"]
    payload = json.dumps(plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _article_row(a: Article) -> tuple[Any, ...]:
    image = json.dumps(to_plain(a.image)) if a.image else None
    return (
        a.id, a.url, a.title, a.summary, a.body, a.section, json.dumps(list(a.tags)),
        utc_text(a.published_at), utc_text(a.updated_at) if a.updated_at else None,
        a.dateline, a.agency, a.byline, image, a.language, a.publisher, a.source,
        int(a.time_from_crawl),
    )  # fmt: skip


def _article_from_row(row: Any) -> Article:
    data = dict(row)
    data["tags"] = json.loads(data["tags"])
    data["image"] = json.loads(data["image"]) if data["image"] else None
    return article_from_plain(data)
