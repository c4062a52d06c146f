"""Build the libtests page-dump evaluation set from article extractors' test pages.

    python tools/build_page_libtests.py NEWSPAPER NEWSPAPER4K GOOSE3 HTMLDATE
                                        [--out tests/data/page_libtests]

Four git clones (history included) at the pinned commits
(``tests/data/page_libtests/README.md``), of the real pages four article
extraction libraries test themselves on:

- https://github.com/codelucas/newspaper (MIT): ``tests/data/html/<site><n>.html``,
  the pages of ``tests/data/fulltext_url_list.txt`` (named by that list's base
  domain and a counter, as newspaper's own test names them), and
  ``tests/data/text/<site><n>.txt``, the text newspaper's authors accepted as the
  page's article text (or, in capitals, why newspaper's text is wrong);
- https://github.com/AndyTheFactory/newspaper4k (MIT): ``tests/data/html/<name>.html``
  with ``tests/data/metadata/<name>.json`` (the page's URL and accepted ``title``)
  and ``tests/data/txt/<name>.txt`` (the accepted article text);
- https://github.com/goose3/goose3 (Apache-2.0): ``tests/data/content/<name>.html``
  with ``<name>.json`` (the page's URL, sometimes its ``title``, and the opening of
  its article text, ``cleaned_text``, that goose3's tests assert);
- https://github.com/adbar/htmldate (Apache-2.0): ``tests/eval_default.json`` (the
  BBAW collection) and ``tests/eval_mediacloud_2020.json`` (Media Cloud's news
  pages): a page URL's saved file (``tests/eval``, ``tests/test_set`` or
  ``tests/cache``) and its hand-annotated publication day.

Every input's sha256 is recorded in ``SHA256SUMS``; a different snapshot is refused
by name.  The set measures the generic page reader on publishers none of the six
other sets holds; it was measured once, before any rule was written for it.  Each
page goes through the dev set's method (``visible_lines``, ``gold_title``,
``gold_date``, ``date_shown``), so the figures are comparable.  A page is kept
only when

- its site (or a parent or subdomain of it) is in no other set, it is not a site's
  home page, and its HTML is not a copy of a page already kept (goose3 tests some
  pages twice); htmldate's pages only with an annotated day;
- it has a headline line confirmed twice: the library's title is a line of the dump
  or the dev-set method's headline agrees with it (the blind set's check); without
  a library title, the dev-set method's headline when the page's own names
  (``og:title``, ``<title>``) confirm it by at least two shared words (an ``<h1>``
  alone is not enough, :func:`confirmed_by_names`); never the site's name
  (:func:`story_headings`) nor a ``<title>`` printed from a broken head
  (:func:`printed_title_only`).

Gold body: the library's accepted text when it is a whole text (at least
:data:`MIN_BODY` characters, not a note in capitals saying what went wrong, not
holding the page's headline) of which at least half the paragraphs are printed in
the dump; else ``""`` (not scored).  goose3's opening is kept as a ``with``
snippet instead.  Gold date: htmldate's annotated day; on the other pages the
page's own publication time (``gold_date``, as the dev set).  ``crawled``: when
the page's file was last committed to its library (the saved page is at most that
new), the reference time for relative and year-less dates.  The HTML of the pages
with a gold body is kept (gzipped) in ``html/`` for the HTML reader's figures.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_page_blind import _headline
from build_page_devset import (
    XML_DECLARATION,
    _jaccard,
    _norm,
    _without_site_name,
    bare,
    date_shown,
    gold_date,
    gold_title,
    page_names,
    pin_inputs,
    same_publisher,
    sites_of,
    visible_lines,
    write_set,
)
from build_page_fresh import utc
from build_page_modern import page_lang, printed_share

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUT = DATA / "page_libtests"
OTHER_SETS = tuple(
    DATA / name / "pages.jsonl.gz"
    for name in (
        "page_devset", "page_unseen", "page_blind", "page_fresh", "page_modern", "page_wcxbdev",
    )
)  # fmt: skip
#: A shorter accepted text is a caption, a teaser or a newsletter box that the
#: library took for the story, not the whole article: no gold body then.
MIN_BODY = 500
#: goose3 asserts only the opening of the text; shorter openings say too little.
MIN_SNIPPET = 30
_NOTE = re.compile(r"[A-Z]")
#: htmldate's hand-dated pages: the BBAW collection and Media Cloud's news pages.
HTMLDATE_TRUTH = ("eval_default.json", "eval_mediacloud_2020.json")
HTMLDATE_FOLDERS = ("eval", "test_set", "cache")
SOURCES = ("newspaper", "newspaper4k", "goose3", "htmldate")


def base_domain(url: str) -> str:
    """The name newspaper's exhaustive test gives a page's site (its own rule: the
    host's last two labels, three under ``co.uk``, ``com.au`` and ``au.com``)."""
    host = urlparse(url).netloc
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in ("co.uk", "com.au", "au.com") else 2
    return ".".join(labels[-keep:])


def is_note(text: str) -> bool:
    """Whether an accepted text is newspaper's note on its own failure (capitals)."""
    return bool(_NOTE.search(text)) and text == text.upper()


def changed_times(clone: Path, folders: tuple[str, ...]) -> dict[str, str]:
    """``file name -> ISO time`` of the first commit holding a file of that name under
    ``folders`` with its present content: the saved page as it is now is at most that
    new.  (These libraries replaced some saved pages with later copies under the same
    name, so a file's first addition can be older than its page; a later commit that
    only changes its mode keeps the time.)"""
    log = subprocess.run(
        ["git", "-C", str(clone), "-c", "core.quotepath=false", "log", "--no-renames",
         "--diff-filter=AM", "--format=@%cI", "--raw", "--no-abbrev", "--", *folders],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    times: dict[str, str] = {}
    present: dict[str, str] = {}
    when = ""
    for line in log.splitlines():
        if line.startswith("@"):
            when = line[1:]
        elif line.startswith(":"):
            fields, _, path = line.partition("\t")
            blob, name = fields.split()[3], path.strip().rpartition("/")[2]
            # Newest first: the first blob seen is the present content; older
            # commits with the same blob move its time back.
            if present.setdefault(name, blob) == blob:
                times[name] = when
    return times


def _pages(clones: dict[str, Path]) -> list[dict[str, Any]]:
    """Every candidate page: ``source``, ``name``, ``html`` file, ``url`` and the
    library's ``label`` title, accepted ``text`` and ``snippet``, in source order."""
    pages: list[dict[str, Any]] = []
    news = clones["newspaper"] / "tests" / "data"
    counters: dict[str, int] = {}
    for line in (news / "fulltext_url_list.txt").read_text("utf-8").splitlines():
        if not (url := line.strip()):
            continue
        domain = base_domain(url)
        counters[domain] = counters.get(domain, 0) + 1
        name = f"{domain}{counters[domain]}"
        pages.append(
            {
                "source": "newspaper", "name": name, "html": news / "html" / f"{name}.html",
                "text": news / "text" / f"{name}.txt", "url": url, "label": "", "snippet": "",
            }
        )  # fmt: skip
    four = clones["newspaper4k"] / "tests" / "data"
    for meta in sorted((four / "metadata").glob("*.json")):
        info = json.loads(meta.read_text("utf-8"))
        pages.append(
            {
                "source": "newspaper4k", "name": meta.stem, "meta": meta,
                "html": four / "html" / f"{meta.stem}.html",
                "text": four / "txt" / f"{meta.stem}.txt", "url": str(info.get("url") or ""),
                "label": " ".join(str(info.get("title") or "").split()), "snippet": "",
            }
        )  # fmt: skip
    goose = clones["goose3"] / "tests" / "data" / "content"
    for meta in sorted(goose.glob("*.json")):
        info = json.loads(meta.read_text("utf-8"))
        expected = info.get("expected") or {}
        pages.append(
            {
                "source": "goose3", "name": meta.stem, "meta": meta,
                "html": goose / f"{meta.stem}.html", "text": None,
                "url": str(info.get("url") or ""),
                "label": " ".join(str(expected.get("title") or "").split()),
                "snippet": " ".join(str(expected.get("cleaned_text") or "").split()),
            }
        )  # fmt: skip
    dated = clones["htmldate"] / "tests"
    for truth in HTMLDATE_TRUTH:
        for url, entry in json.loads((dated / truth).read_text("utf-8")).items():
            found = [dated / f / entry["file"] for f in HTMLDATE_FOLDERS]
            html = next((path for path in found if path.is_file()), found[0])
            day = entry.get("date")
            pages.append(
                {
                    "source": "htmldate", "name": html.stem, "html": html, "text": None,
                    "url": url, "label": "", "snippet": "",
                    "date": day if isinstance(day, str) else "",
                }
            )  # fmt: skip
    return pages


def _inputs(clones: dict[str, Path], pages: list[dict[str, Any]]) -> dict[str, Path]:
    names = {
        "newspaper/LICENSE": clones["newspaper"] / "LICENSE",
        "newspaper/tests/data/fulltext_url_list.txt": clones["newspaper"]
        / "tests/data/fulltext_url_list.txt",
        "newspaper4k/LICENSE": clones["newspaper4k"] / "LICENSE",
        "goose3/LICENSE.txt": clones["goose3"] / "LICENSE.txt",
        "htmldate/LICENSE": clones["htmldate"] / "LICENSE",
        **{f"htmldate/tests/{n}": clones["htmldate"] / "tests" / n for n in HTMLDATE_TRUTH},
    }
    for page in pages:
        for key in ("html", "text", "meta"):
            path = page.get(key)
            if isinstance(path, Path) and path.is_file():
                names[f"{page['source']}/{path.relative_to(clones[page['source']]).as_posix()}"] = (
                    path
                )
    return dict(sorted(names.items()))


def names_home(h1: Any, url: str) -> bool:
    """Whether an ``<h1>`` is wholly one link to a page above ``url`` on its host
    (the site's or the blog's home page): blog themes print the site's name in an
    ``<h1>`` over every post, and a name like "Story - Blog" then confirms it."""
    text = _norm(h1.text_content())
    link = next((a for a in h1.iter("a") if text and _norm(a.text_content()) == text), None)
    if link is None:
        return False
    target, page = urlparse(urljoin(url, link.get("href") or "")), urlparse(url)
    home = target.path.rstrip("/")
    return bare(target.netloc) == bare(page.netloc) and (
        not home or (page.path.startswith(home + "/") and page.path.rstrip("/") != home)
    )


def story_headings(tree: Any, url: str) -> tuple[Any, set[str]]:
    """A copy of a parsed page without its site-name ``<h1>`` elements
    (:func:`names_home`), for the headline checks (the dump keeps them), and those
    names (normalised: a page line reading one is the site's name, not a headline)."""
    story = copy.deepcopy(tree)
    names: set[str] = set()
    for h1 in [h1 for h1 in story.iter("h1") if names_home(h1, url)]:
        names.add(_norm(h1.text_content()))
        h1.drop_tree()
    return story, names


def confirmed_by_names(title: str, tree: Any) -> bool:
    """Whether an ``<h1>`` headline shares at least two words with one of the page's
    names (or its part without a site name) that it agrees with (word overlap >= 0.5,
    the dev set's check): a one-word name is the site's brand ("MEDEF"), which
    "agrees" with any two-word ``<h1>`` holding it ("Medef Contactez-nous")."""
    words = set(_norm(title).split())
    return any(
        len(words & set(_norm(variant).split())) >= 2 and _jaccard(title, variant) >= 0.5
        for _, name in page_names(tree)
        for variant in (name, *_without_site_name(name))
    )


def printed_title_only(title: str, lines: list[str], tree: Any) -> bool:
    """Whether the only dump line reading ``title`` is the page's ``<title>`` itself,
    printed because a broken head (text before ``<html>``) left it in the body: a
    browser never prints it, so it is no headline line."""
    body = tree.find("body")
    printed = {
        _norm(element.text or "")
        for element in (body.iter("title") if body is not None else ())
        if not any(parent.tag == "svg" for parent in element.iterancestors())
    }
    return _norm(title) in printed and sum(_norm(line) == _norm(title) for line in lines) == 1


def _body(page: dict[str, Any], dump: str, title: str) -> str:
    """The library's accepted text as gold body, or ``""`` (see the module doc)."""
    path = page["text"]
    if not isinstance(path, Path) or not path.is_file():
        return ""
    text = path.read_text("utf-8").strip()
    if len(text) < MIN_BODY or is_note(text) or printed_share(text, dump) < 0.5:
        return ""
    # Text holding the page's headline is the extractor's take of the page's top
    # (breadcrumbs, headline, byline, share counts), not the article text alone.
    if _norm(title) in _norm(text):
        return ""
    return text


def build(clones: dict[str, Path], out: Path, *, record_sums: bool) -> int:
    """Write the libtests set into ``out``; returns the number of pages."""
    pages = _pages(clones)
    inputs = _inputs(clones, pages)
    pin_inputs(inputs, out, record_sums=record_sums)
    folders = {
        "newspaper": ("tests/data/html",),
        "newspaper4k": ("tests/data/html",),
        "goose3": ("tests/data/content",),
        "htmldate": tuple(f"tests/{folder}" for folder in HTMLDATE_FOLDERS),
    }
    times = {source: changed_times(clones[source], folders[source]) for source in clones}
    seen_sites = sites_of(OTHER_SETS)
    html_out = out / "html"
    if html_out.is_dir():
        shutil.rmtree(html_out)
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    copies: set[str] = set()
    for page in pages:
        name = f"{page['source']}/{page['name']}"
        site = bare(urlparse(page["url"]).netloc)
        if not page["html"].is_file() or not page["url"]:
            skipped.append(f"{name}: no saved page or no URL")
            continue
        if not site or site in ("example.com", "exemple.com"):
            skipped.append(f"{name}: a made-up page, not a publisher's")
            continue
        if page["source"] == "htmldate" and not re.match(r"\d{4}-\d\d-\d\d$", page["date"]):
            skipped.append(f"{name}: no annotated publication day")
            continue
        if urlparse(page["url"]).path.strip("/") == "":
            skipped.append(f"{name}: a site's home page, not an article")
            continue
        if any(same_publisher(site, seen) for seen in seen_sites):
            skipped.append(f"{name}: site {site!r} is in another set")
            continue
        raw = page["html"].read_bytes()
        if (fingerprint := hashlib.sha256(raw).hexdigest()) in copies:
            skipped.append(f"{name}: a copy of a page already kept")
            continue
        markup = XML_DECLARATION.sub(b"", raw, count=1)
        try:
            lines, tree = visible_lines(markup)
        except ValueError as exc:
            skipped.append(f"{name}: not parseable HTML ({exc})")
            continue
        story, site_names = story_headings(tree, page["url"])
        if page["label"]:
            title, title_from = _headline(lines, story, page["label"])
            title_from = title_from.replace("fundus", "annotated")
        else:
            title, title_from = gold_title(lines, story)
            # No label to confirm it: only a headline the page's own names confirm.
            if title_from == "h1 (alone)" or (
                title_from == "h1" and not confirmed_by_names(title, story)
            ):
                title = ""
        if title and (_norm(title) in site_names or printed_title_only(title, lines, tree)):
            title = ""
        if not title:
            skipped.append(f"{name}: no headline line confirmed ({page['label'][:60]!r})")
            continue
        dump = "\n".join(lines) + "\n"
        stamp = page.get("date") or gold_date(tree)
        snippet = page["snippet"]
        copies.add(fingerprint)
        body = _body(page, dump, title)
        records.append(
            {
                "key": name,
                "source": page["source"],
                "url": page["url"],
                "site": site,
                "lang": page_lang(tree),
                "title": title,
                "title_from": title_from,
                "label": page["label"],
                "body": body,
                "with": [snippet] if len(snippet) >= MIN_SNIPPET else [],
                "without": [],
                "date": stamp or None,
                "date_shown": bool(stamp) and date_shown(lines, stamp),
                "crawled": utc(times[page["source"]][page["html"].name]),
                "dump": dump,
            }
        )
        if body:
            # The HTML of the pages with a gold body, for the HTML reader's figures.
            target = html_out / f"{name}.html.gz"
            target.parent.mkdir(parents=True, exist_ok=True)
            with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as handle:
                handle.write(raw)
    write_set(out, records, skipped)
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for source in SOURCES:
        parser.add_argument(source, type=Path, help=f"git clone of {source}")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--record-checksums",
        action="store_true",
        help="write SHA256SUMS from these copies (only when re-pinning new commits)",
    )
    args = parser.parse_args(argv)
    clones = {source: getattr(args, source) for source in SOURCES}
    count = build(clones, args.out, record_sums=args.record_checksums)
    print(f"{count} pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
