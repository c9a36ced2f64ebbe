"""The only module that builds chat models.

Two providers behind LangChain's `BaseChatModel`:
- ``openai``: `ChatOpenAI` for OpenAI or any OpenAI-compatible server (base_url, timeout). The openai
  client does not retry (``max_retries=0``): our one policy in `engine.retry` does, recorded on the model.
- ``local``: `LlamaCppChat`, a thin in-process wrapper over llama-cpp-python with grammar-constrained
  JSON decoding; the GGUF comes from PyPI packages (see `models.py`), nothing is downloaded.

Structured output (`structured()`) lives in `engine.structured`. What a remote model receives is
redacted (`RedactingChatOpenAI`, policy in `core.privacy`); tracing stays off unless opted in.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, TypeVar

from langchain_core.callbacks import (
    AsyncCallbackManagerForLLMRun,
    BaseCallbackHandler,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult, LLMResult
from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr

from persona_agent.core import privacy
from persona_agent.core.config import Settings, cpu_threads
from persona_agent.core.errors import BackendError, ConfigError

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
_ROLE = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}

_llama_cache: dict[tuple[str, int, int], Any] = {}
_llama_lock = threading.Lock()


@atexit.register
def _close_models() -> None:
    """Free models before interpreter teardown (llama-cpp's own __del__ then fails noisily)."""
    with _llama_lock:
        for llama in _llama_cache.values():
            llama.close()
        _llama_cache.clear()


def _load_llama(model_path: str, n_ctx: int, n_threads: int, seed: int) -> Any:
    """One `Llama` per (file, context, threads) per process: loading costs seconds and RAM."""
    key = (model_path, n_ctx, n_threads)
    with _llama_lock:
        if key not in _llama_cache:
            from llama_cpp import Llama

            _llama_cache[key] = Llama(
                model_path=model_path,
                n_ctx=n_ctx,
                n_threads=n_threads,
                seed=seed,
                verbose=False,
            )
        return _llama_cache[key]


class LlamaCppChat(BaseChatModel):
    """In-process chat model over llama-cpp-python.

    ``response_format`` (bound with ``.bind(response_format=...)``) is passed through, so
    ``{"type": "json_object", "schema": {...}}`` gives grammar-constrained JSON.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    model_name: str = "local"
    n_ctx: int = 8192
    n_threads: int = 2
    temperature: float = 0.2
    max_tokens: int = 1500
    repeat_penalty: float = 1.1
    seed: int = 42
    model_sha256: str = ""  # the GGUF's content: a new file under the same name is another model
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "model_sha256": self.model_sha256, "temperature": self.temperature,
                "max_tokens": self.max_tokens, "n_ctx": self.n_ctx, "seed": self.seed,
                "repeat_penalty": self.repeat_penalty}

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> dict:
        payload = [{"role": _ROLE.get(m.type, "user"), "content": m.text} for m in messages]
        request: dict[str, Any] = {
            "messages": payload,
            "temperature": kwargs.get("temperature", self.temperature),
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "repeat_penalty": self.repeat_penalty,
            "seed": self.seed,
            "stop": stop,
        }
        if kwargs.get("response_format"):
            request["response_format"] = kwargs["response_format"]
        return request

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama = _load_llama(self.model_path, self.n_ctx, self.n_threads, self.seed)
        with self._lock:  # a llama context is not safe to share between threads
            reply = llama.create_chat_completion(**self._request(messages, stop, **kwargs))
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            usage_metadata={
                "input_tokens": usage.get("prompt_tokens", 0),
                "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
            response_metadata={"finish_reason": choice.get("finish_reason"), "model": self.model_name},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llama = _load_llama(self.model_path, self.n_ctx, self.n_threads, self.seed)
        with self._lock:
            for part in llama.create_chat_completion(stream=True, **self._request(messages, stop, **kwargs)):
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk


def make_chat_model(settings: Settings, *, cache: Any = None) -> BaseChatModel:
    """The configured chat model. Loads nothing heavy until the first call.

    ``cache`` (a `SQLiteLLMCache`) replays structured replies that validated (see `engine.cache`);
    the retry policy from ``settings`` is recorded on the model for every call made through it.
    """
    privacy.apply_tracing_policy(settings)
    from persona_agent.engine.retry import RetryPolicy, attach

    model = _openai_chat(settings) if settings.llm == "openai" else _local_chat(settings)
    if cache is not None and settings.llm_cache:
        model.cache = cache
    return attach(model, RetryPolicy.from_settings(settings))


def _local_chat(settings: Settings) -> BaseChatModel:
    from persona_agent.engine.models import ensure_model_file, model_sha256

    path = ensure_model_file(settings.model, settings.models_dir)
    return LlamaCppChat(
        model_path=str(path),
        model_name=settings.model or path.stem,
        model_sha256=model_sha256(settings.model, path),
        n_ctx=settings.n_ctx,
        n_threads=cpu_threads(settings),
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )


def _openai_chat(settings: Settings) -> BaseChatModel:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not settings.openai_base_url:
        raise ConfigError(
            "OPENAI_API_KEY",
            "not set, and PERSONA_LLM=openai needs it for api.openai.com",
            "export OPENAI_API_KEY=sk-…, or set OPENAI_BASE_URL to a local server, or PERSONA_LLM=local",
        )
    redactor = privacy.outbound(settings, "chat")
    chat_class = _redacting_chat_class() if redactor is not None else _plain_chat_class()
    return chat_class(
        model=settings.model or DEFAULT_OPENAI_MODEL,
        api_key=SecretStr(key or "not-needed"),  # local OpenAI-compatible servers ignore the key
        base_url=settings.openai_base_url,
        timeout=settings.timeout,
        max_retries=0,  # retries are ours (engine.retry): one bounded policy that honours Retry-After
        temperature=settings.temperature,
    )


def _plain_chat_class() -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI


_redacting_class: Any = None


def _redacting_chat_class() -> Any:
    """`ChatOpenAI` that redacts every message before it is sent (built lazily: langchain-openai
    is imported only when a remote model is used). ``bind_tools`` and ``bind`` work unchanged."""
    global _redacting_class
    if _redacting_class is not None:
        return _redacting_class
    from langchain_openai import ChatOpenAI

    class RedactingChatOpenAI(ChatOpenAI):
        """Sends messages redacted. Names the model itself wrote (an invented persona's name) and
        names given to `allow_names` are not redacted when they come back in later prompts."""

        _allowed: set[str] = PrivateAttr(default_factory=set)
        _allowed_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

        def allow(self, names: Iterable[str]) -> None:
            with self._allowed_lock:
                self._allowed.update(name for name in names if name)

        def _outgoing(self, messages: list[BaseMessage]) -> list[BaseMessage]:
            with self._allowed_lock:
                redactor = privacy.Redactor(frozenset(self._allowed))
            return [_redact_message(message, redactor) for message in messages]

        def _learn(self, result: ChatResult) -> ChatResult:
            from persona_agent.core.pii import find_pii

            for generation in result.generations:
                text = _message_text(generation.message)
                self.allow(text[f.start : f.end] for f in find_pii(text) if f.kind == "NAME")
            return result

        def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                      run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
            return self._learn(super()._generate(self._outgoing(messages), stop, run_manager, **kwargs))

        async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                             run_manager: AsyncCallbackManagerForLLMRun | None = None,
                             **kwargs: Any) -> ChatResult:
            return self._learn(await super()._agenerate(self._outgoing(messages), stop, run_manager, **kwargs))

        def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                    run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
                    ) -> Iterator[ChatGenerationChunk]:
            yield from super()._stream(self._outgoing(messages), stop, run_manager, **kwargs)

        async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                           run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any
                           ) -> AsyncIterator[ChatGenerationChunk]:
            async for chunk in super()._astream(self._outgoing(messages), stop, run_manager, **kwargs):
                yield chunk

    _redacting_class = RedactingChatOpenAI
    return RedactingChatOpenAI


def allow_names(llm: Any, names: Iterable[str]) -> None:
    """Tell a redacting model that ``names`` are invented (the personas'), not personal data."""
    allow = getattr(llm, "allow", None)
    if callable(allow):
        allow(names)


def _message_text(message: BaseMessage) -> str:
    calls = getattr(message, "tool_calls", None) or []
    import json

    return "\n".join([message.text, *(json.dumps(call.get("args", {}), ensure_ascii=False) for call in calls)])


_PART_KEYS = frozenset({"type", "id", "image_url", "cache_control"})  # content-part fields that are not text


def _redact_value(value: Any, redactor: privacy.Redactor) -> Any:
    if isinstance(value, str):
        return redactor(value)
    if isinstance(value, list):
        return [_redact_value(item, redactor) for item in value]
    if isinstance(value, dict):
        return {key: item if key in _PART_KEYS else _redact_value(item, redactor) for key, item in value.items()}
    return value


def _redact_message(message: BaseMessage, redactor: privacy.Redactor) -> BaseMessage:
    update: dict[str, Any] = {"content": _redact_value(message.content, redactor)}
    calls = getattr(message, "tool_calls", None)
    if calls:
        update["tool_calls"] = [{**call, "args": _redact_value(call.get("args", {}), redactor)} for call in calls]
    return message.model_copy(update=update)


# --------------------------------------------------------------------------------------------
# Usage accounting
# --------------------------------------------------------------------------------------------
class UsageTracker(BaseCallbackHandler):
    """Counts provider calls, cache replays and tokens for one unit of work (e.g. one persona)."""

    def __init__(self) -> None:
        self.calls = 0
        self.cached = 0
        self.input_tokens = 0
        self.output_tokens = 0
        self._lock = threading.Lock()

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        with self._lock:
            for generation in (g for batch in response.generations for g in batch):
                message = getattr(generation, "message", None)
                if message is not None and message.response_metadata.get("from_cache"):
                    self.cached += 1
                    continue
                self.calls += 1
                usage = getattr(message, "usage_metadata", None) or {}
                self.input_tokens += int(usage.get("input_tokens", 0))
                self.output_tokens += int(usage.get("output_tokens", 0))


def ping(llm: BaseChatModel) -> str:
    """One tiny real call, for `persona doctor` and the demo."""
    try:
        reply = llm.invoke([HumanMessage(content="Reply with the single word: ready")])
    except Exception as exc:  # provider errors come in many types; doctor reports any of them
        raise BackendError("LLM", f"{type(exc).__name__}: {exc}".splitlines()[0][:300]) from exc
    return reply.text.strip()
