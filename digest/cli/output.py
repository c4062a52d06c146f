"""``digest select``, ``digest preview`` and ``digest export``: look before sending."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import click
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..edition import (
    Built,
    Digest,
    Overrides,
    make_digest,
    parse_pin,
    rejection_kind,
    rejection_summary,
)
from ..errors import DigestError, RenderError
from ..export import (
    FORMATS,
    MANIFEST,
    UNDISCLOSED,
    Addresses,
    default_addresses,
    edition_document,
    write_export,
)
from ..message import address_header
from ..model import Edition, LeftOut, to_plain
from ..preview import LOOPBACK, Preview, loopback_host, serve
from ..render import EMAIL_CLIP_BYTES
from . import EXIT_HELD, App, as_of_option, pass_app
from .schedule import edition_name, named_edition_option


@click.command("select")
@as_of_option
@named_edition_option
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
    named: str,
    explain: bool,
    as_json: bool,
    pins: tuple[str, ...],
    drops: tuple[str, ...],
    headlines: tuple[str, ...],
) -> None:
    """Show the stories the edition would carry, and with --explain why.

    Article ids may be shortened to any prefix that names one stored article.
    """
    digest = app.digest.variant(edition_name(app, named))
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
            for item, rejection in zip(document["rejections"], edition.rejections, strict=True):
                item["kind"] = rejection_kind(rejection)
        else:
            document.pop("rejections")
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    # Titles, sources and reasons come from feeds: escaped, so "[/b]" in a headline
    # is text and not rich markup (which would fail or restyle the table).
    table = Table("#", "score", "headline", "source", title=f"Edition {escape(edition.id)}")
    for rank, pick in enumerate(edition.picks, 1):
        source = pick.outlet or pick.article.publisher
        if pick.article.agency and pick.article.agency != source:
            source = f"{source} ({pick.article.agency})"
        headline = Text(pick.title)
        if explain:
            headline.append(f"\n{pick.article.id}", style="dim")
            for reason in pick.reasons:
                headline.append(f"\n  - {reason}", style="dim")
            if pick.article.time_from_crawl:
                headline.append(f"\n  - {CRAWL_TIME_NOTE}", style="dim")
        table.add_row(str(rank), f"{pick.score:.3f}", headline, Text(source))
    app.out.print(table)
    if explain and edition.rejections:
        scored = [r for r in edition.rejections if r.score is not None][:EXPLAIN_ROWS]
        ranked = [r for r in scored if r.kind in (LeftOut.RANKED_BELOW, LeftOut.DIVERSITY)]
        if edition.picks and ranked:
            last, best = edition.picks[-1], ranked[0]
            app.out.print(
                Text(
                    f"The last pick scored {last.score:.3f}; the best story left out, "
                    f"{best.article.title!r}, {best.score:.3f}: {best.reason}"
                )
            )
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
    if not edition.picks and edition.rejections:
        app.out.print("No story picked: nothing to send.")
    elif not edition.picks:
        app.out.print("No stories in the window: nothing to send." + _empty_hint(edition))
    if hold:
        app.out.print(Text(f"Held back, not sent: {hold}", style="bold"))
    elif digest.thin_reason(edition):
        thin = digest.thin_reason(edition)
        app.out.print(Text(f"Thin day, sent anyway (select.send_when_thin): {thin}"))


#: What --explain says of an article whose page printed no readable date.
CRAWL_TIME_NOTE = "time taken from the crawl: the page prints no readable date"

#: Rows of each "left out" table that --explain prints.
EXPLAIN_ROWS = 25


def _full_id(app: App, value: str, flag: str) -> str:
    """The stored article id a (possibly shortened) id names; else a usage error."""
    found = app.digest.article_ids_starting(value.strip())
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


def _empty_hint(edition: Edition) -> str:
    """What to do when nothing at all was considered (not only what is missing)."""
    if edition.picks or edition.rejections:
        return ""
    return (
        f" (no stored article falls in the window ending {edition.as_of:%Y-%m-%d %H:%M} UTC: "
        "run `digest ingest` first, or choose another --as-of)"
    )


edition_option = click.option(
    "--edition",
    "edition_id",
    metavar="ID",
    help="A recorded edition (e.g. world-2020-11-23), rebuilt at its moment.",
)


def _moment(app: App, as_of: str | None, edition_id: str | None) -> tuple[datetime, str]:
    """The moment chosen by ``--as-of`` or ``--edition`` (not both; default now),
    and the name of the edition of the day it is (``""``, or ``evening`` for a
    recorded ``world-evening-…``: built by :meth:`Digest.variant`)."""
    if edition_id is None:
        return app.as_of(as_of), ""
    if as_of is not None:
        raise click.UsageError("give --as-of or --edition, not both")
    data = app.digest.recorded_edition(edition_id)
    if data is None:
        raise click.BadParameter(
            f"no edition {edition_id!r} is recorded in the store; build it first with "
            "--as-of (e.g. digest preview --as-of 2020-11-23T10:00+05:30)",
            param_hint="--edition",
        )
    moment = datetime.fromisoformat(data["as_of"])
    names = [""] + [e.name for e in app.digest.config.schedule.editions if e.name]
    for name in names:
        if app.digest.variant(name).edition_id(moment) == edition_id:
            return moment, name
    raise click.BadParameter(
        f"edition {edition_id!r} does not match this config's edition ids "
        "([digest] edition_prefix and [[schedule.editions]] names)",
        param_hint="--edition",
    )


def _built(digest: Digest, moment: datetime, *, quiet: bool = False) -> Built:
    """The edition at ``moment``; exits 3 if it is held back (saying why, unless
    ``quiet``)."""
    built = digest.build(moment)
    if built.renditions is None:
        edition = built.edition
        if not quiet:
            click.echo(f"{edition.id}: held back: {built.hold}{_empty_hint(edition)}", err=True)
        sys.exit(EXIT_HELD)
    return built


def _print_preview(app: App, built: Built) -> None:
    r = built.public
    assert r is not None
    size = len(r.email.html.encode())
    picks = Table("#", "score", "headline", "source", title=f"Edition {escape(built.edition.id)}")
    for rank, pick in enumerate(built.edition.picks, 1):
        source = pick.article.agency or pick.article.publisher
        picks.add_row(str(rank), f"{pick.score:.3f}", escape(pick.title), escape(source))
    app.out.print(picks)
    # How each short text was fitted (the pick's headline, another outlet's, a clause).
    how = "".join(f"\n[dim]{escape(note)}[/dim]" for note in r.notes)
    app.out.print(
        Panel(f"[b]{escape(r.email.subject)}[/b]\n{escape(r.email.preheader)}{how}", title="Email")
    )
    app.out.print(f"HTML {size:,} bytes ({size / EMAIL_CLIP_BYTES:.0%} of Gmail's clip point)")
    app.out.print(Panel(escape(r.email.text.rstrip()), title="Plain-text part"))
    push = f"[b]{escape(r.push.title)}[/b]\n{escape(r.push.body)}\n{escape(r.push.url)}"
    app.out.print(Panel(push, title="Push"))
    app.out.print(Panel(escape(r.whatsapp.text), title=f"WhatsApp ({len(r.whatsapp.text)} chars)"))


@click.command()
@as_of_option
@edition_option
@click.option(
    "--open", "open_browser", is_flag=True,
    help="Open the email (with --serve: the page) in the default browser.",
)  # fmt: skip
@click.option("--serve", is_flag=True, help="Serve every version on a local web page.")
@click.option("--host", default=LOOPBACK, show_default=True, help="Loopback address to serve on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8025, show_default=True,
    help="Port to serve on (0: any free port).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the renditions as JSON.")
@pass_app
def preview(
    app: App,
    as_of: str | None,
    edition_id: str | None,
    open_browser: bool,
    serve: bool,
    host: str,
    port: int,
    as_json: bool,
) -> None:
    """Show the edition: picks, subject, texts, push and WhatsApp post.

    With --serve, a page on this machine shows all of it side by side and
    reloads when the templates or the config change.
    """
    moment, name = _moment(app, as_of, edition_id)
    if serve:
        _serve(app, moment, name, host, port, open_browser=open_browser)
        return
    built = _built(app.digest.variant(name), moment)
    assert built.public is not None
    if as_json:
        json.dump(to_plain(built.public), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_preview(app, built)
    if open_browser:
        folder = Path(tempfile.mkdtemp(prefix="digest-preview-"))
        page = folder / "email.html"
        page.write_text(built.public.email.html, encoding="utf-8")
        click.launch(str(page))
        app.err.print(f"Opened {escape(str(page))}")


def _serve(
    app: App, moment: datetime, name: str, host: str, port: int, *, open_browser: bool
) -> None:
    loopback_host(host)  # refuse before building anything
    config_path = app.config_path.resolve()

    def announce(url: str) -> None:
        click.echo(
            f"Preview of {app.digest.variant(name).edition_id(moment)} at {url} (Ctrl+C to stop)"
        )
        if open_browser:
            click.launch(url)

    try:
        serve(
            Preview(
                lambda: make_digest(config_path=config_path).variant(name),
                moment,
                config_path=config_path,
            ),
            host=host,
            port=port,
            ready=announce,
        )
    except OSError as exc:
        raise DigestError(f"preview: cannot listen on {host}:{port} ({exc.strerror})") from None


@click.command()
@as_of_option
@edition_option
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
@click.option(
    "--from", "sender", metavar="ADDRESS",
    help='From of email.eml (default: "<digest name>" <digest@<site domain>>).',
)  # fmt: skip
@click.option(
    "--to", "to", metavar="ADDRESS", default=UNDISCLOSED, show_default=True,
    help="To of email.eml.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; the exit code tells.")
@pass_app
def export(
    app: App,
    as_of: str | None,
    edition_id: str | None,
    out: Path,
    formats: tuple[str, ...],
    sender: str | None,
    to: str,
    as_json: bool,
    quiet: bool,
) -> None:
    """Write the ready-to-send files of the edition into a folder.

    The same edition always gives byte-identical files; manifest.json lists
    each file's size and SHA-256.
    """
    settings = app.digest.config.digest
    default = default_addresses(settings.name, settings.site_url)
    # Checked before the edition is built: a typo in an option is a usage mistake.
    addresses = Addresses(
        sender=_address(sender, "--from") if sender else default.sender,
        to=_address(to, "--to"),
    )
    moment, name = _moment(app, as_of, edition_id)
    built = _built(app.digest.variant(name), moment, quiet=quiet)
    assert built.public is not None
    try:
        written = write_export(out, built.edition, built.public, formats or FORMATS, addresses)
    except OSError as exc:
        raise DigestError(f"{out}: cannot write ({exc.strerror})") from None
    if quiet:
        return
    if as_json:
        sys.stdout.write(written[MANIFEST].read_text("utf-8"))
        return
    for name, path in written.items():
        app.out.print(f"{name}\t{path.stat().st_size:,} bytes")
    app.err.print(f"Edition {built.edition.id} exported to {escape(str(out))}")


def _address(value: str, where: str) -> str:
    """``value`` checked as an email address, before anything is built."""
    try:
        return address_header(value)
    except RenderError as exc:
        raise click.BadParameter(str(exc), param_hint=where) from None


COMMANDS = [select_command, preview, export]
