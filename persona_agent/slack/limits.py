"""What keeps one Slack user, or Slack's own retries, from making the bot call the model again and
again: a token bucket per user, and a memory of the event ids already handled. No slack_bolt here.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

Clock = Callable[[], float]


class RateLimiter:
    """``per_minute`` questions per user, refilled continuously, at most ``per_minute`` at once.

    `allow` spends one question when there is one; `wait` says how long until the next. A user who is
    over the limit is told once (`first_refusal`), not for every message they send meanwhile."""

    def __init__(self, per_minute: int, *, clock: Clock = time.monotonic, max_users: int = 10_000) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.clock = clock
        self.max_users = max_users
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # user → (tokens, at)
        self._told: set[str] = set()
        self._lock = threading.Lock()

    def _tokens(self, user: str, now: float) -> float:
        tokens, at = self._buckets.get(user, (float(self.per_minute), now))
        return min(float(self.per_minute), tokens + (now - at) * self.per_minute / 60.0)

    def allow(self, user: str) -> bool:
        with self._lock:
            now = self.clock()
            tokens = self._tokens(user, now)
            allowed = tokens >= 1.0
            self._buckets[user] = (tokens - 1.0 if allowed else tokens, now)
            self._buckets.move_to_end(user)
            while len(self._buckets) > self.max_users:  # the longest idle bucket is full again anyway
                self._told.discard(self._buckets.popitem(last=False)[0])
            if allowed:
                self._told.discard(user)
            return allowed

    def first_refusal(self, user: str) -> bool:
        """True the first time after `allow` refused ``user`` (tell them once), then False."""
        with self._lock:
            if user in self._told:
                return False
            self._told.add(user)
            return True

    def wait(self, user: str) -> float:
        """Seconds until ``user`` may ask again."""
        with self._lock:
            tokens = self._tokens(user, self.clock())
            return max(0.0, (1.0 - tokens) * 60.0 / self.per_minute)


class SeenEvents:
    """Event ids handled in the last ``window`` seconds (Slack retries an event for up to ~5 minutes)."""

    def __init__(self, window: float = 900.0, *, clock: Clock = time.monotonic, max_ids: int = 50_000) -> None:
        self.window = window
        self.clock = clock
        self.max_ids = max_ids
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """Records ``event_id``; False when it was recorded within the window already."""
        with self._lock:
            now = self.clock()
            while self._seen and (next(iter(self._seen.values())) < now - self.window
                                  or len(self._seen) >= self.max_ids):
                self._seen.popitem(last=False)
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            return True
