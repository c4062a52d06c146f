"""``digest serve``, ``digest archive`` and ``digest bounces``: the reader's side."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

import click

from ..bounces.dsn import InboundHandler, fetch_imap
from ..errors import ConfigError, DigestError
from ..web.archive import build_site, write_site
from . import App, pass_app


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s level=%(levelname)s logger=%(name)s message=%(message)s",
        stream=sys.stderr,
    )


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (put a reverse proxy in front in production).",
)
@click.option("--port", default=8030, show_default=True, type=click.IntRange(0, 65535))
@pass_app
def serve(app: App, host: str, port: int) -> None:
    """Serve the archive, one-click unsubscribe, sign-up, preferences and bounce
    webhooks under /newsletter at [digest] site_url."""
    from ..web.app import Service
    from ..web.app import serve as run

    _logging()
    digest = app.digest
    service = Service(digest.config, senders=digest.senders())
    click.echo(f"digest serve: http://{host}:{port}/newsletter/ (for {service.base}/)", err=True)
    run(service, host=host, port=port)


@click.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the static archive into.",
)
@click.option("--quiet", is_flag=True, help="Print nothing.")
@pass_app
def archive(app: App, out: Path, quiet: bool) -> None:
    """Write the archive (a page per edition sent, index, Atom and JSON Feed) as a
    static site; the same bytes on every run."""
    digest = app.digest
    files = build_site(digest.config, digest.archive_records())
    try:
        written = write_site(files, out)
    except OSError as exc:
        raise DigestError(f"{out}: cannot write ({exc.strerror})") from None
    if not quiet:
        pages = sum(1 for name in files if name.endswith("/index.html"))
        app.out.print(f"{out}: {pages} edition page(s), index, feed.atom, feed.json")
        for path in written:
            click.echo(f"  {path}", err=True)


@click.group()
def bounces() -> None:
    """Read delivery status notifications (RFC 3464) and complaints."""


def _report(app: App, outcomes: list[str]) -> None:
    counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
    summary = ", ".join(f"{n} {o}" for o, n in counts.items()) or "no report found"
    app.out.print(f"{len(outcomes)} event(s): {summary}")


@bounces.command("read")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@pass_app
def read(app: App, files: tuple[Path, ...]) -> None:
    """Apply the reports in message files (.eml)."""
    messages = []
    for path in files:
        try:
            messages.append(path.read_bytes())
        except OSError as exc:
            raise DigestError(f"{path}: cannot read ({exc.strerror})") from None
    _report(app, app.digest.apply_bounce_reports(messages))


@bounces.command("imap")
@pass_app
def imap(app: App) -> None:
    """Read unread reports from the [bounces] IMAP mailbox, apply them and mark
    them read."""
    settings = app.digest.config.bounces
    if not settings.imap_host:
        raise ConfigError("bounces.imap_host: is required to read a mailbox")
    password = os.environ.get(settings.imap_password_env, "") if settings.imap_password_env else ""
    if not password:
        raise ConfigError(
            f"bounces.imap_password_env: environment variable {settings.imap_password_env or '?'}"
            " is not set"
        )
    outcomes: list[str] = []

    def handle(raw: bytes) -> None:
        outcomes.extend(app.digest.apply_bounce_reports([raw]))

    try:
        read_count = fetch_imap(
            host=settings.imap_host,
            port=settings.imap_port,
            security=settings.imap_security,
            username=settings.imap_username,
            password=password,
            folder=settings.imap_folder,
            handle=handle,
        )
    except Exception as exc:  # imaplib raises its own error, OSError, ssl errors
        raise DigestError(f"{settings.imap_host}: {type(exc).__name__}: {exc}") from None
    app.out.print(f"{read_count} message(s) read")
    _report(app, outcomes)


@bounces.command("listen")
@click.option("--host", default=None, help="Address to listen on ([bounces] listen_host).")
@click.option(
    "--port", default=None, type=click.IntRange(1, 65535), help="Port ([bounces] listen_port)."
)
@pass_app
def listen(app: App, host: str | None, port: int | None) -> None:
    """Receive reports on an SMTP port (point the bounce address's MX or a
    transport here) until stopped."""
    from aiosmtpd.controller import Controller

    _logging()
    config = app.digest.config
    lock = threading.Lock()

    def apply(raw: bytes) -> None:
        # aiosmtpd's thread: an application with its own store connection.
        with lock:
            digest = app.digest.reopen()
            try:
                outcomes = digest.apply_bounce_reports([raw])
            finally:
                if digest is not app.digest:
                    digest.close()
        logging.getLogger("digest.bounces").info("report: %s", ", ".join(outcomes) or "none")

    host = host or config.bounces.listen_host
    port = port or config.bounces.listen_port
    controller = Controller(InboundHandler(apply), hostname=host, port=port)
    controller.start()
    click.echo(f"digest bounces listen: smtp://{host}:{port}", err=True)
    stop = threading.Event()
    import signal

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


COMMANDS = [serve, archive, bounces]
