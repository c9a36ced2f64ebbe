"""One bounded retry policy for every provider call (chat and embeddings).

Before, openai's own 3 retries ran inside our 4 attempts: up to 16 requests of 120 s for one call,
blind to ``Retry-After``. Now the openai client does no retries (``max_retries=0``) and every call
goes through `call` / `stream` here: at most ``retries`` more attempts, waits that honour
``Retry-After`` (429/503) or back off exponentially with jitter, and a total time ``budget`` per call.

What is transient and what is permanent is decided in one place, `classify`. Whatever ends a call is
a typed error (`ProviderUnavailableError`, `ContextLengthError`, `ProviderRequestError`) that fails
one persona, one chat turn or one file; an exception we do not recognise is re-raised unchanged.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar

from persona_agent.core.errors import (
    ContextLengthError,
    ProviderError,
    ProviderRequestError,
    ProviderUnavailableError,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Verdict = Literal["transient", "permanent", "context"]

_METADATA_KEY = "persona_retry"
_CONTEXT = re.compile(r"context (length|window|size)|maximum context|exceeds? the available context|"
                      r"too many tokens|exceed context", re.IGNORECASE)
_TRANSIENT_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}


@dataclass(frozen=True)
class RetryPolicy:
    """``retries`` more attempts after the first, all of them (and the waits) within ``budget`` seconds."""

    retries: int = 3
    budget: float = 300.0
    initial_wait: float = 1.0
    max_wait: float = 30.0  # cap of one backoff wait when the provider gives no Retry-After

    @classmethod
    def from_settings(cls, settings: Any) -> RetryPolicy:
        return cls(retries=settings.max_retries, budget=settings.retry_budget)

    def backoff(self, attempt: int) -> float:
        """Exponential with jitter: ~1, 2, 4 … s, never above ``max_wait``."""
        return min(self.max_wait, self.initial_wait * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)


def attach(model: Any, policy: RetryPolicy) -> Any:
    """Record ``policy`` on a LangChain model (in its ``metadata``), for `policy_of` at call time."""
    model.metadata = {**(model.metadata or {}), _METADATA_KEY: asdict(policy)}
    return model


def policy_of(model: Any) -> RetryPolicy:
    recorded = (getattr(model, "metadata", None) or {}).get(_METADATA_KEY)
    return RetryPolicy(**recorded) if recorded else RetryPolicy()


# --------------------------------------------------------------------------------------- verdicts
def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _code(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        inner: dict[str, Any] = error if isinstance(error, dict) else body
        return str(inner.get("code") or inner.get("type") or "")
    return str(getattr(exc, "code", "") or "")


def classify(exc: BaseException) -> Verdict | None:
    """The one place that decides: retry it, give up with a typed error, or not ours (None: re-raise)."""
    if isinstance(exc, ProviderError):
        return None  # already decided further down
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return "transient"
    message = str(exc)
    if isinstance(exc, ValueError) and _CONTEXT.search(message):  # llama-cpp: "Requested tokens … exceed context"
        return "context"
    try:
        import httpx
        import openai
    except ImportError:  # pragma: no cover - both are dependencies
        return None
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, httpx.TimeoutException,
                        httpx.NetworkError, httpx.RemoteProtocolError)):
        return "transient"
    if isinstance(exc, openai.APIStatusError):
        status = _status(exc)
        message += f" {getattr(exc, 'body', '')}"  # the server's own words (llama.cpp: "exceeds the available context")
        if _code(exc) == "context_length_exceeded" or (status == 400 and _CONTEXT.search(message)):
            return "context"
        if _code(exc) == "insufficient_quota":
            return "permanent"  # a 429 that no wait will fix
        return "transient" if status in _TRANSIENT_STATUS or (status or 0) >= 500 else "permanent"
    return None


def retry_after(exc: BaseException) -> float | None:
    """Seconds the provider asked us to wait (``retry-after-ms`` or ``Retry-After``), if it did."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _short(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:240]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def typed_error(exc: BaseException, backend: str, *, attempts: int = 1, waited: float = 0.0,
                gave_up: str = "") -> ProviderError | None:
    """``exc`` as our typed error (None when `classify` does not know it)."""
    verdict = classify(exc)
    data: dict[str, Any] = {"status": _status(exc), "attempts": attempts, "waited": waited}
    if verdict == "context":
        return ContextLengthError(backend, f"the prompt does not fit the context window ({_short(exc)})",
                                  "ask with less (fewer evidence items, a shorter question) or raise PERSONA_N_CTX",
                                  **data)
    if verdict == "permanent":
        return ProviderRequestError(backend, f"request refused ({_short(exc)})",
                                    "check the model name, API key and quota of the provider", **data)
    if verdict == "transient":
        return ProviderUnavailableError(
            backend, f"gave up after {attempts} attempt(s){gave_up} ({_short(exc)})",
            "the provider is overloaded or unreachable: try again later, or raise PERSONA_MAX_RETRIES / "
            "PERSONA_RETRY_BUDGET", **data)
    return None


