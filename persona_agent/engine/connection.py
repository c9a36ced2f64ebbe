"""The Chroma client of one place, shared by the stores of a process, and the home lock.

Several processes may use one ``$PERSONA_HOME`` (an ingest while `persona slack` answers). Every store
operation holds the home lock (`engine.locks`: readers shared, writers exclusive) for that operation
only. The embedded client sees another process's writes in ``count``/``get`` but not in vector
queries: its HNSW index is cached in memory (measured with chromadb 1.5). So each write stamps a
generation marker, and a process that finds the marker changed closes its client and opens it again
before its next operation. One embedded client per path per process, shared by its stores, so that
closing it really drops the cached index.
"""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from persona_agent.core.config import Settings
from persona_agent.core.errors import BackendError
from persona_agent.engine.locks import HomeLock


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # connection errors surface as several chromadb/httpx types
            raise BackendError(
                "PERSONA_CHROMA_URL",
                f"cannot reach Chroma at {settings.chroma_url} ({type(exc).__name__})",
                "start it with `chroma run --path DIR --port 8000` or unset PERSONA_CHROMA_URL",
            ) from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class Connection:
    """The Chroma client of one place. Embedded: shared by the stores of this process, and reopened
    when another process has written since this one last looked (`refresh`)."""

    GENERATION_FILE = ".generation"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded = settings.chroma_url is None
        self.guard = threading.RLock()  # one operation at a time in this process: a reopen never pulls
        self.client = _client(settings)  # the client from under another thread
        self.seen = self.generation()
        self.reopened = 0

    def generation(self) -> str:
        if not self.embedded:
            return ""
        try:
            return (self.settings.chroma_dir / self.GENERATION_FILE).read_text(encoding="utf-8")
        except OSError:
            return ""

    def refresh(self) -> bool:
        """Reopen the embedded client if another process wrote since we last did or looked."""
        current = self.generation()
        if current == self.seen:
            return False
        self.client.close()
        self.client = _client(self.settings)
        self.seen = current
        self.reopened += 1
        return True

    def wrote(self) -> None:
        """Tell other processes (and their long-lived clients) that the store changed."""
        if not self.embedded:
            return
        token = uuid.uuid4().hex
        folder = self.settings.chroma_dir
        fd, tmp = tempfile.mkstemp(prefix=".generation.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(token)
            os.replace(tmp, folder / self.GENERATION_FILE)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.seen = token


_connections: dict[Path, Connection] = {}
_homes: dict[Path, HomeLock] = {}
_registry_lock = threading.Lock()


def _connection(settings: Settings) -> Connection:
    if settings.chroma_url:
        return Connection(settings)  # a server serves every process the same data
    key = settings.chroma_dir.resolve()
    with _registry_lock:
        if key not in _connections:
            _connections[key] = Connection(settings)
        return _connections[key]


def home_lock(settings: Settings) -> HomeLock:
    """The lock of ``settings.home``; one per path per process, so nested holds in a thread nest."""
    key = settings.home.resolve()
    with _registry_lock:
        lock = _homes.get(key)
        if lock is None:
            lock = _homes[key] = HomeLock(settings.home, settings.lock_timeout)
        lock.timeout = settings.lock_timeout
        return lock
