"""What the model writes, one short section at a time, citing the brief's aliases (E1…En).

Each section is a small pydantic model. Its validators receive the brief as context and refuse, for
every provider alike: an alias the brief does not have (the decoder is also constrained to the
brief's aliases where the provider supports it), a figure the cited evidence does not state, and a
template placeholder. `structured()` feeds the refusal back to the model, which repairs its answer.
Quotes are not written by the model at all; demographics, channels, research habits and decision
criteria come from the stats (see `personas.assemble`). Triggers are not asked for: on a second shop's
research the 1.5B's triggers were 5 of 11 true (the true ones restated the buying rhythm the code
already states) and its research habits 0 of 6, so a persona lists triggers as "no evidence" rather
than guess them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from persona_agent.personas.numbers import describe, unsupported
from persona_agent.personas.schema import BuyerType, not_placeholder

CLAIM_CHARS = 240


def _check_cited(text: str, aliases: list[str], info: ValidationInfo) -> None:
    known = (info.context or {}).get("aliases")
    if known is None:
        return
    unknown = [a for a in aliases if a not in known]
    if unknown:
        raise ValueError(f"unknown evidence {', '.join(unknown)}: cite only aliases from the brief (E1…E{len(known)})")
    missing = unsupported(text, [known[a].text for a in aliases])
    if missing:
        raise ValueError(f"the figures {describe(missing)} are not in the evidence this cites: "
                         "use the exact figure of the cited line, or no figure")


class _Cited(BaseModel):
    """A sentence and the aliases it cites, checked against them (the subclass orders the two fields)."""

    if TYPE_CHECKING:
        text: str
        evidence: list[str]

    _real = field_validator("text", check_fields=False)(classmethod(lambda cls, v: not_placeholder(v)))

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> _Cited:
        self.evidence = list(dict.fromkeys(self.evidence))
        _check_cited(self.text, self.evidence, info)
        return self


class SectionClaim(_Cited):
    text: str = Field(min_length=8, max_length=CLAIM_CHARS)
    evidence: list[str] = Field(min_length=1, max_length=3, description="aliases of the brief lines behind it")


class ThemeSummary(_Cited):
    """The theme's alias first, so the decoder writes the sentence knowing which theme it is about."""

    evidence: list[str] = Field(min_length=1, max_length=1, description="the theme line's alias")
    text: str = Field(min_length=8, max_length=CLAIM_CHARS)


class GoalsSection(BaseModel):
    goals: list[SectionClaim] = Field(min_length=1, max_length=3)
    values: list[SectionClaim] = Field(default_factory=list, max_length=3)


class PainsSection(BaseModel):
    challenges: list[SectionClaim] = Field(min_length=1, max_length=3)
    fears: list[SectionClaim] = Field(default_factory=list, max_length=2)


class ThemesSection(BaseModel):
    """One sentence per theme the code states (`Brief.claimed_themes`): the point its customers make, in the
    persona's language, in place of the theme's most central answer (which may be in another language)."""

    summaries: list[ThemeSummary] = Field(min_length=1, max_length=8)


class ObjectionItem(BaseModel):
    objection: str = Field(min_length=8, max_length=CLAIM_CHARS, description="in the buyer's own words")
    response: str = Field(min_length=8, max_length=CLAIM_CHARS, description="how the shop can answer it")
    evidence: list[str] = Field(min_length=1, max_length=3)

    _real = field_validator("objection", "response")(classmethod(lambda cls, v: not_placeholder(v)))

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ObjectionItem:
        self.evidence = list(dict.fromkeys(self.evidence))
        _check_cited(self.objection, self.evidence, info)
        _check_cited(self.response, self.evidence, info)
        return self


class ObjectionsSection(BaseModel):
    objections: list[ObjectionItem] = Field(min_length=1, max_length=3)


Stage = Literal["awareness", "consideration", "purchase", "after purchase"]


