"""The Redis broker and the one task, ``digest_send_batch``.

Dramatiq's Redis broker moves a message it hands to a worker into that worker's
"acks" set and deletes it only when the task returns (late acknowledgement).  A
worker that is killed leaves its unfinished messages there; once it has not been
heard from for ``[queue] dead_worker_seconds`` any other worker's next call puts
them back on the queue (``maintenance_chance`` is set so that every call looks).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import redis
from dramatiq import Actor
from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker
from dramatiq.middleware import Retries

from ..config import QueueSettings
from ..errors import SendError

#: The task every queued batch is a message of.
BATCH_TASK = "digest_send_batch"
#: Connecting, or one command, takes at most this long before Redis counts as down.
SOCKET_TIMEOUT = 30.0

#: What a worker does with one batch: ``(edition_id, sender, recipient ids)``.
BatchHandler = Callable[[str, str, list[str]], None]


def _pool(settings: QueueSettings, timeout: float) -> redis.ConnectionPool:
    """Connections to ``[queue] url``, logging in with the password from ``password_env``."""
    # Built here, not by Dramatiq from ``url=``: Dramatiq then builds its pool from
    # the URL alone and drops every other connection parameter, so the password
    # (and the timeouts) would never reach Redis.
    return redis.ConnectionPool.from_url(
        settings.url,
        password=os.environ.get(settings.password_env) or None,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )


def probe(settings: QueueSettings, *, timeout: float = 5.0) -> str:
    """What ``digest check`` says of the queue: the Redis version and the batches
    waiting.  Raises :class:`SendError` naming the URL (never the password)."""
    client = redis.Redis(connection_pool=_pool(settings, timeout))
    try:
        version = client.info("server").get("redis_version", "?")
        waiting = client.llen(f"{settings.namespace}:{settings.namespace}")
    except redis.RedisError as exc:
        raise SendError(f"queue {settings.url}: Redis does not answer ({exc})") from None
    finally:
        client.close()
    return f"Redis {version}, queue {settings.namespace!r}: {waiting} batch(es) waiting"


def open_broker(settings: QueueSettings) -> RedisBroker:
    """A broker for ``[queue]``, the password read from ``password_env``.

    Raises :class:`SendError` naming the URL (never the password) if Redis does
    not answer.
    """
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        client=redis.Redis(connection_pool=_pool(settings, SOCKET_TIMEOUT)),
        namespace=settings.namespace,
        heartbeat_timeout=int(settings.dead_worker_seconds * 1000),
        maintenance_chance=MAINTENANCE_SCALE,
        middleware=[
            Retries(
                max_retries=settings.max_retries,
                min_backoff=int(settings.retry_seconds * 1000),
                max_backoff=int(settings.retry_seconds * 1000 * 16),
            )
        ],
    )
    try:
        broker.client.ping()
    except redis.RedisError as exc:
        raise SendError(f"queue {settings.url}: Redis does not answer ({exc})") from None
    return broker


def batch_actor(
    broker: RedisBroker, settings: QueueSettings, handler: BatchHandler | None = None
) -> Actor[Any, Any]:
    """The batch task on ``broker``, run by ``handler`` in a worker (a queueing
    process declares it without one: it only sends messages)."""

    def unhandled(edition_id: str, sender: str, recipients: list[str]) -> None:
        raise RuntimeError("this process only queues batches")

    return Actor(
        handler or unhandled,
        broker=broker,
        actor_name=BATCH_TASK,
        queue_name=settings.namespace,
        priority=0,
        options={},
    )


class Enqueuer:
    """Queues batches of recipients (for ``digest send`` and the scheduler)."""

    def __init__(self, settings: QueueSettings) -> None:
        self.broker = open_broker(settings)
        self.actor = batch_actor(self.broker, settings)
        self.url = settings.url

    def enqueue(self, edition_id: str, sender: str, recipients: Sequence[str]) -> None:
        """Queue one batch.  Raises :class:`SendError` if Redis fails."""
        try:
            self.actor.send(edition_id, sender, list(recipients))
        except redis.RedisError as exc:
            raise SendError(f"queue {self.url}: cannot queue a batch ({exc})") from None

    def close(self) -> None:
        """Drop the connections."""
        self.broker.close()
