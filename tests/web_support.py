"""Test material for the web workspace: a chat model that cites what it was shown and streams word
by word, hostile research text, the world the pages are tested on, and headless Chromium."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from persona_agent.core.evidence import Evidence
from persona_agent.testing import echo_section

# What an interview may contain: it must reach the page as text, never as markup.
HOSTILE_TEXT = ('I said </textarea><script>window.pwned = 1</script> and <img src=x onerror="window.pwned = 2"> '
                'about the grinder, then "quotes" & ampersands.')
HOSTILE = Evidence(evidence_id="interviews/hostile.md#L3-4", text=HOSTILE_TEXT, kind="interview",
                   source="interviews/hostile.md",
                   metadata={"language": "en", "line_start": 3, "line_end": 4, "respondent_id": "C0999",
                             "speaker": "Customer"})
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


class CitingChatModel(BaseChatModel):
    """Answers in character, repeating the question (so hostile text comes back as model text too) and
    citing the first evidence id it was shown; streams word by word. Objection requests get one
    objection as JSON, citing the same id. As a persona writer it echoes the brief but has every
    challenge describe the shop, which no evidence backs (so an edit is refused); as the critic it
    finds the tone too generic."""

    delay: float = 0.0  # seconds between streamed words

    @property
    def _llm_type(self) -> str:
        return "citing-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        system = messages[0].text
        if system.startswith("You help a marketing team write one buyer persona"):
            return json.dumps(self._persona_task("\n".join(m.text for m in messages)), ensure_ascii=False)
        lines = re.findall(r"^(E\d+) \([^)]*\) (.*)$", system, re.MULTILINE)  # the offered evidence, by alias
        if "List the objections" in system:
            return json.dumps({"objections": [{
                "objection": "Another subscription I would forget to cancel", "severity": "high",
                "evidence": [alias for alias, _ in lines[:1]], "suggested_response": "Let people pause or cancel"}]})
        question = messages[-1].text
        if not lines:
            return f"You asked: {question} I am guessing here.\nEvidence: none"
        alias, words = lines[0]
        return f"You asked: {question} Honestly: {words}\nEvidence: {alias}"

    @staticmethod
    def _persona_task(text: str) -> dict[str, Any]:
        if "review the persona below against the brief" in text:
            return {"issues": [{"field": "tone", "problem": "too generic for this buyer"}]}
        reply = echo_section(text)
        if "challenges" in reply:
            reply["challenges"] = [{"text": "Fjordbrew is a cheap shop that hates customers",
                                    "evidence": reply["challenges"][0]["evidence"]}]
        return reply

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for word in re.findall(r"\S+\s*", self._reply(messages)):
            time.sleep(self.delay)
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))


def make_world(home: Path) -> Any:
    """The sample research (ingested and analysed with the hash embedder), Frugal Fred and Gourmet Greta
    in ``home/personas``, and one hostile interview chunk in the store. Returns the settings."""
    from tests.helpers import prepare_research, two_personas

    research = prepare_research(home)
    two_personas(research, home / "personas")
    store, _, _, settings = research
    store.upsert([HOSTILE])
    return settings


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def plain_persona(personas_dir: Path, out_dir: Path) -> str:
    """A short, plainly worded persona on Frugal Fred's segment (the office buyers), written to
    ``out_dir``: a small model answers a short card in sentences, where the brief-echoing personas'
    long cards get little more than an evidence line. Returns its slug."""
    from persona_agent.personas.output import write_persona
    from persona_agent.personas.schema import Claim, Persona
    from persona_agent.talk.chat import PersonaLibrary

    fred = PersonaLibrary(personas_dir).get("frugal-fred")
    themes = [t.theme_id for t in fred.segment.themes[:3]]
    quote = fred.quotes[0]
    olga = Persona(
        id="office-olga", name="Office Olga", buyer_type="B2B buyer",
        gist=Claim(text="Office manager who buys coffee for her team and needs to pay by invoice.",
                   evidence=themes[:1]),
        narrative=Claim(text="Olga orders beans for the whole office every month. Her finance team will not "
                             "accept card expense claims, so she wants invoices and one bill a month.",
                        evidence=themes[:2]),
        challenges=[Claim(text="She cannot pay by invoice.", evidence=[quote.evidence_id])],
        quotes=[quote], segment=fred.segment.model_copy(update={"themes": fred.segment.themes[:3]}),
        provenance=fred.provenance.model_copy(update={"evidence_ids": [*themes, quote.evidence_id]})
        if fred.provenance else None)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_persona(olga, out_dir)
    return olga.id
