"""Senders, found by name in the ``digest.senders`` entry-point group.

The built-in senders are registered in ``pyproject.toml`` exactly as a third-party
package registers its own::

    [project.entry-points."digest.senders"]
    file = "digest.senders.file:FileSender"
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .base import Limits, Outgoing, Sender, SenderFactory

GROUP = "digest.senders"


def available() -> dict[str, str]:
    """Registered sender types and where each comes from (``module:Class``)."""
    return {ep.name: ep.value for ep in entry_points(group=GROUP)}


def load_factory(type_name: str) -> SenderFactory:
    """The class registered as ``type_name``.

    Raises :class:`ConfigError` naming the unknown type and the known ones.
    """
    found = [ep for ep in entry_points(group=GROUP) if ep.name == type_name]
    if not found:
        known = ", ".join(sorted(available())) or "none"
        raise ConfigError(f"unknown sender type {type_name!r} (known: {known})")
    factory: SenderFactory = found[0].load()
    return factory


def build_sender(name: str, type_name: str, options: Mapping[str, Any], base_dir: Path) -> Sender:
    """Build the sender configured as ``[senders.NAME]``."""
    return load_factory(type_name)(name, options, base_dir=base_dir)


__all__ = ["GROUP", "Limits", "Outgoing", "Sender", "available", "build_sender", "load_factory"]
