"""The SQLite store: articles, skipped inputs, editions, renditions, deliveries, runs.

One file, WAL mode, no server.  Articles are upserted by their stable id, so
re-reading a source never duplicates a story and a newer version replaces an
older one.  Times are stored as ISO 8601 UTC strings.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .audience import AudienceStore, join_list, record_event
from .errors import StoreError
from .model import (
    Article,
    Delivery,
    Edition,
    Image,
    LeftOut,
    Pick,
    Rejection,
    Renditions,
    Skipped,
    to_plain,
)

# Each entry moves the schema one version up; never edit a released entry, append.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        section TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        published_at TEXT NOT NULL,
        updated_at TEXT,
        dateline TEXT NOT NULL DEFAULT '',
        agency TEXT NOT NULL DEFAULT '',
        byline TEXT NOT NULL DEFAULT '',
        image TEXT,
        language TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published_at);
    CREATE TABLE skipped (
        source TEXT NOT NULL,
        item TEXT NOT NULL,
        reason TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source, item)
    );
    CREATE TABLE editions (
        id TEXT PRIMARY KEY,
        as_of TEXT NOT NULL,
        built_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE renditions (
        edition_id TEXT PRIMARY KEY REFERENCES editions(id),
        data TEXT NOT NULL
    );
    CREATE TABLE deliveries (
        edition_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        provider_id TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (edition_id, sender, recipient)
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        edition_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT ''
    );
    """,
    # Conditional GET: the validators each fetched source URL last answered with.
    """
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL
    );
    """,
    # Locks: one holder per name (an edition id); a holder that stops renewing its
    # lock (crashed, killed, hung) loses it once ``expires_at`` has passed.
    """
    CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX runs_edition ON runs(edition_id, id);
    """,
    # Email subscribers; an unsubscribed address stays, flagged, so that no later
    # import can mail it again.
    """
    CREATE TABLE subscribers (
        address TEXT PRIMARY KEY COLLATE NOCASE,
        name TEXT NOT NULL DEFAULT '',
        list TEXT NOT NULL DEFAULT 'default',
        unsubscribed INTEGER NOT NULL DEFAULT 0 CHECK (unsubscribed IN (0, 1)),
        subscribed_at TEXT NOT NULL,
        unsubscribed_at TEXT
    );
    CREATE INDEX subscribers_list ON subscribers(list, unsubscribed, address);
    """,
    # A page that printed no time is dated by its crawl, and says so.
    """
    ALTER TABLE articles ADD COLUMN time_from_crawl INTEGER NOT NULL DEFAULT 0
        CHECK (time_from_crawl IN (0, 1));
    """,
    # The name a greeting uses ("Ève" for "Ève Müller"); empty: the first word of name.
    """
    ALTER TABLE subscribers ADD COLUMN first_name TEXT NOT NULL DEFAULT '';
    """,
    # The reader's side (digest.audience): every subscriber state change with its
    # time and source; which lists an address is on; why an address is suppressed
    # (hard bounce, complaint, soft bounces in a row); provider events and
    # single-use tokens already seen, so a replay changes nothing.
    """
    CREATE TABLE subscriber_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        address TEXT NOT NULL COLLATE NOCASE,
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX subscriber_events_address ON subscriber_events(address, id);
    ALTER TABLE subscribers ADD COLUMN suppressed_at TEXT;
    ALTER TABLE subscribers ADD COLUMN suppressed_reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE subscribers ADD COLUMN soft_bounces INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE memberships (
        address TEXT NOT NULL COLLATE NOCASE,
        list TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (address, list)
    );
    CREATE INDEX memberships_list ON memberships(list, address);
    INSERT INTO memberships (address, list, joined_at)
        SELECT address, list, subscribed_at FROM subscribers;
    CREATE TABLE seen_keys (
        key TEXT PRIMARY KEY,
        at TEXT NOT NULL
    );
    """,
    # Web Push subscriptions (digest serve's /newsletter/push/): one row per browser,
    # named in the delivery log by ``id`` (a hash of the endpoint, which is a secret).
    """
    CREATE TABLE push_subscriptions (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL UNIQUE,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # Ingest fingerprints: each local file as it was when last read (size,
    # modification time, SHA-256) and a digest of the settings it was read with,
    # so an unchanged file is not read and parsed again.
    """
    CREATE TABLE ingested_files (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        settings TEXT NOT NULL,
        read_at TEXT NOT NULL
    );
    """,
)


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


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """An email subscriber: address, display name, list, whether they left, and the
    name a greeting uses (empty: the first word of ``name``)."""

    address: str
    name: str = ""
    list: str = "default"
    unsubscribed: bool = False
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class SubscriberCounts:
    """How an import changed the subscriber list."""

    new: int = 0
    updated: int = 0
    unsubscribed: int = 0


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """How an upsert changed the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """A browser's Web Push subscription, as ``PushSubscription.toJSON()`` gives it:
    the push service's ``endpoint`` and the browser's keys (base64url)."""

    endpoint: str
    p256dh: str
    auth: str

    @property
    def id(self) -> str:
        """How the delivery log names it: a hash of the endpoint (a secret URL)."""
        return "webpush:" + hashlib.sha256(self.endpoint.encode()).hexdigest()[:20]


