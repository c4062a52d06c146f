"""Reading a sender's ``[senders.NAME]`` options, with errors that name the key.

Secrets are never options: an option ending in ``_env`` names the environment
variable that holds the secret, and only :meth:`Options.secret` reads it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError


class Options:
    """The options of one sender; every getter raises :class:`ConfigError` naming
    ``senders.NAME.KEY`` and what is wrong with the value."""

    def __init__(self, name: str, options: Mapping[str, Any], known: set[str]) -> None:
        self.name = name
        self._options = options
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConfigError(f"senders.{name}.{unknown[0]}: is not a known setting")

    def _key(self, key: str) -> str:
        return f"senders.{self.name}.{key}"

    def text(self, key: str, default: str | None = None) -> str:
        """A string option; required when ``default`` is ``None``."""
        value = self._options.get(key, default)
        if value is None:
            raise ConfigError(f"{self._key(key)}: is required")
        if not isinstance(value, str):
            raise ConfigError(f"{self._key(key)}: must be a string, got {value!r}")
        return value

    def url(self, key: str, default: str | None = None) -> str:
        """An http(s) URL option, without a trailing slash."""
        value = self.text(key, default)
        if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
            raise ConfigError(f"{self._key(key)}: must be an http(s) URL, got {value!r}")
        return value.rstrip("/")

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        """One of ``choices``."""
        value = self.text(key, default)
        if value not in choices:
            raise ConfigError(f"{self._key(key)}: must be one of {list(choices)}, got {value!r}")
        return value

    def integer(self, key: str, default: int) -> int:
        """A positive integer option."""
        value = self._options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{self._key(key)}: must be a positive integer, got {value!r}")
        return value

    def number(self, key: str, default: float) -> float:
        """A positive number option."""
        value = self._options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{self._key(key)}: must be a positive number, got {value!r}")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        """A true/false option."""
        value = self._options.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{self._key(key)}: must be true or false, got {value!r}")
        return value

    def strings(self, key: str, default: list[str] | None = None) -> list[str]:
        """A list of non-empty strings; required when ``default`` is ``None``."""
        value = self._options.get(key, default)
        if value is None:
            raise ConfigError(f"{self._key(key)}: is required")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{self._key(key)}: must be a list of strings, got {value!r}")
        return list(value)

    def secret(self, key: str, *, required: bool = True) -> str:
        """The secret held by the environment variable named in option ``key``.

        The error names the option and the variable, never a value.
        """
        variable = self._options.get(key)
        if variable is None:
            if required:
                raise ConfigError(
                    f"{self._key(key)}: is required (the name of the environment variable "
                    "holding the secret)"
                )
            return ""
        if not isinstance(variable, str) or not variable:
            raise ConfigError(f"{self._key(key)}: must name an environment variable")
        value = os.environ.get(variable)
        if not value:
            raise ConfigError(f"{self._key(key)}: environment variable {variable} is not set")
        return value
