"""Sources: turn files, folders, globs and URLs into articles.

:func:`read_sources` yields one :class:`~digest.model.SourceResult` per input file
or URL.  A source that fails is reported in its result's ``error`` and the batch
goes on; nothing good is lost because something else was bad.
"""

from __future__ import annotations

import dataclasses
import glob
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import SourceError
from ..model import Article, Skipped, SourceResult
from .base import Boilerplate, Reader, ReadOptions
from .bounds import oversize
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
    ".txt": "page", ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
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


#: Looks up the ETag and Last-Modified remembered for a URL (``("", "")`` if none).
ValidatorLookup = Callable[[str], tuple[str, str]]


def read_file(location: str, max_bytes: int) -> bytes:
    """The bytes of a local file, refusing (before reading) one over ``max_bytes``.

    Raises :class:`SourceError` for an oversized file, :class:`OSError` if unreadable.
    """
    path = Path(location)
    if path.stat().st_size > max_bytes:
        raise SourceError(location, f"larger than the {max_bytes:,}-byte limit (not read)")
    with path.open("rb") as handle:
        # Read at most one byte past the cap: a file that grew since stat() is
        # still refused without being read whole.
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(location, f"larger than the {max_bytes:,}-byte limit (not read)")
    return data


def bounded(result: SourceResult) -> SourceResult:
    """``result`` with every article over a field bound moved to ``skipped`` with
    its reason (see :mod:`digest.sources.bounds`)."""
    kept: list[Article] = []
    skipped = list(result.skipped)
    for article in result.articles:
        if reason := oversize(article):
            item = article.url if len(article.url) <= 200 else article.url[:200] + "…"
            skipped.append(Skipped(result.source, item, reason))
        else:
            kept.append(article)
    if len(kept) == len(result.articles):
        return result
    return dataclasses.replace(result, articles=tuple(kept), skipped=tuple(skipped))


def read_one(
    location: str,
    kind: str,
    options: ReadOptions,
    limits: FetchLimits,
    validators: ValidatorLookup | None = None,
) -> SourceResult:
    """Read one file or URL.  Never raises for bad input: the failure is reported
    in the result's ``error``; an article with a field over its bound is skipped
    with the reason.

    With ``validators`` a URL is fetched conditionally; an unchanged one gives a
    result with ``not_modified`` set and no articles.
    """
    return bounded(_read_one(location, kind, options, limits, validators))


def _read_one(
    location: str,
    kind: str,
    options: ReadOptions,
    limits: FetchLimits,
    validators: ValidatorLookup | None = None,
) -> SourceResult:
    try:
        if location.startswith(("http://", "https://")):
            etag, last_modified = validators(location) if validators else ("", "")
            if options.allow_networks:
                allowed = limits.allow_networks + options.allow_networks
                limits = dataclasses.replace(limits, allow_networks=allowed)
            fetched = fetch(location, limits, etag=etag, last_modified=last_modified)
            if fetched.not_modified:
                return SourceResult(
                    location, not_modified=True, etag=etag, last_modified=last_modified
                )
            options = dataclasses.replace(
                options,
                content_type=fetched.content_type,
                reference_time=options.reference_time or options.clock(),
            )
            chosen = kind
            if kind == "auto":
                chosen = detect_kind(location, fetched.content, fetched.content_type)
            result = READERS[chosen](fetched.content, options)
            return dataclasses.replace(
                result, etag=fetched.etag, last_modified=fetched.last_modified
            )
        data = read_file(location, limits.max_bytes)
        if options.reference_time is None:
            # A saved page's "2 hours ago" counts back from when it was saved.
            saved = datetime.fromtimestamp(Path(location).stat().st_mtime, UTC)
            options = dataclasses.replace(options, reference_time=saved)
        chosen = kind if kind != "auto" else detect_kind(location, data)
        return READERS[chosen](data, options)
    except SourceError as exc:
        return SourceResult(location, error=exc.reason)
    except OSError as exc:
        return SourceResult(location, error=f"cannot read ({exc.strerror or exc})")
    except RecursionError:
        return SourceResult(location, error="nested too deeply to read")
    except Exception as exc:  # a parser's own bug on odd input must not stop the batch
        return SourceResult(location, error=f"cannot parse ({type(exc).__name__}: {exc})")


@dataclass(frozen=True, slots=True)
class Planned:
    """One file or URL to read, or a source that stands for none (``error``)."""

    location: str
    kind: str
    options: ReadOptions
    error: str = ""


def plan(specs: Iterable[SourceSpec], *, base_dir: Path) -> list[Planned]:
    """Every file or URL the sources stand for, in order, each with its read options.

    A source that matches nothing is kept with its ``error`` so it gets reported.
    """
    planned: list[Planned] = []
    for spec in specs:
        base = spec.options or ReadOptions(source=spec.location)
        try:
            found = expand(spec, base_dir)
        except SourceError as exc:
            planned.append(Planned(spec.location, spec.kind, base, exc.reason))
            continue
        planned += [Planned(loc, spec.kind, dataclasses.replace(base, source=loc)) for loc in found]
    return planned


def read_planned(
    item: Planned, limits: FetchLimits, validators: ValidatorLookup | None = None
) -> SourceResult:
    """Read one planned file or URL (see :func:`read_one`)."""
    if item.error:
        return SourceResult(item.location, error=item.error)
    return read_one(item.location, item.kind, item.options, limits, validators)


def read_sources(
    specs: Iterable[SourceSpec],
    *,
    base_dir: Path,
    limits: FetchLimits,
    validators: ValidatorLookup | None = None,
) -> Iterator[SourceResult]:
    """Read every source, yielding one result per file or URL, failures included."""
    for item in plan(specs, base_dir=base_dir):
        yield read_planned(item, limits, validators)


__all__ = [
    "READERS",
    "Boilerplate",
    "FetchLimits",
    "Planned",
    "ReadOptions",
    "Reader",
    "SourceSpec",
    "ValidatorLookup",
    "detect_kind",
    "expand",
    "plan",
    "read_file",
    "read_one",
    "read_planned",
    "read_sources",
]
