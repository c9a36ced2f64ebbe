"""The LLM calls of one persona, all behind one identical prefix.

Every call is [system: the persona rules] [user: the brief, then a short task], so a local model
evaluates the system prompt and the brief once and reuses its KV cache for the next call; the format
instructions come last for the same reason. Sections are written, revised with the review's findings,
reviewed by the critic and edited on a marketer's request through this one class.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, TypeAdapter, ValidationError

from persona_agent.core.errors import StructuredOutputError
from persona_agent.engine.language import LANGUAGE_NAMES
from persona_agent.engine.llm import UsageTracker
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.structured import extract_json, structured
from persona_agent.personas.brief import Brief
from persona_agent.personas.buyer_type import clear_type
from persona_agent.personas.claims import iter_claims
from persona_agent.personas.schema import CriticReport, Finding, Persona
from persona_agent.personas.sections import Restated, Section, decode_schema, persona_path

SEPARATOR = "\n\n---\n"
DEFAULT_MAX_TOKENS = 400
RESTATE_TOKENS = 40  # the JSON around the translated sentences
MAX_TOKENS = {"JourneySection": 500, "IdentitySection": 400, "CriticReport": 350}


@dataclass
class SectionWriter:
    """Writes one persona's sections from its brief; counts calls and tokens in ``usage``."""

    llm: Any
    brief: Brief
    language: str = "en"
    usage: UsageTracker = field(default_factory=UsageTracker)
    on_event: Callable[..., None] = lambda *a, **k: None
    label: str = ""
    salvaged: list[str] = field(default_factory=list)
    dropped: list[Finding] = field(default_factory=list)
    _prefix: str | None = None

    @property
    def prefix(self) -> str:
        if self._prefix is None:
            self._prefix = load_prompt("persona.brief").render(brief=self.brief.render())
        return self._prefix

    def _messages(self, task: str) -> list[BaseMessage]:
        system = load_prompt("persona.system").render(language=LANGUAGE_NAMES.get(self.language, self.language))
        return [SystemMessage(content=system), HumanMessage(content=self.prefix + SEPARATOR + task)]

    def _call(self, stage: str, schema: type[BaseModel], task: str, json_schema: dict | None = None,
              max_tokens: int | None = None) -> Any:
        """One call. A reply with invalid items is accepted without them at once (`salvage`), and the
        items go to the next review round as findings (`take_dropped`): a repair request would cost a
        whole new reply to regain one item. When every repair attempt fails, the valid part of the last
        reply is kept the same way: a section with one unsupported item loses that item, not everything."""
        self.on_event("stage", persona=self.label, stage=stage)
        context = {"aliases": self.brief.aliases}

        def partial(raw: str) -> BaseModel | None:
            dropped: list[str] = []
            kept = salvage(schema, raw, context, dropped)
            if kept is not None and dropped:
                self.salvaged.append(f"{stage}: dropped {'; '.join(dropped)[:300]}")
                self.dropped += [Finding(check="invalid_item", path=persona_path(schema, problem.split(":")[0]),
                                         problem=problem.partition(": ")[2])
                                 for problem in dropped]
            return kept

        try:
            return structured(self.llm, schema, self._messages(task), json_schema=json_schema, context=context,
                              config={"callbacks": [self.usage]}, instructions_last=True,
                              max_tokens=max_tokens or MAX_TOKENS.get(schema.__name__, DEFAULT_MAX_TOKENS),
                              partial=partial)
        except StructuredOutputError as exc:
            kept = salvage(schema, exc.last_output, context)
            if kept is None:
                raise
            self.salvaged.append(f"{stage}: kept the valid part of the last reply ({exc.validation_errors[-1][:160]})")
            return kept

    def take_dropped(self) -> list[Finding]:
        """The items left out of replies since the last call, as findings for their sections' revision."""
        dropped, self.dropped = self.dropped, []
        return dropped

    def task(self, section: Section, taken_names: Sequence[str] = ()) -> str:
        """The section's instruction and the brief lines it is written from (see `Brief.focus_text`)."""
        task = load_prompt(section.prompt).render(taken=", ".join(taken_names), buyer_type=self._clear_type(section))
        focus = self.brief.focus_text(section.name)
        return f"{task}\n{focus}" if focus else task

    def write(self, section: Section, *, taken_names: Sequence[str] = (), instruction: str | None = None) -> Any:
        task = self.task(section, taken_names)
        if instruction:
            task += "\n" + load_prompt("section.edit").render(instruction=instruction)
        return self._call(f"draft {section.name}", section.model, task,
                          self._decode_schema(section))

    def _clear_type(self, section: Section) -> str:
        """The buyer type the segment's answers show clearly (`buyer_type.clear_type`), for the identity."""
        return (clear_type(self.brief.stats) or "") if section.name == "identity" else ""

    def _decode_schema(self, section: Section) -> dict[str, Any]:
        leads = self.brief.theme_leads() if section.name == "themes" else None
        schema = decode_schema(section, self.brief.decode_aliases(section.name), leads, english=self.language == "en")
        if clear := self._clear_type(section):  # told it, the 1.5B still wrote the list's first type
            schema["properties"]["buyer_type"] = {"type": "string", "enum": [clear]}
        return schema

    def revise(self, section: Section, previous: BaseModel, findings: Sequence[Finding], *,
               taken_names: Sequence[str] = ()) -> Any:
        task = self.task(section, taken_names) + "\n" + load_prompt(
            "section.revise").render(previous=previous.model_dump_json(), findings=self.describe(findings))
        return self._call(f"revise {section.name}", section.model, task,
                          self._decode_schema(section))

    def restate(self, texts: Sequence[str]) -> list[str]:
        """``texts`` (customers' words the model copied in another language) said in the persona's
        language, in order: one short call behind the same prefix."""
        task = load_prompt("section.restate").render(
            language=LANGUAGE_NAMES.get(self.language, self.language), count=len(texts),
            statements="\n".join(f"{n}. {text}" for n, text in enumerate(texts, start=1)))
        # ~30 tokens a short sentence: in the demo run both translations ran on to the 400-token limit (80 s each)
        return list(self._call("restate", Restated, task, max_tokens=RESTATE_TOKENS + 30 * len(texts)).statements)

    def critique(self, persona: Persona) -> list[Finding]:
        """The LLM critic's issues (warnings: they trigger a revision, never a removal)."""
        task = load_prompt("critique.section").render(persona=self.persona_text(persona))
        report = self._call("critique", CriticReport, task)
        return [Finding(check="critic", path=issue.field.strip(), problem=issue.problem, severity="warning",
                        source="critic") for issue in report.issues]

    def persona_text(self, persona: Persona) -> str:
        """The persona as the critic reads it: one line per claim, with the aliases it cites."""
        alias_of = {item.evidence_id: item.alias for item in self.brief.items}
        lines = [f"name: {persona.name} ({persona.buyer_type})"]
        for path, claim in iter_claims(persona):
            if claim.origin == "stats":
                continue
            cited = ", ".join(alias_of.get(i, i) for i in claim.evidence)
            lines.append(f"{path}: {claim.text} [{cited}]")
        return "\n".join(lines)

    def describe(self, findings: Sequence[Finding]) -> str:
        alias_of = {item.evidence_id: item.alias for item in self.brief.items}

        def aliased(text: str) -> str:
            for evidence_id, alias in alias_of.items():
                text = text.replace(evidence_id, alias)
            return text

        return "\n".join(f"- {f.path}: {aliased(f.problem)}" for f in findings) or "- none"


