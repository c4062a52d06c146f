"""Build the selector's real evaluation days from a snapshot of Ostabo/news-api.

That repository cached newsapi.org's English "top headlines" (and five other
languages) every two to four hours from March to November 2023, overwriting
``<country>/data.json`` each time, so the data set is its git history.  This
script reads every version of ``gb``, ``us`` and ``au`` ``data.json`` on the
``gh-pages`` and ``stage`` branches, keeps each URL once (first seen), and writes
one JSON Feed 1.1 file per chosen day (items published that UTC day; Google News
redirect links replaced by the outlet's own address they carry; headlines without
their " - Outlet" tail) into ``tests/data/selector_real/``: the input a
newsroom's aggregator would hand ``digest ingest``.  Labels are kept in
separate files (see that folder's README).

Usage (the snapshot is a bare git directory)::

    python tools/build_selector_realset.py /path/to/Ostabo+news-api/repo \
        2023-03-17 2023-06-24 2023-08-24 2023-09-09 2023-10-07 2023-11-22
    python tools/build_selector_realset.py --out tests/data/selector_heldout \
        /path/to/Ostabo+news-api/repo 2023-04-04 2023-07-17 2023-10-18
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "selector_real"
EDITIONS = ("gb", "us", "au")
BRANCHES = ("gh-pages", "stage")
# Google News redirect links name the outlet only in the headline: "… - Reuters".
_SUFFIX = re.compile(r"\s+-\s+([^-]{2,60})$")


def git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    """Run git on the bare snapshot and return its output."""
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], input=data, capture_output=True, check=True
    ).stdout


def versions(repo: Path) -> Iterator[tuple[str, str, str]]:
    """``(blob sha, edition, commit time)`` of every ``data.json`` version, oldest first."""
    log = git(repo, "log", "--reverse", "--format=%H %cI", *BRANCHES).decode().split("\n")
    seen: set[str] = set()
    for line in filter(None, log):
        commit, when = line.split()
        listing = git(repo, "ls-tree", commit, *(f"{e}/data.json" for e in EDITIONS))
        for row in listing.decode().splitlines():
            meta, path = row.split("\t")
            sha = meta.split()[2]
            if sha not in seen:
                seen.add(sha)
                yield sha, path.split("/")[0], when


def blobs(repo: Path, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """The contents of many blobs, read in one ``git cat-file --batch``."""
    out = git(repo, "cat-file", "--batch", data=("\n".join(shas) + "\n").encode())
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        sha, _, size = out[pos:end].decode().split()
        body = out[end + 1 : end + 1 + int(size)]
        pos = end + 1 + int(size) + 1
        yield sha, body


def items(repo: Path) -> dict[str, dict[str, Any]]:
    """Every article seen, by URL, with the edition and time it was first seen."""
    found = list(versions(repo))
    meta = {sha: (edition, when) for sha, edition, when in found}
    articles: dict[str, dict[str, Any]] = {}
    for sha, body in blobs(repo, [sha for sha, _, _ in found]):
        edition, when = meta[sha]
        try:
            document = json.loads(body)
        except ValueError:
            continue
        for raw in document.get("articles") or []:
            url = raw.get("url") or ""
            if not url.startswith("http") or not raw.get("title") or not raw.get("publishedAt"):
                continue
            if url not in articles:
                articles[url] = {**raw, "edition": edition, "first_seen": when}
    return articles


def google_target(url: str) -> str:
    """The outlet's own address inside a Google News redirect link, or ``""``.

    The link's last path part is a base64url protocol buffer whose field 4 is the
    article's URL (or, for a video, the YouTube id)."""
    code = url.split("/articles/", 1)[-1].split("?", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
    except (binascii.Error, ValueError):
        return ""
    start = raw.find(b"\x22")
    if start < 0:
        return ""
    size, shift, pos = 0, 0, start + 1
    while pos < len(raw):
        byte = raw[pos]
        size |= (byte & 0x7F) << shift
        pos += 1
        if byte < 0x80:
            break
        shift += 7
    target = raw[pos : pos + size].decode("utf-8", "replace")
    if target.startswith(("http://", "https://")):
        return target
    if re.fullmatch(r"[\w-]{11}", target):
        return f"https://www.youtube.com/watch?v={target}"
    return ""


def feed_item(number: int, day: str, raw: dict[str, Any]) -> dict[str, Any]:
    """One JSON Feed item for a NewsAPI article."""
    title = " ".join(str(raw["title"]).split())
    source = str((raw.get("source") or {}).get("name") or "")
    google = "news.google.com" in raw["url"]
    item: dict[str, Any] = {
        "id": f"{day}-{number:03d}",
        "url": (google_target(raw["url"]) if google else "") or raw["url"],
    }
    match = _SUFFIX.search(title)
    if match:
        title = title[: match.start()].strip()
        if google or source == "Google News":
            source = match.group(1).strip()
    item["title"] = title
    description = " ".join(str(raw.get("description") or "").split())
    if description:
        item["summary"] = description
    item["date_published"] = raw["publishedAt"]
    if "news.google.com" in item["url"]:
        # The link tells nothing of the outlet: say it, as Google News' <source> does.
        item["_digest"] = {"publisher": source}
    item["_newsapi"] = {"source": source, "edition": raw["edition"]}
    return item


def main(argv: list[str]) -> int:
    """Write the feeds for the days named on the command line."""
    out = OUT
    if argv[:1] == ["--out"] and len(argv) > 1:
        out, argv = Path(argv[1]), argv[2:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    repo, days = Path(argv[0]), argv[1:]
    everything = items(repo)
    out.mkdir(parents=True, exist_ok=True)
    head = git(repo, "rev-parse", "gh-pages").decode().strip()
    for day in days:
        chosen = sorted(
            (r for r in everything.values() if str(r["publishedAt"]).startswith(day)),
            key=lambda r: (r["publishedAt"], r["url"]),
        )
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Top headlines (newsapi.org via Ostabo/news-api)",
            "home_page_url": "https://ostabo.github.io/news-api/",
            "_source": {"repository": "Ostabo/news-api", "commit": head},
            "items": [feed_item(n + 1, day, r) for n, r in enumerate(chosen)],
        }
        path = out / f"day-{day}.feed.json"
        text = json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
        path.write_text(text, "utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        print(f"{path.name}: {len(chosen)} items, sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
