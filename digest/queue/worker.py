"""``digest worker``: processes that take queued batches and send them.

Each worker process runs one Dramatiq :class:`~dramatiq.Worker` with one worker
thread and a prefetch of one message, so a killed process holds exactly the
batch it was sending.  The batch is acknowledged only when
:meth:`Digest.send_batch <digest.app.fanout.FanOut.send_batch>` returns; a batch
with recipients left over (held by another live worker, or left pending by the
sender) is queued again after ``[queue] retry_seconds``.  A keep-alive thread
calls Redis every quarter of ``dead_worker_seconds``: Dramatiq's consumer only
beats while it fetches, and a long batch must not look like a dead worker.

``--processes N`` starts N such processes and starts a new one when one dies; a
SIGTERM or SIGINT lets each finish the message in flight, put the rest of its
batch back on the queue and exit.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from pathlib import Path
from types import FrameType

import redis
from dramatiq import Worker
from dramatiq.errors import Retry

from ..config import Config, QueueSettings, load_config
from ..edition import Digest, make_digest
from ..scheduler import log_event
from .broker import batch_actor, open_broker

logger = logging.getLogger("digest.worker")
#: Milliseconds the consumer waits on an empty queue before it looks again.
IDLE_POLL_MS = 1000
#: Seconds a stopping worker waits for the batch in flight.
STOP_TIMEOUT = 600


class BatchRunner:
    """Runs batches in a worker thread, with that thread's own application."""

    def __init__(self, config: Config, stop: threading.Event) -> None:
        self.config = config
        self.stop = stop
        self._local = threading.local()

    def digest(self) -> Digest:
        """This thread's application (a store connection belongs to its thread)."""
        found: Digest | None = getattr(self._local, "digest", None)
        if found is None:
            found = self._local.digest = make_digest(config=self.config)
        return found

    def __call__(self, edition_id: str, sender: str, recipients: list[str]) -> None:
        """The batch task: send, log, and ask for a retry if anything is left."""
        result = self.digest().send_batch(edition_id, sender, recipients, stop=self.stop)
        log_event(
            "batch.done", edition_id, to=logger, sender=sender, size=len(recipients),
            sent=result.sent, failed=result.failed, already_done=result.already_done,
            held_elsewhere=len(result.held), left_pending=result.pending, dropped=result.dropped,
            pruned=result.pruned,
        )  # fmt: skip
        if result.unfinished:
            settings = self.config.queue
            assert settings is not None
            raise Retry(
                f"{len(result.held)} held by another worker, {result.pending} left pending",
                delay=int(settings.retry_seconds * 1000),
            )


def serve(config: Config, stop: threading.Event) -> None:
    """Run one worker in this process until ``stop`` is set.

    Raises :class:`~digest.errors.SendError` if Redis does not answer at start.
    """
    settings = _settings(config)
    broker = open_broker(settings)
    batch_actor(broker, settings, BatchRunner(config, stop))
    worker = Worker(broker, worker_threads=1, worker_timeout=IDLE_POLL_MS)
    worker.queue_prefetch = 1  # a killed worker holds only the batch it was sending
    worker.start()
    log_event("worker.start", to=logger, queue=settings.namespace, url=settings.url)
    try:
        while not stop.wait(settings.dead_worker_seconds / 4):
            try:
                broker.do_qsize(settings.namespace)  # a heartbeat (see the module docstring)
            except redis.RedisError as exc:
                # Redis away for a while: Dramatiq reconnects by itself, and the
                # worker must outlive the outage rather than die with a traceback.
                log_event("worker.redis_unreachable", to=logger, error=str(exc))
    finally:
        worker.stop(timeout=STOP_TIMEOUT * 1000)
        broker.close()
        log_event("worker.stopped", to=logger)


def _settings(config: Config) -> QueueSettings:
    if config.queue is None:
        from ..errors import ConfigError

        raise ConfigError('digest worker: the config has no [queue] table (url = "redis://...")')
    return config.queue


def run_workers(config_path: Path, processes: int, stop: threading.Event) -> None:
    """``digest worker --processes N``: one worker here when ``N`` is 1, else ``N``
    child processes, each started again if it dies, until ``stop`` is set."""
    config = load_config(config_path)
    _settings(config)
    if processes == 1:
        serve(config, stop)
        return
    context = multiprocessing.get_context("spawn")
    children: list[multiprocessing.process.BaseProcess] = []
    try:
        while not stop.is_set():
            for index in range(processes):
                if index < len(children) and children[index].is_alive():
                    continue
                if index < len(children):
                    log_event(
                        "worker.died", to=logger, level=logging.WARNING,
                        pid=children[index].pid, exit=children[index].exitcode,
                    )  # fmt: skip
                child: multiprocessing.process.BaseProcess = context.Process(
                    target=_child, args=(str(config_path),), daemon=False
                )
                child.start()
                if index < len(children):
                    children[index] = child
                else:
                    children.append(child)
            stop.wait(1.0)
    finally:
        for child in children:
            if child.is_alive() and child.pid is not None:
                child.terminate()  # SIGTERM: finish the message in flight
        for child in children:
            child.join(STOP_TIMEOUT)


def _child(config_path: str) -> None:
    """A worker process started by :func:`run_workers`."""
    from ..cli.schedule import log_to_stderr

    log_to_stderr(logging.INFO)
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops its children
    serve(load_config(config_path), stop)
