"""The generate loop with a scripted fake model over the sample research (ingested once with the
deterministic test embedder): each kind of bad draft is caught by the critic and fixed or removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from persona_agent.engine.cache import SQLiteLLMCache
from persona_agent.personas.critique import iter_claims
from persona_agent.personas.generate import Generator, generate_personas
from persona_agent.personas.output import load_manifest
from persona_agent.personas.schema import Persona
from persona_agent.testing import QueuedChatModel
from tests.helpers import CLEAN, good_draft


@pytest.fixture(scope="module")
def research(sample_research):
    return sample_research[:3]


def run(store, targets, fake, out_dir, **kwargs):
    generator = Generator(llm=fake, store=store, out_dir=out_dir, model_name="fake",
                          max_rounds=kwargs.pop("max_rounds", 2))
    return generate_personas(generator, targets, concurrency=kwargs.pop("concurrency", 1), **kwargs)


def test_plan_puts_the_most_valuable_segment_first(research):
    _, targets, evidence = research
    assert [t.key for t in targets][:1] and all(t.key.startswith("segment:S") for t in targets)
    revenue = [t.revenue_share for t in targets]
    assert revenue == sorted(revenue, reverse=True)
    for target in targets:  # every persona gets the segment profile and at least 3 source kinds
        kinds = {e.kind for e in evidence[target.key]}
        assert {"segment", "survey", "interview", "analytics"} <= kinds, kinds


def test_clean_draft_is_written_with_provenance(research, tmp_path):
    store, targets, evidence = research
    target = targets[0]
    fake = QueuedChatModel([good_draft(evidence[target.key]), CLEAN])
    report = run(store, [target], fake, tmp_path)
    persona = report.outcomes[0].persona
    assert len(fake.calls) == 2 and persona.provenance.critique_rounds == 0
    assert persona.provenance.open_issues == []
    assert persona.segment.segment_id == target.key and persona.segment.share_of_respondents == target.share
    assert persona.demographics.age_band is not None  # filled from the data, cited to the segment
    assert persona.demographics.age_band.evidence == [target.key]
    saved = Persona.model_validate_json((tmp_path / "frugal-fred.json").read_text())
    assert saved.name == "Frugal Fred" and (tmp_path / "frugal-fred.md").read_text().startswith("# Frugal Fred")
    assert set(persona.provenance.prompt_versions) >= {"draft.system", "critique.system"}
    # the evidence reached the model fenced as data, with its ids
    draft_prompt = fake.calls[0][-1].text
    assert "<evidence>" in draft_prompt and evidence[target.key][1].evidence_id in draft_prompt


@pytest.mark.parametrize("defect", ["unknown_id", "paraphrased_quote", "wrong_share", "uncited"])
def test_each_defect_is_caught_and_fixed_by_revision(research, tmp_path, defect):
    store, targets, evidence = research
    target = targets[0]
    bad = good_draft(evidence[target.key])
    if defect == "unknown_id":
        bad["goals"][0]["evidence"] = ["interviews/nobody.md#L1-9"]
    elif defect == "paraphrased_quote":
        bad["quotes"][0]["text"] = "Honestly, the delivery price is what makes me leave every time"
    elif defect == "wrong_share":
        bad["gist"]["text"] = "One in three respondents (35 %) are students hunting for deals"
    else:
        bad["challenges"][0]["evidence"] = []
    fake = QueuedChatModel([bad, CLEAN, good_draft(evidence[target.key]), CLEAN])
    persona = run(store, [target], fake, tmp_path).outcomes[0].persona
    revise_prompt = fake.calls[2][-1].text
    expected = {"unknown_id": "unknown_evidence", "paraphrased_quote": "quote_not_verbatim",
                "wrong_share": "number_mismatch", "uncited": "uncited"}[defect]
    assert f"[{expected}]" in revise_prompt
    assert persona.provenance.critique_rounds == 1 and persona.provenance.open_issues == []
    assert all(c.support == "cited" for _, c in iter_claims(persona))


def test_still_broken_after_the_last_round_is_removed_or_downgraded(research, tmp_path):
    store, targets, evidence = research
    target = targets[0]
    bad = good_draft(evidence[target.key])
    bad["goals"][0]["evidence"] = ["interviews/nobody.md#L1-9"]
    bad["quotes"][0]["text"] = "words nobody ever said"
    bad["gist"]["text"] = "Exactly 35 % of respondents"
    fake = QueuedChatModel([bad, CLEAN, bad, CLEAN, bad])
    persona = run(store, [target], fake, tmp_path, max_rounds=2).outcomes[0].persona
    assert persona.provenance.critique_rounds == 2 and len(fake.calls) == 5
    assert persona.quotes == []  # a quote that is not verbatim is removed
    assert persona.goals.primary[0].support == "inference" and persona.goals.primary[0].evidence == []
    assert persona.gist.support == "inference"  # wrong number: kept as an inference, with the reason
    issues = " ".join(persona.provenance.open_issues)
    assert "quotes[0]" in issues and "goals.primary[0]" in issues and "gist" in issues
    Persona.model_validate_json((tmp_path / f"{persona.id}.json").read_text())  # schema-valid


def test_duplicate_persona_and_name_are_caught(research, tmp_path):
    store, targets, evidence = research
    first, second = targets[0], targets[1]
    twin = good_draft(evidence[first.key])  # the second persona copies the first one
    other = good_draft(evidence[second.key], name="Gourmet Greta", gist="Quality-first home barista")
    fake = QueuedChatModel([good_draft(evidence[first.key]), CLEAN, twin, CLEAN, other])
    report = run(store, [first, second], fake, tmp_path)
    names = [o.persona.name for o in report.outcomes]
    assert names == ["Frugal Fred", "Gourmet Greta"]
    assert "[duplicate_name]" in fake.calls[4][-1].text and "[duplicate_persona]" in fake.calls[4][-1].text
    assert sorted(p.name for p in tmp_path.glob("[!.]*.json")) == ["frugal-fred.json", "gourmet-greta.json"]
    assert "distinct: duplicate_name" in " ".join(report.outcomes[1].persona.provenance.critique)


def test_critic_warnings_trigger_a_revision(research, tmp_path):
    store, targets, evidence = research
    draft = good_draft(evidence[targets[0].key])
    critic = {"issues": [{"field": "narrative", "problem": "generic marketing fluff"}]}
    fake = QueuedChatModel([draft, critic, draft, CLEAN])
    persona = run(store, targets[:1], fake, tmp_path).outcomes[0].persona
    assert "generic marketing fluff" in fake.calls[2][-1].text
    assert persona.provenance.critique_rounds == 1


def test_unchanged_rerun_makes_no_llm_call(research, tmp_path):
    store, targets, evidence = research
    cache = SQLiteLLMCache(tmp_path / "cache.sqlite")
    first = QueuedChatModel([good_draft(evidence[targets[0].key]), CLEAN], cache=cache)
    run(store, targets[:1], first, tmp_path / "a")
    again = QueuedChatModel([], cache=cache)  # any real call would fail: nothing is queued
    report = run(store, targets[:1], again, tmp_path / "b")
    assert again.calls == [] and report.outcomes[0].persona.provenance.llm_calls == 0
    assert report.outcomes[0].persona.name == "Frugal Fred"


def test_failed_persona_is_reported_and_resume_keeps_finished_ones(research, tmp_path):
    store, targets, evidence = research
    broken = "not json"
    fake = QueuedChatModel([good_draft(evidence[targets[0].key]), CLEAN, broken, broken, broken])
    report = run(store, targets[:2], fake, tmp_path)
    assert report.outcomes[0].persona is not None and report.outcomes[1].error
    assert load_manifest(tmp_path)[targets[0].key]["status"] == "done"
    retry = QueuedChatModel([good_draft(evidence[targets[1].key], name="Gourmet Greta", gist="Quality first"),
                             CLEAN])
    report = run(store, targets[:2], retry, tmp_path, resume=True)
    assert report.outcomes[0].resumed and len(retry.calls) == 2
    assert {p.name for p in (o.persona for o in report.outcomes)} == {"Frugal Fred", "Gourmet Greta"}


def test_transient_provider_errors_are_retried(research, tmp_path):
    store, targets, evidence = research
    fake = QueuedChatModel([TimeoutError("read timed out"), good_draft(evidence[targets[0].key]), CLEAN])
    assert run(store, targets[:1], fake, tmp_path).outcomes[0].persona is not None


def test_regenerating_under_a_new_name_leaves_no_duplicate_files(research, tmp_path):
    store, targets, evidence = research
    run(store, targets[:1], QueuedChatModel([good_draft(evidence[targets[0].key]), CLEAN]), tmp_path)
    renamed = good_draft(evidence[targets[0].key], name="Thrifty Tom")
    run(store, targets[:1], QueuedChatModel([renamed, CLEAN]), tmp_path)
    assert sorted(p.name for p in tmp_path.glob("[!.]*.json")) == ["thrifty-tom.json"]


def test_schema_file_is_generated_from_the_model():
    from persona_agent.personas.schema_file import schema_text

    committed = (Path(__file__).parent.parent / "schema" / "persona.schema.json").read_text()
    assert committed == schema_text(), "run: persona schema > schema/persona.schema.json"
    assert json.loads(committed)["version"] == "1.0"


def test_validate_prints_violations_with_json_paths(tmp_path):
    from typer.testing import CliRunner

    from persona_agent.cli import app

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "Bad Slug", "name": "X", "buyer_type": "alien",
                               "gist": {"text": "g", "evidence": []}, "narrative": {"text": "n", "evidence": ["a"]}}))
    result = CliRunner().invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "$.id:" in result.output and "$.buyer_type:" in result.output and "$.gist:" in result.output
