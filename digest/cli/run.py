"""``digest run``, ``digest send``, ``digest status`` and ``digest prune``: deliver,
look back, and let old history go."""

from __future__ import annotations

import dataclasses
import json
import sys

import click
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..edition import SendReport
from . import EXIT_HELD, App, as_of_option, pass_app
from .schedule import edition_name, named_edition_option, stop_on_signals

#: Above this many messages, only the per-sender counts are printed.
_SENT_LINES = 50


def _print_report(app: App, report: SendReport) -> None:
    if len(report.sent) + len(report.already_done) <= _SENT_LINES:
        for line in report.sent:
            app.out.print(f"sent     {escape(line)}")
        for line in report.already_done:
            app.out.print(f"done     {escape(line)} (already delivered)")
    for line in report.failed:
        app.err.print(f"failed   {escape(line)}")
    for name, result in report.senders.items():
        app.out.print(
            f"{name}: {result.sent} delivered, {result.failed} failed, "
            f"{result.pending} pending, {result.already_done} already done"
        )
    for queued in report.queued.values():  # [queue]: the workers send them
        app.out.print(f"{escape(queued.summary())} for `digest worker`")


@click.command()
@as_of_option
@named_edition_option
@pass_app
def run(app: App, as_of: str | None, named: str) -> None:
    """Ingest, select, render and send the edition: the daily job.

    SIGTERM/SIGINT let the message in flight finish and stop there; a later run of
    the same edition sends the rest.
    """
    digest = app.digest.variant(edition_name(app, named))
    with stop_on_signals() as stop:
        outcome = digest.run_edition(app.as_of(as_of), stop=stop)
    built, report = outcome.built, outcome.report
    if report is None:
        app.err.print(f"{outcome.edition_id}: not sent: {escape(outcome.message)}")
        sys.exit(EXIT_HELD)
    app.out.print(f"Edition {built.edition.id}: {len(built.edition.picks)} stories")
    for line in report.source_errors:
        app.err.print(f"source failed: {escape(line)}")
    _print_report(app, report)
    if report.failed:
        sys.exit(1)


class _Bar:
    """A rich progress bar per sender, fed by :class:`digest.delivery.Progress` calls."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def start(self, sender: str, total: int | None) -> None:
        """Add a bar for a sender."""
        self.counts[sender] = {}
        self.tasks[sender] = self.progress.add_task(sender, total=total, status="")

    def advance(self, sender: str, recipient: str, status: str) -> None:
        """Move a sender's bar on by one recipient."""
        counts = self.counts[sender]
        counts[status] = counts.get(status, 0) + 1
        done = sum(counts.values())
        if status == "sent" and done % 100:
            # Cheap path for the common case; the tally is redrawn every 100.
            self.progress.advance(self.tasks[sender])
            return
        summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
        self.progress.update(self.tasks[sender], advance=1, status=summary)


@click.command()
@as_of_option
@named_edition_option
@click.option("--sender", "senders", multiple=True, help="Only this sender (repeatable).")
@click.option("--dry-run", is_flag=True, help="Build and show what would be sent; send nothing.")
@click.option(
    "--queue/--no-queue",
    default=None,
    help="Queue the recipients in batches for `digest worker` (the default when "
    "[queue] is configured), or send from this process.",
)
@pass_app
def send(
    app: App,
    as_of: str | None,
    named: str,
    senders: tuple[str, ...],
    dry_run: bool,
    queue: bool | None,
) -> None:
    """Build the edition from the stored articles and send it (no ingest).

    Safe to repeat or to run again after a crash: recipients already sent to (or
    failed for good) are skipped, the rest are sent.  SIGTERM/SIGINT let the
    messages in flight finish and stop there.  With [queue] configured the
    recipients are queued in batches for `digest worker` processes instead.
    """
    digest = app.digest.variant(edition_name(app, named))
    if queue:
        digest.queue_settings()  # --queue without [queue]: said before anything is built
    built = digest.build(app.as_of(as_of))
    if built.renditions is None:
        app.err.print(f"{built.edition.id}: not sent: {escape(built.hold)}")
        sys.exit(EXIT_HELD)
    if dry_run:
        report = digest.send(built, only=senders, dry_run=True)
        app.out.print(f"Edition {built.edition.id} (dry run, nothing sent):")
        for line in report.planned:
            app.out.print(f"  {escape(line)}")
        return
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), TextColumn("{task.fields[status]}"),
    )  # fmt: skip
    if digest.config.queue is not None if queue is None else queue:
        with stop_on_signals() as stop, digest.locked(built.edition.id, stop):
            report = digest.send(built, only=senders, stop=stop, queue=True)
        app.out.print(f"Edition {built.edition.id}: {len(built.edition.picks)} stories")
        _print_report(app, report)
        return
    with (
        stop_on_signals() as stop,
        digest.locked(built.edition.id, stop),  # not while a run sends it
        Progress(*columns, console=app.err) as bar,
    ):
        report = digest.send(built, only=senders, progress=_Bar(bar), stop=stop, queue=False)
    _print_report(app, report)
    if report.failed:
        sys.exit(1)


@click.command()
@pass_app
def status(app: App) -> None:
    """Show recent runs and delivery counts per edition and sender."""
    status = app.digest.status()
    runs = Table("edition", "started (UTC)", "status", "message", title="Runs")
    for r in status.runs:
        runs.add_row(r["edition_id"], r["started_at"][:19], r["status"], escape(r["message"]))
    app.out.print(runs)
    table = Table("edition", "sender", "delivered", "failed", "pending", title="Deliveries")
    for (edition_id, sender), c in sorted(status.deliveries.items(), reverse=True):
        table.add_row(edition_id, sender, str(c["sent"]), str(c["failed"]), str(c["pending"]))
    app.out.print(table)
    app.out.print(f"{status.articles} articles stored.")


@click.command()
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.option(
    "--before",
    metavar="DATE",
    help="Prune everything made before DATE (ISO 8601; no offset: the digest's time "
    "zone) instead of what [store.retention] no longer keeps.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def prune(app: App, dry_run: bool, before: str | None, as_json: bool) -> None:
    """Delete old delivery rows and edition records, keeping per-edition totals.

    An edition older than [store.retention] keep_deliveries_days keeps only its
    totals per sender; edition records older than keep_editions_days that reached
    nobody go, sent ones keep their picks and renditions (the archive) and lose
    their rejections.  Rows go in small transactions; SIGTERM/SIGINT stop between
    two, and the next prune finishes.
    """
    moment = app.as_of(before, "--before") if before is not None else None
    with stop_on_signals() as stop:
        report = app.digest.prune(before=moment, dry_run=dry_run, stop=stop)
    if as_json:
        data = dataclasses.asdict(report)
        for key in ("deliveries_before", "editions_before"):
            data[key] = data[key].isoformat() if data[key] else None
        click.echo(json.dumps(data, sort_keys=True))
        return
    for edition_id in report.editions_summarised:
        app.out.print(f"log      {edition_id}: totals kept, rows deleted")
    for edition_id in report.editions_deleted:
        app.out.print(f"deleted  {edition_id} (reached nobody)")
    for edition_id in report.editions_slimmed:
        app.out.print(f"slimmed  {edition_id} (rejections dropped, archive kept)")
    app.out.print(escape(report.summary()))


COMMANDS = [run, send, status, prune]
