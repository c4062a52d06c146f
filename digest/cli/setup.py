"""``digest init`` and ``digest check``: start a setup, and find what is wrong with it."""

from __future__ import annotations

import json
import sys
from importlib.resources import files
from pathlib import Path

import click

from ..check import as_data, check_setup, describe
from ..errors import ConfigError, DigestError
from . import App, pass_app


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, dir_okay=True, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing.")
def init(folder: Path, force: bool, quiet: bool) -> None:
    """Write a starter config.toml and a minimal email template into FOLDER.

    The template extends the shipped one and overrides a single block (the
    footer), so the shipped design keeps its fixes and only what is changed lives
    here."""
    starter = files("digest.starter")
    plan = {
        folder / "config.toml": starter.joinpath("config.toml").read_bytes(),
        folder / "templates" / "email.mjml.j2": starter.joinpath("email.mjml.j2").read_bytes(),
    }
    existing = [str(path) for path in plan if path.exists()]
    if existing and not force:
        raise ConfigError(
            f"{folder}: {len(existing)} file(s) already there; nothing was written "
            "(use --force to overwrite)",
            [f"{path} already exists" for path in existing],
        )
    for path, content in plan.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            raise DigestError(f"{path}: cannot write ({exc.strerror})") from None
    if not quiet:
        for path in plan:
            click.echo(f"wrote {path}")
        click.echo(
            f"Next: add [[sources]] to {folder / 'config.toml'}, then "
            f"`digest --config {folder / 'config.toml'} check`."
        )


@click.command()
@click.option("--reach", is_flag=True, help="Also connect to each sender's SMTP/HTTP server.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
    help="Seconds to wait for each server with --reach.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; the exit code tells.")
@pass_app
def check(app: App, reach: bool, timeout: float, as_json: bool, quiet: bool) -> None:
    """Check the config, templates and senders, and list every problem.

    Exit code 0: all fine; 2: a mistake in the config, templates or senders;
    1: only unreachable servers (with --reach).
    """
    report = check_setup(app.config_path, reach=reach, timeout=timeout)
    if as_json:
        json.dump(as_data(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif not quiet:
        stream = sys.stdout if report.ok else sys.stderr
        for line in describe(report):
            click.echo(line, file=stream)
    sys.exit(report.exit_code)


COMMANDS = [init, check]
