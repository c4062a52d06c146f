"""The committed sets of real pages (``tests/data/page_*``), read one page at a time."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from digest.model import Article
from digest.sources import Boilerplate, ReadOptions
from digest.sources.pages import read_page

DATA = Path(__file__).resolve().parent / "data"


def page_record(folder: str, key: str) -> dict[str, str]:
    """One real page of a committed set (see tools/build_page_*.py)."""
    with gzip.open(DATA / folder / "pages.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["key"] == key:
                return dict(record)
    raise AssertionError(f"{key} not in {folder}")


def read_record(record: dict[str, str]) -> Article:
    """The article the page reader makes of a set's page, with the built-in
    boilerplate rules, as saved when its set says (the dev set: late 2019)."""
    saved = datetime.fromisoformat(record.get("crawled") or "2019-11-21T12:00:00")
    options = ReadOptions(
        record["key"], boilerplate=Boilerplate.builtin(), reference_time=saved.replace(tzinfo=UTC)
    )
    (article,) = read_page(record["dump"].encode(), options).articles
    return article
