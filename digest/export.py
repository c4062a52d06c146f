"""The ready-to-send file set of one edition.

Written by ``digest export`` and by the ``file`` sender.  Output is deterministic:
the same edition gives byte-identical files (sorted keys, no write timestamps).
Even ``email.eml`` takes its ``Date`` from the edition's moment and its
``Message-ID`` and MIME boundary from a hash of its content, never from the clock
or a random number, so a re-export can be compared byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .codec import article_to_plain
from .message import email_message
from .model import Edition, Renditions, to_plain

FORMATS = (
    "email.html", "email.txt", "email.eml", "push.json", "whatsapp.txt", "edition.json",
)  # fmt: skip
MANIFEST = "manifest.json"
#: The folder of resized pictures beside the email (see digest.render.images).
IMAGES = "images"
#: ``To`` of an exported message: a valid empty group, for the sending tool to replace.
UNDISCLOSED = "undisclosed-recipients:;"

_MEDIA_TYPES = {
    "email.html": "text/html; charset=utf-8",
    "email.txt": "text/plain; charset=utf-8",
    "email.eml": "message/rfc822",
    "push.json": "application/json",
    "whatsapp.txt": "text/plain; charset=utf-8",
    "edition.json": "application/json",
}


@dataclass(frozen=True, slots=True)
class Addresses:
    """Who an exported ``email.eml`` is from and to (``"Name" <addr>`` or a group)."""

    sender: str
    to: str = UNDISCLOSED


def default_addresses(name: str, site_url: str) -> Addresses:
    """``"<name>" <digest@<site's domain>>`` to undisclosed recipients."""
    host = urlsplit(site_url).hostname or "example.com"
    domain = host.removeprefix("www.")
    quoted = name.replace("\\", "").replace('"', "")
    return Addresses(sender=f'"{quoted}" <digest@{domain}>')


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
                "outlet": pick.outlet,
                "also_reported_by": list(pick.also_reported_by),
                "cap_lifted": pick.cap_lifted.value if pick.cap_lifted else None,
                "article": article_to_plain(pick.article),
            }
            for rank, pick in enumerate(edition.picks, 1)
        ],
        "rejections": [
            {
                "id": r.article.id,
                "title": r.article.title,
                "kind": r.kind.value if r.kind else None,
                "reason": r.reason,
                "score": r.score,
            }
            for r in edition.rejections
        ],
    }


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _domain(address: str) -> str:
    tail = address.rsplit("@", 1)[-1]
    return tail.strip(" >;") or "digest.invalid"


def eml_bytes(edition: Edition, renditions: Renditions, addresses: Addresses) -> bytes:
    """The email as a complete MIME message (CRLF line ends), the same bytes for the
    same edition: ``Date`` is the edition's moment in its own time zone, and the
    ``Message-ID`` and boundary come from a hash of the content.

    Raises :class:`~digest.errors.RenderError` for an unusable address.
    """
    email = renditions.email
    digest = hashlib.sha256()
    for part in (edition.id, addresses.sender, addresses.to, email.subject, email.text, email.html):
        digest.update(part.encode())
        digest.update(b"\0")
    token = digest.hexdigest()
    message = email_message(
        email,
        sender=addresses.sender,
        to=addresses.to,
        date=edition.as_of.astimezone(ZoneInfo(edition.timezone)),
        message_id=f"<{edition.id}.{token[:20]}@{_domain(addresses.sender)}>",
    )
    message.set_boundary(f"=_digest_{token[:32]}")
    return message.as_bytes()


def export_files(
    edition: Edition, renditions: Renditions, addresses: Addresses | None = None
) -> dict[str, bytes]:
    """Every export file's name and exact bytes.

    ``addresses`` are for ``email.eml``; by default the message is from
    ``digest@<site domain>`` to undisclosed recipients.
    """
    return {
        "email.html": renditions.email.html.encode(),
        "email.txt": renditions.email.text.encode(),
        "email.eml": eml_bytes(
            edition, renditions, addresses or Addresses(sender='"digest" <digest@digest.invalid>')
        ),
        "push.json": _json(to_plain(renditions.push)),
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
    folder: Path,
    edition: Edition,
    renditions: Renditions,
    formats: tuple[str, ...] = FORMATS,
    addresses: Addresses | None = None,
) -> dict[str, Path]:
    """Write the chosen files into ``folder`` (created if needed), the resized
    pictures the email links to (``images/<name>``, with the email), and a
    ``manifest.json`` of their sizes, media types and SHA-256 sums; returns what was
    written, manifest last.

    All or nothing: every file is first written whole beside its final name and
    flushed to disk, then each is renamed into place, the manifest last, so a full
    or failing disk never leaves a cut-off file or a set without its manifest (the
    files of an earlier export stay as they were).  Raises :class:`OSError` if the
    folder cannot be written (see :func:`digest.errors.is_transient`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"edition": edition.id, "files": {}}
    contents: dict[str, bytes] = {}
    for name, content in export_files(edition, renditions, addresses).items():
        if name not in formats:
            continue
        contents[name] = content
        manifest["files"][name] = {
            "bytes": len(content),
            "media_type": _MEDIA_TYPES[name],
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    if {"email.html", "email.eml"} & set(formats):
        # The resized pictures the email links to, under [render.images] base_url.
        for image in renditions.images:
            content = Path(image.path).read_bytes()
            name = f"{IMAGES}/{image.name}"
            contents[name] = content
            manifest["files"][name] = {
                "bytes": len(content),
                "media_type": image.media_type,
                "sha256": hashlib.sha256(content).hexdigest(),
            }
    contents[MANIFEST] = _json(manifest)
    staged: dict[str, Path] = {}
    try:
        for name, content in contents.items():
            final = folder / name
            final.parent.mkdir(exist_ok=True)
            staged[name] = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            write_file(staged[name], content)
        written: dict[str, Path] = {}
        for name, temporary in staged.items():
            os.replace(temporary, folder / name)
            written[name] = folder / name
        return written
    finally:
        for temporary in staged.values():
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to a new file at ``path`` and flush it to the disk.

    Raises :class:`OSError` (``ENOSPC`` for a full disk) with nothing left open.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
