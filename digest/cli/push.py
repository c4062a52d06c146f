"""``digest push keys`` and ``digest push subscriptions``: Web Push set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError, DigestError
from ..senders.webpush import new_private_key, private_raw, public_key, write_private_key
from . import App, pass_app


@click.group()
def push() -> None:
    """Web Push: the VAPID key and the browsers that subscribed."""


def _webpush(app: App, name: str | None) -> tuple[str, dict[str, Any]]:
    """The ``[senders.NAME]`` of type webpush (the only one, or the one named)."""
    found = {n: s.options() for n, s in app.digest.config.senders.items() if s.type == "webpush"}
    if name is not None:
        if name not in found:
            raise ConfigError(f"no webpush sender named {name!r}")
        return name, found[name]
    if len(found) > 1:
        raise ConfigError(f"several webpush senders ({', '.join(found)}): name one with --sender")
    return next(iter(found.items()), ("", {}))


@push.command()
@click.option("--sender", "sender", default=None, help="The webpush sender (if several).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the private key here (default: the sender's private_key_file).",
)
@click.option("--force", is_flag=True, help="Replace an existing key file.")
@pass_app
def keys(app: App, sender: str | None, out: Path | None, force: bool) -> None:
    """Make a VAPID key pair.

    The private key goes to the file the webpush sender's private_key_file names
    (or --out), readable by its owner only, never over an existing one without
    --force.  A sender with private_key_env instead gets the key printed once, as
    the line to put in that variable.  The public key is printed either way:
    browsers subscribe with it (digest serve serves it).  Changing the key ends
    every existing subscription.
    """
    name, options = _webpush(app, sender) if out is None else ("", {})
    key = new_private_key()
    target = out
    if target is None and options.get("private_key_file"):
        target = Path(str(options["private_key_file"])).expanduser()
        if not target.is_absolute():
            target = app.digest.config.base_dir / target
    if target is not None:
        try:
            write_private_key(target, key, force=force)
        except FileExistsError:
            raise ConfigError(
                f"{target} exists: keep it (subscriptions depend on it) or use --force"
            ) from None
        except OSError as exc:
            raise DigestError(f"cannot write {target}: {exc.strerror}") from None
        click.echo(f"private key written to {target} (mode 600)", err=True)
    else:
        variable = str(options.get("private_key_env") or "VAPID_PRIVATE_KEY")
        where = f"senders.{name}.private_key_env" if name else "a webpush sender's private_key_env"
        click.echo(f"# keep this secret; set it as {variable} ({where})", err=True)
        click.echo(f"{variable}={private_raw(key)}")
    click.echo(f"public key (applicationServerKey): {public_key(key)}")


@push.command()
@pass_app
def subscriptions(app: App) -> None:
    """How many browsers are subscribed to Web Push."""
    click.echo(str(app.digest.count_browsers()))


COMMANDS = [push]
