"""Build the fresh page-dump evaluation set from trafilatura's evaluation data.

    python tools/build_page_fresh.py TRAFILATURA_CLONE [--out tests/data/page_fresh]

``TRAFILATURA_CLONE``: a git clone of https://github.com/adbar/trafilatura (Apache-2.0)
at the pinned commit (``tests/data/page_fresh/README.md``), history included.  It
holds ``tests/evaldata.json``: for each page URL the saved file
(``tests/eval/<file>`` or ``tests/cache/<file>``, a real page as trafilatura's
authors saved it) and their hand annotations: ``title``, ``date`` (publication
day), ``author``, and ``with``/``without`` text snippets the main text must or must
not hold.  Every input's sha256 is recorded in ``SHA256SUMS``; a different snapshot
is refused by name.

The set measures the generic page reader on publishers none of the other sets
(dev, unseen, blind) holds; it was measured before any rule was changed for it.
Each page goes through the dev set's method (``visible_lines``, ``gold_title``,
``date_shown``), so the figures are comparable.  A page is kept only when

- its site (or a parent or subdomain of it) is in no other set;
- it is dated (trafilatura's annotators gave a publication ``date``: an article or
  post, not a home, product or documentation page) and titled;
- its headline is confirmed twice: the annotated title is a line of the dump, or
  the dev-set method's headline agrees with it (word overlap >= 0.5, ``| Site``
  parts removed), so two independent labellings name the same line.

Gold body: none (``""``, not scored): the annotations name snippets, not the whole
text; they are kept as ``with``/``without`` for a snippet check.  Gold date: the
annotated day.  ``crawled``: when the page's file was first committed to
trafilatura (``git log``; the saved page is at most that new), the reference time
for relative and year-less dates.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_page_blind import _headline
from build_page_devset import (
    XML_DECLARATION,
    bare,
    builder_main,
    date_shown,
    pin_inputs,
    same_publisher,
    sites_of,
    visible_lines,
    write_set,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "page_fresh"
OTHER_SETS = tuple(
    ROOT / "tests" / "data" / name / "pages.jsonl.gz"
    for name in ("page_devset", "page_unseen", "page_blind")
)
_FOLDERS = ("tests/eval", "tests/cache")


def _site(url: str) -> str:
    """The publisher of a page URL; an archived copy's is the archived URL's."""
    parsed = urlparse(url)
    if parsed.netloc == "web.archive.org" and (inner := re.search(r"https?://.*", parsed.path)):
        return _site(inner[0])
    return bare(parsed.netloc)


def _inputs(clone: Path, truth: dict[str, dict[str, Any]]) -> dict[str, Path]:
    names = {"LICENSE": clone / "LICENSE", "tests/evaldata.json": clone / "tests/evaldata.json"}
    for entry in truth.values():
        for folder in _FOLDERS:
            if (clone / folder / entry["file"]).is_file():
                names[f"{folder}/{entry['file']}"] = clone / folder / entry["file"]
                break
    return dict(sorted(names.items()))


def added_times(clone: Path, folders: tuple[str, ...] = _FOLDERS) -> dict[str, str]:
    """``file name -> ISO time`` of the first commit adding a file of that name under
    ``folders`` (a file moved between folders keeps its first time)."""
    log = subprocess.run(
        ["git", "-C", str(clone), "-c", "core.quotepath=false", "log", "--no-renames",
         "--diff-filter=A", "--format=@%cI", "--name-only", "--", *folders],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    times: dict[str, str] = {}
    when = ""
    for line in log.splitlines():
        if line.startswith("@"):
            when = line[1:]
        elif line.strip():
            # Newest first: the last time seen for a name is its first addition.
            times[line.strip().rpartition("/")[2]] = when
    return times


def utc(stamp: str) -> str:
    """An ISO time with an offset as a naive UTC time (the sets' ``crawled`` form)."""
    return datetime.fromisoformat(stamp).astimezone(UTC).replace(tzinfo=None).isoformat()


def build(clone: Path, out: Path, *, record_sums: bool) -> int:
    """Write the fresh set into ``out``; returns the number of pages."""
    truth_path = clone / "tests" / "evaldata.json"
    truth: dict[str, dict[str, Any]] = json.loads(truth_path.read_text("utf-8"))
    inputs = _inputs(clone, truth)
    pin_inputs(inputs, out, record_sums=record_sums)
    by_file = {Path(name).name: path for name, path in inputs.items()}
    times = added_times(clone)
    seen_sites = sites_of(OTHER_SETS)
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    used_sites: set[str] = set()
    for url, entry in sorted(truth.items()):
        name = entry["file"]
        site = _site(url)
        label = " ".join(str(entry.get("title") or "").split())
        stamp = str(entry.get("date") or "").strip()
        if any(same_publisher(site, seen) for seen in seen_sites):
            skipped.append(f"{name}: site {site!r} is in the dev, unseen or blind set")
            continue
        if not label or not re.match(r"\d{4}-\d\d-\d\d$", stamp):
            skipped.append(f"{name}: no annotated title and publication day (not an article)")
            continue
        markup = XML_DECLARATION.sub(b"", by_file[name].read_bytes(), count=1)
        try:
            lines, tree = visible_lines(markup)
        except ValueError as exc:
            skipped.append(f"{name}: not parseable HTML ({exc})")
            continue
        title, title_from = _headline(lines, tree, label)
        if not title:
            skipped.append(f"{name}: title {label[:60]!r} is not a headline line of the page")
            continue
        dump = "\n".join(lines) + "\n"
        used_sites.add(site)
        records.append(
            {
                "key": name.removesuffix(".html"),
                "source": "trafilatura",
                "url": url,
                "site": site,
                "title": title,
                "title_from": title_from.replace("fundus", "annotated"),
                "label": label,
                "body": "",
                "with": list(entry.get("with") or []),
                "without": list(entry.get("without") or []),
                "date": stamp,
                "date_shown": date_shown(lines, stamp),
                "crawled": utc(times[name]),
                "dump": dump,
            }
        )
    write_set(out, records, skipped)
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    help_text = "git clone of adbar/trafilatura"
    return builder_main(__doc__, build, ("trafilatura", help_text), OUT, argv)


if __name__ == "__main__":
    sys.exit(main())
