"""Sources: turn files, folders, globs and URLs into articles.

:func:`read_sources` yields one :class:`~digest.model.SourceResult` per input file
or URL.  A source that fails is reported in its result's ``error`` and the batch
goes on; nothing good is lost because something else was bad.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..model import SourceResult
from .base import Boilerplate, Reader, ReadOptions
from .feeds import read_feed
from .fetch import FetchLimits, fetch
from .htmlpage import read_html
from .jsonfeed import read_json
from .pages import read_page

READERS: dict[str, Reader] = {
    "page": read_page,
    "feed": read_feed,
    "json": read_json,
    "html": read_html,
}

_SUFFIX_KINDS = {
    ".txt": "page", ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".json": "json", ".html": "html", ".htm": "html",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One configured or command-line source and how to read it."""

    location: str
    kind: str = "auto"
    options: ReadOptions | None = None


def expand(spec: SourceSpec, base_dir: Path) -> list[str]:
    """The files or URLs one source stands for: a folder's files, a glob's matches.

    Raises :class:`SourceError` if a path matches nothing.
    """
    location = spec.location
    if location.startswith(("http://", "https://")):
        return [location]
    path = Path(location).expanduser()
    if not path.is_absolute():
        path = base_dir / path
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        return [str(p) for p in files if spec.kind != "auto" or p.suffix.lower() in _SUFFIX_KINDS]
    if any(ch in location for ch in "*?["):
        matches = sorted(glob.glob(str(path), recursive=True))
        if not matches:
            raise SourceError(location, "pattern matches no files")
        return matches
    if not path.exists():
        raise SourceError(location, "no such file or folder")
    return [str(path)]


def detect_kind(name: str, data: bytes, content_type: str = "") -> str:
    """Guess the reader for a document from its name, content type and first bytes."""
    suffix = Path(name.split("?")[0]).suffix.lower()
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")) or "json" in content_type:
        return "json"
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<rdf" in head:
        return "feed"
    if "xml" in content_type or suffix in (".rss", ".atom"):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or "html" in content_type:
        return "html"
    return _SUFFIX_KINDS.get(suffix, "page")


def read_one(location: str, kind: str, options: ReadOptions, limits: FetchLimits) -> SourceResult:
    """Read one file or URL.  Never raises for bad input: the failure is reported
    in the result's ``error``."""
    try:
        content_type = ""
        if location.startswith(("http://", "https://")):
            fetched = fetch(location, limits)
            data, content_type = fetched.content, fetched.content_type
        else:
            path = Path(location)
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise SourceError(location, f"larger than the {limits.max_bytes:,}-byte limit")
            data = path.read_bytes()
        chosen = kind if kind != "auto" else detect_kind(location, data, content_type)
        return READERS[chosen](data, options)
    except SourceError as exc:
        return SourceResult(location, error=exc.reason)
    except OSError as exc:
        return SourceResult(location, error=f"cannot read ({exc.strerror or exc})")


def read_sources(
    specs: Iterable[SourceSpec], *, base_dir: Path, limits: FetchLimits
) -> Iterator[SourceResult]:
    """Read every source, yielding one result per file or URL, failures included."""
    for spec in specs:
        try:
            locations = expand(spec, base_dir)
        except SourceError as exc:
            yield SourceResult(spec.location, error=exc.reason)
            continue
        for location in locations:
            base = spec.options or ReadOptions(source=location)
            options = ReadOptions(
                source=location,
                publisher=base.publisher,
                timezone=base.timezone,
                boilerplate=base.boilerplate,
                url_template=base.url_template,
            )
            yield read_one(location, spec.kind, options, limits)


__all__ = [
    "READERS",
    "Boilerplate",
    "FetchLimits",
    "ReadOptions",
    "Reader",
    "SourceSpec",
    "detect_kind",
    "expand",
    "read_one",
    "read_sources",
]
