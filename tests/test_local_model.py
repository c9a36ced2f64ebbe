"""The embedded offline model for real (the fast 0.5B): grammar-constrained structured output and
streaming."""

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from persona_agent.engine.structured import structured, structured_mode


class Insight(BaseModel):
    answer: str = Field(min_length=20)
    evidence: list[str] = Field(min_length=1, max_length=4)

pytestmark = pytest.mark.slow


def test_grammar_constrained_output_cites_only_offered_ids(local_chat):
    ids = ["interviews/ola.md#L5-9", "survey.csv#R017:q14"]
    schema = Insight.model_json_schema()
    schema["properties"]["evidence"]["items"] = {"type": "string", "enum": ids}
    messages = [
        SystemMessage(content="You summarise customer research and cite evidence ids."),
        HumanMessage(content=(
            "Evidence:\n[interviews/ola.md#L5-9] Shipping at 99 kr is too expensive for one bag of beans.\n"
            "[survey.csv#R017:q14] I stopped ordering because delivery costs more than the coffee.\n"
            "What do customers say about shipping?")),
    ]
    assert structured_mode(local_chat) == "grammar"
    insight = structured(local_chat, Insight, messages, json_schema=schema)
    assert set(insight.evidence) <= set(ids)
    assert len(insight.answer) >= 20


def test_streams_tokens(local_chat):
    chunks = [c.text for c in local_chat.stream([HumanMessage(content="Count from 1 to 5.")])]
    assert len(chunks) > 3
    assert "3" in "".join(chunks)
