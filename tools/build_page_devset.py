"""Build the page-dump development set from scrapinghub's article-extraction-benchmark.

    python tools/build_page_devset.py BENCHMARK_DIR [--out tests/data/page_devset]

``BENCHMARK_DIR`` is a checkout (or ``git archive``) of
https://github.com/scrapinghub/article-extraction-benchmark at the pinned commit
(see ``tests/data/page_devset/README.md``): it holds ``ground-truth.json`` and
``html/<key>.html.gz``.  Every input file is checked against the recorded sha256
before use, so a different snapshot is refused by name.

For each page the script writes one JSON line to ``pages.jsonl.gz``:

- ``dump``: the page's visible text as a crawler saves it: scripts, styles and
  other invisible elements dropped, every block element on its own line,
  navigation, share buttons, related links and footers kept;
- ``title``: the gold headline: the page's own ``<h1>``/``og:title``/``<title>``
  (the benchmark has no headline field), taken only when that text is a line of
  the dump, site-name suffixes removed;
- ``body``: the benchmark's gold ``articleBody``;
- ``date``: the page's own publication time (``article:published_time``, JSON-LD
  ``datePublished``, ``<time datetime>``) or ``null``; ``date_shown`` says whether
  that calendar day is printed in the dump's text;
- ``url``, ``site``, ``key`` (the benchmark's file name).

It also copies the HTML (already gzipped, MIT licensed) to ``html/`` so the HTML
reader can be measured without network access, and names each page it could not
parse in ``SKIPPED.txt`` (:func:`write_set`, shared by the other set builders).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "page_devset"
CHECKSUMS = OUT / "SHA256SUMS"

# Elements whose content a browser never shows.
_INVISIBLE = {
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object",
    "embed", "canvas", "map", "video", "audio", "source", "track", "meta", "link",
    "select", "option", "datalist", "dialog",
}  # fmt: skip
# Elements that start a new line of visible text.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center",
    "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul", "button", "label", "legend", "textarea", "input", "picture",
}  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"\s+")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()


def visible_lines(markup: bytes) -> tuple[list[str], Any]:
    """The visible text of an HTML page, one line per block, and the parsed tree."""
    text: bytes | str = markup
    # Bytes that are valid UTF-8 are UTF-8 (as browsers sniff); else the page's own charset.
    with contextlib.suppress(UnicodeDecodeError):
        text = markup.decode("utf-8")
    tree = lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(no_network=True))
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(current)).strip()
        if text:
            lines.append(text)
        current.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower().rsplit("}", 1)[-1]
        hidden = (
            not tag
            or tag in _INVISIBLE
            or element.get("hidden") is not None
            or element.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(element.get("style") or "")
            or (tag == "input" and (element.get("type") or "").lower() == "hidden")
        )
        if not hidden:
            block = tag in _BLOCKS
            if block:
                flush()
            if element.text:
                current.append(element.text)
            for child in element:
                walk(child)
            if block:
                flush()
        if element.tail:
            current.append(element.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    flush()
    return lines, tree


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip().casefold()


def gold_title(lines: list[str], tree: Any) -> tuple[str, str]:
    """The page's headline as a dump line, and where it came from (``""`` if none).

    The headline is the ``<h1>`` that agrees with what the page calls itself
    (``og:title``, ``twitter:title``, ``<title>``); a site-name ``<h1>`` over the
    story ("The GiveWell Blog") does not agree and loses to the ``og:title``.
    """
    h1s = [_SPACE.sub(" ", h1.text_content()).strip() for h1 in tree.iter("h1")]
    named = page_names(tree)
    by_norm = {_norm(line): line for line in reversed(lines)}
    variants = [v for _, n in named for v in (n, *_without_site_name(n))]
    scored = [
        (max((_jaccard(h1, v) for v in variants), default=0.0), -at, h1)
        for at, h1 in enumerate(h1s)
        if len(h1.split()) >= 2 and _norm(h1) in by_norm
    ]
    if scored and max(scored)[0] >= 0.5:
        return by_norm[_norm(max(scored)[2])], "h1"
    for source, text in named:
        # "Headline | Site", "Headline - Site": try the parts too.
        for variant in (text, *_without_site_name(text)):
            if len(variant.split()) >= 2 and (line := by_norm.get(_norm(variant))) is not None:
                return line, source
    # An <h1> the page's names do not confirm, unless it is the site's own name.
    sites = {_norm(n).rpartition(sep)[2] for _, n in named for sep in _SITE_SEPARATORS}
    for _, _, h1 in sorted(scored, reverse=True):
        if _norm(h1) not in sites and not any(_norm(h1) == _norm(n) for _, n in named[-1:]):
            return by_norm[_norm(h1)], "h1 (alone)"
    return "", ""


def page_names(tree: Any) -> list[tuple[str, str]]:
    """What a page calls itself: ``(source, text)`` for its ``og:title`` and
    ``twitter:title`` (in page order), then its ``<title>``."""
    named: list[tuple[str, str]] = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:title", "twitter:title") and meta.get("content"):
            named.append((key, _SPACE.sub(" ", meta.get("content")).strip()))
    title = tree.find(".//title")
    if title is not None and title.text:
        named.append(("title", _SPACE.sub(" ", title.text).strip()))
    return named


def _jaccard(a: str, b: str) -> float:
    left, right = set(_norm(a).split()), set(_norm(b).split())
    return len(left & right) / len(left | right) if left and right else 0.0


_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def _without_site_name(text: str) -> list[str]:
    variants = []
    for separator in _SITE_SEPARATORS:
        if separator in text:
            head, _, _ = text.rpartition(separator)
            variants.append(head.strip())
            variants.append(text.partition(separator)[0].strip())
    return variants


def gold_date(tree: Any) -> str:
    """The page's own publication time as it states it, or ``""``."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        wanted = ("article:published_time", "datepublished", "og:article:published_time")
        if key in wanted and meta.get("content"):
            return str(meta.get("content")).strip()
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return str(item["datePublished"]).strip()
                stack.extend(v for v in item.values() if isinstance(v, list | dict))
    for element in tree.iter("time"):
        if element.get("datetime") and re.match(r"\d{4}-\d\d-\d\d", element.get("datetime")):
            return str(element.get("datetime")).strip()
    return ""


