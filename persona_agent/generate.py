"""Generate personas: plan → retrieve → draft → critique → revise → write.

Segments come from the data (`persona analyze`); the model only describes them. Numbers, the
segment reference and demographics are filled in from the analysis, cited to `segment:Sx`; the
model writes the rest, citing evidence ids it was shown (constrained to an enum of those ids where
the provider supports it). The critique loop is bounded; what still fails after the last round is
removed or downgraded and listed as an open issue, so the output always validates.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from .critique import cited_ids, critic_findings, describe, distinctness_findings, enforce, rule_findings
from .errors import PersonaError
from .llm import UsageTracker, structured
from .persona_markdown import persona_markdown
from .prompts import load_prompt
from .schema import (
    BuyingBehaviour,
    Claim,
    Demographics,
    DraftClaim,
    Evidence,
    Goals,
    Objection,
    Persona,
    PersonaDraft,
    Provenance,
    Psychographics,
    Quote,
    SegmentRef,
)
from .store import EvidenceStore

PROMPTS = ("draft.system", "draft.user", "revise.user", "critique.system", "critique.user", "propose.user", "edit.user",
           "persona.fields",
           "structured.instructions", "structured.repair")
MANIFEST = ".persona-run.json"
_DEMOGRAPHIC_FIELDS = {"age": "age_band", "gender": "gender", "location": "location", "income": "income_band",
                       "education": "education", "family": "family", "job": "occupation"}


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


@dataclass
class Outcome:
    target: Target
    persona: Persona | None = None
    files: list[str] = field(default_factory=list)
    error: str | None = None
    resumed: bool = False
    cited_share: float = 0.0


@dataclass
class GenerateReport:
    outcomes: list[Outcome]
    out_dir: Path
    seconds: float = 0.0
    planned_by: str = "segments"

    @property
    def calls(self) -> int:
        return sum(o.persona.provenance.llm_calls for o in self.outcomes if o.persona and o.persona.provenance)


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


def decode_schema(ids: Sequence[str]) -> dict[str, Any]:
    """PersonaDraft's JSON Schema with every evidence id field limited to the ids shown."""
    schema = PersonaDraft.model_json_schema()
    enum = {"type": "string", "enum": list(ids)}
    defs = schema["$defs"]
    defs["DraftClaim"]["properties"]["evidence"]["items"] = enum
    defs["DraftObjection"]["properties"]["evidence"]["items"] = enum
    defs["DraftQuote"]["properties"]["evidence_id"] = enum
    return schema


# ------------------------------------------------------------------------------------- assemble
def _claim(draft: DraftClaim) -> Claim:
    if draft.evidence:
        return Claim(text=draft.text, evidence=list(dict.fromkeys(draft.evidence)))
    return Claim(text=draft.text, support="inference", reason="uncited: the draft gave no evidence")


def _demographics(target: Target) -> Demographics:
    """The segment's top answer per dimension, with its share, cited to the segment profile."""
    claims: dict[str, Claim] = {}
    for profile in target.demographics:
        slot = _DEMOGRAPHIC_FIELDS.get(profile["dimension"])
        answers = [a for a in profile["answers"] if a.get("answer")]
        if slot and answers:
            top = answers[0]
            claims[slot] = Claim(
                text=f"{top['answer']} ({top['segment_value'] * 100:.0f} % of this segment vs "
                     f"{top['overall_value'] * 100:.0f} % overall)",
                evidence=[target.key])
    return Demographics(**claims)


def assemble(draft: PersonaDraft, target: Target, taken_slugs: set[str]) -> Persona:
    slug = re.sub(r"[^a-z0-9]+", "-", draft.name.casefold()).strip("-") or "persona"
    base, n = slug, 2
    while slug in taken_slugs:
        slug, n = f"{base}-{n}", n + 1
    is_segment = target.key.startswith("segment:")
    return Persona(
        id=slug, name=draft.name, gist=_claim(draft.gist), narrative=_claim(draft.narrative),
        buyer_type=draft.buyer_type,
        segment=SegmentRef(segment_id=target.key if is_segment else None, share_of_respondents=target.share,
                           share_of_revenue=target.revenue_share, respondents=target.size or None),
        demographics=_demographics(target),
        psychographics=Psychographics(values=[_claim(c) for c in draft.values]),
        goals=Goals(primary=[_claim(c) for c in draft.goals[:1]], secondary=[_claim(c) for c in draft.goals[1:]]),
        challenges=[_claim(c) for c in draft.challenges], fears=[_claim(c) for c in draft.fears],
        buying_behaviour=BuyingBehaviour(
            triggers=[_claim(c) for c in draft.triggers],
            decision_criteria=[_claim(c) for c in draft.decision_criteria],
            channels=[_claim(c) for c in draft.channels]),
        objections=[Objection(objection=_claim(DraftClaim(text=o.objection, evidence=o.evidence)),
                              response=_claim(DraftClaim(text=o.response, evidence=o.evidence)))
                    for o in draft.objections],
        selling_points=[_claim(c) for c in draft.selling_points],
        marketing_message=_claim(draft.marketing_message), tone=_claim(draft.tone),
        quotes=[Quote(text=q.text, evidence_id=q.evidence_id) for q in draft.quotes],
    )


