"""Generate personas: plan → brief → sections → check → (critique → revise) → re-cite → clean → write.

Segments, their stats and themes come from the analysis; the model only writes from them, one
short section at a time behind one shared prefix (`personas.writer`). The code fills demographics,
channels, decision criteria and quotes from the data. Every claim is checked (`personas.grounding`);
a claim whose cited line does not say it but another shown line does is re-cited (`personas.recite`).
With revision rounds (``max_rounds``; by default on server models, `revision_rounds`) the LLM critic
reviews the persona and a section where at least half the claims fail is written again with the
findings. At the end what still fails is removed and listed as an open issue, so the output always
validates and every claim left says what its evidence says."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from persona_agent.core.errors import PersonaError, StructuredOutputError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.cache import model_identity
from persona_agent.engine.language import LANGUAGE_NAMES
from persona_agent.engine.llm import UsageTracker
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.store import EvidenceStore
from persona_agent.personas.assemble import assemble, restore_themes, salvage_identity, theme_summaries
from persona_agent.personas.brief import Brief, build_brief, evidence_brief, load_analysis
from persona_agent.personas.claims import cited_ids, iter_claims
from persona_agent.personas.cleanup import clean_draft
from persona_agent.personas.context import ResearchFacts, grounding_context
from persona_agent.personas.fingerprint import fingerprint, is_current, persona_inputs, text_hash
from persona_agent.personas.grounding import GroundingContext, rule_findings
from persona_agent.personas.output import Outcome, _save, failure_line, load_manifest
from persona_agent.personas.plan import Target
from persona_agent.personas.recite import recite, rematch_themes
from persona_agent.personas.repeats import distinctness_findings
from persona_agent.personas.revision import by_section, journey_asked, revision_rounds, revisions
from persona_agent.personas.schema import Finding, Persona, Provenance
from persona_agent.personas.sections import BY_NAME, SECTIONS, Section
from persona_agent.personas.support import SupportScorer
from persona_agent.personas.writer import SectionWriter

log = logging.getLogger(__name__)
PROMPTS = ("persona.system", "persona.brief", *(s.prompt for s in SECTIONS), "section.revise", "section.edit",
           "section.restate", "critique.section", "structured.instructions", "structured.repair")


@dataclass
class GenerateReport:
    outcomes: list[Outcome]
    out_dir: Path
    seconds: float = 0.0
    planned_by: str = "segments"

    @property
    def calls(self) -> int:
        return sum(o.persona.provenance.llm_calls for o in self.outcomes if o.persona and o.persona.provenance)


@dataclass
class Draft:
    """A persona in the making: its brief, its sections and the checks' context."""

    target: Target
    brief: Brief
    writer: SectionWriter
    context: GroundingContext
    sections: dict[str, BaseModel] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    failed_sections: list[str] = field(default_factory=list)
    rounds: int = 0
    reviewed: bool = False  # checked and critiqued once (the critic's issues are kept in critic_issues)
    critic_issues: list[Finding] = field(default_factory=list)


