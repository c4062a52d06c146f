"""Setting patterns (``render.subject``, ``render.preheader``, the link settings)
filled with their named fields, checked so that a config mistake names its setting."""

from __future__ import annotations

import string
from typing import Any

from ..errors import ConfigError


def fill_link(setting: str, pattern: str, site_url: str, edition_id: str = "") -> str:
    """A link pattern (``render.view_online_url``, ``render.unsubscribe_url``) filled
    with ``site_url`` and ``edition_id``.

    Raises :class:`ConfigError` naming the setting when the pattern cannot be filled;
    senders fill these links before any renderer is built, so they must not meet a
    stray brace as a bare ``ValueError``.
    """
    fields = {"site_url": site_url.rstrip("/"), "edition_id": edition_id}
    return format_pattern(setting, pattern, fields)


def format_pattern(setting: str, pattern: str, fields: dict[str, Any]) -> str:
    """``pattern`` (the ``render.<setting>`` value) with ``fields`` filled in.

    Raises :class:`ConfigError` naming the setting for an unknown field, a stray
    brace or an attribute lookup such as ``{lead.upper}``.
    """
    known = ", ".join("{" + f + "}" for f in fields)
    try:
        # Only plain fields: a format spec ("{lead:>99999999999}") can ask for any
        # amount of memory, and an attribute or index ("{lead.__class__}") reaches
        # into Python objects.
        for _, name, spec, conversion in string.Formatter().parse(pattern):
            if name is not None and (name not in fields or spec or conversion):
                shown = "{" + name + (f"!{conversion}" if conversion else "")
                shown += (f":{spec}" if spec else "") + "}"
                raise ValueError(f"{shown} is not one of the fields")
        return pattern.format(**fields)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        problem = f"render.{setting}: bad pattern {pattern!r} ({exc}); use {known}"
        raise ConfigError(problem) from None


__all__ = ["fill_link", "format_pattern"]
