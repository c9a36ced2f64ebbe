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
from persona_agent.testing import BriefEchoChatModel, HashEmbeddings
from tests.conftest import KNOWLEDGE


@pytest.fixture(scope="module")
def research(sample_research):
    return sample_research


def run(research, targets, fake, out_dir, model_name="fake", **kwargs):
    store, _, _, settings = research
    generator = Generator(llm=fake, store=store, out_dir=out_dir, model_name=model_name, max_rounds=1,
                          analysis_dir=settings.analysis_dir, check_support=False)
    return generate_personas(generator, targets, concurrency=1, **kwargs)


NAMES = ["Frugal Fred", "Gourmet Greta", "Office Olav"]


class Faulty(BriefEchoChatModel):
    """Raises ``fault`` on every call for the segment named ``broken``."""

    broken: str = ""
    fault: object = None

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        if self.broken and f"SEGMENT {self.broken}:" in messages[1].text:
            raise self.fault  # type: ignore[misc]
        return super()._generate(messages, stop, run_manager, **kwargs)


@pytest.mark.parametrize("fault, shown", [
    (ValueError("Requested tokens (9000) exceed context window of 4096"), "context window"),
    (RuntimeError("a bug in a stage"), "unexpected error RuntimeError"),
])
def test_one_failing_persona_keeps_the_others(research, tmp_path, caplog, fault, shown):
    _, targets, _, _ = research
    fake = Faulty(names=["Frugal Fred", "Office Olav"], broken=targets[1].key.removeprefix("segment:"), fault=fault)
    with caplog.at_level(logging.ERROR):
        report = run(research, targets[:3], fake, tmp_path)
    ok = [o.persona.name if o.persona else None for o in report.outcomes]
    assert ok == ["Frugal Fred", None, "Office Olav"]
    assert shown in report.outcomes[1].error
    assert set(load_manifest(tmp_path)) == {targets[0].key, targets[2].key}
    assert sorted(p.name for p in tmp_path.glob("[!.]*.json")) == ["frugal-fred.json", "office-olav.json"]
    if isinstance(fault, RuntimeError):  # a bug keeps its traceback, in the log
        assert any(r.exc_info and "a bug in a stage" in str(r.exc_info[1]) for r in caplog.records)


def test_resume_regenerates_only_what_changed(research, tmp_path, monkeypatch):
    _, targets, _, _ = research
    run(research, targets[:2], BriefEchoChatModel(), tmp_path)
    manifest = load_manifest(tmp_path)
    assert all(len(entry["fingerprint"]) == 64 for entry in manifest.values())

    unchanged = BriefEchoChatModel()
    report = run(research, targets[:2], unchanged, tmp_path, resume=True)
    assert [o.resumed for o in report.outcomes] == [True, True] and unchanged.calls == []

    # what the second persona is written from changed (a re-ingested interview says something else)
    real = generate_module.build_brief

    def changed(store_, target, analysis, language=""):
        brief = real(store_, target, analysis, language)
        if target.key == targets[1].key:
            brief.items[-1].line += " (corrected)"
        return brief

    monkeypatch.setattr(generate_module, "build_brief", changed)
    again = BriefEchoChatModel()
    report = run(research, targets[:2], again, tmp_path, resume=True)
    assert [o.resumed for o in report.outcomes] == [True, False] and again.calls
    monkeypatch.undo()

    report = run(research, targets[:2], BriefEchoChatModel(), tmp_path, model_name="another-model", resume=True)
    assert [o.resumed for o in report.outcomes] == [False, False]  # another model: everything is regenerated


def test_fingerprint_is_canonical_and_sensitive(research):
    store, targets, _, _ = research
    target = targets[0]
    items = store.get([f"segment:{target.key.removeprefix('segment:')}", "pareto:customers"])
    base = persona_inputs(target, items, prompt_versions={"a": "1", "b": "2"}, model={"name": "m"})
    same = persona_inputs(target, list(reversed(items)), prompt_versions={"b": "2", "a": "1"}, model={"name": "m"})
    assert fingerprint(base) == fingerprint(same)
    for key, value in [("prompts", {"a": "1", "b": "3"}), ("model", {"name": "m2"}),
                       ("evidence", evidence_inputs([items[0].model_copy(update={"text": "x"}), *items[1:]]))]:
        assert fingerprint({**base, key: value}) != fingerprint(base), key


def test_two_runs_merge_the_manifest_and_keep_each_others_files(research, tmp_path):
    _, targets, _, _ = research
    made = tmp_path / "made"
    run(research, targets[:3], BriefEchoChatModel(names=NAMES), made)
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
