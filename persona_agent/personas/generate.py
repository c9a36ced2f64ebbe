"""Generate personas: plan → retrieve → draft → critique → revise → write.

Segments come from the data (`persona analyze`); the model only describes them. Numbers, the
segment reference and demographics are filled in from the analysis, cited to `segment:Sx`; the
model writes the rest, citing evidence ids it was shown (constrained to an enum of those ids where
the provider supports it). The critique loop is bounded; what still fails after the last round is
removed or downgraded and listed as an open issue, so the output always validates.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import ValidationError

from persona_agent.core.errors import PersonaError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.cache import model_identity
from persona_agent.engine.llm import UsageTracker
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.store import EvidenceStore
from persona_agent.engine.structured import structured
from persona_agent.personas.critique import (
    cited_ids,
    critic_findings,
    describe,
    distinctness_findings,
    enforce,
    rule_findings,
)
from persona_agent.personas.fingerprint import fingerprint, is_current, persona_inputs
from persona_agent.personas.output import Outcome, _save, load_manifest
from persona_agent.personas.plan import (
    Target,
    gather_evidence,
    render_evidence,
)
from persona_agent.personas.schema import (
    BuyingBehaviour,
    Claim,
    Demographics,
    DraftClaim,
    Goals,
    Objection,
    Persona,
    PersonaDraft,
    Provenance,
    Psychographics,
    Quote,
    SegmentRef,
)

PROMPTS = ("draft.system", "draft.user", "revise.user", "critique.system", "critique.user", "propose.user", "edit.user",
           "persona.fields",
           "structured.instructions", "structured.repair")
log = logging.getLogger(__name__)
_DEMOGRAPHIC_FIELDS = {"age": "age_band", "gender": "gender", "location": "location", "income": "income_band",
                       "education": "education", "family": "family", "job": "occupation"}


@dataclass
class GenerateReport:
    outcomes: list[Outcome]
    out_dir: Path
    seconds: float = 0.0
    planned_by: str = "segments"

    @property
    def calls(self) -> int:
        return sum(o.persona.provenance.llm_calls for o in self.outcomes if o.persona and o.persona.provenance)


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
    from persona_agent.personas.critique import iter_claims

    claims = [c for _, c in iter_claims(persona)]
    return sum(c.support == "cited" for c in claims) / max(1, len(claims))


def generate_personas(
    generator: Generator,
    targets: Sequence[Target],
    *,
    concurrency: int = 4,
    resume: bool = False,
) -> GenerateReport:
    """Generate ``targets`` concurrently (bounded threads); with ``resume`` keep finished ones whose
    inputs are unchanged (same fingerprint). One persona failing, whatever it raises, fails only itself."""
    started = datetime.now(timezone.utc)
    out_dir = generator.out_dir
    manifest = load_manifest(out_dir)
    outcomes: list[Outcome] = []
    pending: list[Target] = []
    fingerprints = {target.key: input_fingerprint(generator, target) for target in targets}
    for target in targets:
        entry = manifest.get(target.key, {})
        path = out_dir / f"{entry.get('slug', '')}.json"
        if (resume and entry.get("status") == "done" and path.is_file()
                and is_current(manifest, target.key, fingerprints[target.key])):
            try:
                persona = Persona.model_validate_json(path.read_text(encoding="utf-8"))
            except ValidationError:
                pending.append(target)
                continue
            generator._done.append(persona)
            outcomes.append(Outcome(target, persona, [str(path)], resumed=True, cited_share=cited_share(persona),
                                    fingerprint=fingerprints[target.key]))
        else:
            pending.append(target)
    lock = threading.Lock()
    generator.on_event("start", name="personas", total=len(targets))
    generator.on_event("advance", name="personas", by=len(outcomes), item="resumed")
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(generator.one, target): target for target in pending}
        for future in as_completed(futures):
            target = futures[future]
            try:  # one failed persona does not stop the others, nor lose the finished ones
                outcome = future.result()
                outcome.fingerprint = fingerprints[target.key]
                if outcome.persona is not None:
                    with lock:
                        _save(outcome, manifest, out_dir)
            except Exception as exc:
                outcome = Outcome(target, error=failure_line(exc, target.key))
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
                if revised is not outcome:
                    revised.fingerprint = outcome.fingerprint
                    revised.files = _save(revised, manifest, out_dir)
            except Exception as exc:  # the persona as first written stands
                revised = outcome
                if outcome.persona.provenance:
                    outcome.persona.provenance.open_issues.append(
                        f"(persona): distinctness revision failed: {failure_line(exc, outcome.target.key)}")
            if revised is not outcome:
                outcomes[index] = outcome = revised
        if outcome.persona is not None:
            earlier.append(outcome.persona)
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return GenerateReport(outcomes=outcomes, out_dir=out_dir, seconds=seconds)


def input_fingerprint(generator: Generator, target: Target) -> str | None:
    """The fingerprint of what ``target``'s persona would be made from now (None if it cannot be
    computed, e.g. the store is unreadable: then nothing is resumed for it)."""
    try:
        evidence = gather_evidence(generator.store, target)
        return fingerprint(persona_inputs(
            target, evidence, prompt_versions={name: load_prompt(name).version for name in PROMPTS},
            model={"name": generator.model_name, **model_identity(generator.llm)},
            settings={"max_rounds": generator.max_rounds}))
    except Exception as exc:
        log.warning("%s: no input fingerprint (%s): it will be regenerated", target.key, failure_line(exc, target.key))
        return None


def failure_line(exc: BaseException, what: str) -> str:
    """One line for a failed persona; anything but our typed errors is a bug: its traceback goes to the log."""
    if isinstance(exc, PersonaError):
        return exc.one_line()
    log.error("%s failed", what, exc_info=exc)
    return f"unexpected error {type(exc).__name__}: {str(exc)[:200]} (traceback in the log)"


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
