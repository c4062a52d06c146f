"""The ``digest`` command line: one verb per use, thin over :mod:`digest.edition`.

Exit codes: 0 success; 1 a run-time failure (a source, template or sender
failed); 2 a usage or configuration mistake; 3 the edition was held back
(not enough news).
"""

from __future__ import annotations

import importlib
import sys
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from ..errors import ConfigError, DigestError

if TYPE_CHECKING:
    from rich.console import Console

    from ..edition import Digest

EXIT_HELD = 3
#: The years ``--as-of`` accepts.
AS_OF_YEARS = (1900, 9000)


class App:
    """What every verb shares: the config path and, once needed, the application."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self._digest: Digest | None = None

    @cached_property
    def out(self) -> Console:
        """The terminal for results (rich is imported on first use)."""
        from rich.console import Console

        return Console(highlight=False, soft_wrap=True)

    @cached_property
    def err(self) -> Console:
        """The terminal for messages and progress."""
        from rich.console import Console

        return Console(stderr=True, highlight=False)

    @property
    def digest(self) -> Digest:
        """The application, built from the config on first use."""
        if self._digest is None:
            from ..edition import make_digest

            self._digest = make_digest(config_path=self.config_path)
        return self._digest

    def as_of(self, value: str | None, option: str = "--as-of") -> datetime:
        """Parse ``--as-of`` (or ``option``; ISO 8601; no offset means the digest's
        time zone)."""
        if value is None or value == "now":
            return datetime.now(UTC)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not ISO 8601 (e.g. 2020-11-23T10:00+05:30)", param_hint=option
            ) from None
        # Far from the calendar's ends, so the news window before it and the time
        # zones around it stay valid dates.
        if not AS_OF_YEARS[0] <= moment.year <= AS_OF_YEARS[1]:
            raise click.BadParameter(
                f"{value!r} is out of range (years {AS_OF_YEARS[0]} to {AS_OF_YEARS[1]})",
                param_hint=option,
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(self.digest.config.digest.timezone))
        return moment.astimezone(UTC)


#: Every verb: its module in this package, the command's name there, and the first
#: line of its help (what ``digest --help`` lists without importing the verb's
#: module and everything behind it; a test checks these against the commands).
VERBS: dict[str, tuple[str, str, str]] = {
    "archive": (
        "web",
        "archive",
        "Write the archive (a page per edition sent, index, Atom and JSON Feed) as a "
        "static site; the same bytes on every run.",
    ),
    "bounces": (
        "web",
        "bounces",
        "Read delivery status notifications (RFC 3464) and complaints.",
    ),
    "check": (
        "setup",
        "check",
        "Check the config, templates and senders, and list every problem.",
    ),
    "export": (
        "output",
        "export",
        "Write the ready-to-send files of the edition into a folder.",
    ),
    "ingest": (
        "ingest",
        "ingest",
        "Read SOURCES (files, folders, globs, http(s) URLs), or the configured sources.",
    ),
    "init": (
        "setup",
        "init",
        "Write a starter config.toml and a minimal email template into FOLDER.",
    ),
    "preview": (
        "output",
        "preview",
        "Show the edition: picks, subject, texts, push and WhatsApp post.",
    ),
    "prune": (
        "run",
        "prune",
        "Delete old delivery rows and edition records, keeping per-edition totals.",
    ),
    "push": (
        "push",
        "push",
        "Web Push: the VAPID key and the browsers that subscribed.",
    ),
    "run": (
        "run",
        "run",
        "Ingest, select, render and send the edition: the daily job.",
    ),
    "schedule": (
        "schedule",
        "schedule_command",
        "Run the configured editions at their local times until SIGTERM/SIGINT.",
    ),
    "select": (
        "output",
        "select_command",
        "Show the stories the edition would carry, and with --explain why.",
    ),
    "send": (
        "run",
        "send",
        "Build the edition from the stored articles and send it (no ingest).",
    ),
    "serve": (
        "web",
        "serve",
        "Serve the archive, one-click unsubscribe, sign-up, preferences and bounce "
        "webhooks under /newsletter at [digest] site_url.",
    ),
    "status": (
        "run",
        "status",
        "Show recent runs and delivery counts per edition and sender.",
    ),
    "subscribers": (
        "subscribers",
        "subscribers",
        "Manage the email subscriber list.",
    ),
    "worker": (
        "worker",
        "worker",
        "Send queued batches of an edition ([queue]): run on any number of machines.",
    ),
}


class DigestGroup(click.Group):
    """A group that turns expected errors into one-line messages, not tracebacks,
    and imports a verb's module only when that verb runs (``digest --help`` and a
    verb's own ``--help`` stay fast: nothing heavy is imported for them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every verb, by name."""
        return sorted({*VERBS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The verb ``cmd_name``, its module imported now."""
        if cmd_name not in self.commands and cmd_name in VERBS:
            module, attribute, _ = VERBS[cmd_name]
            command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The verb list of ``--help``, from :data:`VERBS`."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [
            (n, click.Command(n, help=VERBS[n][2]).get_short_help_str(limit))
            if n in VERBS and n not in self.commands
            else (n, self.commands[n].get_short_help_str(limit))
            for n in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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


__all__ = ["EXIT_HELD", "App", "ConfigError", "as_of_option", "main", "pass_app"]
