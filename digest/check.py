"""``digest check``: everything wrong with a setup, found in one pass.

Checks the config file (every setting, via :func:`digest.config.parse_config`),
the sources' local paths, the templates (each file parsed, then a trial render of
a small made-up edition through the whole email pipeline) and the senders (type
known, options accepted), and on request connects to each sender's SMTP or HTTP
endpoint.  Each part is checked even when another part is broken, so one run
lists every mistake.  Nothing is sent and the store is not opened (a PostgreSQL
store is connected to, to report its server and schema, but nothing is changed;
so is the ``[queue]`` Redis, logging in with its password).
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import httpx
import jinja2
from pydantic import BaseModel, ValidationError

from .config import (
    Config,
    DigestSettings,
    RenderSettings,
    SenderSettings,
    parse_config,
    read_toml,
)
from .errors import ConfigError, DigestError, SendError, StoreError
from .model import Article, Edition, Image, Pick
from .render import Renderer, check_template_folder, template_folders
from .senders import build_sender

_Model = TypeVar("_Model", bound=BaseModel)

ProblemKind = Literal["config", "source", "template", "sender", "reach"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that is wrong: where (a setting, a file and line) and what."""

    kind: ProblemKind
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(slots=True)
class Report:
    """The outcome of a check: the problems, and what was checked and found fine."""

    config_path: Path
    problems: list[Problem] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return not self.problems

    @property
    def exit_code(self) -> int:
        """0 when fine; 1 when only endpoints were unreachable; 2 for any mistake
        in the config, templates or senders."""
        if self.ok:
            return 0
        return 1 if all(p.kind == "reach" for p in self.problems) else 2

    def add(self, kind: ProblemKind, where: str, what: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(kind, where, what))


def check_setup(config_path: Path, *, reach: bool = False, timeout: float = 5.0) -> Report:
    """Check the config file at ``config_path`` and everything it names.

    With ``reach``, also connect to every enabled sender's endpoints (``timeout``
    seconds each).  Never raises for a mistake in the setup: all are in the report.
    """
    report = Report(config_path)
    data = _read_toml(config_path, report)
    if data is None:
        return report
    base_dir = config_path.resolve().parent
    try:
        config: Config | None = parse_config(data, base_dir=base_dir, origin=str(config_path))
        report.fine.append("settings")
    except ConfigError as exc:
        config = None
        for problem in exc.problems:
            where, _, what = problem.partition(": ")
            report.add("config", where, what)
    if config is not None:
        _check_store(config, report, timeout)
        _check_queue(config, report, timeout)
        _check_sources(config, report)
    _check_templates(data, base_dir, report)
    _check_senders(data, base_dir, report, reach=reach, timeout=timeout)
    return report


