"""The ``apprise`` sender: the push or WhatsApp text to any Apprise service.

Needs the optional extra: ``pip install 'digest[apprise]'``.  Options::

    [senders.everywhere]
    type = "apprise"
    urls_env = "DIGEST_APPRISE_URLS"   # Apprise URLs, separated by spaces or commas
    rendition = "push"                 # or "whatsapp"

Apprise URLs hold the services' tokens, so they come from the environment; the
delivery log and descriptions name each one only by its scheme and position
(``tgram#1``).  Apprise does not say whether a failure is lasting, so every
failure counts as temporary and is retried up to the sender's attempt limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from ..errors import ConfigError, SendError
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient
from .options import Options


class AppriseSender:
    """Notifies each Apprise URL with the push (title, body and link) or WhatsApp text."""

    type_name: ClassVar[str] = "apprise"
    consumes: ClassVar[RenditionKind] = "push"

    def __init__(self, name: str, options: Mapping[str, Any], *, base_dir: Path) -> None:
        opts = Options(name, options, {"urls_env", "rendition"})
        try:
            import apprise
        except ImportError:
            raise ConfigError(
                f"senders.{name}.type: apprise is not installed (pip install 'digest[apprise]')"
            ) from None
        self.name = name
        self.rendition = opts.choice("rendition", ("push", "whatsapp"), "push")
        urls = [u for u in re.split(r"[\s,]+", opts.secret("urls_env")) if u]
        self._services: dict[str, Any] = {}
        for number, url in enumerate(urls, 1):
            label = f"{url.partition('://')[0]}#{number}"
            service = apprise.Apprise()
            if not service.add(url):
                raise ConfigError(
                    f"senders.{name}.urls_env: Apprise URL {label} is not one Apprise knows"
                )
            self._services[label] = service
        self.limits = Limits()
        self.subscriber_list: str | None = None

    def describe(self) -> str:
        """Log-safe: services by scheme and position only."""
        return f"apprise sender {self.name!r} ({self.rendition}) → {', '.join(self._services)}"

    def endpoints(self) -> list[str]:
        """None that can be named: Apprise URLs hold secrets and many schemes."""
        return []

    def recipients(self) -> Iterable[Recipient]:
        """One per Apprise URL."""
        return [Recipient(label) for label in self._services]

    def prepare(self, outgoing: Outgoing) -> None:
        """Nothing to prepare."""

    def close(self) -> None:
        """Nothing held open."""

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Notify one service; a refusal is a temporary :class:`SendError`."""
        service = self._services.get(recipient.id)
        if service is None:
            raise SendError(f"{recipient.id}: no such Apprise URL configured", permanent=True)
        if self.rendition == "push":
            push = outgoing.public.push
            title, body = push.title, f"{push.body}\n{push.url}"
        else:
            title, body = "", outgoing.public.whatsapp.text
        if not service.notify(title=title, body=body):
            raise SendError(f"{recipient.id}: Apprise could not notify the service")
        return SendResult(recipient.id)
