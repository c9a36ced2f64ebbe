"""Generation under faults: one persona failing (whatever it raises) fails only itself; `--resume`
regenerates what changed (input fingerprint); concurrent runs merge the manifest instead of
clobbering it; `persona generate FOLDER` never reuses an older folder's analysis."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

import persona_agent.personas.generate as generate_module
from persona_agent.core.config import load_settings
from persona_agent.personas.fingerprint import evidence_inputs, fingerprint, persona_inputs
from persona_agent.personas.generate import Generator, generate_personas
from persona_agent.personas.output import MANIFEST, Outcome, _save, load_manifest
from persona_agent.personas.schema import Persona
from persona_agent.testing import HashEmbeddings, QueuedChatModel
from tests.conftest import KNOWLEDGE
from tests.helpers import CLEAN, good_draft


@pytest.fixture(scope="module")
def research(sample_research):
    return sample_research[:3]


def run(store, targets, fake, out_dir, model_name="fake", **kwargs):
    generator = Generator(llm=fake, store=store, out_dir=out_dir, model_name=model_name, max_rounds=1)
    return generate_personas(generator, targets, concurrency=1, **kwargs)


def drafts(evidence, targets):
    names = [("Frugal Fred", "Student who waits for sales"), ("Gourmet Greta", "Home barista who wants the best"),
             ("Office Olav", "Buys coffee for a small office")]
    return [good_draft(evidence[t.key], name=n, gist=g) for t, (n, g) in zip(targets, names, strict=False)]


@pytest.mark.parametrize("fault, shown", [
    (ValueError("Requested tokens (9000) exceed context window of 4096"), "context window"),
    (RuntimeError("a bug in a stage"), "unexpected error RuntimeError"),
])
def test_one_failing_persona_keeps_the_others(research, tmp_path, caplog, fault, shown):
    store, targets, evidence = research
    first, _, third = drafts(evidence, targets[:3])
    fake = QueuedChatModel([first, CLEAN, fault, third, CLEAN])
    with caplog.at_level(logging.ERROR):
        report = run(store, targets[:3], fake, tmp_path)
    ok = [o.persona.name if o.persona else None for o in report.outcomes]
    assert ok == ["Frugal Fred", None, "Office Olav"]
    assert shown in report.outcomes[1].error
    assert set(load_manifest(tmp_path)) == {targets[0].key, targets[2].key}
    assert sorted(p.name for p in tmp_path.glob("[!.]*.json")) == ["frugal-fred.json", "office-olav.json"]
    if isinstance(fault, RuntimeError):  # a bug keeps its traceback, in the log
        assert any(r.exc_info and "a bug in a stage" in str(r.exc_info[1]) for r in caplog.records)


def test_resume_regenerates_only_what_changed(research, tmp_path, monkeypatch):
    store, targets, evidence = research
    first, second = drafts(evidence, targets[:2])
    run(store, targets[:2], QueuedChatModel([first, CLEAN, second, CLEAN]), tmp_path)
    manifest = load_manifest(tmp_path)
    assert all(len(entry["fingerprint"]) == 64 for entry in manifest.values())

    unchanged = QueuedChatModel([])
    report = run(store, targets[:2], unchanged, tmp_path, resume=True)
    assert [o.resumed for o in report.outcomes] == [True, True] and unchanged.calls == []

    # the evidence behind the second persona changed (a re-ingested interview says something else)
    real = generate_module.gather_evidence

    def changed(store_, target):
        found = real(store_, target)
        if target.key == targets[1].key:
            found[-1] = found[-1].model_copy(update={"text": found[-1].text + " (corrected)"})
        return found

    monkeypatch.setattr(generate_module, "gather_evidence", changed)
    again = QueuedChatModel([second, CLEAN])
    report = run(store, targets[:2], again, tmp_path, resume=True)
    assert [o.resumed for o in report.outcomes] == [True, False] and len(again.calls) == 2
    monkeypatch.undo()

    other_model = QueuedChatModel([first, CLEAN, second, CLEAN])  # a new model: everything is regenerated
    report = run(store, targets[:2], other_model, tmp_path, model_name="another-model", resume=True)
    assert [o.resumed for o in report.outcomes] == [False, False]


def test_fingerprint_is_canonical_and_sensitive(research):
    _, targets, evidence = research
    target, items = targets[0], evidence[targets[0].key]
    base = persona_inputs(target, items, prompt_versions={"a": "1", "b": "2"}, model={"name": "m"})
    same = persona_inputs(target, list(reversed(items)), prompt_versions={"b": "2", "a": "1"}, model={"name": "m"})
    assert fingerprint(base) == fingerprint(same)
    for key, value in [("prompts", {"a": "1", "b": "3"}), ("model", {"name": "m2"}),
                       ("evidence", evidence_inputs([items[0].model_copy(update={"text": "x"}), *items[1:]]))]:
        assert fingerprint({**base, key: value}) != fingerprint(base), key


def test_two_runs_merge_the_manifest_and_keep_each_others_files(research, tmp_path):
    store, targets, evidence = research
    made = tmp_path / "made"
    run(store, targets[:3], QueuedChatModel([*(x for d in drafts(evidence, targets[:3]) for x in (d, CLEAN))]), made)
    fred, greta, olav = (Persona.model_validate_json((made / f"{slug}.json").read_text())
                         for slug in ("frugal-fred", "gourmet-greta", "office-olav"))
    out = tmp_path / "out"
    stale_b: dict = {}  # run B read the manifest before run A wrote anything
    stale_b_later = {targets[1].key: {"slug": "frugal-fred", "status": "done"}}  # what B believed about S2
    _save(Outcome(targets[0], fred), {}, out)  # run A: S1 = frugal-fred
    _save(Outcome(targets[1], greta), stale_b, out)  # run B: S2 = gourmet-greta
    assert set(load_manifest(out)) == {targets[0].key, targets[1].key}  # B kept A's entry
    _save(Outcome(targets[1], olav), stale_b_later, out)  # B renames S2, with a stale idea of its old slug
    assert (out / "frugal-fred.json").is_file() and (out / "frugal-fred.md").is_file()  # S1's files survive
    assert not (out / "gourmet-greta.json").exists()  # S2's own old files are gone
    assert load_manifest(out)[targets[1].key]["slug"] == "office-olav"
    assert not [p for p in out.iterdir() if p.name.startswith(f".{MANIFEST}.")]  # no half-written manifest


# ------------------------------------------------------------------------ analysis freshness
def small_folder(path: Path) -> Path:
    (path / "survey").mkdir(parents=True)
    shutil.copy(KNOWLEDGE / "survey" / "customer_survey_2026-09.csv", path / "survey")
    (path / "interviews").mkdir()
    shutil.copy(KNOWLEDGE / "interviews" / "2026-01-20-best-gift-aarhus.txt", path / "interviews")
    return path


def test_generate_folder_never_reuses_an_older_folders_analysis(isolated, tmp_path):
    from persona_agent.workflows.run import prepare

    settings = load_settings()
    embedder = HashEmbeddings()
    first = small_folder(tmp_path / "a")
    assert prepare(settings, first, embedder=embedder).analysis is not None
    assert prepare(settings, first, embedder=embedder).analysis is None  # unchanged: reused
    survey = first / "survey" / "customer_survey_2026-09.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    survey.write_text("\n".join(lines[: len(lines) * 2 // 3]) + "\n", encoding="utf-8")  # the survey changed
    again = prepare(settings, first, embedder=embedder).analysis
    assert again is not None and again.inputs["survey"].endswith("customer_survey_2026-09.csv")
    other = small_folder(tmp_path / "b")
    assert prepare(settings, other, embedder=embedder).analysis is not None  # another folder
    no_tables = tmp_path / "c"
    (no_tables / "interviews").mkdir(parents=True)
    shutil.copy(KNOWLEDGE / "interviews" / "2026-01-20-best-gift-aarhus.txt", no_tables / "interviews")
    warnings = []
    prepared = prepare(settings, no_tables, embedder=embedder, on_event=lambda kind, **data: warnings.append(data))
    assert prepared.analysis is None and warnings
    assert not (settings.analysis_dir / "segments.json").exists()  # nothing plans from the old folder's segments
    assert prepared.store.metadata_where({"source": "analysis"}) == {}