@dataclass
class Generator:
    """Everything the loop needs, injected: the chat model, the store, where files go."""

    llm: Any
    store: EvidenceStore
    out_dir: Path
    model_name: str = "unknown"
    max_rounds: int | None = None  # revision rounds; None: `revision_rounds` for this model
    on_event: Callable[..., None] = lambda *a, **k: None
    analysis_dir: Path | None = None
    language: str = "en"
    critic: bool | None = None  # the LLM critic; None: only when there are revision rounds (`reviews`)
    journey: bool | None = None  # the journey section; None: not on the embedded local model (`writes_journey`)
    # semantic support needs a real embedder, the language check a model that follows the prompt (tests with a
    # hash embedder and a brief-echoing fake turn both off)
    check_support: bool = True
    scorer: SupportScorer | None = None
    _analysis: dict[str, Any] | None = None
    _facts: ResearchFacts | None = None
    _done: list[Persona] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def rounds(self) -> int:
        return revision_rounds(self.llm, self.max_rounds)

    def writes_journey(self) -> bool:
        return journey_asked(self.llm, self.journey)

    def sections(self) -> tuple[Section, ...]:
        """The sections this model is asked to write, in order."""
        return tuple(s for s in SECTIONS if s.name != "journey" or self.writes_journey())

    def reviews(self) -> bool:
        """Whether the LLM critic reads each persona: as asked, else when its issues can send a section
        back (revision rounds); without them its issues would only be listed, at ~75 s a persona on
        the local 1.5B, and the rules already check what its rubric asks."""
        return self.critic if self.critic is not None else self.rounds() > 0

    # shared, loaded once ----------------------------------------------------------------------
    def analysis(self) -> dict[str, Any]:
        if self._analysis is None:
            self._analysis = (load_analysis(self.analysis_dir) if self.analysis_dir
                              else {"segmentation": None, "stats": [], "themes": None})
        return self._analysis

    def facts(self) -> ResearchFacts:
        with self._lock:
            if self._facts is None:
                self._facts = ResearchFacts.gather(self.store, self.analysis())
                if self.scorer is None and self.check_support and hasattr(self.store, "with_vectors"):
                    self.scorer = SupportScorer.for_store(self.store)
            return self._facts

    def analysis_fingerprint(self) -> str | None:
        """The digest of the folder the analysis was made from (`analysis.freshness`), if recorded."""
        from persona_agent.analysis.freshness import recorded_inputs

        recorded = recorded_inputs(self.analysis_dir) if self.analysis_dir else None
        return str(recorded["digest"]) if recorded and recorded.get("digest") else None

    def _others(self) -> list[Persona]:
        with self._lock:
            return list(self._done)

    # one persona -------------------------------------------------------------------------------
    def start(self, target: Target, label: str | None = None) -> Draft:
        language = "" if self.language == "auto" else self.language
        brief = build_brief(self.store, target, self.analysis(), language) if target.key.startswith("segment:") \
            else evidence_brief(self.store, target, [])
        label = label or target.key
        writer = SectionWriter(self.llm, brief, self.language, UsageTracker(self.on_event, label), self.on_event, label)
        context = grounding_context(self.store, brief, self.facts(), self.scorer)
        context.language = self.language if self.check_support and self.language != "auto" else ""
        return Draft(target, brief, writer, context)

    def one(self, target: Target) -> Outcome:
        """Write every section, then check → critique → revise up to ``max_rounds``, then clean.
        Distinctness from the other personas is checked afterwards, in plan order (`distinguish`), so
        these prompts depend only on the evidence and an unchanged re-run is answered from the cache."""
        self.on_event("stage", persona=target.key, stage="retrieve")
        draft = self.start(target)
        for section in self.sections():
            self._write(draft, section.name)
        return self._finish(draft, others=[])

    def _write(self, draft: Draft, name: str, **kwargs: Any) -> None:
        """A section the model cannot write validly is left out, and said so; provider errors fail the persona."""
        if name == "themes" and not draft.brief.claimed_themes():  # no theme the persona states
            return
        try:
            draft.sections[name] = draft.writer.write(BY_NAME[name], **kwargs)
            if name == "themes":  # a sentence written under the wrong theme's alias
                draft.history += rematch_themes(draft.sections[name], draft.brief, draft.context)
        except StructuredOutputError as exc:
            if name == "identity":  # a name and a buyer type are needed: what passes of the reply, else the code's
                draft.sections[name], note = salvage_identity(exc.last_output or "", draft.brief, draft.target.key,
                                                              draft.writer.language, exc.message)
                draft.writer.salvaged.append(note)
                return
            draft.failed_sections.append(f"{name}: {exc.message[:200]}")

    def _revise(self, draft: Draft, name: str, findings: Sequence[Finding], **kwargs: Any) -> bool:
        if name not in draft.sections:
            self._write(draft, name, **kwargs)
            return name in draft.sections
        try:
            draft.sections[name] = draft.writer.revise(BY_NAME[name], draft.sections[name], findings, **kwargs)
            return True
        except StructuredOutputError as exc:
            draft.history.append(f"revision of {name} failed: {exc.message[:200]}")
            return False

    def _finish(self, draft: Draft, others: list[Persona], taken: Sequence[str] = (),
                changed: Sequence[str] = ()) -> Outcome:
        taken_slugs = {p.id for p in others}
        persona = assemble(draft.sections, draft.brief, taken_slugs)
        critic_issues = draft.critic_issues  # kept from the first pass when `distinguish` finishes it again
        revised = set(changed)  # sections rewritten since the critic last read them
        rounds, first = self.rounds(), not draft.reviewed
        draft.reviewed = True
        while draft.rounds < rounds:
            findings = self._checked(draft, persona, others) + draft.writer.take_dropped()
            if self.reviews() and (first or revised & set(by_section(critic_issues))):
                critic_issues = self._critique(draft, persona)
            first, revised = False, set()
            draft.history.append(f"round {draft.rounds + 1}: "
                                 + ("; ".join(f"{f.check} {f.path}" for f in findings + critic_issues) or "clean"))
            said = theme_summaries(draft.sections.get("themes"), draft.brief).values()
            to_fix = revisions(persona, findings, critic_issues, set(said))
            if not to_fix:
                break
            draft.rounds += 1
            revised = {name for name, found in to_fix.items() if self._revise(draft, name, found, taken_names=taken)}
            persona = assemble(draft.sections, draft.brief, taken_slugs)
        final = self._checked(draft, persona, others, keep=True)  # the re-citations made here are kept
        if self.reviews() and (first or revised & set(by_section(critic_issues))):
            critic_issues = self._critique(draft, persona)  # again only where a section it faulted changed
        draft.critic_issues = critic_issues
        final += critic_issues
        usage = draft.writer.usage
        persona.provenance = Provenance(
            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), model=self.model_name,
            language=self.language, prompt_versions={name: load_prompt(name).version for name in PROMPTS},
            critique_rounds=draft.rounds, critique=draft.history, llm_calls=usage.calls,
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
            cached_tokens=getattr(usage, "cached_tokens", 0))
        persona = clean_draft(persona, final, draft.context, draft.brief)
        assert persona.provenance is not None
        persona.provenance.open_issues += [f"{s} (section left out)" for s in draft.failed_sections]
        persona.provenance.critique += draft.writer.salvaged  # sections kept in part: their invalid items dropped
        stamp_evidence(persona, draft.context.evidence, self.analysis_fingerprint())  # after clean-up
        with self._lock:
            self._done.append(persona)
        self.on_event("stage", persona=draft.writer.label, stage="write")
        return Outcome(target=draft.target, persona=persona, cited_share=cited_share(persona), draft=draft)

    def _checked(self, draft: Draft, persona: Persona, others: list[Persona], keep: bool = False) -> list[Finding]:
        """The rule findings, after citation repair (`personas.recite`) on ``persona`` in place; with
        ``keep`` the re-citations are noted in the history (they are final)."""
        def restored() -> tuple[list[Finding], list[str]]:  # a theme's failed sentence gives way to its words
            return restore_themes(persona, rule_findings(persona, draft.context, others), draft.brief,
                                  draft.sections.get("themes"))
        findings, notes = restored()
        if keep:
            findings = self._restated(draft, persona, findings, others)
        notes += recite(persona, findings, draft.context)
        if notes and keep:
            draft.history += notes
        return restored()[0] if notes else findings

    def _restated(self, draft: Draft, persona: Persona, findings: list[Finding],
                  others: list[Persona]) -> list[Finding]:
        """The written claims that copy customers' words in another language, said in the persona's
        language (one short call; what it writes is checked like any claim); the findings after."""
        copied = {f.path for f in findings if f.check == "wrong_language"}
        claims = [(path, claim) for path, claim in iter_claims(persona) if path in copied and claim.origin == "llm"]
        if not claims:
            return findings
        try:
            texts = draft.writer.restate([claim.text for _, claim in claims])
        except StructuredOutputError as exc:
            draft.history.append(f"restating copied words failed: {exc.message[:200]}")
            return findings
        for (path, claim), text in zip(claims, texts, strict=False):
            draft.history.append(f"{path}: restated in {LANGUAGE_NAMES.get(self.language, self.language)}: “{text}” "
                                 f"(copied: “{claim.text[:80]}”)")
            claim.text = text
        return rule_findings(persona, draft.context, others)

    def _critique(self, draft: Draft, persona: Persona) -> list[Finding]:
        try:
            return draft.writer.critique(persona)
        except PersonaError as exc:
            draft.history.append(f"critic failed: {exc.message[:200]}")
            return []

    def distinguish(self, outcome: Outcome, earlier: list[Persona]) -> Outcome:
        """One more revision of the identity when a persona repeats an earlier one (name or gist)."""
        persona, draft = outcome.persona, outcome.draft
        assert persona is not None
        clashes = distinctness_findings(persona, earlier)
        if not clashes or draft is None:
            return outcome
        draft.history.append("distinct: " + "; ".join(f.check for f in clashes))
        with self._lock:
            self._done = [p for p in self._done if p is not persona]
        names = [p.name for p in earlier]
        self._revise(draft, "identity", clashes, taken_names=names)
        draft.rounds = max(draft.rounds, self.rounds())  # no further revision rounds
        return self._finish(draft, others=earlier, taken=names, changed=["identity"])