class JourneyItem(BaseModel):
    stage: Stage
    thinking: str = Field(min_length=8, max_length=CLAIM_CHARS)
    feeling: str = Field(min_length=4, max_length=CLAIM_CHARS)
    doing: str = Field(min_length=8, max_length=CLAIM_CHARS)
    evidence: list[str] = Field(min_length=1, max_length=3)

    _real = field_validator("thinking", "feeling", "doing")(classmethod(lambda cls, v: not_placeholder(v)))

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> JourneyItem:
        self.evidence = list(dict.fromkeys(self.evidence))
        for text in (self.thinking, self.feeling, self.doing):
            _check_cited(text, self.evidence, info)
        return self


class JourneySection(BaseModel):
    journey: list[JourneyItem] = Field(min_length=2, max_length=4)


class PositioningSection(BaseModel):
    selling_points: list[SectionClaim] = Field(min_length=1, max_length=3)
    marketing_message: SectionClaim
    tone: SectionClaim


class IdentitySection(BaseModel):
    name: str = Field(min_length=3, max_length=40, description="an alliterative first name plus a trait")
    buyer_type: BuyerType
    buyer_type_reason: SectionClaim
    gist: SectionClaim
    narrative: SectionClaim

    _real = field_validator("name")(classmethod(lambda cls, v: not_placeholder(v)))


class SalvagedIdentity(IdentitySection):
    """What is kept of an identity the model could not write validly: its name and buyer type, and each
    claim that passed on its own (the code's portraits stand in for a gist or narrative that did not)."""

    buyer_type_reason: SectionClaim | None = None  # type: ignore[assignment]
    gist: SectionClaim | None = None  # type: ignore[assignment]
    narrative: SectionClaim | None = None  # type: ignore[assignment]


class Restated(BaseModel):
    """Claims the model copied from customers' words in another language, said in the persona's language."""

    statements: list[str] = Field(min_length=1, max_length=12)

    @field_validator("statements")
    @classmethod
    def _real(cls, value: list[str]) -> list[str]:
        return [not_placeholder(v.strip()) for v in value]


@dataclass(frozen=True)
class Section:
    """One short LLM call: its prompt file, its model and the persona fields it fills."""

    name: str
    model: type[BaseModel]
    fields: tuple[str, ...]

    @property
    def prompt(self) -> str:
        return f"section.{self.name}"


SECTIONS: tuple[Section, ...] = (
    Section("goals", GoalsSection, ("goals", "psychographics.values")),
    Section("pains", PainsSection, ("challenges", "fears")),
    Section("themes", ThemesSection, ()),  # they land in goals, values and challenges (`assemble.theme_claims`)
    Section("objections", ObjectionsSection, ("objections",)),
    Section("journey", JourneySection, ("journey",)),
    Section("positioning", PositioningSection, ("selling_points", "marketing_message", "tone")),
    Section("identity", IdentitySection, ("name", "buyer_type", "buyer_type_reason", "gist", "narrative")),
)
BY_NAME = {section.name: section for section in SECTIONS}


def section_of(path: str) -> Section | None:
    """The section that wrote the persona field at ``path`` ("goals.primary[0]", "objections[1].response")."""
    head = path.split("[")[0]
    for section in SECTIONS:
        for name in section.fields:
            if head == name or head.startswith(name + ".") or name.startswith(head + "."):
                return section
    if head.startswith("goals"):
        return BY_NAME["goals"]
    return None


def persona_path(model: type[BaseModel], path: str) -> str:
    """Where a section field lands in the persona: (PainsSection, "fears[1]") → "fears[1]"."""
    head, _, rest = path.partition("[")
    for section in SECTIONS:
        if section.model is model or issubclass(model, section.model):
            full = next((name for name in section.fields if name.split(".")[-1] == head), head)
            return full + ("[" + rest if rest else "")
    return path