def _day(stamp: str) -> datetime | None:
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)", stamp)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def date_shown(lines: list[str], stamp: str) -> bool:
    """Whether the calendar day of ``stamp`` is printed in the page's text."""
    day = _day(stamp)
    if day is None:
        return False
    month = _MONTHS[day.month - 1]
    short = month[:3]
    y, m, d = day.year, day.month, day.day
    patterns = [
        rf"\b(?:{month}|{short}\.?)\s+0?{d}(?:st|nd|rd|th)?,?\s+{y}\b",
        rf"\b0?{d}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month}|{short}\.?),?\s+{y}\b",
        rf"\b{y}-{m:02d}-{d:02d}\b",
        rf"\b{y}/{m:02d}/{d:02d}\b",
        rf"\b0?{m}/0?{d}/(?:{y}|{y % 100:02d})\b",
        rf"\b0?{d}[./]0?{m}[./](?:{y}|{y % 100:02d})\b",
    ]
    found = re.compile("|".join(patterns), re.I)
    return any(found.search(line) for line in lines)


def sha256(path: Path) -> str:
    """The hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_inputs(bench: Path, sums: dict[str, str]) -> None:
    """Refuse a benchmark copy whose files differ from the pinned snapshot."""
    for name, expected in sums.items():
        path = bench / name
        if not path.is_file():
            sys.exit(f"{path}: missing from the benchmark copy")
        if sha256(path) != expected:
            sys.exit(f"{path}: sha256 differs from the pinned snapshot ({CHECKSUMS})")


def read_sums(path: Path) -> dict[str, str]:
    """``name -> sha256`` from a ``sha256sum``-style file."""
    sums: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip().lstrip("*")] = digest
    return sums


def pin_inputs(inputs: dict[str, Path], out: Path, *, record_sums: bool) -> None:
    """Check ``inputs`` (``name -> file``) against ``out/SHA256SUMS`` (first
    written from them with ``record_sums``): exit naming the first file missing,
    changed, or not pinned at all (a later snapshot's extra pages would enter the
    set unpinned)."""
    sums_path = out / "SHA256SUMS"
    if record_sums:
        out.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{sha256(path)}  {name}\n" for name, path in inputs.items())
        sums_path.write_text(text, "utf-8")
    if not sums_path.is_file():
        sys.exit(f"{sums_path}: no pinned checksums (copy the set's SHA256SUMS there first)")
    pinned = read_sums(sums_path)
    for name, expected in pinned.items():
        path = inputs.get(name)
        if path is None or not path.is_file() or sha256(path) != expected:
            sys.exit(f"{name}: missing or different from the pinned snapshot ({sums_path})")
    if extra := sorted(set(inputs) - set(pinned)):
        sys.exit(
            f"{extra[0]} (and {len(extra) - 1} more): not in the pinned snapshot ({sums_path})"
        )


def build(bench: Path, out: Path, *, record_sums: bool) -> int:
    """Write the dev set from ``bench`` into ``out``; returns the number of pages."""
    truth_path = bench / "ground-truth.json"
    try:
        truth: dict[str, dict[str, Any]] = json.loads(truth_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        sys.exit(f"{truth_path}: cannot read the benchmark's ground truth ({exc})")
    names = ["ground-truth.json", "LICENSE"] + [f"html/{key}.html.gz" for key in sorted(truth)]
    if record_sums:
        out.mkdir(parents=True, exist_ok=True)
        CHECKSUMS.write_text("".join(f"{sha256(bench / n)}  {n}\n" for n in names), "utf-8")
    check_inputs(bench, read_sums(CHECKSUMS))
    (out / "html").mkdir(parents=True, exist_ok=True)
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    for key in sorted(truth):
        source = bench / "html" / f"{key}.html.gz"
        markup = gzip.decompress(source.read_bytes())
        try:
            lines, tree = visible_lines(markup)
        except (etree.ParserError, ValueError) as exc:
            skipped.append(f"{key}: not parseable HTML ({exc})")
            continue
        title, title_from = gold_title(lines, tree)
        stamp = gold_date(tree)
        url = str(truth[key].get("url", ""))
        records.append(
            {
                "key": key,
                "url": url,
                "site": urlparse(url).netloc.lower().removeprefix("www."),
                "title": title,
                "title_from": title_from,
                "body": truth[key].get("articleBody", ""),
                "date": stamp or None,
                "date_shown": bool(stamp) and date_shown(lines, stamp),
                "dump": "\n".join(lines) + "\n",
            }
        )
        shutil.copyfile(source, out / "html" / source.name)
    write_set(out, records, skipped)
    return len(records)


def write_set(out: Path, records: list[dict[str, Any]], skipped: list[str]) -> None:
    """Write a page set: ``pages.jsonl.gz`` (one JSON record a line, keys sorted) and
    ``SKIPPED.txt`` (one reason a line for each page left out)."""
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    out.mkdir(parents=True, exist_ok=True)
    # mtime 0: the same inputs give the same bytes (a rebuild is checkable by diff).
    with gzip.GzipFile(out / "pages.jsonl.gz", "wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    (out / "SKIPPED.txt").write_text("".join(f"{line}\n" for line in skipped), "utf-8")


#: An XML declaration before the markup (some saved pages start with one); lxml
#: refuses a declaration in a ``str``, so the later set builders drop it first.
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")


def bare(site: str) -> str:
    """A site name as the sets compare it: lower case, without ``www.``."""
    return site.lower().removeprefix("www.")


def same_publisher(a: str, b: str) -> bool:
    """Whether two bare site names are one publisher: equal, or one a subdomain of
    the other (``edition.cnn.com`` and ``cnn.com``)."""
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def sites_of(sets: Iterable[Path]) -> set[str]:
    """The bare site names of the pages of some committed sets (``pages.jsonl.gz``)."""
    sites: set[str] = set()
    for path in sets:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            sites |= {bare(json.loads(line)["site"]) for line in handle if line.strip()}
    return sites


def builder_main(
    doc: str,
    build_set: Callable[..., int],
    source: tuple[str, str],
    out: Path,
    argv: list[str] | None,
) -> int:
    """The command line of a set builder that reads one source folder: ``source``
    is that argument's name and help; ``build_set(folder, out, record_sums=…)``
    writes the set and returns its page count."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(source[0], type=Path, help=source[1])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument(
        "--record-checksums",
        action="store_true",
        help="write SHA256SUMS from this copy (only when re-pinning a new commit)",
    )
    args = parser.parse_args(argv)
    count = build_set(getattr(args, source[0]), args.out, record_sums=args.record_checksums)
    print(f"{count} pages written to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", type=Path, help="checkout of article-extraction-benchmark")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--record-checksums",
        action="store_true",
        help="write SHA256SUMS from this copy (only when re-pinning a new commit)",
    )
    args = parser.parse_args(argv)
    count = build(args.benchmark, args.out, record_sums=args.record_checksums)
    print(f"{count} pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
