"""``digest preview --serve``: every version of one edition on one local page.

:class:`Preview` builds the page (email at phone and desktop widths, plain text,
push on a lock screen, the WhatsApp post formatted, subject and preheader, size
against Gmail's clip point, why the stories were picked) and rebuilds it when the
config or a template changes; :func:`serve` puts it on a loopback-only address.
"""

from __future__ import annotations

from .page import DESKTOP_WIDTH, PHONE_WIDTH, page_html
from .server import LOOPBACK, Preview, PreviewServer, Snapshot, loopback_host, serve
from .whatsapp import whatsapp_html

__all__ = [
    "DESKTOP_WIDTH",
    "LOOPBACK",
    "PHONE_WIDTH",
    "Preview",
    "PreviewServer",
    "Snapshot",
    "loopback_host",
    "page_html",
    "serve",
    "whatsapp_html",
]
