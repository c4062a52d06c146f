"""``digest select``, ``digest preview`` and ``digest export``: look before sending."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click
from rich.panel import Panel
from rich.table import Table

from ..edition import Built
from ..export import FORMATS, edition_document, write_export
from ..render import EMAIL_CLIP_BYTES
from . import EXIT_HELD, App, as_of_option, pass_app


@click.command("select")
@as_of_option
@click.option("--explain", is_flag=True, help="Show why each story was picked or left out.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def select_command(app: App, as_of: str | None, explain: bool, as_json: bool) -> None:
    """Show the stories the edition would carry."""
    edition = app.digest.select(app.as_of(as_of))
    if as_json:
        document = edition_document(edition)
        if not explain:
            document.pop("rejections")
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    table = Table("#", "score", "headline", "source", title=f"Edition {edition.id}")
    for rank, pick in enumerate(edition.picks, 1):
        source = pick.article.agency or pick.article.publisher
        table.add_row(str(rank), f"{pick.score:.3f}", pick.title, source)
        if explain:
            table.add_row("", "", "[dim]" + "; ".join(pick.reasons) + "[/dim]", "")
    app.out.print(table)
    if explain and edition.rejections:
        left = Table("left out", "reason", title="Left out")
        for rejection in edition.rejections[:30]:
            left.add_row(rejection.article.title, rejection.reason)
        app.out.print(left)
    if not edition.picks:
        app.out.print("No stories in the window: nothing to send.")


def _built(app: App, as_of: str | None) -> Built:
    built = app.digest.build(app.as_of(as_of))
    if built.renditions is None:
        app.err.print(f"{built.edition.id}: held back: {built.hold}")
        sys.exit(EXIT_HELD)
    return built


@click.command()
@as_of_option
@click.option("--open", "open_browser", is_flag=True, help="Open the email in a browser.")
@pass_app
def preview(app: App, as_of: str | None, open_browser: bool) -> None:
    """Print the subject, preheader, push and WhatsApp texts of the edition."""
    built = _built(app, as_of)
    r = built.renditions
    assert r is not None
    size = len(r.email.html.encode())
    app.out.print(Panel(f"[b]{r.email.subject}[/b]\n{r.email.preheader}", title="Email"))
    app.out.print(f"HTML {size:,} bytes ({size / EMAIL_CLIP_BYTES:.0%} of Gmail's clip point)")
    app.out.print(Panel(f"[b]{r.push.title}[/b]\n{r.push.body}\n{r.push.url}", title="Push"))
    app.out.print(Panel(r.whatsapp.text, title=f"WhatsApp ({len(r.whatsapp.text)} chars)"))
    if open_browser:
        folder = Path(tempfile.mkdtemp(prefix="digest-preview-"))
        page = folder / "email.html"
        page.write_text(r.email.html, encoding="utf-8")
        click.launch(str(page))
        app.out.print(f"Opened {page}")


@click.command()
@as_of_option
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the files into.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Only these files (repeatable; default: all).",
)
@pass_app
def export(app: App, as_of: str | None, out: Path, formats: tuple[str, ...]) -> None:
    """Write the ready-to-send files of the edition into a folder."""
    built = _built(app, as_of)
    assert built.renditions is not None
    written = write_export(out, built.edition, built.renditions, formats or FORMATS)
    for name, path in written.items():
        app.out.print(f"{name}\t{path.stat().st_size:,} bytes")


COMMANDS = [select_command, preview, export]
