"""The concern modules together: every part of the store but its locks, on any
:class:`~digest.store.database.Database`."""

from __future__ import annotations

from .articles import ArticleTables
from .audience import AudienceTables
from .claims import ClaimTable
from .deliveries import DeliveryTable
from .editions import EditionTables
from .files import FileTable
from .httpcache import HttpCacheTable
from .push import PushTable
from .runs import RunTable
from .subscribers import SubscriberTables


class Tables(
    ArticleTables,
    HttpCacheTable,
    EditionTables,
    DeliveryTable,
    ClaimTable,
    RunTable,
    SubscriberTables,
    AudienceTables,
    PushTable,
    FileTable,
):
    """Every concern but locks, on any :class:`~digest.store.database.Database`."""
