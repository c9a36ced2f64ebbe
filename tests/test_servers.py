"""The `openai` provider end to end through a real OpenAI-compatible server (llama.cpp's, started by
.ci/run on 127.0.0.1): a plain chat call and a structured call validated by pydantic."""

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from persona_agent.core.config import load_settings
from persona_agent.engine.llm import make_chat_model
from persona_agent.engine.structured import structured, structured_mode


class City(BaseModel):
    city: str = Field(min_length=2)
    country: str = Field(min_length=2)


def _chat(url: str):
    return make_chat_model(load_settings(llm="openai", openai_base_url=url, model="qwen2.5-coder-0.5b",
                                         temperature=0.0, timeout=120))


def test_plain_chat_call(openai_server_url):
    reply = _chat(openai_server_url).invoke([HumanMessage(content="What is 2+2? Answer with the number only.")])
    assert "4" in reply.text


def test_structured_call_through_forced_function_calling(openai_server_url):
    chat = _chat(openai_server_url)
    assert structured_mode(chat) == "tools"
    result = structured(chat, City, [SystemMessage(content="You extract facts."),
                                     HumanMessage(content="Oslo is the capital of Norway. Extract the city.")])
    assert isinstance(result, City)
    assert "oslo" in result.city.lower()
