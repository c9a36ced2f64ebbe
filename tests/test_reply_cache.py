"""The reply cache keeps only replies that validated, never truncated ones, under a key that covers
everything that shapes a reply; `--no-cache` bypasses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel, Field

from persona_agent.core.config import load_settings
from persona_agent.core.errors import StructuredOutputError, TruncatedReplyError
from persona_agent.engine.cache import SQLiteLLMCache, model_identity, request_key
from persona_agent.engine.llm import LlamaCppChat
from persona_agent.engine.structured import structured
from persona_agent.testing import QueuedChatModel


class Pick(BaseModel):
    colour: str = Field(min_length=3)


ASK = [HumanMessage(content="Pick a colour.")]


@pytest.fixture
def cache(tmp_path: Path) -> SQLiteLLMCache:
    return SQLiteLLMCache(tmp_path / "cache.sqlite")


def test_an_invalid_reply_is_not_cached_so_the_next_run_asks_again(cache):
    broken = QueuedChatModel(["not json", {"colour": ""}, "still not json"], cache=cache)
    with pytest.raises(StructuredOutputError):
        structured(broken, Pick, ASK)
    assert len(cache) == 0
    fixed = QueuedChatModel([{"colour": "teal"}], cache=cache)
    assert structured(fixed, Pick, ASK).colour == "teal" and len(fixed.calls) == 1  # asked, not replayed
    replay = QueuedChatModel([], cache=cache)  # nothing queued: a real call would fail
    assert structured(replay, Pick, ASK).colour == "teal" and replay.calls == []


def test_a_repaired_reply_is_replayed_for_the_original_request(cache):
    structured(QueuedChatModel(["oops", {"colour": "amber"}], cache=cache), Pick, ASK)
    replay = QueuedChatModel([], cache=cache)
    assert structured(replay, Pick, ASK).colour == "amber" and replay.calls == []


def test_a_truncated_reply_is_never_accepted_nor_cached(cache):
    cut = AIMessage(content='{"colour": "bur', response_metadata={"finish_reason": "length"})
    cut_but_parses = AIMessage(content='{"colour": "burgundy"}', response_metadata={"finish_reason": "length"})
    model = QueuedChatModel([cut, cut_but_parses, cut], cache=cache)
    with pytest.raises(TruncatedReplyError) as caught:
        structured(model, Pick, ASK)
    assert len(cache) == 0 and caught.value.attempts == 3 and "PERSONA_MAX_TOKENS" in caught.value.one_line()
    assert "cut off at the token limit" in model.calls[1][-1].text  # the repair prompt says what happened


def test_a_cached_reply_that_no_longer_validates_is_dropped(cache):
    structured(QueuedChatModel([{"colour": "red"}], cache=cache), Pick, ASK)

    class Longer(BaseModel):
        colour: str = Field(min_length=5)

    Longer.__name__ = "Pick"  # same request, stricter validation
    model = QueuedChatModel([{"colour": "scarlet"}], cache=cache)
    assert structured(model, Longer, ASK).colour == "scarlet" and len(model.calls) == 1


def llama(**changes) -> LlamaCppChat:
    base = {"model_path": "/models/m.gguf", "model_name": "m", "model_sha256": "a" * 64}
    return LlamaCppChat(**{**base, **changes})


@pytest.mark.parametrize("change", [{"max_tokens": 300}, {"n_ctx": 2048}, {"model_sha256": "b" * 64},
                                    {"temperature": 0.9}, {"seed": 7}])
def test_the_key_covers_what_shapes_a_reply(change):
    decoding = {"mode": "grammar", "name": "Pick", "schema": {}}
    assert request_key(llama(), ASK, decoding) != request_key(llama(**change), ASK, decoding)
    assert request_key(llama(), ASK, decoding) == request_key(llama(), ASK, decoding)
    assert request_key(llama(), ASK, decoding) != request_key(llama(), ASK, {**decoding, "mode": "tools"})


def test_the_local_model_records_the_file_hash(isolated):
    from persona_agent.engine.models import LOCAL_MODELS, model_sha256

    pinned = LOCAL_MODELS["qwen2.5-coder-0.5b"].sha256
    assert model_sha256("qwen2.5-coder-0.5b", Path("unused")) == pinned
    assert model_identity(llama())["model_sha256"] == "a" * 64


def test_no_cache_setting_and_flag(isolated, tmp_path):
    from typer.testing import CliRunner

    from persona_agent.cli import app
    from persona_agent.engine.llm import make_chat_model

    cache = SQLiteLLMCache(tmp_path / "c.sqlite")
    settings = load_settings(llm="openai", openai_base_url="http://127.0.0.1:9/v1")
    assert make_chat_model(settings, cache=cache).cache is cache
    assert make_chat_model(settings.model_copy(update={"llm_cache": False}), cache=cache).cache is None
    assert "--no-cache" in CliRunner().invoke(app, ["generate", "--help"], env={"COLUMNS": "200"}).stdout


def test_langchain_itself_never_caches_through_it(cache):
    model = QueuedChatModel(["first", "second"], cache=cache)
    assert model.invoke(ASK).text == "first" and model.invoke(ASK).text == "second" and len(cache) == 0
