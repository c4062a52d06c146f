"""Editorial overrides: pins, drops, replaced headlines and score boosts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..config import SelectSettings
from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class Overrides:
    """Editorial decisions for one edition: pins (id → 1-based position or
    ``None`` for "anywhere"), drops, headline replacements and score boosts."""

    pins: Mapping[str, int | None] = field(default_factory=dict)
    drops: frozenset[str] = frozenset()
    headlines: Mapping[str, str] = field(default_factory=dict)
    boosts: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        settings: SelectSettings,
        *,
        pins: Iterable[str] = (),
        drops: Iterable[str] = (),
        headlines: Iterable[str] = (),
    ) -> Overrides:
        """Merge the config's overrides with command-line ones (``ID[:POS]``,
        ``ID``, ``ID=TEXT``); the command line wins.

        Raises :class:`ConfigError` naming the setting or flag for a bad value.
        """
        pinned: dict[str, int | None] = {}
        for origin, values in (("select.pin", settings.pin), ("--pin", list(pins))):
            for value in values:
                article_id, position = parse_pin(value, origin)
                pinned[article_id] = position
        replaced = dict(settings.headlines)
        for value in headlines:
            article_id, sep, text = value.partition("=")
            if not sep or not article_id.strip() or not text.strip():
                raise ConfigError(f"--headline: expected ID=TEXT, got {value!r}")
            replaced[article_id.strip()] = text.strip()
        dropped = frozenset(settings.block) | {d.strip() for d in drops}
        return cls(pinned, dropped, replaced, dict(settings.boost))


def parse_pin(value: str, origin: str = "--pin") -> tuple[str, int | None]:
    """``"ID"`` or ``"ID:POS"`` → ``(id, position or None)``; raises ConfigError."""
    article_id, sep, position = value.strip().rpartition(":")
    if not sep:
        return value.strip(), None
    if not position.isdigit() or int(position) < 1 or not article_id:
        raise ConfigError(f"{origin}: expected ID or ID:POSITION (1 or more), got {value!r}")
    return article_id, int(position)


__all__ = ["Overrides", "parse_pin"]
