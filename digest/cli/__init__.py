"""The ``digest`` command line: one verb per use, thin over :mod:`digest.edition`.

Exit codes: 0 success; 1 a run-time failure (a source, template or sender
failed); 2 a usage or configuration mistake; 3 the edition was held back
(not enough news).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console

from ..edition import Digest, make_digest
from ..errors import ConfigError, DigestError

EXIT_HELD = 3
#: The years ``--as-of`` accepts.
AS_OF_YEARS = (1900, 9000)


class App:
    """What every verb shares: the config path and, once needed, the application."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self._digest: Digest | None = None
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False)

    @property
    def digest(self) -> Digest:
        """The application, built from the config on first use."""
        if self._digest is None:
            self._digest = make_digest(config_path=self.config_path)
        return self._digest

    def as_of(self, value: str | None) -> datetime:
        """Parse ``--as-of`` (ISO 8601; no offset means the digest's time zone)."""
        if value is None or value == "now":
            return datetime.now(UTC)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not ISO 8601 (e.g. 2020-11-23T10:00+05:30)", param_hint="--as-of"
            ) from None
        # Far from the calendar's ends, so the news window before it and the time
        # zones around it stay valid dates.
        if not AS_OF_YEARS[0] <= moment.year <= AS_OF_YEARS[1]:
            raise click.BadParameter(
                f"{value!r} is out of range (years {AS_OF_YEARS[0]} to {AS_OF_YEARS[1]})",
                param_hint="--as-of",
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(self.digest.config.digest.timezone))
        return moment.astimezone(UTC)


class DigestGroup(click.Group):
    """A group that turns expected errors into one-line messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the verb; a :class:`DigestError` becomes ``error: ...`` and its exit code."""
        try:
            return super().invoke(ctx)
        except DigestError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


pass_app = click.make_pass_decorator(App)

as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="ISO8601",
    help="The edition's moment, e.g. 2020-11-23T10:00+05:30 (default: now).",
)


@click.group(cls=DigestGroup)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("config.toml"),
    show_default=True,
    help="The configuration file.",
)
@click.version_option(package_name="digest")
@click.pass_context
def main(ctx: click.Context, config_path: Path) -> None:
    """Build and send a daily digest of a publisher's top World News stories."""
    ctx.obj = App(config_path)


def _register() -> None:
    from . import ingest, output, push, run, schedule, setup, subscribers, web

    for module in (ingest, output, run, schedule, setup, subscribers, web, push):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

__all__ = ["EXIT_HELD", "App", "ConfigError", "as_of_option", "main", "pass_app"]
