"""Test doubles that ship with the package: a chat model that plays back queued answers and a tiny
deterministic embedder. LangChain's own fakes lack ``bind_tools``; ours go through `structured()`'s
plain-JSON path, the same validation and repair loop real models use.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections import deque
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel, ConfigDict, PrivateAttr


class QueuedChatModel(BaseChatModel):
    """Answers with the next queued reply (a string, a dict sent as JSON, an `AIMessage` returned as it
    is — e.g. with ``response_metadata={"finish_reason": "length"}`` —, or an exception to raise).

    Every call's messages are kept in ``calls`` so tests can assert what the model was shown.
    ``latency`` sleeps per call (benchmarks of concurrency).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    latency: float = 0.0
    default: str | None = None  # answer when the queue is empty (else: error)
    _queue: deque = PrivateAttr(default_factory=deque)
    _calls: list = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, replies: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for reply in replies or []:
            self.queue(reply)

    def queue(self, *replies: Any) -> QueuedChatModel:
        for reply in replies:
            if isinstance(reply, AIMessage):
                pass
            elif isinstance(reply, BaseModel):
                reply = reply.model_dump_json()
            elif isinstance(reply, (dict, list)):
                reply = json.dumps(reply, ensure_ascii=False)
            self._queue.append(reply)
        return self

    @property
    def calls(self) -> list[list[BaseMessage]]:
        return self._calls

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def _llm_type(self) -> str:
        return "queued-fake"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            self._calls.append(list(messages))
            if self._queue:
                reply = self._queue.popleft()
            elif self.default is not None:
                reply = self.default
            else:
                raise AssertionError("QueuedChatModel: no queued reply left for this call")
        if self.latency:
            time.sleep(self.latency)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, AIMessage):
            return ChatResult(generations=[ChatGeneration(message=reply)])
        words = len(str(reply).split())
        message = AIMessage(
            content=str(reply),
            usage_metadata={"input_tokens": 0, "output_tokens": words, "total_tokens": words},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


class HashEmbeddings(Embeddings):
    """Deterministic bag-of-words vectors: texts sharing words are close. Fast; no model."""

    embedder_id = "test:hash-64"

    def __init__(self, dimensions: int = 64) -> None:
        self.dimensions = dimensions
        self.documents_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimensions] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