# The words each sentence of a written list starts with, as the section prompts ask; in English the decoder holds
# the local model to them (`decode_schema`). Asked in the prompt only, the 1.5B filled knowledge/'s enthusiasts'
# goals and values with customers' whole answers ("Guatemala Huehuetenango was the best filter coffee I've had
# this year. Gode oplysninger om gård, højde og proces.", seed 42), which the checks then removed as another
# language or as a copy of the selling points.
# Its selling points, message and tone were customers' answers too ("The Rwanda Nyamasheke was the best filter
# coffee I've had this year. Quality of the light roasts. …" as a reason why us, and as the tone): a selling point
# is what this buyer chooses the shop for, the tone how to speak to them, the message one sentence ("" = any
# capitalised first word).
FIELD_LEADS: dict[str, tuple[str, ...]] = {
    "goals": ("Wants", "Needs"), "values": ("Cares about",),
    "challenges": ("Struggles with", "Is annoyed that", "Has to"), "fears": ("Worries that",),
    "selling_points": ("Chooses the shop for",), "tone": ("Speak", "Talk", "Write"), "marketing_message": (),
}


def decode_schema(section: Section, aliases: list[str], leads: Mapping[str, str] | None = None, *,
                  english: bool = True) -> dict[str, Any]:
    """The section's JSON Schema with every evidence list limited to the brief's aliases; with ``leads``
    (the themes call: each theme's alias → the words its sentence starts with, `Brief.theme_leads`) the
    reply is one item per theme, in order, citing that theme and starting with its words. Asked in the
    prompt only, the 1.5B copied the customers' words for most themes of knowledge/'s enthusiasts ("Hard
    to see what is actually in stock before the newsletter goes out. Stock-outs.", in their languages),
    which are not a trait of the buyer and were dropped for the theme's own words. In English, each claim of the
    fields in `FIELD_LEADS` is one sentence starting with its lead."""
    schema = section.model.model_json_schema()
    if leads:
        schema["properties"]["summaries"] = {"type": "array", "minItems": len(leads), "maxItems": len(leads),
                                             "prefixItems": [_theme_item(alias, lead) for alias, lead in leads.items()]}
        return schema
    enum = {"type": "string", "enum": aliases}

    def constrain(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties", {})
            if "evidence" in properties and properties["evidence"].get("type") == "array":
                properties["evidence"]["items"] = enum
            for name, words in FIELD_LEADS.items():
                if not english or name not in properties:
                    continue
                led = {"type": "object", "required": ["text", "evidence"],
                       "properties": {"text": _sentence("(" + "|".join(words) + ")" if words else "[A-Z][A-Za-z']*,?"),
                                      "evidence": {"type": "array", "minItems": 1, "maxItems": 3, "items": enum}}}
                if properties[name].get("type") == "array":
                    properties[name]["items"] = led
                else:  # one claim: "$ref" to the claim model
                    properties[name] = led
            for value in node.values():
                constrain(value)
        elif isinstance(node, list):
            for value in node:
                constrain(value)

    constrain(schema)
    return schema


def _theme_item(alias: str, lead: str) -> dict[str, Any]:
    # one sentence after its lead: no quote, backslash or line break (the JSON string stays plain) and no end of
    # a sentence but the last (the 1.5B glued the lead onto two or three sentences of customers' words: "Likes
    # the brew guides in the newsletter are actually useful, not just marketing. The subscription is …")
    return {"type": "object", "properties": {"evidence": {"type": "array", "prefixItems": [{"const": alias}]},
                                             "text": _sentence(re.sub(r"[^\w ]", "", lead))},
            "required": ["evidence", "text"]}


def _sentence(lead: str) -> dict[str, Any]:
    """A string that starts with ``lead`` (a regex) and is one sentence: no quote, backslash, line break or end of
    a sentence but the last."""
    return {"type": "string", "pattern": "^" + lead + ' [^"\\\\\\n.!?]+[.!?]?$'}