# ------------------------------------------------------------------------------------ accounting
class RetryStats:
    """Process-wide counters, for the fault suite's report: retries, and the seconds they cost."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.calls = self.retries = self.gave_up = 0
            self.wait_seconds = self.failed_seconds = 0.0
            self.by_verdict: dict[str, int] = {}

    def record(self, *, verdict: str, failed: float, wait: float | None) -> None:
        with self._lock:
            self.failed_seconds += failed
            self.by_verdict[verdict] = self.by_verdict.get(verdict, 0) + 1
            if wait is None:
                self.gave_up += 1
            else:
                self.retries += 1
                self.wait_seconds += wait

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"calls": self.calls, "retries": self.retries, "gave_up": self.gave_up,
                    "wait_seconds": round(self.wait_seconds, 2),
                    "failed_attempt_seconds": round(self.failed_seconds, 2), "errors": dict(self.by_verdict)}


STATS = RetryStats()


# ------------------------------------------------------------------------------------------ calls
def call(fn: Callable[[], T], policy: RetryPolicy, *, backend: str, sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``fn`` under ``policy``; a typed `ProviderError` when it cannot succeed."""
    started = time.monotonic()
    waited = 0.0
    attempt = 0
    with STATS._lock:
        STATS.calls += 1
    while True:
        attempt += 1
        attempt_started = time.monotonic()
        try:
            return fn()
        except Exception as exc:
            wait = _next_wait(exc, policy, attempt, time.monotonic() - started)
            verdict = classify(exc) or "unknown"
            if verdict == "unknown":
                raise
            STATS.record(verdict=verdict, failed=time.monotonic() - attempt_started, wait=wait)
            if wait is None:
                reason = f" in {time.monotonic() - started:.0f} s" if verdict == "transient" else ""
                error = typed_error(exc, backend, attempts=attempt, waited=waited, gave_up=reason)
                assert error is not None
                raise error from exc
            log.warning("%s: %s; retry %d/%d in %.1f s", backend, _short(exc), attempt, policy.retries, wait)
            sleep(wait)
            waited += wait


def _next_wait(exc: BaseException, policy: RetryPolicy, attempt: int, elapsed: float) -> float | None:
    """Seconds to wait before the next attempt, or None to give up now."""
    if classify(exc) != "transient" or attempt > policy.retries:
        return None
    asked = retry_after(exc)
    wait = asked if asked is not None else policy.backoff(attempt)
    if elapsed + wait >= policy.budget:
        return None  # the provider asks for longer than we may still spend: say so now, not later
    return wait


def stream(open_stream: Callable[[], Iterator[T]], policy: RetryPolicy, *, backend: str,
           sleep: Callable[[float], None] = time.sleep) -> Iterator[T]:
    """Stream under ``policy``: retried until the first chunk arrives; a failure after that (the
    user has seen part of the answer) is a typed error, not a silent restart."""
    started = time.monotonic()
    attempt = 0
    waited = 0.0
    while True:
        attempt += 1
        yielded = False
        attempt_started = time.monotonic()
        try:
            for chunk in open_stream():
                yielded = True
                yield chunk
            return
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None:
                raise
            wait = None if yielded else _next_wait(exc, policy, attempt, time.monotonic() - started)
            STATS.record(verdict=verdict, failed=time.monotonic() - attempt_started, wait=wait)
            if wait is None:
                error = typed_error(exc, backend, attempts=attempt, waited=waited,
                                    gave_up=" (the reply broke off midway)" if yielded else "")
                assert error is not None
                raise error from exc
            log.warning("%s: %s; retry %d/%d in %.1f s", backend, _short(exc), attempt, policy.retries, wait)
            sleep(wait)
            waited += wait


def model_label(model: Any) -> str:
    return str(getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__)
