"""The privacy policy (issue 11, "Private data"): whatever leaves the machine is redacted — prompts to
a remote chat model, texts to remote embeddings (even from a store ingested unredacted), Slack
replies —, tracing stays off unless opted in, and quotes can be checked against redacted chunks.

The remote side is a tiny OpenAI-compatible server on 127.0.0.1 that records every request body.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from persona_agent.core import privacy
from persona_agent.core.config import load_settings
from persona_agent.core.pii import NAME, redact

SECRET_LINES = ("Ring Kari Nordmann på +47 912 34 567 eller kari(at)gmail.com. "
                "Fødselsnummer 11037543332, konto NO18 1503 2512 345, Storgata 12, 0155 Oslo.")
SECRETS = ("Kari Nordmann", "912 34 567", "kari(at)gmail.com", "11037543332", "NO18 1503 2512 345",
           "Storgata 12")


class Recorder(ThreadingHTTPServer):
    bodies: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.bodies.append(body)
        if self.path.endswith("/embeddings"):
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            reply: dict[str, Any] = {"object": "list", "model": body["model"], "usage": {"prompt_tokens": 1,
                                                                                          "total_tokens": 1},
                                     "data": [{"object": "embedding", "index": i, "embedding": [0.1 * (i + 1)] * 8}
                                              for i in range(len(inputs))]}
        else:
            message: dict[str, Any] = {"role": "assistant", "content": "Hei! Jeg er Sofie Andersen."}
            if body.get("tools"):
                name = body["tools"][0]["function"]["name"]
                message = {"role": "assistant", "content": None, "tool_calls": [
                    {"id": "call_1", "type": "function",
                     "function": {"name": name, "arguments": json.dumps({"summary": "ok"})}}]}
            reply = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        payload = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def remote(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    server = Recorder(("127.0.0.1", 0), _Handler)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("PERSONA_MAX_RETRIES", "0")
    yield server
    server.shutdown()
    server.server_close()


def _sent(server: Recorder) -> str:
    return json.dumps(server.bodies, ensure_ascii=False)


# ------------------------------------------------------------------------------------- policy
def test_outbound_decides_per_channel(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = load_settings()
    assert privacy.outbound(local, "chat") is None and privacy.outbound(local, "embeddings") is None
    assert privacy.outbound(local, "slack") is not None  # Slack is a third party, always
    remote = load_settings(llm="openai", embeddings="openai")
    assert privacy.outbound(remote, "chat") is not None and privacy.outbound(remote, "embeddings") is not None
    assert load_settings(embeddings="openai").sends_research_out  # old code: only the chat provider counted


# ------------------------------------------------------------------------------------- remote chat
def test_remote_chat_model_receives_only_redacted_prompts(remote: Recorder, isolated: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_agent.engine.llm import make_chat_model

    monkeypatch.setenv("PERSONA_LLM", "openai")
    llm = make_chat_model(load_settings())
    reply = llm.invoke([SystemMessage(content="You are a helpful assistant."), HumanMessage(content=SECRET_LINES)])
    assert reply.text == "Hei! Jeg er Sofie Andersen."
    sent = _sent(remote)
    assert not [secret for secret in SECRETS if secret in sent]
    assert "{{NAME}}" in sent and "{{PHONE}}" in sent and "You are a helpful assistant." in sent


def test_structured_output_over_the_redacting_model_still_uses_tools(remote: Recorder, isolated: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_agent.engine.llm import make_chat_model
    from persona_agent.engine.structured import structured, structured_mode

    class Summary(BaseModel):
        summary: str

    monkeypatch.setenv("PERSONA_LLM", "openai")
    llm = make_chat_model(load_settings())
    assert structured_mode(llm) == "tools"
    result = structured(llm, Summary, [HumanMessage(content=SECRET_LINES)])
    assert result.summary == "ok"
    assert remote.bodies[-1]["tools"] and not [s for s in SECRETS if s in _sent(remote)]


def test_names_the_model_invented_are_not_redacted_when_sent_back(remote: Recorder, isolated: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_agent.engine.llm import allow_names, make_chat_model

    monkeypatch.setenv("PERSONA_LLM", "openai")
    llm = make_chat_model(load_settings())
    llm.invoke("Invent a persona.")  # the fake replies "Jeg er Sofie Andersen."
    allow_names(llm, ["Frugal Fred"])
    llm.invoke("Sofie Andersen and Frugal Fred met Kari Nordmann.")
    last = json.dumps(remote.bodies[-1], ensure_ascii=False)
    assert "Sofie Andersen and Frugal Fred met {{NAME}}." in last


def test_any_openai_compatible_server_counts_as_remote(isolated: Path) -> None:
    from persona_agent.engine.llm import make_chat_model

    settings = load_settings(openai_base_url="http://127.0.0.1:9/v1", openai_api_key="sk-x", llm="openai")
    assert type(make_chat_model(settings)).__name__ == "RedactingChatOpenAI"  # we cannot know who runs it


# ------------------------------------------------------------------------------------- remote embeddings
def test_remote_embeddings_receive_redacted_documents_and_queries(remote: Recorder, isolated: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_agent.engine.embeddings import make_embeddings

    monkeypatch.setenv("PERSONA_EMBEDDINGS", "openai")  # the chat model stays local
    embedder = make_embeddings(load_settings())
    assert len(embedder.embed_documents([SECRET_LINES, "Kaffen er god."])) == 2
    embedder.embed_query("Hva sa Kari Nordmann om kari(at)gmail.com?")
    sent = _sent(remote)
    assert not [secret for secret in SECRETS if secret in sent]
    assert "Kaffen er god." in sent


def test_a_store_ingested_unredacted_sends_nothing_personal_to_remote_embeddings(
        remote: Recorder, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_agent.engine.embeddings import make_embeddings
    from persona_agent.engine.store import open_store
    from persona_agent.research.ingest import ingest_folder

    folder = isolated / "research"
    folder.mkdir()
    (folder / "notes.md").write_text(f"# Notes\n\n{SECRET_LINES}\n", encoding="utf-8")
    monkeypatch.setenv("PERSONA_EMBEDDINGS", "openai")
    settings = load_settings()
    store = open_store(settings, make_embeddings(settings))
    ingest_folder(folder, store, redact=False)  # stored as written: only this machine has it
    store.search("Kari Nordmann 912 34 567")
    assert remote.bodies and not [secret for secret in SECRETS if secret in _sent(remote)]
    assert any("912 34 567" in e.text for e in store.get(list(store.metadata_where())))


# ------------------------------------------------------------------------------------- tracing
@pytest.mark.parametrize("variable", ["LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2"])
def test_tracing_from_the_users_environment_is_switched_off(isolated: Path, monkeypatch: pytest.MonkeyPatch,
                                                            variable: str) -> None:
    from langsmith import utils

    from persona_agent.engine.llm import make_chat_model

    monkeypatch.setenv(variable, "true")
    monkeypatch.setenv("LANGSMITH_API_KEY", "lsv2-test")
    utils.get_env_var.cache_clear()
    assert utils.tracing_is_enabled()
    make_chat_model(load_settings(llm="openai", openai_api_key="sk-x"))
    assert not utils.tracing_is_enabled()


def test_tracing_stays_on_when_opted_in(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from langsmith import utils

    monkeypatch.setenv("LANGSMITH_TRACING", "true")
    monkeypatch.setenv("PERSONA_TRACING", "1")
    utils.get_env_var.cache_clear()
    assert privacy.apply_tracing_policy(load_settings()) is True
    assert utils.tracing_is_enabled()
    utils.get_env_var.cache_clear()


# ------------------------------------------------------------------------------------- Slack
def test_slack_replies_are_redacted_but_keep_persona_names() -> None:
    from persona_agent.slack.bot import slack_text
    from persona_agent.talk.conversation import Reply
    from persona_agent.talk.models import Answer

    text = "I'm Frugal Fred. Kari Nordmann told me: call +47 912 34 567 or mail kari@example.no."
    reply = Reply(kind="answer", speaker="frugal-fred", text=text,
                  answer=Answer(text=text, evidence=["survey.csv#R001:q4"], grounding="cited"))
    posted = slack_text(reply, privacy.Redactor(frozenset({"Frugal Fred"})))
    assert "Kari" not in posted and "912" not in posted and "kari@example.no" not in posted
    assert "I'm Frugal Fred." in posted and "{{NAME}} told me" in posted
    assert "kari@example.no" not in slack_text(Reply(kind="text", text="mail kari@example.no"))


# ------------------------------------------------------------------------------------- quotes
def test_a_quote_from_redacted_evidence_matches_its_stored_chunk() -> None:
    chunk = "Kona mi, Silje, bestiller alltid kaffen. Ring henne på 912 34 567."
    sent = redact(chunk)
    assert sent == f"Kona mi, {NAME}, bestiller alltid kaffen. Ring henne på {{{{PHONE}}}}."
    assert privacy.matches_redacted(f"{NAME}, bestiller alltid  kaffen", chunk)  # as the remote model saw it
    assert privacy.matches_redacted("Silje, bestiller alltid kaffen", chunk)  # as stored
    assert privacy.matches_redacted("bestiller alltid kaffen", sent)
    assert not privacy.matches_redacted(f"{NAME} bestiller aldri kaffen", chunk)
    assert not privacy.matches_redacted("", chunk)
