"""``digest select``, ``digest preview`` and ``digest export``: look before sending."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..edition import Built, Overrides, parse_pin, rejection_kind, rejection_summary
from ..export import FORMATS, edition_document, write_export
from ..render import EMAIL_CLIP_BYTES
from . import EXIT_HELD, App, as_of_option, pass_app


@click.command("select")
@as_of_option
@click.option("--explain", is_flag=True, help="Show why each story was picked or left out.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--pin",
    "pins",
    multiple=True,
    metavar="ID[:POS]",
    help="Always pick this article, at position POS if given (repeatable).",
)
@click.option("--drop", "drops", multiple=True, metavar="ID", help="Leave this article out.")
@click.option(
    "--headline",
    "headlines",
    multiple=True,
    metavar="ID=TEXT",
    help="Use TEXT as this article's headline in the digest (repeatable).",
)
@pass_app
def select_command(
    app: App,
    as_of: str | None,
    explain: bool,
    as_json: bool,
    pins: tuple[str, ...],
    drops: tuple[str, ...],
    headlines: tuple[str, ...],
) -> None:
    """Show the stories the edition would carry, and with --explain why.

    Article ids may be shortened to any prefix that names one stored article.
    """
    digest = app.digest
    overrides = Overrides.build(
        digest.config.select,
        pins=[_full_pin(app, value) for value in pins],
        drops=[_full_id(app, value, "--drop") for value in drops],
        headlines=[_full_headline(app, value) for value in headlines],
    )
    edition = digest.select(app.as_of(as_of), overrides)
    hold = digest.hold_reason(edition)
    if as_json:
        document = edition_document(edition)
        document["hold"] = hold
        if explain:
            for item in document["rejections"]:
                item["kind"] = rejection_kind(item["reason"])
        else:
            document.pop("rejections")
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    table = Table("#", "score", "headline", "source", title=f"Edition {edition.id}")
    for rank, pick in enumerate(edition.picks, 1):
        source = pick.article.agency or pick.article.publisher
        headline = Text(pick.title)
        if explain:
            headline.append(f"\n{pick.article.id}", style="dim")
            for reason in pick.reasons:
                headline.append(f"\n  - {reason}", style="dim")
        table.add_row(str(rank), f"{pick.score:.3f}", headline, Text(source))
    app.out.print(table)
    if explain and edition.rejections:
        scored = [r for r in edition.rejections if r.score is not None][:EXPLAIN_ROWS]
        left = Table("score", "left out", "reason", title="Best candidates left out")
        for rejection in scored:
            left.add_row(
                f"{rejection.score:.3f}",
                Text(f"{rejection.article.title}\n{rejection.article.id}"),
                Text(rejection.reason),
            )
        if scored:
            app.out.print(left)
        others = Table("left out", "reason", title="Not candidates")
        for rejection in [r for r in edition.rejections if r.score is None][:EXPLAIN_ROWS]:
            others.add_row(Text(rejection.article.title), Text(rejection.reason))
        if others.row_count:
            app.out.print(others)
        app.out.print(Text(f"Left out in all: {rejection_summary(edition)}"))
    if not edition.picks:
        app.out.print("No stories in the window: nothing to send.")
    if hold:
        app.out.print(Text(f"Held back, not sent: {hold}", style="bold"))


#: Rows of each "left out" table that --explain prints.
EXPLAIN_ROWS = 25


def _full_id(app: App, value: str, flag: str) -> str:
    """The stored article id a (possibly shortened) id names; else a usage error."""
    found = app.digest.store.article_ids_starting(value.strip())
    if value.strip() in found:
        return value.strip()
    if len(found) == 1:
        return found[0]
    if not found:
        raise click.BadParameter(f"no stored article has the id {value!r}", param_hint=flag)
    raise click.BadParameter(
        f"{value!r} names {len(found)} articles; give more of the id", param_hint=flag
    )


def _full_pin(app: App, value: str) -> str:
    article_id, position = parse_pin(value)
    full = _full_id(app, article_id, "--pin")
    return f"{full}:{position}" if position else full


def _full_headline(app: App, value: str) -> str:
    article_id, sep, text = value.partition("=")
    if not sep or not text.strip():
        raise click.BadParameter(f"expected ID=TEXT, got {value!r}", param_hint="--headline")
    return f"{_full_id(app, article_id, '--headline')}={text}"


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