# ------------------------------------------------------------------------------------------ loop
@dataclass
class Generator:
    """Everything the loop needs, injected: the chat model, the store, where files go."""

    llm: Any
    store: EvidenceStore
    out_dir: Path
    model_name: str = "unknown"
    max_rounds: int = 2
    on_event: Callable[..., None] = lambda *a, **k: None
    _done: list[Persona] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _others(self) -> list[Persona]:
        with self._lock:
            return list(self._done)

    def _ask(self, system: str, user: str, ids: Sequence[str], usage: UsageTracker) -> PersonaDraft:
        messages = [SystemMessage(content=system), HumanMessage(content=user)]
        return structured(self.llm, PersonaDraft, messages, json_schema=decode_schema(ids),
                          config={"callbacks": [usage]}, guide=load_prompt("persona.fields").render())

    def one(self, target: Target) -> Outcome:
        """Draft, then critique → revise up to ``max_rounds``. Distinctness from the other personas
        is checked afterwards, in plan order (`distinguish`), so that this loop's prompts depend only
        on the evidence and an unchanged re-run is answered entirely from the cache."""
        evidence = gather_evidence(self.store, target)
        usage = UsageTracker()
        profile = (f"[{target.profile.evidence_id}], the first evidence item" if target.profile
                   else target.description)
        draft = self._ask(load_prompt("draft.system").render(),
                          load_prompt("draft.user").render(segment=profile, evidence=render_evidence(evidence)),
                          [e.evidence_id for e in evidence], usage)
        return self._refine(target, evidence, draft, usage, others=[], rounds=0, history=[])

    def _refine(self, target: Target, evidence: list[Evidence], draft: PersonaDraft, usage: UsageTracker, *,
                others: list[Persona], rounds: int, history: list[str], prior: Provenance | None = None) -> Outcome:
        evidence_text = render_evidence(evidence)
        ids = [e.evidence_id for e in evidence]
        names = ", ".join(p.name for p in others) or "none yet"
        while True:
            persona = assemble(draft, target, {p.id for p in others})
            known = {e.evidence_id: e for e in self.store.get(sorted(cited_ids(persona)))}
            findings = rule_findings(persona, known, others)
            if rounds >= self.max_rounds:
                break
            findings += critic_findings(self.llm, persona, evidence_text, config={"callbacks": [usage]})
            history.append(f"round {rounds + 1}: " + ("; ".join(f"{f.check} {f.path}" for f in findings) or "clean"))
            if not findings:
                break
            rounds += 1
            draft = self._ask(load_prompt("draft.system").render(), load_prompt("revise.user").render(
                draft=draft.model_dump_json(indent=1), findings=describe(findings), evidence=evidence_text,
                taken_names=names), ids, usage)
        final = [f for f in findings if f.severity == "error" or rounds >= self.max_rounds]
        persona.provenance = Provenance(
            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), model=self.model_name,
            prompt_versions={name: load_prompt(name).version for name in PROMPTS},
            evidence_ids=sorted(cited_ids(persona)), critique_rounds=rounds, critique=history,
            llm_calls=usage.calls + (prior.llm_calls if prior else 0),
            input_tokens=usage.input_tokens + (prior.input_tokens if prior else 0),
            output_tokens=usage.output_tokens + (prior.output_tokens if prior else 0))
        persona = enforce(persona, final, known)
        with self._lock:
            self._done.append(persona)
        return Outcome(target=target, persona=persona, cited_share=cited_share(persona))

    def distinguish(self, outcome: Outcome, earlier: list[Persona]) -> Outcome:
        """One more revision when a persona repeats an earlier one (name or substance)."""
        persona = outcome.persona
        assert persona is not None
        clashes = distinctness_findings(persona, earlier)
        if not clashes:
            return outcome
        evidence = gather_evidence(self.store, outcome.target)
        usage = UsageTracker()
        draft = self._ask(load_prompt("draft.system").render(), load_prompt("revise.user").render(
            draft=persona_to_draft(persona).model_dump_json(indent=1), findings=describe(clashes),
            evidence=render_evidence(evidence), taken_names=", ".join(p.name for p in earlier)),
            [e.evidence_id for e in evidence], usage)
        prior = persona.provenance
        history = [*(prior.critique if prior else []), "distinct: " + "; ".join(f.check for f in clashes)]
        rounds = max(self.max_rounds, prior.critique_rounds if prior else 0)
        with self._lock:
            self._done = [p for p in self._done if p is not persona]
        return self._refine(outcome.target, evidence, draft, usage, others=earlier, rounds=rounds, history=history,
                            prior=prior)


