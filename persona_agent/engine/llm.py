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
    CallbackManagerForLLMRun,
)
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr

from persona_agent.core import privacy
from persona_agent.core.config import Settings, cpu_threads
from persona_agent.core.errors import BackendError, ConfigError
from persona_agent.engine.usage import UsageTracker  # noqa: F401 (re-exported: the stages import it from here)

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
_ROLE = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}



@atexit.register
def _close_models() -> None:
    from persona_agent.engine import llamacpp

    llamacpp.close_all()


class LlamaCppChat(BaseChatModel):
    """In-process chat model over llama-cpp-python.

    ``response_format`` (bound with ``.bind(response_format=...)``) is passed through, so
    ``{"type": "json_object", "schema": {...}}`` gives grammar-constrained JSON. Every reply reports
    its prompt tokens, the part of them reused from the KV cache (``usage_metadata
    ["input_token_details"]["cache_read"]``) and, in ``response_metadata["timings"]``, the seconds
    spent on the prompt and on generating; each generated token reaches the callbacks'
    ``on_llm_new_token`` as it is sampled, streaming or not (progress displays count them).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    model_name: str = "local"
    n_ctx: int = 8192
    n_threads: int = 2
    n_batch: int = 512
    flash_attn: bool = False
    prompt_lookup: int = 0
    temperature: float = 0.2
    max_tokens: int = 1500
    repeat_penalty: float = 1.1
    seed: int = 42
    model_sha256: str = ""  # the GGUF's content: a new file under the same name is another model

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "model_sha256": self.model_sha256, "temperature": self.temperature,
                "max_tokens": self.max_tokens, "n_ctx": self.n_ctx, "seed": self.seed,
                "repeat_penalty": self.repeat_penalty}

    def loaded(self) -> Any:
        """The process's `llamacpp.Loaded` model for these settings (loaded on first use)."""
        from persona_agent.engine import llamacpp

        return llamacpp.load(self.model_path, llamacpp.LoadOptions(
            n_ctx=self.n_ctx, n_threads=self.n_threads, n_batch=self.n_batch, flash_attn=self.flash_attn,
            prompt_lookup=self.prompt_lookup, seed=self.seed))

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
        from persona_agent.engine.llamacpp import Meter

        loaded = self.loaded()
        meter = Meter(on_token=run_manager.on_llm_new_token if run_manager else None)
        with loaded.lock:  # a llama context is not safe to share between threads
            loaded.llama.meter = meter
            try:
                reply = loaded.llama.create_chat_completion(**self._request(messages, stop, **kwargs))
            finally:
                meter.finish()
                loaded.llama.meter = None
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            usage_metadata=_usage(usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0), meter),
            response_metadata={"finish_reason": choice.get("finish_reason"), "model": self.model_name,
                               "timings": meter.timings()},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        from persona_agent.engine.llamacpp import Meter

        loaded = self.loaded()
        meter = Meter()
        with loaded.lock:
            loaded.llama.meter = meter
            try:
                for part in loaded.llama.create_chat_completion(stream=True, **self._request(messages, stop, **kwargs)):
                    delta = part["choices"][0].get("delta", {}).get("content")
                    if delta:
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                        if run_manager:
                            run_manager.on_llm_new_token(delta, chunk=chunk)
                        yield chunk
            finally:
                meter.finish()
                loaded.llama.meter = None
        prompt = int(loaded.llama.n_tokens) - meter.generated + 1 if meter.generated else int(loaded.llama.n_tokens)
        yield ChatGenerationChunk(message=AIMessageChunk(
            content="", usage_metadata=_usage(prompt, meter.generated, meter),
            response_metadata={"model": self.model_name, "timings": meter.timings()}))


def _usage(prompt_tokens: int, output_tokens: int, meter: Any) -> Any:
    """LangChain usage metadata; the prompt tokens not evaluated were read from the KV cache."""
    evaluated = meter.evaluated if meter.evaluated >= 0 else prompt_tokens
    return {"input_tokens": prompt_tokens, "output_tokens": output_tokens,
            "total_tokens": prompt_tokens + output_tokens,
            "input_token_details": {"cache_read": max(0, prompt_tokens - evaluated)}}


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
        n_batch=settings.n_batch,
        flash_attn=settings.flash_attn,
        prompt_lookup=settings.prompt_lookup,
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


def ping(llm: BaseChatModel) -> str:
    """One tiny real call, for `persona doctor` and the demo."""
    try:
        reply = llm.invoke([HumanMessage(content="Reply with the single word: ready")])
    except Exception as exc:  # provider errors come in many types; doctor reports any of them
        raise BackendError("LLM", f"{type(exc).__name__}: {exc}".splitlines()[0][:300]) from exc
    return reply.text.strip()
