"""Build the unseen page-dump evaluation set from two more public benchmarks.

    python tools/build_page_unseen.py READABILITY_DIR PARSER_DIR [--out tests/data/page_unseen]

``READABILITY_DIR``: a checkout of https://github.com/mozilla/readability (Apache-2.0)
holding ``test/test-pages/<name>/{source.html,expected.html,expected-metadata.json}``;
``PARSER_DIR``: a checkout of https://github.com/postlight/parser (MIT/Apache-2.0,
"Mercury") holding ``fixtures/<site>.html`` and the per-site tests
``src/extractors/custom/<site>/index.test.js`` that assert each fixture's title.
The pinned commits and every input's sha256 are in ``tests/data/page_unseen/``;
a different snapshot is refused by name.

This set was made to measure whether the rules generalise to publishers the dev
set (``tools/build_page_devset.py``) does not hold; it has since been tuned on in
two rounds, so the blind set (``tools/build_page_blind.py``) is now the only
measure not tuned on.
Each page goes through exactly the dev set's method (``visible_lines``, ``gold_title``,
``gold_date``, ``date_shown``), so the figures are comparable.  A page is kept only when

- it is an article (hand-made list :data:`NOT_ARTICLES` of test fixtures, product
  pages, front pages, fiction chapters, encyclopedia entries, duplicates, with reasons);
- its site is not a site of the dev set;
- the benchmark's own title label (readability's ``expected-metadata.json`` title,
  Mercury's asserted ``title``) agrees with the headline the dev-set method picks
  (word overlap >= 0.5 after ``| Site`` parts are removed), so two independent
  labellings confirm the gold title.

Gold body: readability's ``expected.html`` as text (Mercury pages have none: ``""``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_page_devset import (
    _jaccard,
    _without_site_name,
    date_shown,
    gold_date,
    gold_title,
    read_sums,
    sha256,
    visible_lines,
    write_set,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "page_unseen"
DEVSET = ROOT / "tests" / "data" / "page_devset" / "pages.jsonl.gz"

#: Pages that are not news/blog articles, or repeat another page, with the reason.
NOT_ARTICLES = {
    # readability: synthetic unit-test documents (no site, a sentence or lorem ipsum).
    **dict.fromkeys(
        "003-metadata-preferred 004-metadata-space-separated-properties "
        "005-unescape-html-entities base-url base-url-base-element "
        "base-url-base-element-relative basic-tags-cleaning comment-inside-script-parsing "
        "data-url-image dev418 embedded-videos hidden-nodes invalid-attributes "
        "js-link-replacement lazy-image-3 metadata-content-missing missing-paragraphs "
        "normalize-spaces ol parsely-metadata remove-aria-hidden remove-extra-brs "
        "remove-extra-paragraphs remove-script-tags reordering-paragraphs replace-brs "
        "replace-font-tags rtl-1 rtl-2 rtl-3 rtl-4 social-buttons style-tags-removal "
        "svg-parsing table-style-attributes title-and-h1-discrepancy title-en-dash "
        "visibility-hidden".split(),
        "synthetic test document",
    ),
    **dict.fromkeys(
        "mozilla-1 mozilla-2 mathjax daringfireball-1 mercurial ietf-1".split(),
        "product, documentation or about page",
    ),
    **dict.fromkeys("wikipedia wikipedia-2 wikipedia-3 wikipedia-4".split(), "encyclopedia"),
    **dict.fromkeys("archive-of-our-own royal-road clean-links".split(), "fiction"),
    "nytimes-5": "front page",
    "lwn-1": "weekly edition index of many articles",
    "lifehacker-post-comment-load": "same article as lifehacker-working",
    # Mercury fixtures that are not articles.
    **dict.fromkeys(
        "github.com twitter.com www.youtube.com pastebin.com www.linkedin.com "
        "clinicaltrials.gov genius.com jvndb.jvn.jp bookwalker.jp www.elecom.co.jp "
        "www.sanwa.co.jp www.reddit.com www.reddit.com--embedded "
        "www.reddit.com--external-image www.reddit.com--external-link www.reddit.com--image "
        "www.reddit.com--title-only www.reddit.com--video obamawhitehouse.archives.gov--empty "
        "www.buzzfeed.com--splash www.bloomberg.com--graphics deadspin.com--video "
        "epaper.zeit.de biorxiv.org www.oreilly.co.jp".split(),
        "not a news or blog article (code, social post, product, paper abstract, video)",
    ),
}
_JS_STRING = r"""(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)"|`((?:\\.|[^`\\])*)`)"""
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_FIXTURE = re.compile(r"fixtures/([^'\"`]+)\.html")
_TITLE = re.compile(r"assert\.equal\(\s*title\s*,\s*" + _JS_STRING, re.S)


