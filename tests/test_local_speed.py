"""What makes the local model fast and safe to load: the build guard (fast), and for real on the 0.5B
model (slow): calls sharing a prefix reuse the KV cache and say so, and grammar-constrained decoding
that checks only the chosen token still cites only the offered ids."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from persona_agent.engine.llamacpp import Build
from persona_agent.engine.structured import structured
from persona_agent.engine.usage import UsageTracker


def test_an_amx_build_on_an_amx_cpu_is_loaded_without_amx_and_says_how_to_rebuild():
    native = Build(features=frozenset({"AVX2", "AVX512", "AMX_INT8"}), cpu=frozenset({"avx2", "avx512f", "amx_int8"}))
    assert native.native and native.amx_crash
    assert "AMX and weight repacking off" in native.line() and "GGML_NATIVE=OFF" in (native.advice() or "")
    portable = Build(features=frozenset({"AVX2"}), cpu=frozenset({"avx2", "avx512f", "amx_int8"}))
    assert not portable.native and not portable.amx_crash and portable.advice() is None
    assert portable.line() == "portable build (AVX2); this CPU also has AVX512 AMX_INT8"
    elsewhere = Build(features=frozenset({"AVX2", "AMX_INT8"}), cpu=frozenset({"avx2"}))
    assert not elsewhere.amx_crash  # no AMX in the CPU: the kernels are never used


class Insight(BaseModel):
    answer: str = Field(min_length=20)
    evidence: list[str] = Field(min_length=1, max_length=3)


BRIEF = "\n".join(f"E{i} customers say shipping at {30 + i} kr is too expensive for one bag" for i in range(1, 40))


@pytest.mark.slow
def test_calls_sharing_a_prefix_reuse_the_kv_cache_and_count_it(local_chat):
    ids = [f"E{i}" for i in range(1, 40)]
    schema = Insight.model_json_schema()
    schema["properties"]["evidence"]["items"] = {"type": "string", "enum": ids}
    usage = UsageTracker()
    answers = []
    for task in ("What do customers say about shipping?", "What would make them order again?"):
        messages = [SystemMessage(content="You summarise customer research and cite the aliases of the lines."),
                    HumanMessage(content=f"{BRIEF}\n\n---\nTASK: {task}")]
        answers.append(structured(local_chat, Insight, messages, json_schema=schema, instructions_last=True,
                                  config={"callbacks": [usage]}))
    assert all(set(a.evidence) <= set(ids) for a in answers)  # the grammar held
    assert usage.calls == 2 and usage.input_tokens > 800
    brief_tokens = usage.input_tokens / 2 - 60  # the shared part of the second prompt, roughly
    assert usage.cached_tokens >= 0.9 * brief_tokens  # the second call read the brief from the KV cache
    sampler = local_chat.loaded().llama
    assert sampler.lazy_grammar
