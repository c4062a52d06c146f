"""The reader's side: subscribers, sign-up, bounces and the archive (part of
:class:`~digest.edition.Digest`).  Each method is one step the CLI or the web
service takes; the rules live in the store (:mod:`digest.store.audience`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..bounces import BounceEvent, apply_events
from ..bounces.dsn import apply_reports
from ..config import Config
from ..store import (
    ArchivedRecord,
    PushSubscription,
    Store,
    Subscriber,
    SubscriberCounts,
    SubscriberEvent,
    Suppression,
)


class Audience:
    """Subscribers and what happens to them."""

    config: Config
    store: Store

    def import_subscribers(self, subscribers: Iterable[Subscriber]) -> SubscriberCounts:
        """Add or update subscribers; an address once unsubscribed stays so."""
        return self.store.add_subscribers(subscribers)

    def unsubscribe(self, address: str, *, source: str, detail: str = "") -> bool:
        """Unsubscribe ``address`` for good; ``False`` if it is unknown."""
        return self.store.unsubscribe(address, source=source, detail=detail)

    def count_subscribers(self, list_name: str = "default") -> int:
        """How many active subscribers a list has."""
        return self.store.count_subscribers(list_name)

    def history(self, address: str) -> list[SubscriberEvent]:
        """Every recorded change of an address's state, oldest first."""
        return self.store.history(address)

    def suppression(self, address: str) -> Suppression | None:
        """Why an address gets no mail, or ``None``."""
        return self.store.suppression(address)

    def suppressions(self) -> list[Suppression]:
        """Every suppressed address with its reason, newest first."""
        return self.store.suppressions()

    def request_signup(self, address: str, lists: Iterable[str], *, source: str) -> bool:
        """Note a sign-up request for ``lists``; ``False`` if the address is
        suppressed (no confirmation may be mailed to it)."""
        chosen = list(lists)
        self.store.record_signup(address, source=source, detail="lists " + ", ".join(chosen))
        return self.store.suppression(address) is None

    def confirm_signup(
        self, nonce: str, address: str, *, name: str, lists: Iterable[str], source: str
    ) -> bool:
        """Apply a confirmed sign-up once: ``False`` if its ``nonce`` was used."""
        if not self.store.first_time(f"confirm:{nonce}"):
            return False
        self.store.confirm_subscriber(address, name=name, lists=lists, source=source)
        return True

    def set_lists(self, address: str, lists: Iterable[str], *, source: str) -> bool:
        """Make ``lists`` the lists a known address gets; ``False`` if unknown."""
        return self.store.set_lists(address, lists, source=source)

    def preferences(self, address: str) -> tuple[bool, list[str]]:
        """Whether an address is active, and the lists it is on."""
        return self.store.is_active(address), self.store.lists_of(address)

    def subscribe_browser(self, subscription: PushSubscription) -> bool:
        """Keep a browser's Web Push subscription; ``True`` if it is new."""
        return self.store.save_push_subscription(subscription)

    def unsubscribe_browser(self, endpoint: str) -> None:
        """Forget the Web Push subscription of ``endpoint`` (nothing if unknown)."""
        self.store.delete_push_subscriptions([PushSubscription(endpoint, "", "").id])

    def count_browsers(self) -> int:
        """How many browsers are subscribed to Web Push."""
        return self.store.count_push_subscriptions()

    def apply_bounce_events(self, events: Iterable[BounceEvent]) -> list[str]:
        """Record provider events (bounces, complaints, deliveries); replays change
        nothing.  One outcome per event applied."""
        return apply_events(self.store, events, soft_limit=self.config.bounces.soft_limit)

    def apply_bounce_reports(self, messages: Iterable[bytes]) -> list[str]:
        """Apply the delivery status notifications and abuse reports in raw
        messages (about addresses we mailed)."""
        return apply_reports(self.store, messages, soft_limit=self.config.bounces.soft_limit)

    def archive_ids(self) -> list[str]:
        """Ids of the editions that reached someone, newest first (cheap)."""
        return self.store.delivered_edition_ids()

    def archive_records(self) -> list[ArchivedRecord]:
        """The editions that reached someone, with their renditions, newest first."""
        return self.store.delivered_editions()
