"""Senders, found by name in the ``digest.senders`` entry-point group.

The built-in senders are registered in ``pyproject.toml`` exactly as a third-party
package registers its own::

    [project.entry-points."digest.senders"]
    file = "digest.senders.file:FileSender"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DigestError
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
        if not _DIRECT.fullmatch(type_name):
            raise ConfigError(
                f"sender type {type_name!r} is not a registered name or package.module:Class"
            )
        try:
            direct = EntryPoint(type_name, type_name, GROUP).load()
        except Exception as exc:  # importing a module runs its code: anything can fail
            raise ConfigError(f"sender type {type_name!r} cannot be loaded ({exc})") from None
        return _sender_class(type_name, direct)
    found = [ep for ep in entry_points(group=GROUP) if ep.name == type_name]
    if not found:
        known = ", ".join(sorted(available())) or "none"
        raise ConfigError(f"unknown sender type {type_name!r} (known: {known})")
    return _sender_class(type_name, found[0].load())


#: ``package.module:Class``: dotted identifiers, then one class name.
_DIRECT = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*")


def _sender_class(type_name: str, found: object) -> SenderFactory:
    """``found`` if it is a sender class (a class with ``recipients`` and ``send``
    methods); a function such as ``os:system`` is refused before it is called."""
    methods = ("recipients", "send")
    if not isinstance(found, type) or not all(callable(getattr(found, m, None)) for m in methods):
        raise ConfigError(
            f"sender type {type_name!r} is not a sender class (one with recipients() and send())"
        )
    factory: SenderFactory = found  # type: ignore[assignment]
    return factory


def build_sender(
    name: str,
    type_name: str,
    options: Mapping[str, Any],
    base_dir: Path,
    *,
    unsubscribe_url: str = "",
) -> Sender:
    """Build the sender configured as ``[senders.NAME]``: the one place senders
    are made (the application and ``digest check`` both call it).

    ``unsubscribe_url`` is the default of an smtp or email-provider sender's option
    of that name (where ``digest serve`` answers).  Raises :class:`ConfigError` naming the
    sender's key when its type cannot be loaded (``senders.NAME.type: ...``) or its
    class does not take the options (a third-party class may raise anything; it
    is reported, not raised as it is).
    """
    try:
        factory = load_factory(type_name)
    except ConfigError as exc:
        raise ConfigError(f"senders.{name}.type: {exc}") from None
    if unsubscribe_url and (
        getattr(factory, "type_name", "") == "smtp"
        or getattr(factory, "site_unsubscribe_url", False)
    ):
        options = {"unsubscribe_url": unsubscribe_url, **options}
    try:
        return factory(name, options, base_dir=base_dir)
    except DigestError:
        raise
    except Exception as exc:
        raise ConfigError(
            f"senders.{name}: cannot be set up ({type(exc).__name__}: {exc})"
        ) from None


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
