"""Sliding-window rate limits on an injected clock, bounded in memory."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable


class RateLimit:
    """At most ``limit`` events per key in any ``window`` seconds.

    Keys seen least recently are forgotten beyond ``max_keys``, so a flood of
    distinct keys cannot exhaust memory.  Thread-safe.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float],
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one event for ``key`` if it is within the limit; ``False`` (and
        nothing counted) if it is not."""
        now = self._clock()
        with self._lock:
            times = self._events.get(key)
            if times is None:
                times = self._events[key] = deque()
                while len(self._events) > self._max_keys:
                    self._events.popitem(last=False)
            else:
                self._events.move_to_end(key)
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True
