"""What talking to a persona returns: an in-character `Answer`, ranked objections."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from persona_agent.personas.schema import not_placeholder


class Answer(BaseModel):
    """A persona's in-character reply. ``cited`` answers name the evidence behind them;
    ``extrapolated`` ones say openly that the research does not cover the question."""

    text: str = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    grounding: Literal["cited", "extrapolated"]
    unmentioned: list[str] = Field(default_factory=list)  # the question's words the research never uses
    unanswered: list[str] = Field(default_factory=list)  # the question's topic words the answer never names

    @property
    def footing(self) -> str:
        """Why an extrapolated answer is one, for its reader."""
        if self.unmentioned:
            return "the research never mentions " + ", ".join(f"“{w}”" for w in self.unmentioned)
        if self.unanswered:
            return "the answer does not speak of " + " or ".join(f"“{w}”" for w in self.unanswered)
        return "the research does not cover this"

    @model_validator(mode="after")
    def _grounded(self) -> Answer:
        if self.grounding == "cited" and not self.evidence:
            raise ValueError("a cited answer needs evidence ids")
        return self


class RankedObjection(BaseModel):
    objection: str = Field(min_length=3, max_length=300, description="in the persona's words")
    severity: Literal["high", "medium", "low"]
    evidence: list[str] = Field(min_length=1, max_length=4)
    suggested_response: str = Field(min_length=3, max_length=300)

    _real = field_validator("objection", "suggested_response")(classmethod(lambda cls, v: not_placeholder(v)))

    @field_validator("evidence")
    @classmethod
    def _offered(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        allowed = (info.context or {}).get("evidence_ids")
        unknown = [i for i in ids if allowed is not None and i not in allowed]
        if unknown:
            raise ValueError(f"unknown evidence ids {unknown}: cite only ids from the evidence list")
        return ids


class ObjectionReport(BaseModel):
    objections: list[RankedObjection] = Field(min_length=1, max_length=5)