def stamp_evidence(persona: Persona, evidence: dict[str, Evidence], analysis_fingerprint: str | None) -> None:
    """Record what the persona cites now: its evidence ids, each one's text hash (so `persona audit` can
    tell evidence that changed since) and the analysis it was made from."""
    assert persona.provenance is not None
    ids = sorted(cited_ids(persona))
    persona.provenance.evidence_ids = ids
    persona.provenance.evidence_hashes = {i: text_hash(evidence[i].text) for i in ids if i in evidence}
    persona.provenance.analysis_fingerprint = analysis_fingerprint


def cited_share(persona: Persona) -> float:
    claims = [c for _, c in iter_claims(persona)]
    return sum(c.support == "cited" for c in claims) / max(1, len(claims))


def generate_personas(
    generator: Generator,
    targets: Sequence[Target],
    *,
    concurrency: int = 4,
    resume: bool = False,
    notes: Mapping[str, str] | None = None,
    others: Sequence[Persona] = (),
) -> GenerateReport:
    """Generate ``targets`` concurrently (bounded threads); with ``resume`` keep finished ones whose
    inputs are unchanged (same fingerprint). One persona failing, whatever it raises, fails only itself.
    ``notes``: why each target is written (kept with the version in the history; default "generated");
    ``others``: personas of the folder not regenerated now, which new ones must be distinct from."""
    started = datetime.now(timezone.utc)
    out_dir = generator.out_dir
    manifest = load_manifest(out_dir)
    outcomes: list[Outcome] = []
    pending: list[Target] = []
    fingerprints = {target.key: input_fingerprint(generator, target) for target in targets}
    setup = setup_fingerprint(generator)
    notes = notes or {}
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
                outcome.fingerprint, outcome.setup = fingerprints[target.key], setup
                outcome.note = notes.get(target.key, outcome.note)
                if outcome.persona is not None:
                    with lock:
                        _save(outcome, manifest, out_dir)
            except Exception as exc:
                outcome = Outcome(target, error=failure_line(exc, target.key))
            outcomes.append(outcome)
            generator.on_event("advance", name="personas", item=target.key)
    order = {t.key: i for i, t in enumerate(targets)}
    outcomes.sort(key=lambda o: order[o.target.key])
    earlier: list[Persona] = list(others)  # distinct from every persona before it, in plan order (deterministic)
    for index, outcome in enumerate(outcomes):
        if outcome.persona is None:
            continue
        if not outcome.resumed:
            try:
                revised = generator.distinguish(outcome, earlier)
                if revised is not outcome:
                    revised.fingerprint, revised.setup, revised.note = outcome.fingerprint, setup, outcome.note
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


