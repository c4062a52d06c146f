"""Pictures sized for the email: fetched once, resized and recompressed with Pillow.

News sites publish lead pictures 1,200–3,000 px wide; the email shows them at 552 px
(the top story; less on a phone) and 176 px (the others, on every screen).  With
``[render.images] base_url`` set, each picture is fetched, turned upright (EXIF),
resized to ``density`` times the widest size it is shown at, and recompressed (JPEG,
or PNG when it has transparency), without its metadata.  The file is named after
its source and settings (``<20 hex>.jpg``), so the same picture gets the same name
in every edition, and kept in ``[render.images] folder``; the email links
``base_url/<name>``, and ``digest export`` and the ``file`` sender write
the files into ``images/`` beside the email, for the publisher to put at
``base_url``.

Without ``base_url`` (or when a picture cannot be fetched or read) the original
address stays.  Either way the ``<img>`` gets integer ``width`` (and ``height`` when
the picture's shape is known), as Outlook sizes pictures from the attributes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from PIL import Image, ImageOps, UnidentifiedImageError

from ..model import RenderedImage

log = logging.getLogger(__name__)

#: Where the email shows a picture: its ``width`` attribute (the desktop layout)
#: and the widest it is ever shown at, both in CSS pixels (``templates/email.mjml.j2``
#: caps each picture at its ``width`` with ``max-width``).
SLOTS = {"lead": (552, 552), "story": (176, 176)}
#: Pictures larger than this are refused (Pillow's decompression-bomb guard).
MAX_PIXELS = 40_000_000
_VERSION = "1"  # bump when the output for the same settings changes

Fetch = Callable[[str], bytes]


class ImageError(Exception):
    """A picture could not be fetched or read; the original address is kept."""


@dataclass(frozen=True, slots=True)
class Shown:
    """How one picture appears in the email."""

    url: str
    width: int
    height: int | None


def http_fetch(timeout: float, max_bytes: int, user_agent: str) -> Fetch:
    """A fetcher for http(s) pictures with a time and size limit."""

    def fetch(url: str) -> bytes:
        try:
            with httpx.stream(
                "GET", url, timeout=timeout, follow_redirects=True,
                headers={"User-Agent": user_agent},
            ) as response:  # fmt: skip
                response.raise_for_status()
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise ImageError(f"{url}: over {max_bytes} bytes")
                return bytes(data)
        except httpx.HTTPError as exc:
            raise ImageError(f"{url}: {exc}") from None

    return fetch


class Pictures:
    """Resized copies of the edition's pictures, in ``folder``, linked from ``base_url``."""

    def __init__(
        self, base_url: str, folder: Path, fetch: Fetch, *, density: int = 2, quality: int = 80
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.folder = folder
        self.fetch = fetch
        self.density = density
        self.quality = quality
        self._failed: dict[str, str] = {}

    def name(self, url: str, width: int) -> str:
        """The stable file name (without extension) of ``url`` at ``width`` pixels."""
        key = f"{_VERSION}\0{url}\0{width}\0{self.quality}".encode()
        return hashlib.sha256(key).hexdigest()[:20]

    def show(self, url: str, slot: str) -> tuple[Shown, RenderedImage | None]:
        """How the picture at ``url`` is shown in ``slot`` (``lead`` or ``story``),
        and the resized file it links to (``None``: the original is kept)."""
        width, widest = SLOTS[slot]
        target = widest * self.density
        stem = self.name(url, target)
        image = self._cached(stem) or self._make(url, stem, target)
        if image is None:
            return Shown(url, width, None), None
        shown_width = min(width, image.width)
        height = max(1, round(shown_width * image.height / image.width))
        return Shown(f"{self.base_url}/{image.name}", shown_width, height), image

    def _cached(self, stem: str) -> RenderedImage | None:
        for suffix, media_type in ((".jpg", "image/jpeg"), (".png", "image/png")):
            path = self.folder / (stem + suffix)
            if path.is_file():
                try:
                    with Image.open(path) as picture:
                        width, height = picture.size
                except (OSError, UnidentifiedImageError):
                    return None
                return RenderedImage(path.name, str(path), media_type, width, height)
        return None

    def _make(self, url: str, stem: str, target: int) -> RenderedImage | None:
        if url in self._failed:
            return None
        try:
            data = self.fetch(url)
            content, suffix, media_type, size = resize(data, target, self.quality)
        except ImageError as exc:
            self._failed[url] = str(exc)
            log.warning("picture kept as it is: %s", exc)
            return None
        path = self.folder / (stem + suffix)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(content)
            partial.replace(path)
        except OSError as exc:
            self._failed[url] = str(exc)
            log.warning("picture kept as it is: %s: cannot write (%s)", path, exc.strerror)
            return None
        return RenderedImage(path.name, str(path), media_type, *size)


def resize(data: bytes, width: int, quality: int) -> tuple[bytes, str, str, tuple[int, int]]:
    """``data`` (any format Pillow reads) upright, at most ``width`` pixels wide
    (never enlarged), recompressed without metadata: ``(bytes, suffix, media
    type, (width, height))``.  Raises :class:`ImageError` for what is not a
    picture or is too large to open safely."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise ImageError(f"{opened.width}x{opened.height} pixels is too large")
                picture = ImageOps.exif_transpose(opened)
                picture.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, Warning) as exc:
        raise ImageError(f"not a picture Pillow can read ({exc})") from None
    if picture.width > width:
        height = max(1, round(picture.height * width / picture.width))
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    if transparent:
        picture.convert("RGBA").save(out, "PNG", optimize=True)
        suffix, media_type = ".png", "image/png"
    else:
        picture.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        suffix, media_type = ".jpg", "image/jpeg"
    return out.getvalue(), suffix, media_type, picture.size


__all__ = ["SLOTS", "ImageError", "Pictures", "Shown", "http_fetch", "resize"]
