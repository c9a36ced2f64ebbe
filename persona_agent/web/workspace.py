"""What every page works on: the settings, the personas' folder, and the chat model, embedder and
evidence store, each made on first use and then shared by all requests (the local model is loaded
once). The store holds the home lock per operation only, so nothing here is locked between requests
and a CLI ingest or generate runs beside the server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from persona_agent.core.config import Settings
from persona_agent.core.privacy import Redactor, outbound

CHANNEL = "#personas"  # the channel `persona chat` opens: the browser continues the same threads


@dataclass
class Workspace:
    settings: Settings
    personas_dir: Path
    shared: bool = False  # reachable from other machines: pages follow the privacy policy (redacted)
    research_dir: Path | None = None  # the folder jobs ingest by default (the only one, when shared)
    llm: Any = None  # injected by tests; else built on first use
    embedder: Any = None
    _store: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # shared backends ---------------------------------------------------------------------------
    def chat_model(self) -> Any:
        with self._lock:
            if self.llm is None:
                from persona_agent.core.config import ensure_home
                from persona_agent.engine.cache import SQLiteLLMCache
                from persona_agent.engine.llm import make_chat_model

                home = ensure_home(self.settings)
                self.llm = make_chat_model(self.settings, cache=SQLiteLLMCache(home / "llm-cache.sqlite"))
            return self.llm

    def embeddings(self) -> Any:
        with self._lock:
            if self.embedder is None:
                from persona_agent.engine.embeddings import make_embeddings

                self.embedder = make_embeddings(self.settings)
            return self.embedder

    def store(self) -> Any:
        embedder = self.embeddings()
        with self._lock:
            if self._store is None:
                from persona_agent.workflows.run import prepare

                self._store = prepare(self.settings, None, embedder=embedder).store
            return self._store

    # library objects -----------------------------------------------------------------------------
    def library(self) -> Any:
        from persona_agent.talk.chat import PersonaLibrary

        return PersonaLibrary(self.personas_dir)

    def session(self, thread: str | None = None, *, on_token: Callable[[str], None] | None = None,
                on_answer: Callable[[Any], None] | None = None,
                on_event: Callable[..., None] | None = None) -> Any:
        """A `ChatSession` like `persona chat`'s (same channel, same thread files)."""
        from persona_agent.workflows.run import open_chat

        session = open_chat(self.settings, self.personas_dir, llm=self.chat_model(), embedder=self.embeddings(),
                            on_token=on_token, on_event=on_event)
        session.channel, session.thread, session.on_answer = CHANNEL, thread or None, on_answer
        return session

    def analysis(self) -> Any:
        from persona_agent.analysis.saved import load_saved_analysis

        return load_saved_analysis(self.settings.analysis_dir)

    def threads(self) -> list[str]:
        from persona_agent.talk.threads import thread_names

        return thread_names(self.settings.home / "chat", CHANNEL)

    def redactor(self, names: list[str] | None = None) -> Redactor | None:
        """What research and model text pass through on the way to a page: nothing on this machine;
        the privacy policy's redaction (invented persona names allowed) when others can open it."""
        if not self.shared:
            return None
        base = outbound(None, "shared-page") or Redactor()
        if names is None:
            names = [p.name for p in self.library().all()]
        return base.allowing(names)

    def model_label(self) -> str:
        settings = self.settings
        if self.llm is not None:
            return str(getattr(self.llm, "model_name", None) or type(self.llm).__name__)
        return f"{settings.llm}: {settings.model or 'default model'}"
