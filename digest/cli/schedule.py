"""``digest schedule``: the long-running process that sends each edition on time."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import FrameType

import click
from rich.markup import escape

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
    digest.senders()  # a sender mistake is a config error now, not at the first run
    log_to_stderr(logging.DEBUG if verbose else logging.INFO)
    with stop_on_signals(scheduler.stop):
        scheduler.serve()
    skipped = [o for o in scheduler.history if o.status == "skipped"]
    for outcome in skipped:
        app.err.print(f"skipped  {outcome.edition_id}: {escape(outcome.message)}")
    sys.exit(0)


@contextmanager
def stop_on_signals(stop: threading.Event | None = None) -> Iterator[threading.Event]:
    """An event that SIGTERM or SIGINT sets while inside (instead of killing the
    process mid-message); the previous handlers are put back on the way out."""
    event = stop or threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        event.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield event
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


named_edition_option = click.option(
    "--edition",
    "named",
    default="",
    metavar="NAME",
    help="A named edition of the day from [[schedule.editions]], e.g. evening.",
)


def edition_name(app: App, name: str) -> str:
    """``--edition NAME`` checked against ``[[schedule.editions]]``."""
    known = [e.name for e in app.digest.config.schedule.editions]
    if name and name not in known:
        listed = ", ".join(repr(k) for k in known if k) or "none"
        raise click.BadParameter(
            f"no [[schedule.editions]] entry named {name!r} (named ones: {listed})",
            param_hint="--edition",
        )
    return name


def log_to_stderr(level: int) -> None:
    """Log ``digest.*`` events at ``level`` and above to stderr, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_UtcFormatter("%(asctime)s level=%(levelname)s %(message)s"))
    root = logging.getLogger("digest")
    root.addHandler(handler)
    root.setLevel(level)


class _UtcFormatter(logging.Formatter):
    """One line per event (a traceback's line ends become ``\\n``), stamped in
    ISO 8601 UTC whatever the machine's zone."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", "\\n")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


COMMANDS = [schedule_command]
