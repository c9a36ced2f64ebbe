"""`persona update`: personas that evolve with the research — regenerate what changed, keep the rest.

Every persona's input fingerprint (`personas.fingerprint`) says *whether* anything it rests on changed;
this module decides *whether it matters*. A persona is regenerated ("updated") when, since it was
written:
- its segment's share of respondents drifted beyond the 95 % margin of the difference
  (`analysis.lineage.share_margin`), or its segment absorbed or lost another (merge, split), or its
  closed answers shifted (centroid similarity below `PROFILE_SIMILARITY` to the segment it was
  written from), or the segments were numbered afresh;
- a theme it cites is gone, half the themes it was written from are gone, a cited theme's share
  drifted beyond its margin, or a new theme is among the segment's top `TOP_THEMES`;
- research evidence it cites (an interview turn, a survey answer) is gone or says something else;
- its kept claims, with the figures refreshed, no longer pass the grounding checks;
- the prompts, the model or the generation settings changed.
Anything else is cosmetic: the persona is kept, and the parts the code fills from the analysis —
stat claims (demographics, channels, decision criteria, barriers, rhythm, spend), segment shares and
themes, quotes, confidence — are filled again from the new analysis, so its numbers stay true and it
still passes the checks. A persona whose segment vanished (or merged into another) is retired: its
files leave the folder, its versions stay in the history. Every decision says why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from persona_agent.analysis.lineage import share_margin
from persona_agent.analysis.models import Lineage, Theme
from persona_agent.core.errors import PersonaError
from persona_agent.personas.assemble import mark_gaps, segment_ref, select_quotes, stat_claims
from persona_agent.personas.claims import cited_ids, iter_claims
from persona_agent.personas.cleanup import annotate, clean_draft, issue_key
from persona_agent.personas.critique import show_cited
from persona_agent.personas.diff import evidence_drift, research_only
from persona_agent.personas.fingerprint import is_current
from persona_agent.personas.generate import (
    Draft,
    Generator,
    generate_personas,
    input_fingerprint,
    setup_fingerprint,
    stamp_evidence,
)
from persona_agent.personas.grounding import rule_findings
from persona_agent.personas.history import history_key, record_version, versions
from persona_agent.personas.output import MANIFEST, Outcome, _save, atomic_write, folder_lock, load_manifest
from persona_agent.personas.plan import Target
from persona_agent.personas.schema import Claim, Demographics, Finding, Persona

PROFILE_SIMILARITY = 0.9
TOP_THEMES = 3
Action = Literal["unchanged", "kept", "updated", "new", "retired", "failed"]


@dataclass
class Decision:
    """What `persona update` did with one persona, and why."""

    key: str
    action: Action
    reasons: list[str]
    slug: str | None = None
    name: str | None = None
    share_before: float | None = None
    share_after: float | None = None
    persona: Persona | None = None


@dataclass
class UpdateReport:
    decisions: list[Decision]
    out_dir: Path
    lineage: Lineage | None = None
    analysed: bool = False  # the analysis ran again (the folder changed)
    untouched: list[str] = field(default_factory=list)  # segments that never had a persona
    seconds: float = 0.0

    @property
    def calls(self) -> int:
        return sum(d.persona.provenance.llm_calls for d in self.decisions
                   if d.action in ("updated", "new") and d.persona and d.persona.provenance)


@dataclass
class Assessment:
    material: list[str]  # reasons to regenerate
    minor: list[str]  # changes the refresh absorbs
    refreshed: Persona | None = None


def update_personas(generator: Generator, targets: Sequence[Target], lineage: Lineage | None, *,
                    concurrency: int = 4, new_segments: bool = True) -> UpdateReport:
    """Bring the personas in ``generator.out_dir`` up to date with the analysis ``targets`` come from."""
    started = datetime.now(timezone.utc)
    out_dir = generator.out_dir
    manifest = load_manifest(out_dir)
    existing = _existing(out_dir, manifest)
    if not existing:
        raise PersonaError(f"no personas in {out_dir} to update", "run `persona generate` first")
    if not targets and any(key.startswith("segment:") for key in existing):
        raise PersonaError("the analysis has no segments now, so no persona can be updated (none is retired either)",
                           "check that the survey is still in the folder: `persona analyze FOLDER`")
    by_key = {t.key: t for t in targets}
    setup = setup_fingerprint(generator)
    decisions: dict[str, Decision] = {}
    regenerate: list[Target] = []
    notes: dict[str, str] = {}
    kept: list[Persona] = []
    for key, persona in existing.items():
        target = by_key.get(key)
        before = persona.segment.share_of_respondents
        if target is None:
            decisions[key] = _retire(out_dir, key, persona, lineage) if key.startswith("segment:") else Decision(
                key, "unchanged", ["planned by the model, not from a segment: `persona generate` plans it again"],
                persona.id, persona.name, before, None, persona)
            continue
        fingerprint = input_fingerprint(generator, target)
        decision = Decision(key, "unchanged", [], persona.id, persona.name, before, target.share, persona)
        if is_current(manifest, key, fingerprint):
            decision.reasons = ["nothing it rests on changed"]
            kept.append(persona)
        else:
            found = assess(generator, persona, target, lineage, setup_changed=bool(
                manifest[key].get("setup") and manifest[key]["setup"] != setup))
            if found.material or found.refreshed is None:
                decision.action, decision.reasons = "updated", found.material
                regenerate.append(target)
                notes[key] = "updated: " + "; ".join(found.material)
            else:
                decision.action = "kept"
                decision.reasons = [*found.minor, "its figures were refreshed from the new analysis"]
                outcome = Outcome(target, found.refreshed, fingerprint=fingerprint, setup=setup,
                                  note="kept: " + "; ".join(decision.reasons))
                _save(outcome, manifest, out_dir)
                decision.persona = outcome.persona
                decision.slug = outcome.persona.id if outcome.persona else decision.slug
                kept.append(found.refreshed)
        decisions[key] = decision
    changes = {c.segment_id: c.status for c in lineage.segments} if lineage else {}
    untouched = []
    for target in targets:
        if target.key in existing:
            continue
        if new_segments and changes.get(target.key.removeprefix("segment:")) in ("new", "split"):
            regenerate.append(target)
            status = changes[target.key.removeprefix("segment:")]
            notes[target.key] = f"new: a {status} segment"
            decisions[target.key] = Decision(target.key, "new", [f"a {status} segment since the last analysis"],
                                             share_after=target.share)
        else:
            untouched.append(target.key)
    if regenerate:
        report = generate_personas(generator, regenerate, concurrency=concurrency, notes=notes, others=kept)
        for outcome in report.outcomes:
            decision = decisions[outcome.target.key]
            if outcome.persona is None:
                decision.action = "failed"
                decision.reasons = [*decision.reasons, outcome.error or "failed"]
            else:
                persona = decision.persona = outcome.persona
                decision.slug, decision.name = persona.id, persona.name
    order = {t.key: i for i, t in enumerate(targets)}
    ordered = sorted(decisions.values(), key=lambda d: (order.get(d.key, len(order)), d.key))
    return UpdateReport(decisions=ordered, out_dir=out_dir, lineage=lineage, untouched=untouched,
                        seconds=(datetime.now(timezone.utc) - started).total_seconds())


def _existing(out_dir: Path, manifest: dict[str, dict]) -> dict[str, Persona]:
    found = {}
    for key, entry in manifest.items():
        path = out_dir / f"{entry.get('slug', '')}.json"
        if entry.get("status") != "done" or not path.is_file():
            continue
        try:
            found[key] = Persona.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            continue
    return found


# ------------------------------------------------------------------------------------------ assess
def assess(generator: Generator, persona: Persona, target: Target, lineage: Lineage | None, *,
           setup_changed: bool = False) -> Assessment:
    """Whether what changed under ``persona`` matters (see the module docstring), and the persona
    with its figures refreshed when it does not."""
    material: list[str] = ["the prompts, the model or the generation settings changed"] if setup_changed else []
    minor: list[str] = []
    draft = show_cited(generator.start(target, label=persona.id), persona, generator.store)
    _segment_changes(persona, target, draft, lineage, material, minor)
    themes = generator.analysis()["themes"]
    _theme_changes(persona, draft, list(themes.themes) if themes else [], material, minor)
    gone, changed = evidence_drift(persona, generator.store)
    figures = [i for i in gone if i not in research_only(gone) and not i.startswith("theme:")]  # themes: above
    for ids, noun, predicate in ((research_only(gone), "research item", "is gone"),
                                 (research_only(changed), "research item", "says something else now"),
                                 (figures, "figure", "is no longer in the analysis")):
        if ids:
            shown = ", ".join(ids[:2]) + (", …" if len(ids) > 2 else "")
            material.append(f"{_count(len(ids), noun)} it cites {predicate} ({shown})")
    refreshed = refresh(generator, persona, draft)
    known = {issue_key(issue) for issue in (persona.provenance.open_issues if persona.provenance else [])}
    found = [f for f in rule_findings(refreshed, draft.context) if f.severity == "error" and f.source == "rules"
             and f.check not in ("duplicate_name", "duplicate_persona", "unknown_evidence")  # gone: said above
             and f"{f.path}: {f.problem}" not in known]
    filled = {path for path, claim in iter_claims(refreshed) if claim.origin == "stats"}
    # the code's own claims, and claims past the per-id cap, are dropped as generation drops them
    droppable = [f for f in found if f.path in filled or f.check == "overused_evidence"]
    if droppable:
        refreshed = _without(refreshed, droppable, draft)
    failing = [f for f in found if f not in droppable]
    if failing:
        material.append(f"the checks would find {_count(len(failing), 'new problem')} in it "
                        f"({failing[0].path}: {failing[0].check})")
    return Assessment(material, minor, refreshed)


def _segment_changes(persona: Persona, target: Target, draft: Draft, lineage: Lineage | None,
                     material: list[str], minor: list[str]) -> None:
    segment_id = target.key.removeprefix("segment:")
    before, after, size = persona.segment.share_of_respondents, target.share, persona.segment.respondents
    if before and after is not None and size and draft.brief.respondents_total:
        margin = share_margin(before, round(size / before), after, draft.brief.respondents_total)
        beyond = abs(after - before) > margin
        (material if beyond else minor).append(
            f"share {_pct(before)} → {_pct(after)}, {'beyond' if beyond else 'within'} its ±{margin * 100:.1f} pt "
            "margin")
    revenue_before, revenue_after = persona.segment.share_of_revenue, target.revenue_share
    if revenue_before is not None and revenue_after is not None and _pct(revenue_before) != _pct(revenue_after):
        minor.append(f"share of revenue {_pct(revenue_before)} → {_pct(revenue_after)}")
    if lineage is None or lineage.numbering == "first":
        return
    if lineage.numbering == "fresh":
        material.append(f"the segments were numbered afresh (another survey): {segment_id} is another segment now")
        return
    merged = [c.previous_ids[0] for c in lineage.segments if c.status == "merged" and c.segment_id == segment_id]
    if merged:
        material.append(f"it absorbed segment {', '.join(merged)}")
    split = [c.segment_id for c in lineage.segments if c.status == "split" and c.previous_ids == [segment_id]]
    if split:
        material.append(f"part of it split off as {', '.join(str(s) for s in split)}")
    kept = next((c for c in lineage.segments if c.status == "kept" and c.segment_id == segment_id), None)
    written_from = persona.provenance.analysis_fingerprint if persona.provenance else None
    if (kept is not None and kept.similarity is not None and written_from and written_from == lineage.previous_digest
            and kept.similarity < PROFILE_SIMILARITY):
        material.append(f"its closed answers shifted (profile similarity {kept.similarity:.2f} < {PROFILE_SIMILARITY})")


def _theme_changes(persona: Persona, draft: Draft, themes: list[Theme], material: list[str],
                   minor: list[str]) -> None:
    segment_id = draft.target.key.removeprefix("segment:")
    now = {t.theme_id: t for t in themes if t.segment_id == segment_id}
    had = {t.theme_id: t for t in persona.segment.themes}
    cited = {i for i in cited_ids(persona) if i.startswith("theme:")}
    size_before, size_after = persona.segment.respondents or 0, draft.brief.segment_size
    for theme_id in sorted(set(had) | cited):
        label = had[theme_id].label if theme_id in had else theme_id
        if theme_id not in now:
            (material if theme_id in cited else minor).append(f"theme {theme_id} («{_short(label)}») is gone")
        elif theme_id in cited and theme_id in had and size_before and size_after:
            before, after = had[theme_id].share, now[theme_id].share
            margin = share_margin(before, size_before, after, size_after)
            if abs(after - before) > margin:
                material.append(f"theme {theme_id} went from {_pct(before)} to {_pct(after)} of the segment, "
                                f"beyond its ±{margin * 100:.1f} pt margin")
    gone = [theme_id for theme_id in had if theme_id not in now]
    if had and len(gone) * 2 >= len(had):
        material.append(f"{len(gone)} of the {len(had)} themes it was written from are gone")
    for rank, theme in enumerate(draft.brief.themes):
        if theme.theme_id not in had:
            top = rank < TOP_THEMES
            (material if top else minor).append(
                f"new theme {theme.theme_id} («{_short(theme.label)}», {_pct(theme.share)} of the segment)"
                + (f" among its top {TOP_THEMES}" if top else ""))


def refresh(generator: Generator, persona: Persona, draft: Draft) -> Persona:
    """``persona`` with what the code fills from the analysis filled again from the current one: stat
    claims, segment shares and themes, quotes, and every claim's people and confidence."""
    stats = stat_claims(draft.brief)
    fresh = persona.model_copy(deep=True)
    fresh.demographics = Demographics(**stats["demographics"])
    fresh.buying_behaviour = fresh.buying_behaviour.model_copy(update={
        "decision_criteria": stats["criteria"], "channels": stats["channels"],
        "research_habits": [c for c in fresh.buying_behaviour.research_habits if c.origin != "stats"]
        + stats["research"],
        "purchase_frequency": stats["frequency"], "purchase_value": stats["spend"]})
    themes = stats["themes"]

    def written(claims: list[Claim], field: str, extra: Sequence[Claim] = ()) -> list[Claim]:
        """The written claims, ``extra``, then the themes no written sentence states alone (`theme_summaries`)."""
        kept = [c for c in claims if c.origin != "stats"]
        said = {c.evidence[0] for c in kept if len(c.evidence) == 1}
        return kept + list(extra) + [c for c in themes[field] if c.evidence[0] not in said]

    fresh.challenges = written(fresh.challenges, "challenges", stats["barriers"])
    goals = written(fresh.goals.primary + fresh.goals.secondary, "goals")
    fresh.goals = fresh.goals.model_copy(update={"primary": goals[:1], "secondary": goals[1:]})
    fresh.psychographics = fresh.psychographics.model_copy(update={
        "values": written(fresh.psychographics.values, "values"),
        "lifestyle": [c for c in fresh.psychographics.lifestyle if c.origin != "stats"] + stats["situation"]})
    for name in ("gist", "narrative"):
        if getattr(fresh, name).origin == "stats":  # the fallback the clean-up put in place of a failed one
            setattr(fresh, name, stats["fallbacks"][name])
    fresh.segment = segment_ref(draft.brief)
    fresh.quotes = select_quotes(draft.brief)
    for _, claim in iter_claims(fresh):
        annotate(claim, draft.context)
    fresh = mark_gaps(fresh)
    if fresh.provenance is not None:
        fresh.provenance.critique = [*fresh.provenance.critique,
                                     f"refreshed {datetime.now(timezone.utc).date()}: figures from the new analysis"]
        stamp_evidence(fresh, draft.context.evidence, generator.analysis_fingerprint())
    return Persona.model_validate(fresh.model_dump())


