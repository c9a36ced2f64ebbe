"""Plan and retrieve: one persona target per data segment (or per group the model proposes when
there are no segments), and the evidence each target is written from."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from persona_agent.core.errors import PersonaError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.store import EvidenceStore
from persona_agent.engine.structured import structured


@dataclass
class Target:
    """One persona to write: a data segment (or, with no segments, a group the model proposed)."""

    key: str  # "segment:S2"
    profile: Evidence | None
    size: int = 0
    share: float | None = None
    revenue_share: float | None = None
    respondent_ids: list[str] = field(default_factory=list)
    demographics: list[dict[str, Any]] = field(default_factory=list)
    query: str = ""
    description: str = ""  # for groups the model proposed



# ------------------------------------------------------------------------------------------ plan
def plan_targets(store: EvidenceStore, analysis_dir: Path, count: int | None = None,
                 segment: str | None = None) -> list[Target]:
    """One target per survey segment, most valuable (revenue) or largest first."""
    path = analysis_dir / "segments.json"
    if not path.is_file():
        return []
    segments = json.loads(path.read_text(encoding="utf-8"))["segments"]
    value_path = analysis_dir / "value.json"
    values = {}
    if value_path.is_file():
        value = json.loads(value_path.read_text(encoding="utf-8"))
        if value.get("joinable"):
            total = sum(v["revenue"] for v in value["segments"]) or 1.0
            values = {v["segment_id"]: v["revenue"] / total for v in value["segments"]}
    profiles = {e.evidence_id: e for e in store.get([f"segment:{s['segment_id']}" for s in segments])}
    targets = []
    for item in segments:
        key = f"segment:{item['segment_id']}"
        top = [f"{c['answer']}" for c in item["distinguishing"][:4] if c.get("answer")]
        targets.append(Target(
            key=key, profile=profiles.get(key), size=item["size"], share=item["share"],
            revenue_share=values.get(item["segment_id"]),
            respondent_ids=item["free_text_respondent_ids"] or item["respondent_ids"],
            demographics=item["demographics"], query="; ".join(top),
        ))
    if segment:
        wanted = segment if segment.startswith("segment:") else f"segment:{segment}"
        targets = [t for t in targets if t.key == wanted]
        if not targets:
            raise PersonaError(f"--segment {segment}: no such segment", "run `persona analyze` and pick one it lists")
    targets.sort(key=lambda t: (-(t.revenue_share or 0.0), -t.size, t.key))
    return targets[:count] if count else targets


class ProposedGroup(BaseModel):
    label: str = Field(min_length=3, max_length=60)
    description: str = Field(min_length=10, max_length=300, description="who they are and what they want")
    evidence: list[str] = Field(min_length=1, max_length=6)


class GroupProposal(BaseModel):
    groups: list[ProposedGroup] = Field(min_length=1, max_length=6)


def propose_targets(llm: Any, store: EvidenceStore, count: int) -> list[Target]:
    """With no survey segments, the model proposes customer groups from a diverse evidence sample;
    the report says the plan came from the model, not from the data."""
    sample = store.mmr("customers: who they are, what they want, what stops them buying", k=24, fetch_k=80)
    if not sample:
        raise PersonaError("the evidence store is empty", "run `persona ingest FOLDER` first")
    ids = [e.evidence_id for e in sample]
    schema = GroupProposal.model_json_schema()
    schema["$defs"]["ProposedGroup"]["properties"]["evidence"]["items"] = {"type": "string", "enum": ids}
    messages = [SystemMessage(content=load_prompt("draft.system").render()),
                HumanMessage(content=load_prompt("propose.user").render(count=count, evidence=render_evidence(sample)))]
    proposal = structured(llm, GroupProposal, messages, json_schema=schema)
    return [Target(key=f"group:{i}", profile=None, query=g.description,
                   description=f"Group proposed from the evidence (there are no survey segments): "
                               f"{g.label}: {g.description}")
            for i, g in enumerate(proposal.groups[:count], start=1)]


# -------------------------------------------------------------------------------------- retrieve
def gather_evidence(store: EvidenceStore, target: Target, *, k_survey: int = 4, k_interview: int = 3,
                    k_analytics: int = 2) -> list[Evidence]:
    """Segment profile + that segment's own survey answers + MMR across interviews and analytics,
    so a persona never rests on one source type."""
    found: dict[str, Evidence] = {}
    if target.profile is not None:
        found[target.profile.evidence_id] = target.profile
    query = target.query or (target.profile.text[:300] if target.profile else "customer needs")
    if target.respondent_ids:
        where = {"$and": [{"kind": "survey"}, {"respondent_id": {"$in": target.respondent_ids[:200]}}]}
        for hit in store.search(query, k=k_survey, where=where):
            found.setdefault(hit.evidence.evidence_id, hit.evidence)
    for kind, k in (("interview", k_interview), ("analytics", k_analytics)):
        for evidence in store.mmr(query, k=k, where={"kind": kind}):
            found.setdefault(evidence.evidence_id, evidence)
    return list(found.values())


def render_evidence(evidence: Sequence[Evidence], limit: int = 260) -> str:
    lines = []
    for item in evidence:
        text = re.sub(r"\s+", " ", item.text).strip()
        lang = item.metadata.get("language", "")
        cap = 1200 if item.kind == "segment" else limit  # the segment profile is the persona's backbone
        lines.append(f"[{item.evidence_id}] ({item.kind}{', ' + str(lang) if lang else ''}) {text[:cap]}")
    return "\n".join(lines)
