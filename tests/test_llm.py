import json

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from persona_agent.core.errors import ConfigError, StructuredOutputError
from persona_agent.engine.llm import make_chat_model
from persona_agent.engine.structured import extract_json, structured, structured_mode
from persona_agent.testing import QueuedChatModel


class Verdict(BaseModel):
    label: str = Field(min_length=2)
    evidence: list[str]

    @field_validator("evidence")
    @classmethod
    def _cited_ids_exist(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        allowed = (info.context or {}).get("ids", set())
        missing = [i for i in ids if i not in allowed]
        if missing:
            raise ValueError(f"unknown ids {missing}")
        return ids


MESSAGES = [SystemMessage(content="You judge."), HumanMessage(content="Judge this.")]


def test_valid_first_answer_makes_one_call(fake_llm):
    fake_llm.queue({"label": "ok", "evidence": ["a.md#L1-2"]})
    verdict = structured(fake_llm, Verdict, MESSAGES, context={"ids": {"a.md#L1-2"}})
    assert verdict.evidence == ["a.md#L1-2"]
    assert len(fake_llm.calls) == 1
    shown = fake_llm.calls[0]
    assert any("JSON Schema" in m.text for m in shown if isinstance(m, SystemMessage))


def test_validation_error_is_fed_back_and_repaired(fake_llm):
    fake_llm.queue(
        "Sure! ```json\n{\"label\": \"ok\", \"evidence\": [\"made-up#1\"]}\n```",
        {"label": "ok", "evidence": ["a.md#L1-2"]},
    )
    verdict = structured(fake_llm, Verdict, MESSAGES, context={"ids": {"a.md#L1-2"}})
    assert verdict.evidence == ["a.md#L1-2"]
    repair = fake_llm.calls[1][-1].text
    assert "made-up#1" in repair and "evidence" in repair


def test_gives_up_after_bounded_attempts_with_the_data(fake_llm):
    fake_llm.queue("not json at all", {"label": ""}, {"label": "x"})
    with pytest.raises(StructuredOutputError) as caught:
        structured(fake_llm, Verdict, MESSAGES, max_attempts=3)
    error = caught.value
    assert error.attempts == 3 and len(error.validation_errors) == 3
    assert "no parseable JSON" in error.validation_errors[0]
    assert fake_llm.pending == 0


def test_a_reply_repeated_word_for_word_after_a_repair_request_ends_the_attempts(fake_llm):
    same = {"label": "ok", "evidence": ["made-up#1"]}
    fake_llm.queue(same, same, {"label": "ok", "evidence": ["a.md#L1-2"]})
    with pytest.raises(StructuredOutputError) as caught:
        structured(fake_llm, Verdict, MESSAGES, context={"ids": {"a.md#L1-2"}}, max_attempts=3)
    assert caught.value.attempts == 2 and len(fake_llm.calls) == 2  # a third call would only repeat it again
    assert fake_llm.pending == 1


def test_extract_json_tolerates_chatter():
    assert extract_json('Here you go: {"a": {"b": 1}} hope it helps') == {"a": {"b": 1}}
    with pytest.raises(ValueError):
        extract_json("{broken")


def test_modes_follow_the_provider(settings, monkeypatch):
    assert structured_mode(QueuedChatModel()) == "json"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    from persona_agent.core.config import load_settings

    assert structured_mode(make_chat_model(load_settings(llm="openai"))) == "tools"


def test_openai_without_key_or_base_url_is_a_config_error():
    from persona_agent.core.config import load_settings

    with pytest.raises(ConfigError) as caught:
        make_chat_model(load_settings(llm="openai"))
    assert caught.value.setting == "OPENAI_API_KEY"


def test_decode_schema_with_enum_compiles_to_a_grammar():
    """llama.cpp silently falls back to unconstrained JSON if a schema can't become a grammar."""
    from llama_cpp import LlamaGrammar

    schema = Verdict.model_json_schema()
    schema["properties"]["evidence"]["items"] = {"type": "string", "enum": ["a.md#L1-2", "s.csv#R1:q3"]}
    grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
    assert grammar is not None


@pytest.mark.parametrize("english", [True, False])
def test_every_sections_decode_schema_compiles_to_a_grammar(english):
    from llama_cpp import LlamaGrammar

    from persona_agent.personas.sections import SECTIONS, decode_schema

    for section in SECTIONS:
        for leads in ({"E2": "Is annoyed that", "E3": "Likes"}, {"E2": "Setter pris på", "E3": "Жалуется на"}):
            schema = decode_schema(section, ["E1", "E2", "E3"], leads if section.name == "themes" else None,
                                   english=english)
            assert LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False) is not None, section.name
        if english and section.name == "positioning":  # the leads of `sections.FIELD_LEADS`
            props = schema["properties"]
            assert props["tone"]["properties"]["text"]["pattern"].startswith("^(Speak|Talk|Write) ")
            assert props["selling_points"]["items"]["properties"]["text"]["pattern"].startswith(
                "^(Chooses the shop for) ")
            assert props["marketing_message"]["properties"]["evidence"]["items"]["enum"] == ["E1", "E2", "E3"]
