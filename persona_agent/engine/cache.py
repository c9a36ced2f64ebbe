"""The reply cache under ``$PERSONA_HOME``: validated structured replies only.

Re-running generation with unchanged evidence, prompts and model replays every answer from here and
makes no provider call. Only `structured()` writes to it, and only a reply that parsed and passed
pydantic validation (grounding checks included): an invalid, empty or truncated reply is never
stored, so a persona that failed once is asked again next time instead of failing identically.

The key covers everything that shapes a reply: the messages, the model's identity (name, provider
URL, temperature, max_tokens, n_ctx, seed and, for a local model, the GGUF file's sha256) and the
decoding constraint (tool call, grammar or plain JSON, with the schema). `persona generate
--no-cache` (or ``PERSONA_LLM_CACHE=0``) bypasses it.

The class is a LangChain `BaseCache` so that it can ride on a model (``model.cache``), but it answers
LangChain's own lookups with a miss and ignores its updates: LangChain would store every reply before
we could validate it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.messages import BaseMessage, messages_from_dict, messages_to_dict
from langchain_core.outputs import Generation

CACHE_VERSION = "2"  # version 1 stored unvalidated replies under LangChain's keys: never read again


class SQLiteLLMCache(BaseCache):
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, message TEXT NOT NULL)")
        self._db.commit()

    # validated replies ----------------------------------------------------------------------
    def get_reply(self, key: str) -> BaseMessage | None:
        with self._lock:
            row = self._db.execute("SELECT message FROM replies WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        message = messages_from_dict(json.loads(row[0]))[0]
        message.response_metadata["from_cache"] = True
        return message

    def put_reply(self, key: str, message: BaseMessage) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO replies (key, message) VALUES (?, ?)",
                             (key, json.dumps(messages_to_dict([message]), ensure_ascii=False)))
            self._db.commit()

    def forget(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM replies WHERE key = ?", (key,))
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM replies").fetchone()[0])

    # LangChain's interface: always a miss, never a write --------------------------------------
    def lookup(self, prompt: str, llm_string: str) -> Sequence[Generation] | None:
        return None

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Generation]) -> None:
        return None

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._db.execute("DELETE FROM replies")
            self._db.commit()


def reply_cache(llm: Any) -> SQLiteLLMCache | None:
    """The validated-reply cache riding on ``llm``, if any."""
    cache = getattr(llm, "cache", None)
    return cache if isinstance(cache, SQLiteLLMCache) else None


_IDENTITY_FIELDS = ("model_name", "model", "openai_api_base", "temperature", "max_tokens", "n_ctx", "seed",
                    "top_p", "repeat_penalty", "model_sha256", "reasoning_effort")


def model_identity(llm: Any) -> dict[str, Any]:
    """Everything about the model that shapes a reply (what a cache key and a fingerprint need)."""
    identity: dict[str, Any] = {"class": type(llm).__name__}
    try:
        identity.update(dict(llm._identifying_params))
    except (AttributeError, TypeError, NotImplementedError):
        pass
    for name in _IDENTITY_FIELDS:
        value = getattr(llm, name, None)
        if value is not None:
            identity[name] = value
    return json.loads(json.dumps(identity, sort_keys=True, default=str))


def request_key(llm: Any, messages: Sequence[BaseMessage], decoding: dict[str, Any]) -> str:
    """The cache key of one request: model identity + decoding constraint + the messages."""
    payload = {
        "v": CACHE_VERSION,
        "model": model_identity(llm),
        "decoding": decoding,
        "messages": [[m.type, m.content, getattr(m, "tool_calls", None) or []] for m in messages],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
