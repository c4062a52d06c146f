"""The application: one config, one store, the stages wired together.

:class:`Digest` is the one application API (as ``Reader`` is in lemon24/reader):
the CLI, the scheduler, the preview and the web service call its methods and
nothing below it.  :func:`make_digest` builds one from a config (and, for tests, an
injected store).  :meth:`Digest.build` makes the whole context of one edition (the
selection and its renditions) before anything is sent, so people and plugins can
inspect it; :meth:`Digest.send` hands it to the senders;
:meth:`Digest.run_edition` does all of it, is safe to repeat for the same moment,
and returns a :class:`~digest.app.reports.RunOutcome`.

The methods live in one module per concern (:mod:`digest.app`): ingest, send,
runs, the reader's side and retention; selection and rendering are here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .app.audience import Audience
from .app.fanout import BatchResult, FanOut
from .app.ingest import Ingesting
from .app.reports import (
    Built,
    IngestReport,
    RunOutcome,
    SendReport,
    StatusReport,
    sources_failed,
)
from .app.retention import PruneReport as PruneReport
from .app.retention import Retention
from .app.running import Running
from .config import Config, load_config
from .errors import ConfigError
from .model import Edition, Renditions
from .render import Renderer, template_folders
from .render.personal import personalise
from .select import Overrides as Overrides  # re-exported for the CLI
from .select import SentStory, edition_id, select
from .select import parse_pin as parse_pin
from .select import rejection_kind as rejection_kind
from .select import rejection_summary as rejection_summary
from .select.outlets import OutletEntry, OutletTable
from .store import Store, open_store


class Digest(Ingesting, FanOut, Running, Audience, Retention):
    """The application: one config, one store, the stages wired together.

    Not shared across threads: :meth:`reopen` gives another thread its own.
    """

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self._renderer: Renderer | None = None
        self.outlets = OutletTable(
            {
                host: OutletEntry(o.name, o.country, o.weight, o.desk)
                for host, o in config.outlets.items()
            }
        )

    def close(self) -> None:
        """Close the store connection; the application is not used afterwards."""
        self.store.close()

    def reopen(self) -> Digest:
        """The same application with its own store connection, for another thread
        (itself for an in-memory store, which cannot be shared)."""
        store = self.store.reopen()
        return self if store is None else Digest(self.config, store)

    def template_folders(self) -> list[Path]:
        """Where templates are looked up, first match wins (see
        :func:`digest.render.template_folders`)."""
        return template_folders(self.config.render.templates, self.config.base_dir)

    def recorded_edition(self, edition_id: str) -> dict[str, Any] | None:
        """A recorded edition as plain data (its moment, picks...), or ``None``."""
        return self.store.edition_data(edition_id)

    # -- select and render ---------------------------------------------------------

    def edition_id(self, as_of: datetime) -> str:
        """The id of the edition for ``as_of``."""
        d = self.config.digest
        return edition_id(d.edition_prefix, as_of, d.timezone)

    def select(self, as_of: datetime, overrides: Overrides | None = None) -> Edition:
        """The edition for ``as_of`` (tz-aware) from the stored articles.

        ``overrides`` (pins, drops, headlines) default to the config's.  Stories
        picked by other editions of the last ``select.memory_days`` are remembered.
        Raises :class:`ConfigError` for a pinned id the store does not hold.
        """
        settings = self.config.select
        overrides = overrides or Overrides.build(settings)
        as_of = as_of.astimezone(UTC)  # the store compares UTC ISO strings
        start = as_of - timedelta(hours=settings.window_hours)
        articles = self.store.articles_between(start, as_of)
        held = {a.id for a in articles}
        for article_id in overrides.pins:
            if article_id not in held:
                pinned = self.store.article(article_id)
                if pinned is None:
                    raise ConfigError(f"pin {article_id!r}: no stored article has that id")
                articles.append(pinned)
        sent = [
            SentStory(edition, when, article)
            for edition, when, article in self.store.picked_articles(
                as_of - timedelta(days=settings.memory_days),
                as_of,
                exclude=self.edition_id(as_of),
            )
        ]
        return select(
            articles,
            as_of=as_of,
            settings=settings,
            timezone=self.config.digest.timezone,
            prefix=self.config.digest.edition_prefix,
            sent=sent,
            overrides=overrides,
            outlets=self.outlets,
        )

    def hold_reason(self, edition: Edition) -> str:
        """Why an edition must not be sent (``""`` when it may): no picks, or fewer
        than ``select.min_picks`` (unless ``select.send_when_thin``), with what
        happened to the other candidates."""
        if not edition.picks or not self.config.select.send_when_thin:
            return self.thin_reason(edition)
        return ""

    def thin_reason(self, edition: Edition) -> str:
        """``"not enough news: …"`` when an edition has fewer picks than
        ``select.min_picks``, else ``""``."""
        minimum = self.config.select.min_picks
        if len(edition.picks) >= minimum:
            return ""
        return (
            f"not enough news: {len(edition.picks)} pick(s), at least {minimum} needed "
            f"(left out: {rejection_summary(edition)})"
        )

    @property
    def renderer(self) -> Renderer:
        """The renderer for this config (built on first use)."""
        if self._renderer is None:
            self._renderer = Renderer(
                self.config.digest, self.config.render, base_dir=self.config.base_dir
            )
        return self._renderer

    def build(self, as_of: datetime, overrides: Overrides | None = None) -> Built:
        """Select and render the edition for ``as_of``, and record both.

        Nothing is sent.  An edition with fewer than ``select.min_picks`` picks is
        built without renditions and held back with the reason.

        An edition that already has deliveries is rendered again from its record,
        which is left alone: a preview, an export or a resumed run later the same
        day (even after more articles came in) shows and sends what its first
        recipients got, and later editions remember the stories that were sent.
        """
        recorded = self.sent_edition(self.edition_id(as_of))
        edition = recorded or self.select(as_of, overrides)
        hold = "" if recorded else self.hold_reason(edition)
        if hold:
            return Built(edition, None, hold)
        renditions, public = self.rendered(edition)
        if recorded is None:
            self.store.save_edition(edition)
            self.store.save_renditions(renditions)
        return Built(edition, renditions, public=public)

    def rendered(self, edition: Edition) -> tuple[Renditions, Renditions]:
        """An edition's renditions with their recipient placeholders, and the same
        filled for nobody in particular (what files, channels and webhooks get)."""
        renditions = self.renderer.render(edition)
        public = replace(
            renditions,
            email=personalise(renditions.email, self.renderer.generic_values(edition)),
        )
        return renditions, public

    def sent_edition(self, edition_id: str) -> Edition | None:
        """The recorded edition if it has deliveries (sent, failed or pending), or
        ``None`` while it has reached nobody."""
        if not self.store.delivery_counts(edition_id):
            return None
        return self.store.edition(edition_id)

    def variant(self, name: str) -> Digest:
        """The same application for a named edition of the day: edition ids become
        ``<prefix>-<name>-<date>`` (``""`` gives this application itself)."""
        if not name:
            return self
        settings = self.config.digest
        prefixed = settings.model_copy(
            update={"edition_prefix": f"{settings.edition_prefix}-{name}"}
        )
        return Digest(self.config.model_copy(update={"digest": prefixed}), self.store)


def make_digest(
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    store: Store | None = None,
) -> Digest:
    """Build the application.

    Give a validated ``config`` or a ``config_path`` to load (``./config.toml`` by
    default); a ``store`` replaces the configured one (``[store]``: an SQLite file
    or a PostgreSQL database; tests pass their own).
    Raises :class:`ConfigError` or :class:`~digest.errors.StoreError`.
    """
    if config is None:
        config = load_config(config_path or "config.toml")
    if store is None:
        store = open_store(config.store_location, password=config.store_password())
    return Digest(config, store)


__all__ = [
    "BatchResult",
    "Built",
    "Digest",
    "IngestReport",
    "RunOutcome",
    "SendReport",
    "StatusReport",
    "make_digest",
    "sources_failed",
]
