"""Build the blind page-dump evaluation set from fundus's per-publisher parser tests.

    python tools/build_page_blind.py FUNDUS_DIR [--out tests/data/page_blind]

``FUNDUS_DIR``: a checkout of https://github.com/flairNLP/fundus (MIT) at the pinned
commit (``tests/data/page_blind/README.md``).  It holds, per country,
``tests/resources/parser/test_data/<cc>/<Publisher>_<yyyy>_<mm>_<dd>.html.gz`` (a real
article page as fundus crawled it), ``meta.info`` (each page's URL and crawl time) and
``<Publisher>.json``: what fundus's hand-written parser for that publisher extracts
(``title``, ``body`` as summary/sections/paragraphs, ``publishing_date``), asserted
by fundus's own tests.  Every input's sha256 is recorded in ``SHA256SUMS``; a
different snapshot is refused by name.

The set measures the generic page reader on publishers neither the dev set
(``tools/build_page_devset.py``) nor the unseen set (``tools/build_page_unseen.py``)
holds; it was measured before any rule was changed for it.  Each page goes through
the dev set's method (``visible_lines``, ``gold_title``, ``date_shown``), so the
figures are comparable.  A page is kept only when

- its site (or a parent or subdomain of it) is in neither other set;
- one of its publisher's parser versions matches it (at least half of that
  version's body paragraphs are printed in the dump; each version is one page);
- its headline is confirmed twice: fundus's title is a line of the dump, or the
  dev-set method's headline agrees with it (word overlap >= 0.5, ``| Site`` parts
  removed), so two independent labellings name the same line.

Gold body: fundus's summary, subheadings and paragraphs, one a line.  Gold date:
fundus's ``publishing_date``.  ``crawled``: fundus's crawl time of the page (the
reference time a page without a readable date takes, and the year of a date
printed without one).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_page_devset import (
    XML_DECLARATION,
    _jaccard,
    _norm,
    _without_site_name,
    bare,
    builder_main,
    date_shown,
    gold_title,
    pin_inputs,
    same_publisher,
    sites_of,
    visible_lines,
    write_set,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "page_blind"
OTHER_SETS = (
    ROOT / "tests" / "data" / "page_devset" / "pages.jsonl.gz",
    ROOT / "tests" / "data" / "page_unseen" / "pages.jsonl.gz",
)
TEST_DATA = Path("tests") / "resources" / "parser" / "test_data"
_PAGE = re.compile(r"^(?P<publisher>[A-Za-z0-9]+)_\d{4}_\d\d_\d\d\.html\.gz$")


def gold_body(body: dict[str, Any] | None) -> list[str]:
    """Fundus's article body (summary, then each section's headline and paragraphs)."""
    if not body:
        return []
    lines = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        lines += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return [" ".join(line.split()) for line in lines if line.strip()]


def _match(version: dict[str, Any], dump: str) -> float:
    """Share of a parser version's body paragraphs printed in a dump."""
    paragraphs = gold_body(version.get("body"))
    if not paragraphs:
        return 0.0
    flat = _norm(dump)
    return sum(_norm(p) in flat for p in paragraphs) / len(paragraphs)


def _inputs(fundus: Path) -> dict[str, Path]:
    names = {"LICENSE": fundus / "LICENSE"}
    for path in sorted((fundus / TEST_DATA).glob("*/*")):
        if path.name == "meta.info" or path.suffix == ".json" or _PAGE.match(path.name):
            names[path.relative_to(fundus).as_posix()] = path
    return names


def _headline(lines: list[str], tree: Any, label: str) -> tuple[str, str]:
    """The dump line fundus's title names, and how it was confirmed (``""`` if not)."""
    by_norm = {_norm(line): line for line in reversed(lines)}
    if (line := by_norm.get(_norm(label))) is not None and len(label.split()) >= 2:
        return line, "fundus"
    title, title_from = gold_title(lines, tree)
    agrees = title and any(
        _jaccard(variant, title) >= 0.5 for variant in (label, *_without_site_name(label))
    )
    return (title, title_from) if agrees else ("", "")


def build(fundus: Path, out: Path, *, record_sums: bool) -> int:
    """Write the blind set into ``out``; returns the number of pages."""
    inputs = _inputs(fundus)
    pin_inputs(inputs, out, record_sums=record_sums)
    seen_sites = sites_of(OTHER_SETS)
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    for country in sorted(p for p in (fundus / TEST_DATA).iterdir() if p.is_dir()):
        meta_path = country / "meta.info"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
        used: set[tuple[str, str]] = set()
        for page in sorted(country.glob("*.html.gz")):
            name = f"{country.name}/{page.name}"
            found = _PAGE.match(page.name)
            info = meta.get(page.name)
            if found is None or info is None:
                skipped.append(f"{name}: no meta.info entry")
                continue
            publisher = found["publisher"]
            site = bare(urlparse(info["url"]).netloc)
            if any(same_publisher(site, seen) for seen in seen_sites):
                skipped.append(f"{name}: site {site!r} is in the dev or unseen set")
                continue
            cases_path = country / f"{publisher}.json"
            cases = json.loads(cases_path.read_text("utf-8")) if cases_path.is_file() else {}
            markup = XML_DECLARATION.sub(b"", gzip.decompress(page.read_bytes()), count=1)
            lines, tree = visible_lines(markup)
            dump = "\n".join(lines) + "\n"
            scored = sorted(
                ((_match(case, dump), version) for version, case in cases.items()
                 if (publisher, version) not in used),
                reverse=True,
            )  # fmt: skip
            if not scored or scored[0][0] < 0.5:
                skipped.append(f"{name}: no parser version's body is printed in the page")
                continue
            version = scored[0][1]
            used.add((publisher, version))
            case = cases[version]
            label = " ".join(str(case.get("title") or "").split())
            title, title_from = _headline(lines, tree, label)
            if not title:
                skipped.append(f"{name}: title {label[:60]!r} is not a headline line of the page")
                continue
            stamp = ""
            if case.get("publishing_date"):
                stamp = datetime.fromisoformat(case["publishing_date"]).isoformat()
            crawled = datetime.fromisoformat(info["crawl_date"])
            records.append(
                {
                    "key": f"{country.name}/{page.name.removesuffix('.html.gz')}",
                    "source": f"fundus:{version}",
                    "country": country.name,
                    "url": info["url"],
                    "site": site,
                    "title": title,
                    "title_from": title_from,
                    "label": label,
                    "body": "\n".join(gold_body(case.get("body"))),
                    "date": stamp or None,
                    "date_shown": bool(stamp) and date_shown(lines, stamp),
                    "crawled": crawled.isoformat(),
                    "dump": dump,
                }
            )
    write_set(out, records, skipped)
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    return builder_main(__doc__, build, ("fundus", "checkout of flairNLP/fundus"), OUT, argv)


if __name__ == "__main__":
    sys.exit(main())
