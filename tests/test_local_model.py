"""The embedded offline model for real (the fast 0.5B): grammar-constrained structured output and
streaming."""

import re

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


def test_theme_sentences_start_with_their_lead_and_cite_their_theme(local_chat):
    """Asked in the prompt only, the 1.5B copied the customers' words for most themes; the decoder holds
    each item to its theme's alias and lead, even when the prompt invites a copy."""
    from persona_agent.personas.sections import BY_NAME, ThemesSection, decode_schema

    leads = {"E2": "Is annoyed that", "E3": "Likes"}
    schema = decode_schema(BY_NAME["themes"], list(leads), leads)
    messages = [
        SystemMessage(content="You write a buyer persona from research lines E1…E3."),
        HumanMessage(content=(
            "E1 (stat) 55 % live in Oslo\nE2 (theme) Hard to see what is in stock. Stock-outs.\n"
            "E3 (theme) Quality of the light roasts. Clean, sweet, no baked flavours.\n"
            "Copy each theme's text exactly, as {\"summaries\": [{\"evidence\": [...], \"text\": ...}]}.")),
    ]
    reply = structured(local_chat, ThemesSection, messages, json_schema=schema, context={"aliases": None})
    assert [item.evidence for item in reply.summaries] == [["E2"], ["E3"]]
    assert reply.summaries[0].text.startswith("Is annoyed that ")
    assert reply.summaries[1].text.startswith("Likes ")
    assert not any(re.search(r"[.!?]\s+\S", item.text) for item in reply.summaries)  # one sentence each


def test_goals_and_values_start_with_their_leads_even_when_the_prompt_invites_a_copy(local_chat):
    """Asked for "Wants …" goals in the prompt only, the 1.5B filled an enthusiast's goals and values with
    customers' whole answers in their languages; in English the decoder holds each item to its field's lead,
    one sentence, citing the brief's aliases. In another language the leads are not imposed."""
    from persona_agent.personas.sections import BY_NAME, GoalsSection, decode_schema

    messages = [
        SystemMessage(content="You write a buyer persona from research lines E1…E2."),
        HumanMessage(content=(
            "E1 (theme) Guatemala Huehuetenango var årets bedste filterkaffe. Gode oplysninger om gård.\n"
            "E2 (theme) Hard to see what is in stock. Stock-outs.\n"
            "Copy the theme texts exactly as goals and values, as "
            "{\"goals\": [{\"text\": ..., \"evidence\": [...]}], \"values\": [...]}.")),
    ]
    schema = decode_schema(BY_NAME["goals"], ["E1", "E2"])
    reply = structured(local_chat, GoalsSection, messages, json_schema=schema, context={"aliases": None})
    assert reply.goals and all(re.match(r"(Wants|Needs) ", item.text) for item in reply.goals)
    assert all(item.text.startswith("Cares about ") for item in reply.values)
    assert not any(re.search(r"[.!?]\s+\S", item.text) for item in [*reply.goals, *reply.values])
    assert {e for item in [*reply.goals, *reply.values] for e in item.evidence} <= {"E1", "E2"}
    pains = decode_schema(BY_NAME["pains"], ["E1"])["properties"]
    assert pains["fears"]["items"]["properties"]["text"]["pattern"].startswith("^(Worries that) ")
    assert "pattern" not in str(decode_schema(BY_NAME["goals"], ["E1"], english=False))
