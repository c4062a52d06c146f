"""The committed sets of real pages (``tests/data/page_*``), read one page at a time."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def page_record(folder: str, key: str) -> dict[str, str]:
    """One real page of a committed set (see tools/build_page_*.py)."""
    with gzip.open(DATA / folder / "pages.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["key"] == key:
                return dict(record)
    raise AssertionError(f"{key} not in {folder}")