class Store(AudienceStore):
    """A SQLite database file holding everything `digest` remembers.

    Open one per process with :func:`open_store`; close it when done (it is also a
    context manager).  Not shared across threads.
    """

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self._db = connection
        self.path = path
        #: The file's device and inode when opened: a write into a file that was
        #: deleted or replaced since would be lost, so every transaction checks it.
        self._identity = _identity(path)

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_identity(self) -> None:
        """Raise :class:`StoreError` if the store's file is no longer the one that
        was opened (deleted, moved away or replaced while the process runs)."""
        if self._identity is None:
            return
        now = _identity(self.path)
        if now != self._identity:
            what = "deleted or moved" if now is None else "replaced by another file"
            raise StoreError(
                f"{self.path}: the store file was {what} while digest was using it; "
                "nothing more is written (the delivery log would be lost); restore it "
                "and run again"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on error.

        Raises :class:`StoreError` before anything is written if the store's file
        was deleted or replaced since it was opened (:meth:`check_identity`).
        """
        self.check_identity()
        try:
            with self._db:
                yield self._db
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    # -- articles --------------------------------------------------------------

    def upsert_articles(self, articles: Iterable[Article]) -> UpsertCounts:
        """Insert new articles and replace changed ones, matched by id.

        An article whose content is unchanged only has its last-seen time bumped.
        """
        new = updated = unchanged = 0
        now = _now()
        with self.transaction() as db:
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
        rows = self._db.execute(
            "SELECT * FROM articles WHERE "
            "(published_at BETWEEN ? AND ?) OR (updated_at BETWEEN ? AND ?) "
            "ORDER BY published_at DESC, id",
            (start.isoformat(), end.isoformat(), start.isoformat(), end.isoformat()),
        ).fetchall()
        return [_article_from_row(r) for r in rows]

    def article(self, article_id: str) -> Article | None:
        """One article by id, or ``None``."""
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article_from_row(row) if row else None

    def article_ids_starting(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids of stored articles that start with ``prefix`` (at most ``limit``)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (escaped + "%", limit),
        )
        return [r[0] for r in rows]

    def count_articles(self) -> int:
        """How many articles the store holds."""
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def record_skipped(self, skipped: Iterable[Skipped]) -> None:
        """Keep inputs that could not be read, with their reason, for later review."""
        now = _now()
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO skipped VALUES (?,?,?,?) ON CONFLICT(source, item) "
                "DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
                [(s.source, s.item, s.reason, now) for s in skipped],
            )

    def replace_skipped(self, source: str, skipped: Iterable[Skipped]) -> None:
        """Make ``skipped`` the kept-aside inputs of ``source``: items that now read
        cleanly are no longer listed."""
        now = _now()
        with self.transaction() as db:
            db.execute("DELETE FROM skipped WHERE source = ?", (source,))
            db.executemany(
                "INSERT OR REPLACE INTO skipped VALUES (?,?,?,?)",
                [(s.source, s.item, s.reason, now) for s in skipped],
            )

    def http_validators(self, url: str) -> tuple[str, str]:
        """The ETag and Last-Modified ``url`` last answered with (``""`` if none)."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else ("", "")

    def remember_validators(self, url: str, etag: str, last_modified: str) -> None:
        """Keep a fetched URL's validators for the next conditional GET."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO http_cache VALUES (?,?,?,?) ON CONFLICT(url) DO UPDATE SET "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "fetched_at = excluded.fetched_at",
                (url, etag, last_modified, _now()),
            )

    def skipped(self) -> list[Skipped]:
        """Every input kept aside, with its reason."""
        rows = self._db.execute("SELECT source, item, reason FROM skipped ORDER BY source, item")
        return [Skipped(*r) for r in rows]

    # -- editions and renditions -----------------------------------------------

    def save_edition(self, edition: Edition) -> None:
        """Record an edition's selection (replacing an earlier build of the same id)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO editions VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                "as_of = excluded.as_of, built_at = excluded.built_at, data = excluded.data",
                (edition.id, edition.as_of.isoformat(), _now(), json.dumps(to_plain(edition))),
            )

    def edition_data(self, edition_id: str) -> dict[str, Any] | None:
        """A recorded edition as plain data (as exported), or ``None``."""
        row = self._db.execute("SELECT data FROM editions WHERE id = ?", (edition_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def edition(self, edition_id: str) -> Edition | None:
        """A recorded edition as it was saved (picks and rejections), or ``None``."""
        data = self.edition_data(edition_id)
        if data is None:
            return None
        window_start = data.get("window_start")
        return Edition(
            id=data["id"],
            as_of=datetime.fromisoformat(data["as_of"]),
            timezone=data["timezone"],
            picks=tuple(
                Pick(
                    article=_article_from_plain(p["article"]),
                    score=p["score"],
                    reasons=tuple(p.get("reasons", ())),
                    also_reported_by=tuple(p.get("also_reported_by", ())),
                    headline=p.get("headline", ""),
                    outlet=p.get("outlet", ""),
                )
                for p in data["picks"]
            ),
            rejections=tuple(
                Rejection(
                    _article_from_plain(r["article"]),
                    r["reason"],
                    r.get("score"),
                    LeftOut(r["kind"]) if r.get("kind") else None,
                )
                for r in data.get("rejections", ())
            ),
            window_start=datetime.fromisoformat(window_start) if window_start else None,
        )

    def save_renditions(self, renditions: Renditions) -> None:
        """Record the renditions of an edition, exactly as they will be sent."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO renditions VALUES (?,?) ON CONFLICT(edition_id) "
                "DO UPDATE SET data = excluded.data",
                (renditions.edition_id, json.dumps(to_plain(renditions))),
            )

    # -- deliveries --------------------------------------------------------------

    def delivery(self, edition_id: str, sender: str, recipient: str) -> Delivery | None:
        """The recorded delivery of one message, or ``None`` if never attempted."""
        row = self._db.execute(
            "SELECT * FROM deliveries WHERE edition_id = ? AND sender = ? AND recipient = ?",
            (edition_id, sender, recipient),
        ).fetchone()
        return _delivery_from_row(row) if row else None

    def deliveries(self, edition_id: str | None = None) -> list[Delivery]:
        """Recorded deliveries, of one edition or of all."""
        if edition_id is None:
            rows = self._db.execute("SELECT * FROM deliveries ORDER BY edition_id, sender")
        else:
            rows = self._db.execute(
                "SELECT * FROM deliveries WHERE edition_id = ? ORDER BY sender, recipient",
                (edition_id,),
            )
        return [_delivery_from_row(r) for r in rows]

    def register_deliveries(
        self, edition_id: str, sender: str, recipients: Sequence[str]
    ) -> dict[str, tuple[str, int]]:
        """Record ``recipients`` as pending (unless already recorded) before any of
        them is attempted, so a crash never loses one.

        Returns each recipient's ``(status, attempts)`` as it now stands.
        """
        now = _now()
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO deliveries (edition_id, sender, recipient, status, attempts, "
                "updated_at) VALUES (?,?,?,'pending',0,?) ON CONFLICT DO NOTHING",
                [(edition_id, sender, r, now) for r in recipients],
            )
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(recipients), 500):
            chunk = recipients[start : start + 500]
            rows = self._db.execute(
                "SELECT recipient, status, attempts FROM deliveries WHERE edition_id = ? "
                f"AND sender = ? AND recipient IN ({','.join('?' * len(chunk))})",
                (edition_id, sender, *chunk),
            )
            found.update({r[0]: (r[1], r[2]) for r in rows})
        return found

    def record_deliveries(self, edition_id: str, sender: str, finished: Iterable[Delivery]) -> None:
        """Store the outcome (status, attempts so far, error, provider id) of each
        delivery in ``finished``, in one transaction."""
        now = _now()
        with self.transaction() as db:
            db.executemany(
                # A success keeps the error of the attempt before it, for the record.
                "UPDATE deliveries SET status = ?, attempts = ?, last_error = "
                "coalesce(nullif(?, ''), last_error), provider_id = ?, updated_at = ? "
                "WHERE edition_id = ? AND sender = ? AND recipient = ?",
                [
                    (d.status, d.attempts, d.last_error, d.provider_id, now, edition_id, sender,
                     d.recipient)
                    for d in finished
                ],
            )  # fmt: skip

    def delivery_counts(
        self, edition_id: str | None = None
    ) -> dict[tuple[str, str], dict[str, int]]:
        """``{(edition_id, sender): {"sent": n, "failed": n, "pending": n}}``."""
        sql = "SELECT edition_id, sender, status, count(*) FROM deliveries"
        args: tuple[str, ...] = ()
        if edition_id is not None:
            sql += " WHERE edition_id = ?"
            args = (edition_id,)
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for edition, sender, status, n in self._db.execute(
            sql + " GROUP BY edition_id, sender, status", args
        ):
            bucket = counts.setdefault((edition, sender), {"sent": 0, "failed": 0, "pending": 0})
            bucket[status] = n
        return counts

    # -- subscribers -------------------------------------------------------------

    def add_subscribers(self, subscribers: Iterable[Subscriber]) -> SubscriberCounts:
        """Add or update subscribers by address (case-insensitive).

        An address once unsubscribed stays unsubscribed whatever a later import says;
        a row marked unsubscribed unsubscribes its address.  A new address joins its
        list; an updated one moves to the row's list.  Each change is recorded in the
        subscriber's history (source ``import``).
        """
        new = updated = unsubscribed = 0
        now = _now()
        with self.transaction() as db:
            for sub in subscribers:
                row = db.execute(
                    "SELECT unsubscribed, list FROM subscribers WHERE address = ?", (sub.address,)
                ).fetchone()
                if row is None:
                    new += 1
                    db.execute(
                        "INSERT INTO subscribers (address, name, list, unsubscribed, "
                        "subscribed_at, unsubscribed_at, first_name) VALUES (?,?,?,?,?,?,?)",
                        (sub.address, sub.name, sub.list, int(sub.unsubscribed), now,
                         now if sub.unsubscribed else None, sub.first_name),
                    )  # fmt: skip
                    join_list(db, sub.address, sub.list, now)
                    record_event(db, sub.address, "imported", "import", f"list {sub.list}", now)
                    if sub.unsubscribed:
                        record_event(db, sub.address, "unsubscribed", "import", "", now)
                else:
                    updated += 1
                    db.execute(
                        "UPDATE subscribers SET name = ?, list = ?, first_name = ? "
                        "WHERE address = ?",
                        (sub.name, sub.list, sub.first_name, sub.address),
                    )
                    if row[1] != sub.list:
                        join_list(db, sub.address, sub.list, now)
                        db.execute(
                            "DELETE FROM memberships WHERE address = ? AND list = ?",
                            (sub.address, row[1]),
                        )
                    if sub.unsubscribed and not row[0]:
                        self._unsubscribe(db, sub.address, now, "import")
                if sub.unsubscribed or (row is not None and row[0]):
                    unsubscribed += 1
        return SubscriberCounts(new, updated, unsubscribed)

    def unsubscribe(self, address: str, *, source: str = "cli", detail: str = "") -> bool:
        """Flag an address as unsubscribed for good; ``False`` if it is unknown.

        The change is recorded in the subscriber's history with ``source`` (``cli``,
        ``one-click``, ``web``...)."""
        with self.transaction() as db:
            return self._unsubscribe(db, address, _now(), source, detail)

    @staticmethod
    def _unsubscribe(
        db: sqlite3.Connection, address: str, now: str, source: str = "cli", detail: str = ""
    ) -> bool:
        row = db.execute(
            "SELECT unsubscribed FROM subscribers WHERE address = ?", (address,)
        ).fetchone()
        if row is None:
            return False
        if not row[0]:
            db.execute(
                "UPDATE subscribers SET unsubscribed = 1, unsubscribed_at = ? WHERE address = ?",
                (now, address),
            )
            record_event(db, address, "unsubscribed", source, detail, now)
        return True

    def subscriber(self, address: str) -> Subscriber | None:
        """One subscriber by address, or ``None``."""
        row = self._db.execute(
            "SELECT address, name, list, unsubscribed, first_name FROM subscribers "
            "WHERE address = ?",
            (address,),
        ).fetchone()
        return Subscriber(row[0], row[1], row[2], bool(row[3]), row[4]) if row else None

    def iter_subscribers(
        self, list_name: str = "default", *, page: int = 1000
    ) -> Iterator[Subscriber]:
        """The active subscribers of a list (not unsubscribed, not suppressed by a
        bounce or complaint), by address, read a page at a time so that memory stays
        flat however long the list is.

        Each page is read fresh, so an address unsubscribed meanwhile is skipped.
        """
        after = ""
        while True:
            rows = self._db.execute(
                "SELECT s.address, s.name, m.list, s.first_name FROM memberships m "
                "JOIN subscribers s ON s.address = m.address WHERE m.list = ? AND "
                "s.unsubscribed = 0 AND s.suppressed_at IS NULL AND m.address > ? "
                "ORDER BY m.address LIMIT ?",
                (list_name, after, page),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield Subscriber(row[0], row[1], row[2], first_name=row[3])
            after = rows[-1][0]

    def count_subscribers(self, list_name: str = "default") -> int:
        """How many active (not unsubscribed, not suppressed) subscribers a list has."""
        row = self._db.execute(
            "SELECT count(*) FROM memberships m JOIN subscribers s ON s.address = m.address "
            "WHERE m.list = ? AND s.unsubscribed = 0 AND s.suppressed_at IS NULL",
            (list_name,),
        ).fetchone()
        return int(row[0])

    def picked_articles(
        self, since: datetime, before: datetime, *, exclude: str = ""
    ) -> list[tuple[str, datetime, Article]]:
        """Articles picked in editions sent with ``since <= as_of < before`` (UTC),
        as ``(edition id, edition as_of, article as it was picked)``, oldest first;
        the edition ``exclude`` (the one being rebuilt) is left out.

        Only editions that reached someone count: one built for a preview, an
        export or a held run never kept its stories from a reader.
        """
        rows = self._db.execute(
            "SELECT id, as_of, data FROM editions WHERE as_of >= ? AND as_of < ? AND id != ? "
            "AND EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = editions.id "
            "AND d.status = 'sent') ORDER BY as_of, id",
            (since.isoformat(), before.isoformat(), exclude),
        )
        found = []
        for edition_id, as_of, data in rows:
            for pick in json.loads(data)["picks"]:
                found.append(
                    (
                        edition_id,
                        datetime.fromisoformat(as_of),
                        _article_from_plain(pick["article"]),
                    )
                )
        return found

    # -- runs --------------------------------------------------------------------

    def start_run(self, edition_id: str) -> int:
        """Record that a run of an edition has started; returns its run id."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (edition_id, started_at, status) VALUES (?,?,'running')",
                (edition_id, _now()),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, message: str = "") -> None:
        """Record how a run ended (``done``, ``not-sent``, ``failed``...).

        The first verdict stands: a run already marked failed (it passed its time
        limit) keeps that mark when it ends later.
        """
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, message = ? "
                "WHERE id = ? AND status = 'running'",
                (_now(), status, message, run_id),
            )

    def runs(self, edition_id: str | None = None) -> list[dict[str, Any]]:
        """Recorded runs, newest first."""
        sql = "SELECT id, edition_id, started_at, finished_at, status, message FROM runs"
        args: tuple[str, ...] = ()
        if edition_id is not None:
            sql += " WHERE edition_id = ?"
            args = (edition_id,)
        cur = self._db.execute(sql + " ORDER BY id DESC", args)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def last_run_status(self, edition_id: str) -> str | None:
        """The status of the newest run of an edition, or ``None`` if it never ran."""
        row = self._db.execute(
            "SELECT status FROM runs WHERE edition_id = ? ORDER BY id DESC LIMIT 1",
            (edition_id,),
        ).fetchone()
        return str(row[0]) if row else None

    def record_run(self, edition_id: str, status: str, message: str) -> None:
        """Record a run that did nothing but reach a verdict (``skipped``...)."""
        run_id = self.start_run(edition_id)
        self.finish_run(run_id, status, message)

    def fail_running(self, edition_id: str, message: str) -> None:
        """Mark the unfinished runs of an edition failed (a run that hung)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = 'failed', message = ? "
                "WHERE edition_id = ? AND status = 'running'",
                (_now(), message, edition_id),
            )

    def last_sent_edition(
        self, before: datetime, *, other_than: str
    ) -> tuple[str, datetime] | None:
        """The newest edition before ``before`` with at least one message sent:
        its id and moment (UTC), or ``None``."""
        row = self._db.execute(
            "SELECT e.id, e.as_of FROM editions e WHERE e.as_of < ? AND e.id != ? AND EXISTS "
            "(SELECT 1 FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'sent') "
            "ORDER BY e.as_of DESC LIMIT 1",
            (before.astimezone(UTC).isoformat(), other_than),
        ).fetchone()
        return (str(row[0]), datetime.fromisoformat(row[1])) if row else None

    # -- locks -------------------------------------------------------------------

    def acquire_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> str:
        """Take the lock ``name`` for ``owner`` until ``ttl_seconds`` from now.

        Succeeds when the lock is free, expired (its holder stopped renewing it) or
        already ``owner``'s.  Returns the holder afterwards: ``owner`` on success.
        """
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        expires = (moment + timedelta(seconds=ttl_seconds)).isoformat()
        with self.transaction() as db:
            # One statement, so two processes cannot both see the lock free.
            db.execute(
                "INSERT INTO locks VALUES (?,?,?,?) ON CONFLICT(name) DO UPDATE SET "
                "owner = excluded.owner, acquired_at = excluded.acquired_at, "
                "expires_at = excluded.expires_at "
                "WHERE locks.expires_at <= excluded.acquired_at OR locks.owner = excluded.owner",
                (name, owner, moment.isoformat(), expires),
            )
            row = db.execute("SELECT owner FROM locks WHERE name = ?", (name,)).fetchone()
        return str(row[0])

    def renew_lock(
        self, name: str, owner: str, ttl_seconds: float, *, now: datetime | None = None
    ) -> bool:
        """Push the expiry of ``owner``'s lock on; ``False`` if it is no longer theirs."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        with self.transaction() as db:
            cur = db.execute(
                "UPDATE locks SET expires_at = ? WHERE name = ? AND owner = ?",
                ((moment + timedelta(seconds=ttl_seconds)).isoformat(), name, owner),
            )
        return cur.rowcount == 1

    def take_lock(self, name: str, holder: str, owner: str, ttl_seconds: float) -> str:
        """Take the lock ``name`` over from ``holder`` (a process known to be gone)
        for ``owner``; returns the holder afterwards (``owner`` on success, someone
        else if another process took it first)."""
        moment = datetime.now(UTC)
        with self.transaction() as db:
            db.execute(
                "UPDATE locks SET owner = ?, acquired_at = ?, expires_at = ? "
                "WHERE name = ? AND owner = ?",
                (
                    owner,
                    moment.isoformat(),
                    (moment + timedelta(seconds=ttl_seconds)).isoformat(),
                    name,
                    holder,
                ),
            )
            row = db.execute("SELECT owner FROM locks WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else ""

    def release_lock(self, name: str, owner: str) -> None:
        """Give the lock up (only ``owner`` can)."""
        with self.transaction() as db:
            db.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))

    # -- web push subscriptions --------------------------------------------------

    def save_push_subscription(self, subscription: PushSubscription) -> bool:
        """Store a browser's subscription (its keys replaced if the endpoint is
        known); ``True`` if it is new."""
        now = _now()
        with self.transaction() as db:
            known = db.execute(
                "SELECT 1 FROM push_subscriptions WHERE id = ?", (subscription.id,)
            ).fetchone()
            db.execute(
                "INSERT INTO push_subscriptions VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE "
                "SET p256dh = excluded.p256dh, auth = excluded.auth, "
                "updated_at = excluded.updated_at",
                (subscription.id, subscription.endpoint, subscription.p256dh, subscription.auth,
                 now, now),
            )  # fmt: skip
            return known is None

    def delete_push_subscriptions(self, ids: Iterable[str]) -> int:
        """Forget subscriptions by id (unsubscribed, or gone: HTTP 404/410); how many."""
        with self.transaction() as db:
            return sum(
                db.execute("DELETE FROM push_subscriptions WHERE id = ?", (i,)).rowcount
                for i in ids
            )

    def push_subscriptions(self) -> Iterator[PushSubscription]:
        """Every stored subscription, oldest first."""
        rows = self._db.execute(
            "SELECT id, endpoint, p256dh, auth FROM push_subscriptions ORDER BY created_at, id"
        ).fetchall()
        for row in rows:
            yield PushSubscription(row[1], row[2], row[3])

    def count_push_subscriptions(self) -> int:
        """How many browsers are subscribed."""
        return int(self._db.execute("SELECT COUNT(*) FROM push_subscriptions").fetchone()[0])

    # -- ingest fingerprints / retention -----------------------------------------

    def file_fingerprint(self, path: str) -> FileFingerprint | None:
        """How ``path`` was when last read into the store, or ``None``."""
        row = self._db.execute(
            "SELECT size, mtime_ns, sha256, settings FROM ingested_files WHERE path = ?",
            (path,),
        ).fetchone()
        return FileFingerprint(*row) if row else None

    def remember_file(self, path: str, fingerprint: FileFingerprint) -> None:
        """Record how ``path`` was when it was read (see :meth:`file_fingerprint`)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO ingested_files (path, size, mtime_ns, sha256, settings, read_at) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
                "settings = excluded.settings, read_at = excluded.read_at",
                (path, fingerprint.size, fingerprint.mtime_ns, fingerprint.sha256,
                 fingerprint.settings, _now()),
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """A local source file as it was when last read into the store."""

    size: int
    #: Modification time in nanoseconds; ``-1`` when it was too recent to trust
    #: (the file could change again within the same clock tick), so the content
    #: hash decides next time.
    mtime_ns: int
    sha256: str
    #: A digest of the reader settings the file was read with.
    settings: str


def open_store(path: str | Path) -> Store:
    """Open (creating if needed) the SQLite store at ``path`` and bring its schema up
    to date.  ``":memory:"`` gives a throw-away store.

    Raises :class:`StoreError` if the file cannot be opened or is not a database.
    """
    name = str(path)
    try:
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(name, timeout=30)
        db.row_factory = sqlite3.Row
        _set_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{name}: cannot open store ({exc})") from exc
    return Store(db, name)


def _identity(path: str) -> tuple[int, int] | None:
    """The device and inode of the file at ``path`` (``None`` for ``:memory:`` or
    a file that is not there)."""
    if path == ":memory:" or path.startswith("file:"):
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _set_wal(db: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL mode, waiting while another process holds the file.

    SQLite answers "database is locked" at once here (no busy timeout), which two
    schedulers starting together on a new store would otherwise turn into an error.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the schema up to date in one write transaction.

    Two processes opening a new store at once (two schedulers) would otherwise both
    see version 0 and both create the tables; ``BEGIN IMMEDIATE`` makes the second
    wait for the first and then find nothing left to do.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        db.rollback()
        raise
    db.commit()


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one by one (``executescript`` would commit)."""
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            yield current.strip()
            current = ""
    if current.strip():
        yield current.strip()


