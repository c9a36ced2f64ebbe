"""Personas that evolve with the research, end to end: knowledge/ changed three months on (a second survey
wave in which the office segment grew, the best enthusiast's interview deleted) and `persona update` run
(`tests.helpers.evolve_research`, shared by this module and the one-pager tests). Segment ids persist,
only what changed is regenerated, every write is a version, `persona diff` shows what changed and the
audit flags evidence that is gone or changed since generation."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import persona_agent.engine.embeddings
import persona_agent.engine.llm
from persona_agent.cli import app
from persona_agent.personas.audit import audit_persona
from persona_agent.personas.claims import cited_ids, iter_claims
from persona_agent.personas.critique import review_draft
from persona_agent.personas.generate import Generator
from persona_agent.personas.grounding import rule_findings
from persona_agent.personas.history import versions
from persona_agent.personas.schema import Claim, Objection, Persona
from persona_agent.testing import BriefEchoChatModel
from tests.conftest import KNOWLEDGE

runner = CliRunner()
DRIVER = "What matters most to you when choosing where to buy coffee?"
OFFICE, BARGAIN = "Reliable delivery and invoicing", "Low price and discounts"
GONE = "interviews/2026-03-14-best-enthusiast-bergen.md"


def segment_of_answer(segment_of: dict[str, str], answer: str) -> str:
    """The segment most first-wave respondents who gave ``answer`` as their main driver are in."""
    answers = pd.read_csv(KNOWLEDGE / "survey" / "customer_survey_2026-09.csv", dtype=str).set_index("Respondent ID")
    chosen = answers.index[answers[DRIVER] == answer]
    return Counter(segment_of[r] for r in chosen if r in segment_of).most_common(1)[0][0]


def decision(evolved, segment_id: str):
    return next(d for d in evolved.report.decisions if d.key == f"segment:{segment_id}")


def generator(evolved, out_dir: Path | None = None) -> Generator:
    """As the fixture's runs made them (the same model name and settings: the same fingerprints)."""
    return Generator(llm=BriefEchoChatModel(), store=evolved.store, out_dir=out_dir or evolved.personas,
                     model_name="BriefEchoChatModel", max_rounds=1, analysis_dir=evolved.settings.analysis_dir,
                     check_support=False)


def test_segment_ids_persist_across_the_new_wave(evolved):
    assert len(evolved.after) == 240 + 180  # both waves analysed together
    stayed = sum(evolved.after[r] == s for r, s in evolved.before.items())
    assert stayed / len(evolved.before) >= 0.95  # returning respondents keep their segment's id
    for answer in (OFFICE, BARGAIN):
        assert segment_of_answer(evolved.before, answer) == segment_of_answer(evolved.after, answer)
    lineage = json.loads((evolved.settings.analysis_dir / "lineage.json").read_text())
    assert lineage["numbering"] == "matched" and lineage["returning"] == 240
    assert {c["status"] for c in lineage["segments"]} == {"kept"}
    office = next(c for c in lineage["segments"] if c["segment_id"] == segment_of_answer(evolved.after, OFFICE))
    assert office["significant"] and office["share_after"] - office["share_before"] > office["margin"]
    assert sum(t["status"] == "kept" for t in lineage["themes"]) >= 20  # most themes keep their ids too
    report = (evolved.settings.analysis_dir / "analysis.md").read_text()
    assert "## Changes since the previous analysis" in report and "beyond ±" in report


def test_update_regenerates_only_what_changed_and_says_why(evolved):
    office = decision(evolved, segment_of_answer(evolved.after, OFFICE))
    assert office.action == "updated" and "beyond its" in office.reasons[0]
    assert office.share_before == pytest.approx(0.2) and office.share_after == pytest.approx(132 / 420)
    enthusiast = next(d for d in evolved.report.decisions if any(GONE in r for r in d.reasons))
    assert enthusiast.action == "updated" and enthusiast.name == "Gourmet Greta"
    bargain = decision(evolved, segment_of_answer(evolved.after, BARGAIN))
    assert bargain.action == "kept" and "within its" in bargain.reasons[0]
    assert all(d.reasons for d in evolved.report.decisions)
    assert Counter(d.action for d in evolved.report.decisions)["kept"] >= 1


def test_a_kept_persona_has_its_figures_refreshed_and_still_passes_the_checks(evolved):
    bargain = decision(evolved, segment_of_answer(evolved.after, BARGAIN))
    persona = Persona.model_validate_json((evolved.personas / f"{bargain.slug}.json").read_text())
    assert persona.segment.share_of_respondents == pytest.approx(bargain.share_after)
    assert persona.segment.respondents == Counter(evolved.after.values())[persona.segment.segment_id[8:]]
    draft = review_draft(generator(evolved), persona, evolved.settings.analysis_dir)
    errors = [f for f in rule_findings(persona, draft.context) if f.severity == "error" and f.source == "rules"]
    assert errors == []
    stats = {s.stat_id: s for s in draft.brief.stats}
    for claim in persona.demographics.model_dump(exclude_none=True).values():  # figures of the new analysis
        option = next(o for o in stats[claim["evidence"][0]].options if claim["text"].startswith(o.answer))
        assert f"{option.segment_share * 100:.0f} % of this segment" in claim["text"]
    assert persona.provenance.analysis_fingerprint and set(persona.provenance.evidence_hashes) == cited_ids(persona)
    for claims in (persona.challenges, persona.goals.primary + persona.goals.secondary, persona.psychographics.values):
        said = {c.evidence[0] for c in claims if c.origin == "llm" and len(c.evidence) == 1}
        refilled = [c.evidence[0] for c in claims if c.origin == "stats" and c.evidence[0].startswith("theme:")]
        assert not said & set(refilled)  # a theme said in the model's sentence is not stated again in the code's


