"""``digest subscribers import CSV`` and ``digest subscribers count``: the email list."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from rich.markup import escape

from ..errors import DigestError
from ..message import check_address, display_name, token_from
from ..store import Subscriber
from . import App, pass_app

_ADDRESS_COLUMNS = ("email", "address", "e-mail", "mail")
_FIRST_NAME_COLUMNS = ("first_name", "firstname", "first name", "given_name")
_YES = {"1", "true", "yes", "y", "unsubscribed"}


@click.group()
def subscribers() -> None:
    """Manage the email subscriber list."""


def read_csv(path: Path, default_list: str, problems: list[str]) -> Iterator[Subscriber]:
    """Subscribers from a CSV file with a header row.

    Columns: ``email`` (or ``address``), optional ``name``, ``first_name`` (the
    name a greeting uses; without it, the first word of ``name``), ``list`` and
    ``unsubscribed`` (1/true/yes).  A bad row is added to ``problems`` with its line
    number and skipped; the good rows are yielded.  Raises :class:`DigestError`
    naming the file if it cannot be read or has no address column.
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DigestError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = [h.strip().lower() for h in reader.fieldnames or []]
        except UnicodeDecodeError:
            raise DigestError(f"{path}: not UTF-8 text") from None
        column = next((c for c in _ADDRESS_COLUMNS if c in header), None)
        if column is None:
            raise DigestError(f"{path}: no email column (expected a header row with 'email')")
        reader.fieldnames = header
        try:
            for row in reader:
                line = reader.line_num
                try:
                    address = check_address(row.get(column) or "")
                except ValueError as exc:
                    problems.append(f"{path}:{line}: {exc}")
                    continue
                yield Subscriber(
                    address=address,
                    name=display_name(row.get("name") or ""),
                    first_name=display_name(
                        next(
                            (row[c] for c in _FIRST_NAME_COLUMNS if (row.get(c) or "").strip()),
                            "",
                        )
                    ),
                    list=(row.get("list") or "").strip() or default_list,
                    unsubscribed=(row.get("unsubscribed") or "").strip().lower() in _YES,
                )
        except UnicodeDecodeError:
            raise DigestError(f"{path}: not UTF-8 text (after line {reader.line_num})") from None
        except csv.Error as exc:
            raise DigestError(f"{path}:{reader.line_num}: {exc}") from None


@subscribers.command("import")
@click.argument("csv_file", metavar="CSV", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--list", "list_name", default="default", show_default=True,
              help="List for rows without a 'list' column.")  # fmt: skip
@pass_app
def import_(app: App, csv_file: Path, list_name: str) -> None:
    """Add or update subscribers from a CSV file (header row with an 'email' column).

    An address that has unsubscribed stays unsubscribed, whatever the file says.
    """
    problems: list[str] = []
    counts = app.digest.import_subscribers(read_csv(csv_file, list_name, problems))
    app.out.print(
        f"{csv_file}: {counts.new} new, {counts.updated} updated, "
        f"{counts.unsubscribed} unsubscribed (never mailed), {len(problems)} skipped"
    )
    for problem in problems:
        click.echo(f"skipped  {problem}", err=True)
    if problems:
        sys.exit(1)


def _shown(value: str) -> str:
    """``value`` safe to echo: control characters as escapes, never raw."""
    return value.encode("unicode_escape", "backslashreplace").decode("ascii")


@subscribers.command("unsubscribe")
@click.argument("values", metavar="TOKEN_OR_ADDRESS...", nargs=-1, required=True)
@pass_app
def unsubscribe(app: App, values: tuple[str, ...]) -> None:
    """Unsubscribe for good: each value is a token, the whole unsubscribe link, a
    ``mailto:`` request or its subject (URL-encoded or not), or an email address.

    Tokens are checked against the secret of every configured email sender, so a
    forged or mistyped token unsubscribes nobody.  Exit 1 if any value matched no
    subscriber.
    """
    verifiers = [
        verify
        for sender in app.digest.senders().values()
        if callable(verify := getattr(sender, "address_for_token", None))
    ]
    digest = app.digest
    unmatched = 0
    for value in values:
        value = token_from(value)  # a whole URL, a mailto or its encoded subject too
        if "@" in value:
            address: str | None = value
        else:
            address = next((a for verify in verifiers if (a := verify(value))), None)
        if address is None:
            click.echo(f"not a valid unsubscribe token: {_shown(value[:12])}…", err=True)
            unmatched += 1
        elif digest.unsubscribe(address.lower(), source="cli"):
            app.out.print(f"unsubscribed  {escape(_shown(address))}")
        else:
            click.echo(f"no subscriber {_shown(address)}", err=True)
            unmatched += 1
    if unmatched:
        sys.exit(1)


@subscribers.command("count")
@click.option("--list", "list_name", default="default", show_default=True)
@pass_app
def count(app: App, list_name: str) -> None:
    """How many active subscribers a list has."""
    app.out.print(f"{list_name}: {app.digest.count_subscribers(list_name)} active")


@subscribers.command("history")
@click.argument("address")
@pass_app
def history(app: App, address: str) -> None:
    """Every change of an address's state (signed up, confirmed, unsubscribed,
    bounced, complained, suppressed) with its time and source."""
    events = app.digest.history(address.strip())
    if not events:
        click.echo(f"no history for {escape(address.strip()[:254])}", err=True)
        sys.exit(1)
    for event in events:
        detail = f"  {escape(event.detail)}" if event.detail else ""
        app.out.print(
            f"{event.at:%Y-%m-%d %H:%M:%S}Z  {event.event:<12} {escape(event.source)}{detail}"
        )
    suppression = app.digest.suppression(address.strip())
    if suppression is not None:
        app.out.print(f"suppressed since {suppression.at:%Y-%m-%d %H:%M}Z: "
                      f"{escape(suppression.reason)}")  # fmt: skip


@subscribers.command("suppressed")
@pass_app
def suppressed(app: App) -> None:
    """The addresses that get no mail because of bounces or complaints, and why."""
    rows = app.digest.suppressions()
    for row in rows:
        app.out.print(f"{row.at:%Y-%m-%d %H:%M}Z  {escape(row.address)}  {escape(row.reason)}")
    if not rows:
        app.out.print("no suppressed address")


COMMANDS = [subscribers]