def _without(persona: Persona, findings: list[Finding], draft: Draft) -> Persona:
    """``persona`` without the claims the checks drop now, listed as open issues."""
    issues = list(persona.provenance.open_issues) if persona.provenance else []
    cleaned = clean_draft(persona, findings, draft.context, draft.brief)
    if cleaned.provenance is not None:
        cleaned.provenance.open_issues = issues + cleaned.provenance.open_issues
    return cleaned


# ------------------------------------------------------------------------------------------ retire
def _retire(out_dir: Path, key: str, persona: Persona, lineage: Lineage | None) -> Decision:
    """Take a persona whose segment is gone out of the folder (its versions stay in the history)."""
    segment_id = key.removeprefix("segment:")
    change = next((c for c in (lineage.segments if lineage else []) if c.previous_ids == [segment_id]
                   and c.status in ("merged", "vanished")), None)
    reason = (f"its segment merged into {change.segment_id}" if change is not None and change.status == "merged"
              else "its segment is no longer in the analysis")
    with folder_lock(out_dir):
        if not versions(out_dir, history_key(persona)):
            record_version(out_dir, persona, note=f"retired: {reason}")
        for suffix in (".json", ".md"):
            (out_dir / f"{persona.id}{suffix}").unlink(missing_ok=True)
        current = load_manifest(out_dir)
        current.pop(key, None)
        atomic_write(out_dir / MANIFEST, json.dumps(current, indent=1))
    return Decision(key, "retired", [reason + "; its versions stay in the history"], persona.id, persona.name,
                    persona.segment.share_of_respondents, None, persona)


def _pct(share: float) -> str:
    return f"{share * 100:.0f} %"


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
