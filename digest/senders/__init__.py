"""Senders, found by name in the ``digest.senders`` entry-point group.

The built-in senders are registered in ``pyproject.toml`` exactly as a third-party
package registers its own::

    [project.entry-points."digest.senders"]
    file = "digest.senders.file:FileSender"
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .base import Limits, Outgoing, Recipient, Sender, SenderFactory, hooks

GROUP = "digest.senders"


def available() -> dict[str, str]:
    """Registered sender types and where each comes from (``module:Class``)."""
    return {ep.name: ep.value for ep in entry_points(group=GROUP)}


def load_factory(type_name: str) -> SenderFactory:
    """The class registered as ``type_name``.

    A ``type`` of the form ``package.module:Class`` names a sender class directly,
    for a newsroom's own sender that is not packaged as a plugin.
    Raises :class:`ConfigError` naming the unknown type and the known ones.
    """
    if ":" in type_name:
        try:
            direct: SenderFactory = EntryPoint(type_name, type_name, GROUP).load()
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"sender type {type_name!r} cannot be loaded ({exc})") from None
        return direct
    found = [ep for ep in entry_points(group=GROUP) if ep.name == type_name]
    if not found:
        known = ", ".join(sorted(available())) or "none"
        raise ConfigError(f"unknown sender type {type_name!r} (known: {known})")
    factory: SenderFactory = found[0].load()
    return factory


def build_sender(name: str, type_name: str, options: Mapping[str, Any], base_dir: Path) -> Sender:
    """Build the sender configured as ``[senders.NAME]``."""
    return load_factory(type_name)(name, options, base_dir=base_dir)


__all__ = [
    "GROUP",
    "Limits",
    "Outgoing",
    "Recipient",
    "Sender",
    "available",
    "build_sender",
    "hooks",
    "load_factory",
]
