"""Build the modern page-dump evaluation set from WCXB's held-out test split.

    python tools/build_page_modern.py WCXB_CLONE [--split test|dev] [--out DIR]

``--split test`` (the default) writes the modern set (``tests/data/page_modern``);
``--split dev`` writes the WCXB tuning set (``tests/data/page_wcxbdev``) from
WCXB's ``dev`` split by the same method, leaving out every site of the five other
sets (the modern set included), and without the HTML copies (the set is for
tuning the text reader; the repository stays small).

``WCXB_CLONE``: a git clone of
https://github.com/Murrough-Foley/web-content-extraction-benchmark (WCXB v1.0,
CC-BY-4.0) at the pinned commit (``tests/data/page_modern/README.md``), history
included.  It holds ``metadata.json`` (each page's split, ``page_type`` and
domain), ``test/html/<id>.html.gz`` (a real page as saved in 2025-2026) and
``test/ground-truth/<id>.json``: the page's URL and its ``title``,
``publish_date``, ``main_content`` (the whole article text) and ``with``/``without``
snippets, written by a language model and reviewed by the benchmark's author.
Every input's sha256 is recorded in ``SHA256SUMS``; a different snapshot is
refused by name.  Only the ``test`` split is read: WCXB's ``dev`` split stays
free for a later tuning round, with this set as its held-out measure.

The set measures the generic page reader on publishers none of the other sets
(dev, unseen, blind, fresh) holds; it was measured before any rule was changed
for it.  Each page goes through the dev set's method (``visible_lines``,
``gold_title``, ``date_shown``), so the figures are comparable.  A page is kept
only when

- its site (or a parent or subdomain of it) is in no other set;
- it is an ``article`` page (not a forum, product, listing, collection,
  documentation or service page) with a ``title`` and a ``publish_date``;
- at least half of its gold paragraphs are printed in the dump (the text is in
  the saved HTML, not loaded by a script);
- its headline is confirmed twice: the annotated title is a line of the dump, or
  the dev-set method's headline agrees with it (word overlap >= 0.5, ``| Site``
  parts removed), so two independent labellings name the same line.

Gold body: ``main_content``.  Gold date: ``publish_date`` (a day).  ``crawled``:
when the page's file was first committed to WCXB (the saved page is at most that
new), the reference time for relative and year-less dates.  ``lang``: the page's
own ``<html lang>`` (its primary subtag, ``""`` when unstated), to group figures
by language.  The HTML is copied to ``html/`` so the HTML reader is measured on
it too (``tools/score_pages.py --set modern --html``).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_page_blind import _headline
from build_page_devset import (
    XML_DECLARATION,
    _norm,
    bare,
    builder_main,
    date_shown,
    pin_inputs,
    same_publisher,
    sites_of,
    visible_lines,
    write_set,
)
from build_page_fresh import added_times, utc

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
#: Each WCXB split read: its output folder, the sets whose sites it leaves out,
#: and how SKIPPED.txt names them.
SPLITS: dict[str, tuple[Path, tuple[str, ...], str]] = {
    "test": (
        DATA / "page_modern",
        ("page_devset", "page_unseen", "page_blind", "page_fresh"),
        "the dev, unseen, blind or fresh set",
    ),
    "dev": (
        DATA / "page_wcxbdev",
        ("page_devset", "page_unseen", "page_blind", "page_fresh", "page_modern"),
        "the dev, unseen, blind, fresh or modern set",
    ),
}
OUT = SPLITS["test"][0]


def _inputs(clone: Path, split: str, ids: list[str]) -> dict[str, Path]:
    names = {"LICENSE": clone / "LICENSE", "metadata.json": clone / "metadata.json"}
    for key in ids:
        for kind, suffix in (("ground-truth", ".json"), ("html", ".html.gz")):
            name = f"{split}/{kind}/{key}{suffix}"
            names[name] = clone / name
    return dict(sorted(names.items()))


def printed_share(body: str, dump: str) -> float:
    """Share of a gold body's paragraphs printed (as text) in a dump."""
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if not paragraphs:
        return 0.0
    flat = _norm(dump)
    return sum(_norm(p) in flat for p in paragraphs) / len(paragraphs)


