"""``digest run``, ``digest send`` and ``digest status``: deliver and look back."""

from __future__ import annotations

import sys

import click
from rich.table import Table

from ..edition import SendReport
from . import EXIT_HELD, App, as_of_option, pass_app
from .schedule import edition_name, stop_on_signals


def _print_report(app: App, report: SendReport) -> None:
    for line in report.sent:
        app.out.print(f"sent     {line}")
    for line in report.already_done:
        app.out.print(f"done     {line} (already delivered)")
    for line in report.failed:
        app.err.print(f"failed   {line}")


@click.command()
@as_of_option
@click.option(
    "--edition",
    default="",
    metavar="NAME",
    help="A named edition of the day from [[schedule.editions]], e.g. evening.",
)
@pass_app
def run(app: App, as_of: str | None, edition: str) -> None:
    """Ingest, select, render and send the edition: the daily job.

    SIGTERM/SIGINT let the message in flight finish and stop there; a later run of
    the same edition sends the rest.
    """
    digest = app.digest.variant(edition_name(app, edition))
    with stop_on_signals() as stop:
        built, report = digest.run_edition(app.as_of(as_of), stop=stop)
    if report is None:
        app.err.print(f"{built.edition.id}: not sent: {built.hold}")
        sys.exit(EXIT_HELD)
    app.out.print(f"Edition {built.edition.id}: {len(built.edition.picks)} stories")
    _print_report(app, report)
    if report.failed:
        sys.exit(1)


@click.command()
@as_of_option
@click.option("--sender", "senders", multiple=True, help="Only this sender (repeatable).")
@pass_app
def send(app: App, as_of: str | None, senders: tuple[str, ...]) -> None:
    """Build the edition from the stored articles and send it (no ingest)."""
    built = app.digest.build(app.as_of(as_of))
    if built.renditions is None:
        app.err.print(f"{built.edition.id}: not sent: {built.hold}")
        sys.exit(EXIT_HELD)
    report = app.digest.send(built, only=senders)
    _print_report(app, report)
    if report.failed:
        sys.exit(1)


@click.command()
@pass_app
def status(app: App) -> None:
    """Show recent runs and delivery counts per edition and sender."""
    store = app.digest.store
    runs = Table("edition", "started (UTC)", "status", "message", title="Runs")
    for r in store.runs()[:20]:
        runs.add_row(r["edition_id"], r["started_at"][:19], r["status"], r["message"])
    app.out.print(runs)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for d in store.deliveries():
        bucket = counts.setdefault((d.edition_id, d.sender), {"sent": 0, "failed": 0, "pending": 0})
        bucket[d.status] += 1
    table = Table("edition", "sender", "delivered", "failed", "pending", title="Deliveries")
    for (edition_id, sender), c in sorted(counts.items(), reverse=True):
        table.add_row(edition_id, sender, str(c["sent"]), str(c["failed"]), str(c["pending"]))
    app.out.print(table)
    app.out.print(f"{store.count_articles()} articles stored.")


COMMANDS = [run, send, status]
