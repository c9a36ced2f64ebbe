"""A SQLite LLM response cache (LangChain `BaseCache`) under ``$PERSONA_HOME``.

Re-running generation with unchanged evidence and prompts replays every answer from here and makes
no provider call. Replayed messages are marked ``response_metadata["from_cache"] = True`` so usage
accounting can tell a real call from a replay. Plain sqlite3 (no SQLAlchemy), safe across threads.
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
from langchain_core.messages import messages_from_dict, messages_to_dict
from langchain_core.outputs import ChatGeneration, Generation


class SQLiteLLMCache(BaseCache):
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, generations TEXT NOT NULL)"
        )
        self._db.commit()

    @staticmethod
    def _key(prompt: str, llm_string: str) -> str:
        return hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> Sequence[Generation] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT generations FROM responses WHERE key = ?", (self._key(prompt, llm_string),)
            ).fetchone()
        if row is None:
            return None
        messages = messages_from_dict(json.loads(row[0]))
        for message in messages:
            message.response_metadata["from_cache"] = True
        return [ChatGeneration(message=message) for message in messages]

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Generation]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, generations) VALUES (?, ?)",
                (self._key(prompt, llm_string), json.dumps(messages_to_dict(
                    [g.message for g in return_val if isinstance(g, ChatGeneration)]))),
            )
            self._db.commit()

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._db.execute("DELETE FROM responses")
            self._db.commit()