def dump(drafts: dict[str, BaseModel]) -> str:
    return json.dumps({name: draft.model_dump() for name, draft in drafts.items()}, ensure_ascii=False)


Model = TypeVar("Model", bound=BaseModel)


def salvage(schema: type[Model], raw: str, context: dict[str, Any],
            dropped: list[str] | None = None, defaults: dict[str, Any] | None = None) -> Model | None:
    """``schema`` from the valid items of a reply that failed as a whole: each list keeps the items that
    pass on their own; ``defaults`` stand in for fields without a valid value (a field's validators run only
    with the whole model's, so a reply's invalid value is replaced when that fails); None when a required field
    has none. Each item left out is described in ``dropped`` ("challenges[1]: the figures … are not in the
    evidence this cites")."""
    try:
        payload = extract_json(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    kept: dict[str, Any] = {}
    for name, field_info in schema.model_fields.items():
        if name not in payload:
            continue
        value = payload[name]
        annotation = field_info.annotation
        if annotation is None:
            continue
        item_type = getattr(annotation, "__args__", (None,))[0] if getattr(annotation, "__origin__", None) is list \
            else None
        if item_type is not None and isinstance(value, list):
            adapter = TypeAdapter(item_type)
            valid = []
            for index, item in enumerate(value):
                try:
                    valid.append(adapter.validate_python(item, context=context))
                except ValidationError as exc:
                    if dropped is not None:
                        dropped.append(f"{name}[{index}]: {exc.errors()[0]['msg']}"[:240])
            kept[name] = valid
        else:
            try:
                kept[name] = TypeAdapter(annotation).validate_python(value, context=context)
            except ValidationError as exc:
                if dropped is not None:
                    dropped.append(f"{name}: {exc.errors()[0]['msg']}"[:240])
    for values in ({**(defaults or {}), **kept}, {**kept, **(defaults or {})}):  # the reply's own value first
        try:
            return schema.model_validate(values, context=context)
        except ValidationError:
            continue
    return None
