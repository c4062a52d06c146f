"""Localised dates and labels for the renditions.

A locale is a TOML file, ``locales/<language>.toml``, in the templates folder; a
user's template folder may hold its own.  Files are laid over each other key by
key: English defaults, then the user's English, then the language's defaults, then
the user's file for it.  So a user file need only hold what it changes, and a
partial translation still renders (a missing label reads in English).  Month and day
names are data, not the machine's C library locale, so output is the same on
every machine.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError, RenderError

BASE_LANGUAGE = "en"
_DIRECTIVE = re.compile(r"%(-?)([a-zA-Z%])")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Locale:
    """Names and labels for one language.  ``days`` start on Monday."""

    language: str
    months: tuple[str, ...]
    months_short: tuple[str, ...]
    days: tuple[str, ...]
    days_short: tuple[str, ...]
    date_format: str
    time_format: str
    labels: Mapping[str, str]
    fonts: Mapping[str, str]

    def format(self, moment: datetime, pattern: str) -> str:
        """``moment`` formatted with strftime-style ``pattern``.

        ``%A %a %B %b`` use this locale's names; ``%-d``, ``%-m``, ``%-H`` drop
        the leading zero on any platform; other directives are strftime's.
        """

        def one(match: re.Match[str]) -> str:
            strip, code = match.group(1), match.group(2)
            named = {
                "A": self.days[moment.weekday()],
                "a": self.days_short[moment.weekday()],
                "B": self.months[moment.month - 1],
                "b": self.months_short[moment.month - 1],
            }
            if code in named:
                return named[code]
            value = moment.strftime("%" + code)
            return (value.lstrip("0") or "0") if strip else value

        return _DIRECTIVE.sub(one, pattern)

    def date(self, moment: datetime) -> str:
        """The edition-date label (``Monday, 23 November 2020``)."""
        return self.format(moment, self.date_format)

    def time(self, moment: datetime) -> str:
        """A story's short time label with its zone (``23 Nov, 08:55 IST``)."""
        return self.format(moment, self.time_format)

    def label(self, key: str, **values: Any) -> str:
        """The label ``key`` with ``{name}`` fields filled in."""
        try:
            return self.labels[key].format(**values)
        except KeyError as exc:
            raise RenderError(f"locale {self.language}: label {key!r} needs {exc}") from None
        except (IndexError, ValueError, AttributeError) as exc:  # "{0}", a lone "{", "{x.y}"
            known = ", ".join("{" + name + "}" for name in values) or "no fields"
            raise RenderError(
                f"locale {self.language}: label {key!r} is not a valid pattern ({exc}); "
                f"it may use {known}"
            ) from None

    def count(self, count: int) -> str:
        """``1 story`` / ``12 stories`` in this language."""
        return self.label("story_one" if count == 1 else "story_other", count=count)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RenderError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"{path}: cannot read locale file ({exc})") from None


def _layers(language: str, folders: Sequence[Path]) -> list[Path]:
    """The ``locales/<language>.toml`` files in ``folders``, defaults first."""
    found = (folder / "locales" / f"{language}.toml" for folder in reversed(folders))
    return [path for path in found if path.is_file()]


def _names(data: dict[str, Any], key: str, size: int, origin: str) -> tuple[str, ...]:
    value = data.get("names", {}).get(key)
    if (
        not isinstance(value, list)
        or len(value) != size
        or not all(isinstance(v, str) and v for v in value)
    ):
        raise RenderError(f"{origin}: names.{key} must be a list of {size} non-empty strings")
    return tuple(value)


def load_locale(
    language: str, folders: Sequence[Path], *, setting: str = "render.language"
) -> Locale:
    """The locale for ``language`` from the first of ``folders`` that has it,
    laid over English.

    Raises :class:`RenderError` naming the file for invalid TOML or a bad value,
    and :class:`ConfigError` naming ``setting`` (the key the language came from)
    for a malformed code or one no folder has a file for.
    """
    if not _LANGUAGE.match(language):
        raise ConfigError(f"{setting}: {language!r} is not a language code like 'en'")
    data: dict[str, Any] = {}
    origin = ""
    codes = dict.fromkeys([BASE_LANGUAGE, language.replace("_", "-").split("-")[0], language])
    for code in codes:
        layers = _layers(code, folders)
        if not layers and code == BASE_LANGUAGE:
            raise RenderError(f"no locales/{BASE_LANGUAGE}.toml in {', '.join(map(str, folders))}")
        if not layers and code == language:
            shipped = sorted({p.stem for f in folders for p in f.glob("locales/*.toml")})
            raise ConfigError(
                f"{setting}: no locale file locales/{language}.toml "
                f"(available: {', '.join(shipped)})"
            )
        for path in layers:
            overlay = _read(path)
            origin = str(path)
            for table in ("names", "formats", "labels", "fonts"):
                layer = overlay.get(table, {})
                if not isinstance(layer, dict):
                    raise RenderError(f"{path}: [{table}] must be a table")
                if table == "labels" and "greeting" in layer:
                    # A greeting set without its time-of-day variants holds all day
                    # (not an earlier layer's variant, perhaps in another language).
                    layer = {key: layer["greeting"] for key in GREETINGS} | layer
                data[table] = {**data.get(table, {}), **layer}
    formats = data.get("formats", {})
    labels = {str(k): str(v) for k, v in data.get("labels", {}).items()}
    return Locale(
        language=language,
        months=_names(data, "months", 12, origin),
        months_short=_names(data, "months_short", 12, origin),
        days=_names(data, "days", 7, origin),
        days_short=_names(data, "days_short", 7, origin),
        date_format=str(formats.get("date", "%A, %-d %B %Y")),
        time_format=str(formats.get("time", "%-d %b, %H:%M %Z")),
        labels=labels,
        fonts={str(k): str(v) for k, v in data.get("fonts", {}).items()},
    )


#: The greeting labels by the edition's local hour they start at (latest first).
GREETINGS = {"greeting_evening": 17, "greeting_afternoon": 12, "greeting": 0}


def greeting(labels: Mapping[str, str], hour: int) -> str:
    """The greeting for an edition at local ``hour``: ``greeting`` in the morning,
    ``greeting_afternoon`` from 12:00, ``greeting_evening`` from 17:00."""
    key = next(key for key, start in GREETINGS.items() if hour >= start)
    return labels.get(key) or labels.get("greeting", "")


__all__ = ["BASE_LANGUAGE", "GREETINGS", "Locale", "greeting", "load_locale"]