def _unescape_js(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _bare(site: str) -> str:
    return site.lower().removeprefix("www.")


def mercury_titles(parser: Path) -> dict[str, str]:
    """``fixture name -> title`` asserted by Mercury's per-site tests."""
    titles: dict[str, str] = {}
    for test in sorted((parser / "src" / "extractors" / "custom").glob("*/index.test.js")):
        source = test.read_text("utf-8")
        marks = [(m.start(), m[1]) for m in _FIXTURE.finditer(source)]
        for at, (start, name) in enumerate(marks):
            end = marks[at + 1][0] if at + 1 < len(marks) else len(source)
            found = _TITLE.search(source, start, end)
            if found and name not in titles:
                titles[name] = _unescape_js(next(g for g in found.groups() if g is not None))
    return titles


def _page_url(tree: Any) -> str:
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return str(meta.get("content"))
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return str(link.get("href"))
    return ""


def _agrees(label: str, headline: str) -> bool:
    """Whether a benchmark's title label confirms the dev-set method's headline."""
    return bool(headline) and any(
        _jaccard(variant, headline) >= 0.5 for variant in (label, *_without_site_name(label))
    )


def _record(
    key: str, source: str, markup: bytes, label: str, site: str, body: str, skipped: list[str]
) -> dict[str, Any] | None:
    # An XHTML ``<?xml ... encoding=...?>`` line makes lxml refuse decoded text.
    lines, tree = visible_lines(_XML_DECLARATION.sub(b"", markup, count=1))
    title, title_from = gold_title(lines, tree)
    if not _agrees(label, title):
        skipped.append(f"{source}:{key}: label {label[:60]!r} disagrees with {title[:60]!r}")
        return None
    stamp = gold_date(tree)
    return {
        "key": key,
        "source": source,
        "url": _page_url(tree),
        "site": site,
        "title": title,
        "title_from": title_from,
        "label": label,
        "body": body,
        "date": stamp or None,
        "date_shown": bool(stamp) and date_shown(lines, stamp),
        "dump": "\n".join(lines) + "\n",
    }


def _inputs(readability: Path, parser: Path) -> dict[str, Path]:
    names: dict[str, Path] = {
        "readability/LICENSE.md": readability / "LICENSE.md",
        "parser/LICENSE-MIT": parser / "LICENSE-MIT",
        "parser/LICENSE-APACHE": parser / "LICENSE-APACHE",
    }
    for folder in sorted((readability / "test" / "test-pages").iterdir()):
        for part in ("source.html", "expected.html", "expected-metadata.json"):
            names[f"readability/test/test-pages/{folder.name}/{part}"] = folder / part
    for fixture in sorted((parser / "fixtures").glob("*.html")):
        names[f"parser/fixtures/{fixture.name}"] = fixture
    for test in sorted((parser / "src" / "extractors" / "custom").glob("*/index.test.js")):
        names[f"parser/{test.relative_to(parser).as_posix()}"] = test
    return names


def build(readability: Path, parser: Path, out: Path, *, record_sums: bool) -> int:
    """Write the unseen set into ``out``; returns the number of pages."""
    inputs = _inputs(readability, parser)
    sums_path = out / "SHA256SUMS"
    if record_sums:
        out.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{sha256(path)}  {name}\n" for name, path in inputs.items())
        sums_path.write_text(text, "utf-8")
    for name, expected in read_sums(sums_path).items():
        path = inputs.get(name)
        if path is None or not path.is_file() or sha256(path) != expected:
            sys.exit(f"{name}: missing or different from the pinned snapshot ({sums_path})")
    with gzip.open(DEVSET, "rt", encoding="utf-8") as handle:
        dev_sites = {_bare(json.loads(line)["site"]) for line in handle if line.strip()}
    records: list[dict[str, Any]] = []
    skipped: list[str] = []

    def keep(site: str, key: str, source: str) -> bool:
        if key in NOT_ARTICLES:
            skipped.append(f"{source}:{key}: {NOT_ARTICLES[key]}")
            return False
        bare = _bare(site)
        # A subdomain (money.cnn.com) is the same publisher as its parent (cnn.com).
        if not site or any(bare == dev or bare.endswith("." + dev) for dev in dev_sites):
            skipped.append(f"{source}:{key}: site {site!r} is in the dev set or unknown")
            return False
        return True

    for folder in sorted((readability / "test" / "test-pages").iterdir()):
        markup = (folder / "source.html").read_bytes()
        meta = json.loads((folder / "expected-metadata.json").read_text("utf-8"))
        _, tree = visible_lines(markup)
        site = urlparse(_page_url(tree)).netloc or folder.name
        if not keep(site, folder.name, "readability"):
            continue
        expected = lxml_html.fromstring((folder / "expected.html").read_text("utf-8"))
        body = "\n".join(visible_lines(lxml_html.tostring(expected, encoding="utf-8"))[0])
        label = str(meta.get("title") or "")
        made = _record(folder.name, "readability", markup, label, _bare(site), body, skipped)
        if made:
            records.append(made)
    for name, label in sorted(mercury_titles(parser).items()):
        path = parser / "fixtures" / f"{name}.html"
        if not path.is_file() or not keep(name.partition("--")[0], name, "parser"):
            continue
        made = _record(name, "parser", path.read_bytes(), label, _bare(name.partition("--")[0]),
                       "", skipped)  # fmt: skip
        if made:
            records.append(made)
    write_set(out, records, skipped)
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readability", type=Path, help="checkout of mozilla/readability")
    parser.add_argument("parser", type=Path, help="checkout of postlight/parser")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--record-checksums", action="store_true")
    args = parser.parse_args(argv)
    count = build(args.readability, args.parser, args.out, record_sums=args.record_checksums)
    print(f"{count} pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
