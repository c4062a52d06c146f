"""The committed sets of real pages (``tests/data/page_*``), read one page at a time."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

DATA = Path(__file__).resolve().parent / "data"


@cache
def _set_records(folder: str) -> dict[str, dict[str, str]]:
    """Every page of a committed set by key, read once per session (the page tests
    ask for dozens of pages of the same sets)."""
    with gzip.open(DATA / folder / "pages.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle)
        return {record["key"]: record for record in records}


def page_record(folder: str, key: str) -> dict[str, str]:
    """One real page of a committed set (see tools/build_page_*.py); a copy, so a
    test may change it."""
    record = _set_records(folder).get(key)
    if record is None:
        raise AssertionError(f"{key} not in {folder}")
    return dict(record)


def read_record(record: dict[str, str]) -> Article:
    """The article the page reader makes of a set's page, with the built-in
    boilerplate rules, as saved when its set says (the dev set: late 2019)."""
    saved = datetime.fromisoformat(record.get("crawled") or "2019-11-21T12:00:00")
    options = ReadOptions(
        record["key"], boilerplate=Boilerplate.builtin(), reference_time=saved.replace(tzinfo=UTC)
    )
    (article,) = read_page(record["dump"].encode(), options).articles
    return article
