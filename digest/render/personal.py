"""Recipient-specific parts, filled into the finished message.

The renderer runs MJML and CSS inlining once per edition.  Whatever differs per
recipient is left in the rendered HTML and text as a placeholder that premailer,
MJML and every mail client's preview leave alone::

    %%unsubscribe_url%%        required: no default, a sender must supply it
    %%first_name|reader%%      with a fallback, used when the value is missing or empty
    %%name|reader%%            the full display name, likewise

Names are lower-case ``[a-z0-9_]``; the fallback (written by the template, already
HTML-safe there) may not contain ``%``, ``<`` or ``>``.  :func:`personalise` fills
them with a plain substitution: values are HTML-escaped in the HTML part and
stripped of line breaks and control characters in the text part; a value whose name
ends in ``_url`` must be an http(s) URL.  Senders call it per recipient (SMTP) or
once with :func:`generic_values` (export, file sender).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from ..config import DigestSettings, RenderSettings
from ..errors import RenderError
from ..model import EmailRendition
from .links import safe_url
from .patterns import fill_link
from .text import clean_text

PLACEHOLDER = re.compile(r"%%([a-z0-9_]+)(?:\|([^%<>]*))?%%")

#: The placeholders the default templates use.
UNSUBSCRIBE_URL = "unsubscribe_url"
NAME = "name"
FIRST_NAME = "first_name"
#: Words before a given name that are not one ("Dr Asha Rao" greets Asha).
TITLES = frozenset("mr mrs ms mx miss dr prof sir dame shri smt sri kumari".split())


def first_name_of(name: str) -> str:
    """The given name in a display ``name``, for a greeting: the first word, or the
    first word after the comma of ``Family, Given``; titles (``Dr``, ``Shri``) are
    skipped.  ``""`` when there is none."""
    if "," in name:
        name = name.split(",", 1)[1]
    for word in name.split():
        if word.rstrip(".").lower() not in TITLES:
            return word
    return ""


def placeholder(name: str, fallback: str | None = None) -> str:
    """The token for ``name`` as it appears in a rendition."""
    return f"%%{name}%%" if fallback is None else f"%%{name}|{fallback}%%"


def placeholders(text: str) -> set[str]:
    """The placeholder names used in ``text``."""
    return {m.group(1) for m in PLACEHOLDER.finditer(text)}


def _fill(text: str, values: Mapping[str, str], *, as_html: bool) -> str:
    if "%%" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        value = values.get(name, "")
        if name.endswith("_url") and value:
            url = safe_url(value)
            if not url:
                # Not the value itself: a per-recipient link often carries a token.
                scheme = urlsplit(value).scheme or "none"
                raise RenderError(f"%%{name}%%: the value is not an http(s) URL (scheme {scheme})")
            value = url
        if not value:
            if fallback is None:
                raise RenderError(f"no value for the placeholder %%{name}%%")
            return fallback if as_html else html_lib.unescape(fallback)
        value = clean_text(value)
        return html_lib.escape(value, quote=True) if as_html else value

    return PLACEHOLDER.sub(one, text)


def generic_values(
    digest: DigestSettings, settings: RenderSettings, edition_id: str
) -> dict[str, str]:
    """Placeholder values for a copy addressed to nobody in particular (export,
    file sender, web archive): the configured unsubscribe page, no name.

    Raises :class:`ConfigError` naming ``render.unsubscribe_url`` when its pattern
    cannot be filled."""
    link = fill_link("unsubscribe_url", settings.unsubscribe_url, digest.site_url, edition_id)
    return {UNSUBSCRIBE_URL: safe_url(link)}


def personalise(rendition: EmailRendition, values: Mapping[str, str]) -> EmailRendition:
    """``rendition`` with every ``%%name%%`` placeholder filled from ``values``.

    Cheap (a substitution over the finished strings), so it is fine per recipient.
    Raises :class:`RenderError` for a required placeholder without a value or a
    ``*_url`` value that is not an http(s) URL.
    """
    return replace(
        rendition,
        html=_fill(rendition.html, values, as_html=True),
        text=_fill(rendition.text, values, as_html=False),
    )


__all__ = [
    "FIRST_NAME",
    "NAME",
    "PLACEHOLDER",
    "UNSUBSCRIBE_URL",
    "first_name_of",
    "generic_values",
    "personalise",
    "placeholder",
    "placeholders",
]
