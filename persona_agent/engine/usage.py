"""Usage accounting, and the LLM's side of the progress events.

`UsageTracker` is a LangChain callback handler for one unit of work (one persona, one chat turn): it
counts calls, replays from the reply cache, prompt tokens (and those read from the KV cache), generated
tokens and the seconds spent on each; given ``on_event`` it also reports every generated token
(``tokens``) and every finished call (``call``) as progress events (see `core.events`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class UsageTracker(BaseCallbackHandler):
    """Counts provider calls, cache replays and tokens for one unit of work (e.g. one persona)."""

    def __init__(self, on_event: Callable[..., None] | None = None, label: str = "") -> None:
        self.calls = 0
        self.cached = 0  # calls answered from the reply cache (no model call)
        self.input_tokens = 0
        self.cached_tokens = 0  # prompt tokens the model read from its KV cache instead of evaluating them
        self.output_tokens = 0
        self.prompt_seconds = 0.0
        self.generate_seconds = 0.0
        self.on_event = on_event
        self.label = label
        self._live: dict[UUID, list[float]] = {}  # run -> [started, first token at, tokens so far]
        self._lock = threading.Lock()

    @property
    def evaluated_tokens(self) -> int:
        return self.input_tokens - self.cached_tokens

    def on_chat_model_start(self, serialized: dict[str, Any], messages: Any, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            self._live[run_id] = [time.perf_counter(), 0.0, 0]

    def on_llm_start(self, serialized: dict[str, Any], prompts: list[str], *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            self._live[run_id] = [time.perf_counter(), 0.0, 0]

    def on_llm_new_token(self, token: Any, *, run_id: UUID, **kwargs: Any) -> None:
        if self.on_event is None:
            return
        now = time.perf_counter()
        with self._lock:
            state = self._live.setdefault(run_id, [now, 0.0, 0])
            if not state[2]:
                state[1] = now
            state[2] += 1
            generated, seconds = int(state[2]), now - state[1]
        rate = (generated - 1) / seconds if generated > 1 and seconds > 0 else 0.0
        self.on_event("tokens", persona=self.label, generated=generated, seconds=round(seconds, 3),
                      rate=round(rate, 2))

    def on_llm_end(self, response: LLMResult, *, run_id: UUID | None = None, **kwargs: Any) -> None:
        events = []
        with self._lock:
            started = self._live.pop(run_id, [0.0])[0] if run_id is not None else 0.0
            for generation in (g for batch in response.generations for g in batch):
                message = getattr(generation, "message", None)
                if message is not None and message.response_metadata.get("from_cache"):
                    self.cached += 1
                    continue
                self.calls += 1
                usage = getattr(message, "usage_metadata", None) or {}
                details = usage.get("input_token_details") or {}
                timings = (getattr(message, "response_metadata", None) or {}).get("timings") or {}
                prompt, cached = int(usage.get("input_tokens", 0)), int(details.get("cache_read", 0) or 0)
                output = int(usage.get("output_tokens", 0))
                self.input_tokens += prompt
                self.cached_tokens += cached
                self.output_tokens += output
                prompt_seconds = float(timings.get("prompt_seconds", 0.0))
                generate_seconds = float(timings.get("generate_seconds", 0.0))
                if not timings and started:  # a remote model: no split, the whole call counts as generation
                    generate_seconds = time.perf_counter() - started
                self.prompt_seconds += prompt_seconds
                self.generate_seconds += generate_seconds
                events.append({"input_tokens": prompt, "cached_tokens": cached, "evaluated": prompt - cached,
                               "output_tokens": output, "prompt_seconds": round(prompt_seconds, 3),
                               "generate_seconds": round(generate_seconds, 3),
                               "setup_seconds": float(timings.get("setup_seconds", 0.0)),
                               "sample_seconds": float(timings.get("sample_seconds", 0.0))})
        if self.on_event is not None:
            for event in events:
                self.on_event("call", persona=self.label, **event)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            self._live.pop(run_id, None)


@contextlib.contextmanager
def tracking(llm: Any, tracker: UsageTracker | None) -> Iterator[UsageTracker | None]:
    """``tracker`` receives the callbacks of every call ``llm`` makes inside the block (for calls whose
    code takes no callbacks, e.g. chat); nothing happens when it is None."""
    if tracker is None:
        yield None
        return
    previous = llm.callbacks
    llm.callbacks = [*(previous or []), tracker] if isinstance(previous, list) or previous is None else previous
    try:
        yield tracker
    finally:
        llm.callbacks = previous
