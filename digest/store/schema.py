"""The schema, as SQLite migrations: each entry moves it one version up.

This file and :mod:`digest.store.sqlite` are the only SQLite-specific parts of the
store (``COLLATE NOCASE``, ``PRAGMA user_version``, ``AUTOINCREMENT``); the
statements in the concern modules are plain SQL with ``?`` parameters.  A second
backend brings its own schema file beside this one.

Never edit a released entry: append.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
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
    # Retention (``digest prune``): an edition's delivery log is summed up per
    # sender here before its rows are deleted, so totals outlive the rows and the
    # archive still knows the edition reached someone; ``editions.pruned_at`` marks
    # an edition record slimmed to what the archive and later editions read.
    """
    CREATE TABLE delivery_totals (
        edition_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        sent INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        pending INTEGER NOT NULL DEFAULT 0,
        refused INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        first_at TEXT,
        last_at TEXT,
        pruned_at TEXT NOT NULL,
        PRIMARY KEY (edition_id, sender)
    );
    ALTER TABLE editions ADD COLUMN pruned_at TEXT;
    CREATE INDEX editions_as_of ON editions(as_of);
    CREATE INDEX runs_started ON runs(started_at);
    """,
    # Claims (digest worker): a worker takes a pending delivery before it sends
    # it, until ``lease_until`` unless renewed, so no two workers send one message.
    """
    ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
    """,
)
