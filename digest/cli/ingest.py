"""``digest ingest``: read sources into the store (or only show them)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Column, Table

from ..edition import IngestReport
from ..model import SourceResult, to_plain
from . import App, pass_app

#: From this many files or URLs on, a progress bar is shown (on a terminal).
PROGRESS_FROM = 20


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Parse and print every article; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--rules",
    default="",
    metavar="NAME",
    help="Use the [boilerplate.NAME] rules (or 'default') instead of each source's own.",
)
@click.option("--show-skipped", is_flag=True, help="List the inputs kept aside, with reasons.")
@pass_app
def ingest(
    app: App, sources: tuple[str, ...], dry_run: bool, as_json: bool, rules: str, show_skipped: bool
) -> None:
    """Read SOURCES (files, folders, globs, http(s) URLs), or the configured sources.

    A SOURCE inside a configured source (a file of a configured folder) is read
    with that source's settings.  Reports per source what was read, new, updated
    and skipped (with reasons); a bad source never stops the others.
    """
    digest = app.digest
    if show_skipped:
        _print_skipped(app, as_json)
        return
    if dry_run:
        _dry_run(app, digest.read(sources, rules=rules), as_json)
        return
    with _progress(app, as_json) as step:
        reports = digest.ingest(sources, rules=rules, progress=step)
    if as_json:
        _dump([_report_data(r) for r in reports])
    else:
        _print_reports(app, reports)
    if reports and all(r.error for r in reports):
        sys.exit(1)


def _dump(payload: Any) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _dry_run(app: App, results: Iterator[SourceResult], as_json: bool) -> None:
    """Print every article exactly as parsed, times in ISO 8601 UTC."""
    if as_json:
        _dump([to_plain(r) for r in results])
        return
    for result in results:
        state = f"error: {result.error}" if result.error else f"{len(result.articles)} read"
        app.out.print(f"{result.source}: {state}, {len(result.skipped)} skipped", markup=False)
        for article in result.articles:
            crawled = " (time from the crawl: no date on the page)" * article.time_from_crawl
            app.out.print(f"  [{article.section or '?'}] {article.title}{crawled}", markup=False)
        for item in result.skipped:
            app.out.print(f"  skipped {item.item}: {item.reason}", markup=False)


def _report_data(report: IngestReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "read": report.read,
        "new": report.counts.new,
        "updated": report.counts.updated,
        "unchanged": report.counts.unchanged,
        "skipped": [{"item": s.item, "reason": s.reason} for s in report.skipped],
        "not_modified": report.not_modified,
        "error": report.error,
    }


def _print_reports(app: App, reports: list[IngestReport]) -> None:
    table = Table(Column("source", overflow="fold"), "read", "new", "updated", "skipped")
    for r in reports:
        state = str(r.read) if not r.error else "failed"
        if r.not_modified:
            state = "not modified"
        table.add_row(
            escape(r.source), state, str(r.counts.new), str(r.counts.updated), str(len(r.skipped))
        )
    app.out.print(table)
    # Problems one per line, unwrapped, so they can be read and grepped whole.
    for r in reports:
        if r.error:
            app.out.print(f"failed: {r.source}: {r.error}", markup=False)
        for item in r.skipped:
            app.out.print(f"skipped: {r.source}: {item.item}: {item.reason}", markup=False)
    total = sum(r.read for r in reports)
    new = sum(r.counts.new for r in reports)
    updated = sum(r.counts.updated for r in reports)
    skipped = sum(len(r.skipped) for r in reports)
    failed = sum(1 for r in reports if r.error)
    app.out.print(
        f"{total} articles read from {len(reports)} sources: {new} new, {updated} updated, "
        f"{skipped} items skipped, {failed} sources failed."
    )


def _print_skipped(app: App, as_json: bool) -> None:
    kept = app.digest.skipped()
    if as_json:
        _dump([to_plain(s) for s in kept])
        return
    for item in kept:
        app.out.print(f"{item.source}: {item.item}: {item.reason}", markup=False)
    app.out.print(f"{len(kept)} inputs kept aside.")


@contextmanager
def _progress(app: App, as_json: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback drawing a bar on stderr once there are many sources."""
    with Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=app.err,
        transient=True,
        disable=as_json or not app.err.is_terminal,
    ) as bar:
        task: list[Any] = []

        def step(done: int, total: int, source: str) -> None:
            if total < PROGRESS_FROM:
                return
            if not task:
                task.append(bar.add_task("", total=total))
            bar.update(task[0], completed=done, description=escape(source[-50:]))

        yield step


COMMANDS = [ingest]
