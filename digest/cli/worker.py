"""``digest worker``: send the batches ``digest send`` queued (``[queue]``)."""

from __future__ import annotations

import logging
import sys

import click

from ..app.fanout import queue_extra_missing
from . import App, pass_app
from .schedule import log_to_stderr, stop_on_signals


@click.command()
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes to run (each sends one batch at a time).",
)
@click.option("--verbose", is_flag=True, help="Also log debug events.")
@pass_app
def worker(app: App, processes: int, verbose: bool) -> None:
    """Send queued batches of an edition ([queue]): run on any number of machines.

    Each batch's recipients are claimed in the delivery log before they are sent,
    so a batch delivered twice (a worker killed mid-batch) sends nobody twice
    who was recorded.  Logs one key=value line per batch on stderr.
    SIGTERM/SIGINT let the message in flight finish, put the rest of the batch
    back on the queue, and exit 0.
    """
    try:
        from ..queue.worker import run_workers  # Dramatiq and Redis: only here
    except ImportError as exc:
        raise queue_extra_missing(exc) from None

    log_to_stderr(logging.DEBUG if verbose else logging.INFO)
    with stop_on_signals() as stop:
        run_workers(app.config_path, processes, stop)
    sys.exit(0)


COMMANDS = [worker]
