"""The lock on ``$PERSONA_HOME``: readers shared, writers exclusive, across processes and threads.

Two ingests, or an ingest while the Slack bot answers, could corrupt the embedded Chroma index. Every
store operation now holds this lock for that operation only — never for the life of a process — so a
long-running `persona slack` never blocks an ingest for longer than one write, and sees its writes.
Writers: ingest (per file), analysis results, generate's store writes. Readers: search, ask, chat.

It is `filelock.ReadWriteLock` (SQLite transactions on ``$PERSONA_HOME/.persona.lock``): the OS
releases it when a process dies, and waiting writers are not starved by a stream of readers. Each
thread gets its own instance, so threads of one process wait for each other as processes do. A hold
nests: a read inside a write hold of the same thread is part of the write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from persona_agent.core.errors import BusyError

LOCK_FILE = ".persona.lock"
Mode = Literal["read", "write"]


class HomeLock:
    def __init__(self, home: Path, timeout: float = 30.0) -> None:
        self.home = home
        self.path = home / LOCK_FILE
        self.timeout = timeout
        self._local = threading.local()

    def _state(self) -> Any:
        local = self._local
        if getattr(local, "lock", None) is None:
            from filelock import ReadWriteLock

            self.home.mkdir(parents=True, exist_ok=True)
            local.lock = ReadWriteLock(self.path, timeout=self.timeout, is_singleton=False)
            local.mode, local.depth = None, 0
        return local

    @contextmanager
    def hold(self, mode: Mode, operation: str) -> Iterator[None]:
        state = self._state()
        if state.depth:  # nested in a hold of this thread
            if state.mode == "read" and mode == "write":
                raise RuntimeError(f"{operation}: a write cannot start inside a read hold of the same thread")
            state.depth += 1
            try:
                yield
            finally:
                state.depth -= 1
            return
        from filelock import Timeout

        started = time.monotonic()
        try:
            if mode == "write":
                state.lock.acquire_write(self.timeout)
            else:
                state.lock.acquire_read(self.timeout)
        except Timeout:
            raise BusyError(str(self.home), operation, time.monotonic() - started) from None
        state.mode, state.depth = mode, 1
        try:
            yield
        finally:
            state.mode, state.depth = None, 0
            state.lock.release()

    def read(self, operation: str = "reading") -> Any:
        return self.hold("read", operation)

    def write(self, operation: str = "writing") -> Any:
        return self.hold("write", operation)
