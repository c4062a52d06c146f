"""``digest ingest``: read sources into the store (or only show them)."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from ..model import to_plain
from . import App, pass_app


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Parse and print; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def ingest(app: App, sources: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Read SOURCES (files, folders, globs, URLs), or the configured sources."""
    digest = app.digest
    if dry_run:
        results = list(digest.read(sources))
        if as_json:
            json.dump([to_plain(r) for r in results], sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            for result in results:
                state = f"error: {result.error}" if result.error else f"{len(result.articles)} read"
                app.out.print(f"{result.source}: {state}, {len(result.skipped)} skipped")
                for article in result.articles:
                    app.out.print(f"  [{article.section or '?'}] {article.title}")
        return
    reports = digest.ingest(sources)
    if as_json:
        payload = [
            {
                "source": r.source, "read": r.read, "new": r.counts.new,
                "updated": r.counts.updated, "unchanged": r.counts.unchanged,
                "skipped": list(r.skipped), "error": r.error,
            }
            for r in reports
        ]  # fmt: skip
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        table = Table("source", "read", "new", "updated", "skipped", "problem")
        for r in reports:
            problem = r.error or "; ".join(r.skipped)
            table.add_row(
                r.source, str(r.read), str(r.counts.new), str(r.counts.updated),
                str(len(r.skipped)), problem,
            )  # fmt: skip
        app.out.print(table)
        total = sum(r.read for r in reports)
        failed = sum(1 for r in reports if r.error)
        app.out.print(f"{total} articles read from {len(reports)} sources, {failed} failed.")
    if reports and all(r.error for r in reports):
        sys.exit(1)


COMMANDS = [ingest]