def cited_share(persona: Persona) -> float:
    from .critique import iter_claims

    claims = [c for _, c in iter_claims(persona)]
    return sum(c.support == "cited" for c in claims) / max(1, len(claims))


# ----------------------------------------------------------------------------------------- files
def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_persona(persona: Persona, out_dir: Path) -> list[str]:
    json_path, md_path = out_dir / f"{persona.id}.json", out_dir / f"{persona.id}.md"
    _atomic_write(json_path, persona.model_dump_json(indent=2, exclude_none=True) + "\n")
    _atomic_write(md_path, persona_markdown(persona))
    return [str(json_path), str(md_path)]


def _save(outcome: Outcome, manifest: dict[str, dict[str, Any]], out_dir: Path) -> list[str]:
    """Write a persona under a slug no other target of the run holds; drop its files under an old slug."""
    persona = outcome.persona
    assert persona is not None
    key = outcome.target.key
    held = {entry["slug"] for other, entry in manifest.items() if other != key}
    slug, n = persona.id, 2
    while slug in held:
        slug, n = f"{persona.id}-{n}", n + 1
    if slug != persona.id:
        persona = outcome.persona = persona.model_copy(update={"id": slug})
    old = manifest.get(key, {}).get("slug")
    if old and old != slug:  # regenerated under a new name: no duplicates left behind
        for suffix in (".json", ".md"):
            (out_dir / f"{old}{suffix}").unlink(missing_ok=True)
    outcome.files = write_persona(persona, out_dir)
    manifest[key] = {"slug": slug, "status": "done"}
    _atomic_write(out_dir / MANIFEST, json.dumps(manifest, indent=1))
    return outcome.files


def load_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    path = out_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def generate_personas(
    generator: Generator,
    targets: Sequence[Target],
    *,
    concurrency: int = 4,
    resume: bool = False,
) -> GenerateReport:
    """Generate ``targets`` concurrently (bounded threads); with ``resume`` keep finished ones."""
    started = datetime.now(timezone.utc)
    out_dir = generator.out_dir
    manifest = load_manifest(out_dir)
    outcomes: list[Outcome] = []
    pending: list[Target] = []
    for target in targets:
        entry = manifest.get(target.key, {})
        path = out_dir / f"{entry.get('slug', '')}.json"
        if resume and entry.get("status") == "done" and path.is_file():
            try:
                persona = Persona.model_validate_json(path.read_text(encoding="utf-8"))
            except ValidationError:
                pending.append(target)
                continue
            generator._done.append(persona)
            outcomes.append(Outcome(target, persona, [str(path)], resumed=True, cited_share=cited_share(persona)))
        else:
            pending.append(target)
    lock = threading.Lock()
    generator.on_event("start", name="personas", total=len(targets))
    generator.on_event("advance", name="personas", by=len(outcomes), item="resumed")
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(generator.one, target): target for target in pending}
        for future in as_completed(futures):
            target = futures[future]
            try:
                outcome = future.result()
            except PersonaError as exc:  # one failed persona does not stop the others
                outcome = Outcome(target, error=exc.one_line())
            if outcome.persona is not None:
                with lock:
                    _save(outcome, manifest, out_dir)
            outcomes.append(outcome)
            generator.on_event("advance", name="personas", item=target.key)
    order = {t.key: i for i, t in enumerate(targets)}
    outcomes.sort(key=lambda o: order[o.target.key])
    earlier: list[Persona] = []  # distinct from every persona before it, in plan order (deterministic)
    for index, outcome in enumerate(outcomes):
        if outcome.persona is None:
            continue
        if not outcome.resumed:
            try:
                revised = generator.distinguish(outcome, earlier)
            except PersonaError as exc:
                revised = outcome
                if outcome.persona.provenance:
                    outcome.persona.provenance.open_issues.append(f"(persona): distinctness revision failed: {exc}")
            if revised is not outcome:
                revised.files = _save(revised, manifest, out_dir)
                outcomes[index] = outcome = revised
        earlier.append(outcome.persona)
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return GenerateReport(outcomes=outcomes, out_dir=out_dir, seconds=seconds)


