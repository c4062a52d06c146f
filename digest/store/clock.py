"""The store's clock: every time it records is UTC, as ISO 8601 text."""

from __future__ import annotations

from datetime import UTC, datetime


def now_text() -> str:
    """Now, in UTC, as the store records it."""
    return datetime.now(UTC).isoformat()


def utc_text(moment: datetime) -> str:
    """A tz-aware moment as the store records it (UTC ISO 8601)."""
    return moment.astimezone(UTC).isoformat()
