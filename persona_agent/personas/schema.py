"""The persona contract (schema 2.0): `Persona`, in which every statement is a `Claim` with its
evidence, confidence and support score, and the critic's findings. What the model writes, section by
section, is in `personas.sections`."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, model_validator

# --------------------------------------------------------------------------------------------
# Personas
# --------------------------------------------------------------------------------------------
SCHEMA_VERSION: Literal["2.0"] = "2.0"

BuyerType = Literal[
    "thoughtful researcher",
    "spontaneous",
    "bargain hunter",
    "brand enthusiast",
    "window shopper",
    "B2B buyer",
]
Confidence = Literal["high", "medium", "low"]


class Claim(BaseModel):
    """One statement about a persona and what backs it.

    ``cited`` claims name the evidence ids that support them; ``inference`` claims are allowed only
    with a ``reason`` that names the evidence they were inferred from, and are shown as inferences
    everywhere. ``origin`` tells a figure the code took from a stat (``stats``) from a sentence the
    model wrote (``llm``). ``support_score`` is the claim's similarity to its evidence (the grounding
    check's measure), ``respondents`` how many distinct people or sources stand behind it, and
    ``confidence`` follows from that: 5+ high, 2–4 medium, 1 low.
    """

    text: str = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    support: Literal["cited", "inference"] = "cited"
    reason: str | None = None
    origin: Literal["llm", "stats"] = "llm"
    confidence: Confidence | None = None
    support_score: float | None = None
    respondents: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _backed(self) -> Claim:
        if self.support == "cited" and not self.evidence:
            raise ValueError("a cited claim needs at least one evidence id (or support='inference' with a reason)")
        if self.support == "inference" and not (self.reason and self.reason.strip()):
            raise ValueError("an inference needs a reason")
        return self


class Quote(BaseModel):
    """A customer's own words, verbatim from the chunk it cites (selected by the code, never written)."""

    text: str = Field(min_length=3)
    evidence_id: str = Field(min_length=1)
    language: str | None = None
    theme_id: str | None = None


class ThemeRef(BaseModel):
    """A theme of the segment the persona draws on, with the people behind it."""

    theme_id: str
    label: str
    respondents: int
    customers: int = 0
    share: float = Field(ge=0, le=1)
    lift: float | None = None


class SegmentRef(BaseModel):
    segment_id: str | None = Field(None, description="e.g. segment:S2, when the persona rests on a segment")
    share_of_respondents: float | None = Field(None, ge=0, le=1)
    share_of_revenue: float | None = Field(None, ge=0, le=1)
    respondents: int | None = Field(None, ge=0)
    themes: list[ThemeRef] = Field(default_factory=list)


class Demographics(BaseModel):
    """Each field optional: left empty rather than invented to fill a slot. Filled from the stats."""

    age_band: Claim | None = None
    gender: Claim | None = None
    location: Claim | None = None
    income_band: Claim | None = None
    education: Claim | None = None
    family: Claim | None = None
    occupation: Claim | None = None
    company_size: Claim | None = None
    industry: Claim | None = None
    role: Claim | None = None
    team_size: Claim | None = None


class Psychographics(BaseModel):
    values: list[Claim] = Field(default_factory=list)
    interests: list[Claim] = Field(default_factory=list)
    lifestyle: list[Claim] = Field(default_factory=list)
    attitudes: list[Claim] = Field(default_factory=list)


class Goals(BaseModel):
    primary: list[Claim] = Field(default_factory=list)
    secondary: list[Claim] = Field(default_factory=list)


class BuyingBehaviour(BaseModel):
    triggers: list[Claim] = Field(default_factory=list)
    decision_criteria: list[Claim] = Field(default_factory=list)
    research_habits: list[Claim] = Field(default_factory=list)
    price_sensitivity: Claim | None = None
    purchase_frequency: Claim | None = None
    purchase_value: Claim | None = None
    channels: list[Claim] = Field(default_factory=list)
    information_sources: list[Claim] = Field(default_factory=list)


class Objection(BaseModel):
    objection: Claim
    response: Claim


class JourneyStage(BaseModel):
    """One stage of the buyer's journey: what they think, feel and do there."""

    stage: str
    thinking: Claim | None = None
    feeling: Claim | None = None
    doing: Claim | None = None


class Provenance(BaseModel):
    generated_at: str
    model: str
    language: str = "en"
    fingerprint: str | None = Field(None, description="hash of everything this persona was generated from")
    analysis_fingerprint: str | None = Field(None, description="digest of the research folder the analysis was made "
                                                               "from when this persona was written")
    evidence_hashes: dict[str, str] = Field(default_factory=dict,
                                            description="evidence id → hash of its text when this persona cited it")
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    evidence_ids: list[str] = Field(default_factory=list)
    critique_rounds: int = 0
    critique: list[str] = Field(default_factory=list, description="findings of each critique round")
    open_issues: list[str] = Field(default_factory=list)
    removed_claims: int = 0
    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0


class Persona(BaseModel):
    """A buyer persona in which every statement carries its evidence (see `Claim`)."""

    schema_version: Literal["2.0"] = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="slug, e.g. frugal-fred")
    name: str = Field(min_length=2, description='memorable, e.g. "Frugal Fred"')
    gist: Claim
    narrative: Claim
    buyer_type: BuyerType
    buyer_type_reason: Claim | None = None
    segment: SegmentRef = Field(default_factory=SegmentRef)
    demographics: Demographics = Field(default_factory=Demographics)
    psychographics: Psychographics = Field(default_factory=Psychographics)
    goals: Goals = Field(default_factory=Goals)
    challenges: list[Claim] = Field(default_factory=list)
    fears: list[Claim] = Field(default_factory=list)
    buying_behaviour: BuyingBehaviour = Field(default_factory=BuyingBehaviour)
    objections: list[Objection] = Field(default_factory=list)
    selling_points: list[Claim] = Field(default_factory=list)
    marketing_message: Claim | None = None
    tone: Claim | None = None
    quotes: list[Quote] = Field(default_factory=list)
    journey: list[JourneyStage] = Field(default_factory=list)
    no_evidence: list[str] = Field(default_factory=list,
                                   description="template sections the research has no evidence for")
    provenance: Provenance | None = None


def not_placeholder(text: str) -> str:
    """Small models copy template placeholders ("<in the persona's words>"): refuse them, also cut at a length
    limit before their ">" (the 1.5B named a persona "<an alliterative first name plus a trait", 40 characters)."""
    stripped = text.strip()
    if re.match(r"<\s*[^\W\d_]", stripped) or stripped.casefold() in ("...", "…", "text", "n/a"):
        raise ValueError("write real content, not a placeholder")
    return text



class CriticIssue(BaseModel):
    field: str = Field(max_length=60, description="e.g. goals[1] or narrative")
    problem: str = Field(min_length=3, max_length=240)


class CriticReport(BaseModel):
    """The LLM critic's verdict against the rubric (see prompts/critique.system.md)."""

    issues: list[CriticIssue] = Field(default_factory=list, max_length=5)


class Finding(BaseModel):
    """One problem with a persona, from the deterministic checks or the LLM critic."""

    check: str  # e.g. unknown_evidence, quote_not_verbatim, number_mismatch, uncited, one_source_kind
    path: str  # where in the persona: "goals[1]", "quotes[0]", "(persona)"
    problem: str
    severity: Literal["error", "warning"] = "error"
    source: Literal["rules", "critic"] = "rules"