# ------------------------------------------------------------------------- edits from the chat
def persona_to_draft(persona: Persona) -> PersonaDraft:
    """The editable part of a persona, back in the shape the model writes."""

    def draft(claim: Claim | None) -> dict[str, Any]:
        return {"text": claim.text if claim else "-", "evidence": list(claim.evidence) if claim else []}

    bb = persona.buying_behaviour
    return PersonaDraft.model_validate({
        "name": persona.name, "buyer_type": persona.buyer_type, "gist": draft(persona.gist),
        "narrative": draft(persona.narrative),
        "goals": [draft(c) for c in (persona.goals.primary + persona.goals.secondary)][:3] or [draft(persona.gist)],
        "challenges": [draft(c) for c in persona.challenges][:3] or [draft(persona.gist)],
        "fears": [draft(c) for c in persona.fears][:2], "values": [draft(c) for c in persona.psychographics.values][:3],
        "decision_criteria": [draft(c) for c in bb.decision_criteria][:3] or [draft(persona.gist)],
        "triggers": [draft(c) for c in bb.triggers][:2], "channels": [draft(c) for c in bb.channels][:3] or
        [draft(persona.gist)],
        "objections": [{"objection": o.objection.text, "response": o.response.text, "evidence": o.objection.evidence}
                       for o in persona.objections][:3] or [{"objection": "-", "response": "-", "evidence": []}],
        "selling_points": [draft(c) for c in persona.selling_points][:3] or [draft(persona.gist)],
        "marketing_message": draft(persona.marketing_message), "tone": draft(persona.tone),
        "quotes": [{"text": q.text, "evidence_id": q.evidence_id} for q in persona.quotes][:3]
        or [{"text": "-", "evidence_id": "-"}],
    })


def target_for(persona: Persona, store: EvidenceStore, analysis_dir: Path) -> Target:
    if persona.segment.segment_id:
        found = plan_targets(store, analysis_dir, segment=persona.segment.segment_id)
        if found:
            return found[0]
    return Target(key=f"persona:{persona.id}", profile=None, query=persona.gist.text, description=persona.gist.text)


@dataclass
class RevisionResult:
    persona: Persona | None  # None when refused
    refused_because: list[str]


def revise_with_instruction(generator: Generator, persona: Persona, instruction: str,
                            analysis_dir: Path) -> RevisionResult:
    """A marketer's edit ("make her more price-sensitive"). The revision must still cite evidence
    that exists and quote it verbatim; otherwise it is refused with the reasons, and nothing is saved."""
    target = target_for(persona, generator.store, analysis_dir)
    evidence = gather_evidence(generator.store, target)
    known_ids = [e.evidence_id for e in evidence]
    extra = [i for i in cited_ids(persona) if i not in known_ids]
    evidence += generator.store.get(extra)
    evidence_text = render_evidence(evidence)
    usage = UsageTracker()
    others = [p for p in generator._others() if p.id != persona.id]
    draft = generator._ask(load_prompt("draft.system").render(), load_prompt("edit.user").render(
        draft=persona_to_draft(persona).model_dump_json(indent=1), instruction=instruction, evidence=evidence_text),
        [e.evidence_id for e in evidence], usage)
    revised = assemble(draft, target, {p.id for p in others})
    revised = revised.model_copy(update={"id": persona.id})
    known = {e.evidence_id: e for e in generator.store.get(sorted(cited_ids(revised)))}
    errors = [f for f in rule_findings(revised, known, others) if f.severity == "error"]
    if errors:
        return RevisionResult(None, [f"{f.path}: {f.problem}" for f in errors])
    provenance = (persona.provenance or Provenance(generated_at="", model=generator.model_name)).model_copy(update={
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "evidence_ids": sorted(cited_ids(revised)),
        "critique": [*(persona.provenance.critique if persona.provenance else []), f"edited: {instruction}"],
        "llm_calls": (persona.provenance.llm_calls if persona.provenance else 0) + usage.calls,
    })
    revised.provenance = provenance
    write_persona(revised, generator.out_dir)
    return RevisionResult(revised, [])