def _content_hash(article: Article) -> str:
    plain = to_plain(article)
    # Left out when unset, so stories stored before the flag existed keep their hash.
    if not plain["time_from_crawl"]:
        del plain["time_from_crawl"]
    payload = json.dumps(plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _article_row(a: Article) -> tuple[Any, ...]:
    image = json.dumps(to_plain(a.image)) if a.image else None
    return (
        a.id, a.url, a.title, a.summary, a.body, a.section, json.dumps(list(a.tags)),
        a.published_at.isoformat(), a.updated_at.isoformat() if a.updated_at else None,
        a.dateline, a.agency, a.byline, image, a.language, a.publisher, a.source,
        int(a.time_from_crawl),
    )  # fmt: skip


def _article_from_row(row: sqlite3.Row) -> Article:
    image = json.loads(row["image"]) if row["image"] else None
    published = _time(row["published_at"])
    assert published is not None
    return Article(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        summary=row["summary"],
        body=row["body"],
        section=row["section"],
        tags=tuple(json.loads(row["tags"])),
        published_at=published,
        updated_at=_time(row["updated_at"]),
        dateline=row["dateline"],
        agency=row["agency"],
        byline=row["byline"],
        image=Image(**image) if image else None,
        language=row["language"],
        publisher=row["publisher"],
        source=row["source"],
        time_from_crawl=bool(row["time_from_crawl"]),
    )


def _article_from_plain(data: dict[str, Any]) -> Article:
    """An article from its :func:`to_plain` form (as kept in edition records)."""
    image = data.get("image")
    updated = data.get("updated_at")
    return Article(
        **{
            **data,
            "tags": tuple(data.get("tags", ())),
            "published_at": datetime.fromisoformat(data["published_at"]),
            "updated_at": datetime.fromisoformat(updated) if updated else None,
            "image": Image(**image) if image else None,
        }
    )


def _delivery_from_row(row: sqlite3.Row) -> Delivery:
    return Delivery(
        edition_id=row["edition_id"],
        sender=row["sender"],
        recipient=row["recipient"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        provider_id=row["provider_id"],
        updated_at=_time(row["updated_at"]),
    )