def _read_toml(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        return read_toml(path.read_bytes(), str(path))
    except FileNotFoundError:
        report.add("config", str(path), "config file not found (digest init DIR writes one)")
    except OSError as exc:
        report.add("config", str(path), f"cannot read config file ({exc.strerror})")
    except ConfigError as exc:
        report.add("config", str(path), str(exc).removeprefix(f"{path}: "))
    return None


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _section(model: type[_Model], raw: dict[str, Any]) -> _Model:
    # A broken section is already reported by the settings check; fall back to the
    # defaults so the templates can still be tried.
    try:
        return model.model_validate(raw)
    except ValidationError:
        return model()


# -- store ------------------------------------------------------------------------

_SQLITE_HEADER = b"SQLite format 3\x00"
#: Kernel and device file systems: never a place for a database.
_SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def store_problem(path: Path) -> str:
    """What is wrong with ``path`` as the SQLite store, or ``""``.

    It must be an SQLite database or an empty file, or not exist yet in a folder
    that can be written; a folder, a device, a file of another kind or a path in
    ``/proc``, ``/sys`` or ``/dev`` is refused.  Nothing is created or changed.
    """
    resolved = path.resolve()
    for root in _SYSTEM_ROOTS:
        if resolved == root or root in resolved.parents:
            return f"{path} is in {root}, a system file system, not a place for a database"
    if resolved.is_dir():
        return f"{path} is a folder; name a file such as {path / 'digest.sqlite3'}"
    if resolved.exists():
        if not resolved.is_file():
            return f"{path} is not a regular file"
        try:
            with resolved.open("rb") as handle:
                head = handle.read(len(_SQLITE_HEADER))
        except OSError as exc:
            return f"{path}: cannot read ({exc.strerror or exc})"
        if head and head != _SQLITE_HEADER:
            return f"{path} is not an SQLite database (a file of another kind is there)"
        if not os.access(resolved, os.W_OK):
            return f"{path} cannot be written"
        return ""
    folder = next((p for p in resolved.parents if p.exists()), None)
    if folder is None or not folder.is_dir():
        return f"{path}: {folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{path}: the folder {folder} cannot be written"
    return ""


def _check_store(config: Config, report: Report, timeout: float) -> None:
    if config.store.is_postgres:
        _check_postgres(config, report, timeout)
        return
    where = "store.url" if config.store.url else "store.path"
    problem = store_problem(config.store_path)
    if problem:
        report.add("config", where, problem)
    else:
        report.fine.append(f"store: SQLite file {config.store_path}")


def _check_postgres(config: Config, report: Report, timeout: float) -> None:
    """Connect to the PostgreSQL store (nothing is created or migrated)."""
    url = config.store.url
    try:
        password = config.store_password()
    except ConfigError as exc:
        report.add("config", "store.password_env", str(exc).removeprefix("store.password_env: "))
        return
    try:
        from .store.postgres import probe
    except ImportError:
        report.add("config", "store.url", "PostgreSQL needs psycopg: install digest[postgres]")
        return
    try:
        found = probe(url, password, timeout=timeout)
    except StoreError as exc:
        report.add("reach", "store.url", str(exc))
    else:
        report.fine.append(f"store: {url} reached ({found})")


def _check_queue(config: Config, report: Report, timeout: float) -> None:
    """Log in to the ``[queue]`` Redis, as ``digest send`` and the workers will."""
    if config.queue is None:
        return
    try:
        from .queue.broker import probe as probe_queue
    except ImportError:
        report.add(
            "config", "queue", "the queue needs Dramatiq and redis-py: install digest[queue]"
        )
        return
    try:
        found = probe_queue(config.queue, timeout=timeout)
    except SendError as exc:
        report.add("reach", "queue.url", str(exc))
    else:
        report.fine.append(f"queue: {config.queue.url} reached ({found})")


# -- sources ----------------------------------------------------------------------


def _check_sources(config: Config, report: Report) -> None:
    for index, source in enumerate(config.sources):
        if source.path.startswith(("http://", "https://")):
            continue
        path = config.resolve(source.path)
        if any(ch in source.path for ch in "*?["):
            if not any(path.parent.glob(path.name)):
                report.add("source", f"sources.{index}.path", f"no file matches {path}")
        elif not path.exists():
            report.add("source", f"sources.{index}.path", f"no such file or folder {path}")
    if config.sources:
        report.fine.append(f"{len(config.sources)} source(s)")


# -- templates --------------------------------------------------------------------


def _check_templates(data: dict[str, Any], base_dir: Path, report: Report) -> None:
    render_raw = _table(data, "render")
    folder_setting = render_raw.get("templates")
    folders = template_folders(
        Path(folder_setting) if isinstance(folder_setting, str) else None, base_dir
    )
    try:
        check_template_folder(folders)
    except ConfigError as exc:
        where, _, what = str(exc).partition(": ")
        report.add("template", where, what)
        return
    before = len(report.problems)
    env = jinja2.Environment()
    for folder in folders:
        for path in sorted(folder.glob("*.j2")):
            _parse_template(env, path, base_dir, report)
    if len(report.problems) > before:
        return  # a syntax error would only be reported again by the trial render
    digest = _section(DigestSettings, _table(data, "digest"))
    render = _section(RenderSettings, {k: v for k, v in render_raw.items() if k != "templates"})
    try:
        renderer = Renderer(digest, render.model_copy(update={"templates": folders[0]}),
                            base_dir=base_dir)  # fmt: skip
        renderer.render(_trial_edition(digest.timezone))
    except ConfigError as exc:  # a setting the renderer cannot use ("render.KEY: ...")
        where, _, what = str(exc).partition(": ")
        report.add("config", where, what)
    except DigestError as exc:
        report.add("template", "templates", f"a trial render failed: {exc}")
    except Exception as exc:  # a template can raise anything (a filter, a bad type)
        report.add("template", "templates", f"a trial render failed: {type(exc).__name__}: {exc}")
    else:
        report.fine.append("templates (" + ", ".join(str(f) for f in folders) + ")")


def _parse_template(env: jinja2.Environment, path: Path, base_dir: Path, report: Report) -> None:
    try:
        env.parse(path.read_text("utf-8"), name=path.name, filename=str(path))
    except UnicodeDecodeError:
        report.add("template", _shown(path, base_dir), "is not UTF-8 text")
    except jinja2.TemplateSyntaxError as exc:
        report.add("template", f"{_shown(path, base_dir)}, line {exc.lineno}", exc.message or "")


def _shown(path: Path, base_dir: Path) -> str:
    try:
        return str(path.relative_to(base_dir))
    except ValueError:
        return str(path)


def _trial_edition(timezone: str) -> Edition:
    """A small made-up edition with awkward text (markup, WhatsApp markers, emoji),
    enough to run every template and the MJML and CSS steps."""
    as_of = datetime(2020, 11, 23, 4, 30, tzinfo=UTC)
    stories = [
        ("Leaders meet <b>in</b> Paris & agree *new* targets 🇫🇷", "Talks ran late_into the night."),
        ("Storm warning for the coast", "Forecasters expect heavy rain by Tuesday."),
        ("Markets open higher", ""),
    ]
    picks = []
    for rank, (title, summary) in enumerate(stories, 1):
        article = Article(
            id=f"trial-{rank}",
            url=f"https://example.com/world/trial-{rank}",
            title=title,
            summary=summary,
            published_at=as_of - timedelta(hours=rank),
            section="world",
            dateline="Paris",
            agency="Trial Wire",
            image=Image("https://example.com/trial.jpg", "A trial image") if rank == 1 else None,
        )
        picks.append(Pick(article, 1.0 / rank, ("trial",), ("Other Wire",) if rank == 1 else ()))
    return Edition("trial-2020-11-23", as_of, timezone, tuple(picks), window_start=as_of)


# -- senders ----------------------------------------------------------------------


def _check_senders(
    data: dict[str, Any], base_dir: Path, report: Report, *, reach: bool, timeout: float
) -> None:
    for name, raw in _table(data, "senders").items():
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            continue  # reported by the settings check
        where = f"senders.{name}"
        # The sender's own options: everything but the keys every sender shares.
        options = {k: v for k, v in raw.items() if k not in SenderSettings.model_fields}
        try:
            sender = build_sender(name, raw["type"], options, base_dir)
        except DigestError as exc:
            # Senders name the key themselves ("senders.NAME.KEY: ..."); keep it.
            key, sep, what = str(exc).partition(": ")
            if sep and key.startswith(where):
                report.add("sender", key, what)
            else:
                report.add("sender", where, str(exc))
            continue
        except Exception as exc:  # a third-party sender may raise anything
            report.add("sender", where, f"cannot be set up: {type(exc).__name__}: {exc}")
            continue
        report.fine.append(f"sender {name} ({raw['type']})")
        if reach and raw.get("enabled", True) is not False:
            for endpoint in endpoints(sender, options):
                problem = probe(endpoint, timeout=timeout)
                if problem:
                    report.add("reach", where, problem)
                else:
                    report.fine.append(f"sender {name} reached {_public(endpoint)}")


_URL_KEYS = ("url", "endpoint", "base_url", "server")
_SCHEMES = ("http://", "https://", "smtp://", "smtps://")


def endpoints(sender: object, options: Mapping[str, Any]) -> list[str]:
    """The network endpoints a sender talks to, as URLs (``https://…``,
    ``smtp://host:port``).

    A sender may say so itself with an ``endpoints()`` method; otherwise they are
    read from its options: ``url``-like keys holding an http(s) URL, and ``host``
    with ``port`` for SMTP senders.
    """
    own = getattr(sender, "endpoints", None)
    if callable(own):
        return [str(e) for e in own()]
    found = []
    for key, value in sorted(options.items()):
        url_like = key in _URL_KEYS or key.endswith("_url")
        if url_like and isinstance(value, str) and value.startswith(_SCHEMES):
            found.append(value)
    host = options.get("host")
    if isinstance(host, str) and host:
        port = options.get("port")
        secure = port == 465 or options.get("ssl") is True
        scheme = "smtps" if secure else "smtp"
        found.append(f"{scheme}://{host}:{port if isinstance(port, int) else 25}")
    return found


def _public(url: str) -> str:
    # Webhook URLs often carry a token in their path or query: show only where.
    parts = urlsplit(url)
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{parts.port}" if parts.port else "")


def probe(url: str, *, timeout: float = 5.0) -> str:
    """Connect to an endpoint; ``""`` if it answered, else what went wrong.

    HTTP(S): any HTTP response counts (even 404: the server is there).  SMTP: the
    server's greeting.  Nothing is sent and nobody logs in.
    """
    parts = urlsplit(url)
    checks: dict[str, Callable[[], None]] = {
        "http": lambda: _probe_http(url, timeout),
        "https": lambda: _probe_http(url, timeout),
        "smtp": lambda: _probe_smtp(parts.hostname or "", parts.port or 25, timeout, False),
        "smtps": lambda: _probe_smtp(parts.hostname or "", parts.port or 465, timeout, True),
    }
    check = checks.get(parts.scheme)
    if check is None:
        return f"cannot check {parts.scheme}:// endpoints"
    try:
        check()
    except (OSError, smtplib.SMTPException, httpx.HTTPError, ssl.SSLError) as exc:
        return f"cannot reach {_public(url)} ({_reason(exc)})"
    return ""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError | httpx.ConnectError):
        return "connection refused or host unknown"
    if isinstance(exc, TimeoutError | socket.timeout | httpx.TimeoutException):
        return "timed out"
    return str(exc) or type(exc).__name__


def _probe_http(url: str, timeout: float) -> None:
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        client.request("HEAD", url)


def _probe_smtp(host: str, port: int, timeout: float, secure: bool) -> None:
    kind = smtplib.SMTP_SSL if secure else smtplib.SMTP
    with kind(host, port, timeout=timeout) as server:
        server.noop()


def describe(report: Report) -> Iterator[str]:
    """The report as plain lines for people."""
    if report.ok:
        yield f"{report.config_path}: no problems found."
        for line in report.fine:
            yield f"  ok  {line}"
        return
    count = len(report.problems)
    yield f"{report.config_path}: {count} problem{'s' if count != 1 else ''} found:"
    for problem in report.problems:
        yield f"  - {problem}"


def as_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "config": str(report.config_path),
        "ok": report.ok,
        "exit_code": report.exit_code,
        "problems": [{"kind": p.kind, "where": p.where, "what": p.what} for p in report.problems],
        "fine": list(report.fine),
    }


__all__ = [
    "Problem",
    "ProblemKind",
    "Report",
    "as_data",
    "check_setup",
    "describe",
    "endpoints",
    "probe",
]
