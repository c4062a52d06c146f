"""The ready-to-send file set of one edition.

Written by ``digest export`` and by the ``file`` sender.  Output is deterministic:
the same edition gives byte-identical files (sorted keys, no write timestamps).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .model import Edition, Renditions, to_plain

FORMATS = ("email.html", "email.txt", "push.json", "whatsapp.txt", "edition.json")


def edition_document(edition: Edition) -> dict[str, Any]:
    """The edition as plain data: its picks (article fields, score, reasons) and
    what was left out and why."""
    return {
        "id": edition.id,
        "as_of": edition.as_of.isoformat(),
        "timezone": edition.timezone,
        "window_start": edition.window_start.isoformat() if edition.window_start else None,
        "picks": [
            {
                "rank": rank,
                "score": pick.score,
                "reasons": list(pick.reasons),
                "headline": pick.title,
                "also_reported_by": list(pick.also_reported_by),
                "article": to_plain(pick.article),
            }
            for rank, pick in enumerate(edition.picks, 1)
        ],
        "rejections": [
            {"id": r.article.id, "title": r.article.title, "reason": r.reason, "score": r.score}
            for r in edition.rejections
        ],
    }


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def export_files(edition: Edition, renditions: Renditions) -> dict[str, bytes]:
    """Every export file's name and exact bytes."""
    push = renditions.push
    return {
        "email.html": renditions.email.html.encode(),
        "email.txt": renditions.email.text.encode(),
        "push.json": _json(
            {"title": push.title, "body": push.body, "url": push.url, "image": push.image}
        ),
        "whatsapp.txt": (renditions.whatsapp.text + "\n").encode(),
        "edition.json": _json(
            {
                **edition_document(edition),
                "email": {
                    "subject": renditions.email.subject,
                    "preheader": renditions.email.preheader,
                },
            }
        ),
    }


def write_export(
    folder: Path, edition: Edition, renditions: Renditions, formats: tuple[str, ...] = FORMATS
) -> dict[str, Path]:
    """Write the chosen files into ``folder`` (created if needed) plus a
    ``manifest.json`` of their sizes and SHA-256 sums; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    manifest: dict[str, Any] = {"edition": edition.id, "files": {}}
    for name, content in export_files(edition, renditions).items():
        if name not in formats:
            continue
        path = folder / name
        path.write_bytes(content)
        written[name] = path
        manifest["files"][name] = {
            "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    (folder / "manifest.json").write_bytes(_json(manifest))
    written["manifest.json"] = folder / "manifest.json"
    return written
