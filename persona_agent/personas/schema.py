"""The persona contract: `Persona` (every statement a `Claim` with its evidence), what the model
writes (`PersonaDraft`), and the critic's findings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

# --------------------------------------------------------------------------------------------
# Personas
# --------------------------------------------------------------------------------------------
SCHEMA_VERSION: Literal["1.0"] = "1.0"

BuyerType = Literal[
    "thoughtful researcher",
    "spontaneous",
    "bargain hunter",
    "brand enthusiast",
    "window shopper",
    "B2B buyer",
]


class Claim(BaseModel):
    """One statement about a persona and what backs it.

    ``cited`` claims name the evidence ids that support them; ``inference`` claims are allowed only
    with a ``reason`` (what they were inferred from). A claim with neither is invalid.
    """

    text: str = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    support: Literal["cited", "inference"] = "cited"
    reason: str | None = None

    @model_validator(mode="after")
    def _backed(self) -> Claim:
        if self.support == "cited" and not self.evidence:
            raise ValueError("a cited claim needs at least one evidence id (or support='inference' with a reason)")
        if self.support == "inference" and not (self.reason and self.reason.strip()):
            raise ValueError("an inference needs a reason")
        return self


class Quote(BaseModel):
    """A verbatim sentence from the evidence; the critic checks it appears in the cited chunk."""

    text: str = Field(min_length=3)
    evidence_id: str = Field(min_length=1)


class SegmentRef(BaseModel):
    segment_id: str | None = Field(None, description="e.g. segment:S2, when the persona rests on a segment")
    share_of_respondents: float | None = Field(None, ge=0, le=1)
    share_of_revenue: float | None = Field(None, ge=0, le=1)
    respondents: int | None = Field(None, ge=0)


class Demographics(BaseModel):
    """Each field optional: left empty rather than invented to fill a slot."""

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
    stage: str
    thinking: str | None = None
    feeling: str | None = None
    doing: str | None = None


class Provenance(BaseModel):
    generated_at: str
    model: str
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    evidence_ids: list[str] = Field(default_factory=list)
    critique_rounds: int = 0
    critique: list[str] = Field(default_factory=list, description="findings of each critique round")
    open_issues: list[str] = Field(default_factory=list)
    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


class Persona(BaseModel):
    """A buyer persona in which every statement carries its evidence (see `Claim`)."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="slug, e.g. frugal-fred")
    name: str = Field(min_length=2, description='memorable, e.g. "Frugal Fred"')
    gist: Claim
    narrative: Claim
    buyer_type: BuyerType
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
    provenance: Provenance | None = None


# --------------------------------------------------------------------------------------------
# What the model writes. Deliberately smaller than `Persona`: numbers, demographics and the
# segment reference come from the analysis, not from the model; lists are capped so small local
# models cannot loop.
# --------------------------------------------------------------------------------------------
_TEXT = 320


def _not_placeholder(text: str) -> str:
    stripped = text.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        raise ValueError("write real content, not a placeholder")
    return text


class DraftClaim(BaseModel):
    text: str = Field(min_length=3, max_length=_TEXT)
    evidence: list[str] = Field(default_factory=list, max_length=4, description="ids of the evidence behind it")

    _real = field_validator("text")(classmethod(lambda cls, v: _not_placeholder(v)))


class DraftObjection(BaseModel):
    objection: str = Field(min_length=3, max_length=_TEXT)
    response: str = Field(min_length=3, max_length=_TEXT, description="how to address it")
    evidence: list[str] = Field(default_factory=list, max_length=4)


class DraftQuote(BaseModel):
    text: str = Field(min_length=3, max_length=_TEXT, description="copied word for word from the evidence")
    evidence_id: str


class PersonaDraft(BaseModel):
    name: str = Field(min_length=3, max_length=40, description="alliterative first name plus a trait")
    buyer_type: BuyerType
    gist: DraftClaim = Field(description="one line: who they are")
    narrative: DraftClaim = Field(description="3-4 sentences in the buyer's own situation")
    goals: list[DraftClaim] = Field(min_length=1, max_length=3)
    challenges: list[DraftClaim] = Field(min_length=1, max_length=3)
    fears: list[DraftClaim] = Field(default_factory=list, max_length=2)
    values: list[DraftClaim] = Field(default_factory=list, max_length=3)
    decision_criteria: list[DraftClaim] = Field(min_length=1, max_length=3)
    triggers: list[DraftClaim] = Field(default_factory=list, max_length=2)
    channels: list[DraftClaim] = Field(min_length=1, max_length=3)
    objections: list[DraftObjection] = Field(min_length=1, max_length=3)
    selling_points: list[DraftClaim] = Field(min_length=1, max_length=3)
    marketing_message: DraftClaim
    tone: DraftClaim = Field(description="how to talk to them")
    quotes: list[DraftQuote] = Field(min_length=1, max_length=3)


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
