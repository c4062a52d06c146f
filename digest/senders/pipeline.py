"""Overlapping a batch sender's calls: the next batch's request is built while
the calls in flight wait for their answers.

A provider takes a batch call's whole time to answer, during which the caller
only waits; building the next batch's request then (checking addresses, signing
the unsubscribe tokens, filling the template) takes that work off the path of
the calls.  Two rules keep the overlap from slowing the calls themselves:

* at most ``connections`` calls are in flight; a built request waits for one of
  them to finish (so a crash can still send twice at most one batch a connection);
* a build starts only when no built request is waiting for a connection or being
  written: building holds the interpreter lock, and a writer waiting for it would
  wait out the interpreter's switch interval (5 ms) every time.  Builds are
  therefore one at a time, between a request's last byte going out and its answer
  coming in;
* for the same reason a call whose answer is in gives its connection to the
  request waiting for it and lets that request be written before it goes on to
  read its answer into outcomes (otherwise on the calls' path: 0.8 ms of a
  9 ms SendGrid call); not while that request sleeps for the quota or a
  Retry-After (:meth:`Pipeline.idle`), which would keep these outcomes from the
  delivery log for the whole sleep.

Long bodies go to the HTTP client in slices (:func:`stream`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from ..errors import SenderUnavailable


class Pipeline:
    """The gate a batch sender's callers pass: :meth:`build` around building a
    request, :meth:`call` around sending it.  Thread-safe; a sender has one."""

    def __init__(self, connections: int) -> None:
        self.connections = max(1, connections)
        self._cond = threading.Condition()
        #: Calls holding a connection.
        self._inflight = 0
        #: Requests built but not yet written (waiting for a connection, or writing).
        self._writers = 0
        #: Requests written so far.
        self._writes = 0
        #: Writers holding a connection that wait before they are written (for
        #: the quota or a Retry-After): no call waits for those (see :meth:`idle`).
        self._idle = 0
        self._building = False
        #: Moves on when a call is refused as a whole: requests waiting then are not sent.
        self._epoch = 0

    @contextmanager
    def build(self) -> Iterator[int]:
        """Hold while building a request: one build at a time, and none while a
        built request waits to be written.  Yields the refusal count the request
        is built under, for :meth:`call`."""
        with self._cond:
            self._cond.wait_for(lambda: not self._building and not self._writers)
            self._building = True
            epoch = self._epoch
        try:
            yield epoch
        finally:
            with self._cond:
                self._building = False
                self._cond.notify_all()

    @contextmanager
    def call(self, built_under: int | None = None) -> Iterator[Callable[[], None]]:
        """Hold while making one call: waits for a free connection, then yields
        ``written``, to be called once the request's last byte is out (the next
        build may start then; leaving the block calls it too).

        Raises :class:`~digest.errors.SenderUnavailable` when a call was refused
        as a whole since the request was built (``built_under``, from
        :meth:`build`) or while it waited: it was built while that call was in
        flight, and the refusal (a bad key, a closed account) holds for it too."""
        with self._cond:
            self._writers += 1
            epoch = self._epoch if built_under is None else built_under
            try:
                self._cond.wait_for(
                    lambda: self._epoch != epoch or self._inflight < self.connections
                )
                if self._epoch != epoch:
                    raise SenderUnavailable("not sent: an earlier call was refused as a whole")
            except BaseException:
                self._writers -= 1
                self._cond.notify_all()
                raise
            self._inflight += 1
        pending = [True]

        def written() -> None:
            if pending:
                pending.clear()
                with self._cond:
                    self._writers -= 1
                    self._writes += 1
                    self._cond.notify_all()

        try:
            yield written
        finally:
            written()
            with self._cond:
                self._inflight -= 1
                self._cond.notify_all()
                if self._writers > self._idle:
                    # A built request waits for this connection: let it go out
                    # before this thread reads its answer into outcomes, which
                    # would hold the interpreter lock while it is written; not
                    # while it sleeps for the quota, which would keep these
                    # outcomes from the delivery log as long.
                    writes = self._writes
                    self._cond.wait_for(
                        lambda: self._writes != writes or self._writers <= self._idle
                    )

    @contextmanager
    def idle(self) -> Iterator[None]:
        """Hold while a request that has its connection (inside :meth:`call`)
        waits before it is written (for the quota): a call with its answer in
        then goes on without waiting for it."""
        with self._cond:
            self._idle += 1
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._idle -= 1

    def refuse_waiting(self) -> None:
        """A call was refused as a whole: requests built or waiting for a
        connection meanwhile raise :class:`~digest.errors.SenderUnavailable` in
        :meth:`call` instead of going out."""
        with self._cond:
            self._epoch += 1
            self._cond.notify_all()

    @property
    def inflight(self) -> int:
        """Calls holding a connection now."""
        return self._inflight


def stream(body: Sequence[bytes], written: Callable[[], None]) -> Iterator[bytes]:
    """The pieces of ``body`` as a request stream that calls ``written`` once
    the HTTP client has sent them (the client asks for the next chunk only after
    writing this one).

    A piece longer than :data:`CHUNK` bytes goes in slices: the client writes a
    chunk with ``socket.send`` until it is out, copying what is left after each
    send, which for a whole 27 MB Postmark body copied it over and over."""
    for piece in body:
        if len(piece) <= CHUNK:
            yield piece
            continue
        # Each slice is copied once here, instead of the rest of the piece at
        # every partial send.
        for start in range(0, len(piece), CHUNK):
            yield piece[start : start + CHUNK]
    written()


#: The most bytes of a request body handed to the HTTP client at once.
CHUNK = 1 << 20
