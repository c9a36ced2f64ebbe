"""One bounded retry policy for provider calls: Retry-After honoured, a time budget, openai's own
retries off, and every way a call can end turned into a typed error (or re-raised when unknown)."""

from __future__ import annotations

import httpx
import openai
import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage

from persona_agent.core.config import load_settings
from persona_agent.core.errors import (
    ContextLengthError,
    PersonaError,
    ProviderRequestError,
    ProviderUnavailableError,
)
from persona_agent.engine import retry
from persona_agent.engine.retry import RetryPolicy, classify

REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status_error(status: int, body: dict | None = None, headers: dict | None = None) -> openai.APIStatusError:
    response = httpx.Response(status, headers=headers or {}, request=REQUEST, json=body or {})
    kind = {400: openai.BadRequestError, 401: openai.AuthenticationError, 429: openai.RateLimitError,
            500: openai.InternalServerError, 503: openai.InternalServerError}[status]
    return kind("provider said no", response=response, body=(body or {}).get("error", body))


class Flaky:
    """Raises the queued errors, then answers."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


@pytest.fixture
def sleeps() -> list[float]:
    return []


QUICK = RetryPolicy(retries=3, budget=60, initial_wait=0.01)


def run(fn, policy=QUICK, sleeps=None):
    return retry.call(fn, policy, backend="LLM test", sleep=(sleeps.append if sleeps is not None else lambda s: None))


def test_retry_after_is_honoured(sleeps):
    flaky = Flaky(status_error(429, headers={"retry-after": "7"}), status_error(503, headers={"retry-after-ms": "250"}))
    assert run(flaky, sleeps=sleeps) == "ok"
    assert flaky.calls == 3 and sleeps == [7.0, 0.25]


def test_retries_are_bounded_and_end_in_a_typed_error(sleeps):
    flaky = Flaky(*[status_error(500) for _ in range(10)])
    with pytest.raises(ProviderUnavailableError) as caught:
        run(flaky, sleeps=sleeps)
    assert flaky.calls == 4 and len(sleeps) == 3  # 1 attempt + 3 retries, not 4 × openai's 3
    assert caught.value.attempts == 4 and caught.value.status == 500 and caught.value.hint


def test_a_wait_beyond_the_budget_gives_up_at_once(sleeps):
    flaky = Flaky(status_error(429, headers={"retry-after": "3600"}))
    with pytest.raises(ProviderUnavailableError, match="gave up after 1 attempt"):
        run(flaky, sleeps=sleeps)
    assert sleeps == [] and flaky.calls == 1


@pytest.mark.parametrize("error, expected", [
    (status_error(400, {"error": {"code": "context_length_exceeded", "message": "too long"}}), ContextLengthError),
    (status_error(400, {"error": {"message": "the request exceeds the available context size"}}), ContextLengthError),
    (ValueError("Requested tokens (9000) exceed context window of 8192"), ContextLengthError),
    (status_error(400, {"error": {"message": "unknown parameter"}}), ProviderRequestError),
    (status_error(401), ProviderRequestError),
    (status_error(429, {"error": {"code": "insufficient_quota"}}), ProviderRequestError),
])
def test_permanent_errors_are_typed_and_not_retried(error, expected, sleeps):
    flaky = Flaky(error)
    with pytest.raises(expected) as caught:
        run(flaky, sleeps=sleeps)
    assert flaky.calls == 1 and sleeps == [] and isinstance(caught.value, PersonaError)


@pytest.mark.parametrize("error", [TimeoutError("read timed out"), ConnectionError("reset"),
                                   openai.APITimeoutError(request=REQUEST), status_error(503)])
def test_transient_errors_are_retried(error, sleeps):
    assert classify(error) == "transient"
    assert run(Flaky(error), sleeps=sleeps) == "ok" and len(sleeps) == 1


def test_errors_we_do_not_know_are_not_swallowed():
    with pytest.raises(KeyError):
        run(Flaky(KeyError("bug")))


def test_a_stream_is_retried_only_before_its_first_chunk():
    attempts = []

    def broken_before():
        attempts.append(1)
        if len(attempts) == 1:
            raise status_error(500)
        yield AIMessageChunk(content="fine")

    chunks = list(retry.stream(broken_before, RetryPolicy(initial_wait=0), backend="LLM test", sleep=lambda s: None))
    assert [c.content for c in chunks] == ["fine"] and len(attempts) == 2

    def broken_midway():
        yield AIMessageChunk(content="half an ans")
        raise openai.APIConnectionError(request=REQUEST)

    seen = []
    with pytest.raises(ProviderUnavailableError, match="broke off midway"):
        for chunk in retry.stream(broken_midway, RetryPolicy(initial_wait=0), backend="LLM test",
                                  sleep=lambda s: None):
            seen.append(chunk.content)
    assert seen == ["half an ans"]  # no silent restart after the user saw part of it


def test_openai_clients_do_not_retry_on_their_own(isolated, monkeypatch):
    from persona_agent.engine.embeddings import ResilientEmbeddings, make_embeddings
    from persona_agent.engine.llm import make_chat_model

    monkeypatch.setenv("PERSONA_MAX_RETRIES", "5")
    monkeypatch.setenv("PERSONA_RETRY_BUDGET", "42")
    settings = load_settings(llm="openai", embeddings="openai", openai_base_url="http://127.0.0.1:9/v1")
    chat = make_chat_model(settings)
    assert chat.max_retries == 0
    assert retry.policy_of(chat) == RetryPolicy(retries=5, budget=42.0)
    embedder = make_embeddings(settings)
    assert isinstance(embedder, ResilientEmbeddings) and embedder.inner.max_retries == 0
    assert embedder.embedder_id == "openai:text-embedding-3-small" and embedder.policy.retries == 5


def test_unreachable_provider_fails_with_one_line(isolated):
    from persona_agent.engine.llm import make_chat_model

    settings = load_settings(llm="openai", openai_base_url="http://127.0.0.1:9/v1", max_retries=1, timeout=2)
    chat = retry.attach(make_chat_model(settings), RetryPolicy(retries=1, initial_wait=0.01))
    with pytest.raises(ProviderUnavailableError) as caught:
        retry.call(lambda: chat.invoke([HumanMessage(content="hi")]), retry.policy_of(chat), backend="LLM x")
    assert caught.value.attempts == 2 and "ConnectionError" in caught.value.one_line()