def page_lang(tree: Any) -> str:
    """The primary language subtag a page states for itself (``<html lang>``,
    else ``og:locale``), lower case; ``""`` when it states none."""
    stated = tree.getroottree().getroot().get("lang") or ""
    if not stated:
        for meta in tree.iter("meta"):
            if (meta.get("property") or "").lower() == "og:locale":
                stated = meta.get("content") or ""
                break
    return re.split(r"[-_]", stated.strip().lower())[0]


def build(clone: Path, out: Path, *, record_sums: bool, split: str = "test") -> int:
    """Write the set of WCXB's ``split`` (the modern set for ``test``, the tuning
    set for ``dev``) into ``out``; returns the number of pages."""
    meta_path = clone / "metadata.json"
    files: dict[str, dict[str, Any]] = json.loads(meta_path.read_text("utf-8"))["files"]
    ids = sorted(key for key, info in files.items() if info.get("split") == split)
    inputs = _inputs(clone, split, ids)
    pin_inputs(inputs, out, record_sums=record_sums)
    times = added_times(clone, (f"{split}/html",))
    _, others, seen_names = SPLITS[split]
    seen_sites = sites_of(DATA / name / "pages.jsonl.gz" for name in others)
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    # Only the modern set keeps the HTML (for the HTML reader's figures).
    html_out = out / "html" if split == "test" else None
    if html_out is not None:
        if html_out.is_dir():
            shutil.rmtree(html_out)
        html_out.mkdir(parents=True)
    for key in ids:
        truth = json.loads(inputs[f"{split}/ground-truth/{key}.json"].read_text("utf-8"))
        gold = truth["ground_truth"]
        url = str(truth["url"])
        site = bare(urlparse(url).netloc)
        label = " ".join(str(gold.get("title") or "").split())
        stamp = str(gold.get("publish_date") or "").strip()
        kind = files[key].get("page_type")
        if any(same_publisher(site, seen) for seen in seen_sites):
            skipped.append(f"{key}: site {site!r} is in {seen_names}")
            continue
        if kind != "article":
            skipped.append(f"{key}: a {kind} page, not an article")
            continue
        if not label or not re.match(r"\d{4}-\d\d-\d\d$", stamp):
            skipped.append(f"{key}: no annotated title and publication day")
            continue
        source = inputs[f"{split}/html/{key}.html.gz"]
        markup = XML_DECLARATION.sub(b"", gzip.decompress(source.read_bytes()), count=1)
        try:
            lines, tree = visible_lines(markup)
        except ValueError as exc:
            skipped.append(f"{key}: not parseable HTML ({exc})")
            continue
        dump = "\n".join(lines) + "\n"
        body = str(gold.get("main_content") or "").strip()
        if printed_share(body, dump) < 0.5:
            skipped.append(f"{key}: under half of the gold text is printed in the page")
            continue
        title, title_from = _headline(lines, tree, label)
        if not title:
            skipped.append(f"{key}: title {label[:60]!r} is not a headline line of the page")
            continue
        records.append(
            {
                "key": key,
                "source": "wcxb",
                "url": url,
                "site": site,
                "lang": page_lang(tree),
                "title": title,
                "title_from": title_from.replace("fundus", "annotated"),
                "label": label,
                "body": body,
                "with": list(gold.get("with") or []),
                "without": list(gold.get("without") or []),
                "date": stamp,
                "date_shown": date_shown(lines, stamp),
                "crawled": utc(times[f"{key}.html.gz"]),
                "dump": dump,
            }
        )
        if html_out is not None:
            shutil.copyfile(source, html_out / source.name)
    write_set(out, records, skipped)
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point (``--split`` picks the split and the default output)."""
    picker = argparse.ArgumentParser(add_help=False)
    picker.add_argument("--split", choices=sorted(SPLITS), default="test")
    picked, rest = picker.parse_known_args(argv)
    help_text = "git clone of Murrough-Foley/web-content-extraction-benchmark"
    build_split = functools.partial(build, split=picked.split)
    return builder_main(__doc__, build_split, ("wcxb", help_text), SPLITS[picked.split][0], rest)


if __name__ == "__main__":
    sys.exit(main())
