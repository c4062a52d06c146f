"""``digest schedule``: the long-running process that sends each edition on time."""

from __future__ import annotations

import logging
import signal
import sys
from datetime import UTC, datetime
from types import FrameType

import click

from ..edition import make_digest
from ..scheduler import EditionScheduler
from . import App, pass_app


@click.command("schedule")
@click.option(
    "--next",
    "show_next",
    type=int,
    default=0,
    metavar="N",
    help="Print the next N moments of every edition and exit (nothing runs).",
)
@click.option("--verbose", is_flag=True, help="Also log debug events.")
@pass_app
def schedule_command(app: App, show_next: int, verbose: bool) -> None:
    """Run the configured editions at their local times until SIGTERM/SIGINT.

    Missed editions are run on start if still inside ``schedule.grace_minutes``,
    otherwise skipped and reported.  Logs one key=value line per event on stderr.
    A stop signal lets the message in flight finish, records progress and exits 0.
    """
    digest = app.digest
    config = digest.config
    scheduler = EditionScheduler(digest, open_digest=lambda: make_digest(config=config))
    if show_next:
        now = datetime.now(UTC)
        for slot in scheduler.slots:
            moment = now
            for _ in range(show_next):
                moment = slot.next_after(moment)
                local = moment.astimezone(slot.zone)
                app.out.print(
                    f"{scheduler.edition_id(slot, moment)}  {local:%a %Y-%m-%d %H:%M %Z}"
                    f"  ({moment:%H:%M} UTC)"
                )
        return
    _log_to_stderr(logging.DEBUG if verbose else logging.INFO)

    def _stop(signum: int, frame: FrameType | None) -> None:
        scheduler.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler.serve()
    skipped = [o for o in scheduler.history if o.status == "skipped"]
    for outcome in skipped:
        app.err.print(f"skipped  {outcome.edition_id}: {outcome.message}")
    sys.exit(0)


def _log_to_stderr(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_UtcFormatter("%(asctime)s level=%(levelname)s %(message)s"))
    root = logging.getLogger("digest")
    root.addHandler(handler)
    root.setLevel(level)


class _UtcFormatter(logging.Formatter):
    """ISO 8601 UTC timestamps, whatever the machine's zone."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


COMMANDS = [schedule_command]