def test_every_write_is_a_version_keyed_by_segment(evolved):
    for d in evolved.report.decisions:
        found = versions(evolved.personas, d.key.removeprefix("segment:"))
        assert [v.number for v in found] == [1, 2], d.key
        assert found[0].note == "generated" and found[1].note.startswith(f"{d.action}: ")
        assert found[0].analysis_fingerprint != found[1].analysis_fingerprint


def test_diff_shows_share_drift_themes_and_changed_claims(evolved, monkeypatch):
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: evolved.store.embedder)
    monkeypatch.setenv("COLUMNS", "200")
    home = ["--home", str(evolved.settings.home)]
    office = decision(evolved, segment_of_answer(evolved.after, OFFICE))
    result = runner.invoke(app, [*home, "diff", office.slug, "--personas", str(evolved.personas)])
    assert result.exit_code == 0, result.output
    assert "version 1" in result.output and "→ 2" in result.output
    assert "Share of respondents: 20.0 % → 31.4 %" in result.output
    assert "+ theme" in result.output and "~ demographics." in result.output
    bargain = decision(evolved, segment_of_answer(evolved.after, BARGAIN))
    kept = runner.invoke(app, [*home, "diff", bargain.slug, "--from", "1", "--to", "2", "--personas",
                               str(evolved.personas)])
    assert kept.exit_code == 0 and "~ buying_behaviour.channels" in kept.output and "% of this segment" in kept.output
    missing = runner.invoke(app, [*home, "diff", bargain.slug, "--from", "7", "--personas", str(evolved.personas)])
    assert missing.exit_code == 2 and "no version 7" in missing.output


def test_audit_flags_evidence_gone_or_changed_since_generation(evolved):
    greta = versions(evolved.personas, next(d for d in evolved.report.decisions if d.name == "Gourmet Greta")
                     .key.removeprefix("segment:"))[0].persona()
    audit = audit_persona(generator(evolved), greta, evolved.settings.analysis_dir)
    assert any(i.startswith(GONE) for i in audit.gone_evidence)
    assert any(i.startswith("segment:") for i in audit.changed_evidence)  # the analysis ran again since
    assert "gone since generation" in audit.summary and "changed since generation" in audit.summary
    current = Persona.model_validate_json((evolved.personas / f"{greta.id}.json").read_text())
    now = audit_persona(generator(evolved), current, evolved.settings.analysis_dir)
    assert now.gone_evidence == [] and now.changed_evidence == []
    cited = next(c.evidence for _, c in iter_claims(current) if c.evidence and c.support == "cited")
    current.objections = [Objection(objection=Claim(text="Subscription swaps in another coffee", evidence=cited),
                                    response=Claim(text="Ask before a subscription swaps coffee", evidence=cited)),
                          Objection(objection=Claim(text="Subscription swaps in another coffee", evidence=cited),
                                    response=Claim(text="Offer free shipping on every order", evidence=cited))]
    by = {c.path: c.by_objection for c in audit_persona(generator(evolved), current, evolved.settings.analysis_dir)
          .claims if c.path.startswith("objections")}
    assert by == {"objections[0].objection": False, "objections[0].response": True,
                  "objections[1].objection": False, "objections[1].response": False}


def test_a_second_update_changes_nothing(evolved, monkeypatch, tmp_path):
    monkeypatch.setattr(persona_agent.engine.llm, "make_chat_model", lambda *a, **k: BriefEchoChatModel())
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: evolved.store.embedder)
    monkeypatch.setenv("COLUMNS", "250")
    result = runner.invoke(app, ["--home", str(evolved.settings.home), "update", str(evolved.research),
                                 "--out", str(evolved.personas), "--max-rounds", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("unchanged") == 4 and "nothing it rests on changed" in result.output
    assert "the analysis was current" in result.output
    nothing = runner.invoke(app, ["--home", str(evolved.settings.home), "update", "--out", str(tmp_path)])
    assert nothing.exit_code == 2 and "persona generate" in nothing.output


def test_a_persona_whose_segment_vanished_is_retired_with_its_history(evolved, tmp_path):
    import shutil

    from persona_agent.analysis.models import Lineage, SegmentChange
    from persona_agent.personas.evolve import assess, update_personas
    from persona_agent.personas.plan import plan_targets

    personas = tmp_path / "personas"
    shutil.copytree(evolved.personas, personas)
    targets = plan_targets(evolved.store, evolved.settings.analysis_dir)
    gone = targets[-1]
    lineage = Lineage(numbering="matched", segments=[SegmentChange(segment_id=targets[0].key[8:], status="merged",
                                                                   previous_ids=[gone.key[8:]])])
    report = update_personas(generator(evolved, personas), [t for t in targets if t is not gone], lineage,
                             concurrency=1)
    retired = next(d for d in report.decisions if d.key == gone.key)
    assert retired.action == "retired" and f"merged into {targets[0].key[8:]}" in retired.reasons[0]
    assert not (personas / f"{retired.slug}.json").exists() and gone.key not in json.loads(
        (personas / ".persona-run.json").read_text())
    assert versions(personas, gone.key[8:])  # its versions stay
    assert {d.action for d in report.decisions if d is not retired} == {"unchanged"}  # their inputs are as they were
    from persona_agent.core.errors import PersonaError

    with pytest.raises(PersonaError, match="no segments now"):  # an analysis that failed retires nobody
        update_personas(generator(evolved, personas), [], lineage)
    absorbing = Persona.model_validate_json((personas / f"{report.decisions[0].slug}.json").read_text())
    found = assess(generator(evolved, personas), absorbing, targets[0], lineage)
    assert f"it absorbed segment {gone.key[8:]}" in found.material  # had its inputs changed, it would be regenerated