def setup_fingerprint(generator: Generator) -> str:
    """What shapes every persona besides its research — prompts, model, settings — recorded per target
    so `persona update` can tell "the model changed" from "the research changed"."""
    return fingerprint({"prompts": {name: load_prompt(name).version for name in PROMPTS},
                        "model": {"name": generator.model_name, **model_identity(generator.llm)},
                        "settings": generation_settings(generator)})


def generation_settings(generator: Generator) -> dict[str, Any]:
    return {"max_rounds": generator.rounds(), "language": generator.language, "critic": generator.reviews(),
            "journey": generator.writes_journey()}


def input_fingerprint(generator: Generator, target: Target) -> str | None:
    """The fingerprint of what ``target``'s persona would be made from now: its brief (stats, themes,
    interview turns, value, the evidence behind each line), the prompts, the model and the settings
    that shape it. None if it cannot be computed (then nothing is resumed for it)."""
    try:
        draft = generator.start(target)
        inputs = persona_inputs(
            target, draft.context.evidence.values(),
            prompt_versions={name: load_prompt(name).version for name in PROMPTS},
            model={"name": generator.model_name, **model_identity(generator.llm)},
            settings=generation_settings(generator))
        return fingerprint({**inputs, "brief": draft.brief.render()})
    except Exception as exc:
        log.warning("%s: no input fingerprint (%s): it will be regenerated", target.key, failure_line(exc, target.key))
        return None
