"""A per-client rate limit: a token bucket per client key, in a bounded table.

Each worker process keeps its own table, so with N workers a client may get up
to N times the rate; put the real limit in the reverse proxy when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow each client *per_minute* requests a minute on average, in bursts of at most *burst*.

    The table holds at most *max_clients* clients; the least recently seen are
    forgotten first (a forgotten client starts again with a full bucket, which
    is what a client idle for a while would have anyway).

    Examples
    --------
    >>> now = [0.0]
    >>> limit = RateLimiter(60, burst=2, clock=lambda: now[0])
    >>> limit.wait("a"), limit.wait("a"), limit.wait("a")
    (0.0, 0.0, 1.0)
    >>> now[0] = 1.0
    >>> limit.wait("a")
    0.0
    """

    def __init__(self, per_minute: float, *, burst: int, max_clients: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        if per_minute <= 0 or burst < 1:
            raise ValueError(f"RateLimiter needs per_minute > 0 and burst >= 1, got {per_minute} and {burst}")
        self.rate = per_minute / 60.0
        self.burst = burst
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: Hashable) -> float:
        """Take one request from *client*'s bucket: 0.0 when allowed, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        """The ``Retry-After`` header value (whole seconds, at least 1) for a *wait*."""
        return str(max(1, math.ceil(wait)))
