"""The analysis stage end to end: the sample folder in, planted structure found, evidence stored
(and replaced on re-runs), report written; and `persona analyze` on good and bad input.

Planted figures come from knowledge/README.md. Every store uses the deterministic hash embedder.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

import persona_agent.engine.embeddings
from persona_agent.analysis.analyze import AnalysisRun, analyze_folder
from persona_agent.cli import app
from persona_agent.core.config import load_settings
from persona_agent.core.evidence import Evidence
from persona_agent.engine.store import EvidenceStore, open_store
from persona_agent.testing import HashEmbeddings
from tests.conftest import KNOWLEDGE

SURVEY = KNOWLEDGE / "survey" / "customer_survey_2026-09.csv"
DRIVER_QUESTION = "What matters most to you when choosing where to buy coffee?"
# Each planted segment's characteristic "main driver" answer and its number of respondents.
PLANTED_SEGMENTS = {
    "Low price and discounts": 84,  # bargain hunters
    "Bean quality, origin and freshness": 60,  # brew enthusiasts
    "Presentation and gift packaging": 48,  # gift buyers
    "Reliable delivery and invoicing": 48,  # office/convenience buyers
}
SIZE_TOLERANCE = 8  # respondents; k-means on overlapping answers does not recover every one
REPORT_CHARTS = ("segment_sizes.png", "rfm_revenue.png", "abc_xyz_heatmap.png")


@pytest.fixture
def store(settings, hash_embedder: HashEmbeddings) -> EvidenceStore:
    return open_store(settings, hash_embedder)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[AnalysisRun, EvidenceStore, Path]:
    """One analysis of the sample folder shared by the tests that only read it (a run takes ~2 s).

    Module-scoped, so it cannot use the per-test `settings`; it isolates itself the same way.
    """
    work = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if (name.startswith("PERSONA_") and not name.startswith("PERSONA_CI_")
                    and name != "PERSONA_MODELS_DIR") or name.startswith("OPENAI_"):
                patch.delenv(name)
        patch.setenv("PERSONA_HOME", str(work / ".persona"))
        patch.chdir(work)
        store = open_store(load_settings(), HashEmbeddings())
        return analyze_folder(KNOWLEDGE, store, work / "out"), store, work / "out"


@pytest.fixture
def sample_run(sample: tuple[AnalysisRun, EvidenceStore, Path]) -> AnalysisRun:
    return sample[0]


@pytest.fixture
def sample_store(sample: tuple[AnalysisRun, EvidenceStore, Path]) -> EvidenceStore:
    return sample[1]


def _segment_of_respondent(run: AnalysisRun) -> pd.Series:
    assert run.result.segmentation is not None
    return pd.Series({respondent: segment.segment_id
                      for segment in run.result.segmentation.segments
                      for respondent in segment.respondent_ids})


def _analysis_ids(store: EvidenceStore) -> set[str]:
    return set(store.metadata_where({"source": "analysis"}))


# ---------------------------------------------------------------------------------------------
# What the stage finds in the sample folder


def test_finds_the_four_planted_survey_segments(sample_run: AnalysisRun):
    segmentation = sample_run.result.segmentation
    assert segmentation is not None and segmentation.k == 4 and segmentation.respondents == 240
    answers = pd.read_csv(SURVEY, dtype=str).set_index("Respondent ID")[DRIVER_QUESTION]
    segment_of = _segment_of_respondent(sample_run).reindex(answers.index)
    sizes = {segment.segment_id: segment.size for segment in segmentation.segments}
    found: dict[str, str] = {}
    for answer, planted_size in PLANTED_SEGMENTS.items():
        where = segment_of[answers == answer].value_counts(normalize=True)
        segment_id, share = str(where.index[0]), float(where.iloc[0])
        assert share >= 0.6, f"{answer!r}: only {share:.0%} of those who chose it share a segment"
        assert abs(sizes[segment_id] - planted_size) <= SIZE_TOLERANCE, (answer, sizes)
        found[answer] = segment_id
    assert len(set(found.values())) == 4, f"two planted segments merged: {found}"


def test_finds_pareto_cross_check_and_value_join(sample_run: AnalysisRun):
    result = sample_run.result
    assert result.pareto is not None
    assert result.pareto.customers == 500 and result.pareto.top_20_customers == 100
    assert result.pareto.top_20_revenue_share == pytest.approx(0.665, abs=0.01)
    assert result.cross_check is not None
    disagreements = {d.dimension: [c.category for c in d.disagreements]
                     for d in result.cross_check.dimensions}
    assert disagreements == {"age": ["18-24"], "gender": [], "location": []}
    assert result.value is not None and result.value.joinable
    assert result.value.respondents_with_customer_id == 144 and result.value.matched == 144
    assert sample_run.inputs == {
        "survey": "survey/customer_survey_2026-09.csv",
        "transactions": "transactions/orders_2025-2026.csv",
        "audience": "analytics/ga_audience_2026-q3.csv",
    }
    assert sample_run.read_errors == []


def test_stores_each_profile_as_evidence(sample_run: AnalysisRun, sample_store: EvidenceStore):
    ids = set(sample_run.evidence_ids)
    assert {"segment:S1", "segment:S2", "segment:S3", "segment:S4", "rfm:champions",
            "pareto:customers", "crosscheck:age"} <= ids
    assert "segment:S5" not in ids
    assert len(ids) == len(sample_run.evidence_ids)
    assert _analysis_ids(sample_store) == ids


def test_segments_are_found_by_kind_and_by_analysis(sample_run: AnalysisRun, sample_store: EvidenceStore):
    hits = sample_store.search("customers who want low prices and discounts", k=len(sample_run.evidence_ids),
                        where={"kind": "segment"})
    assert {hit.evidence.evidence_id for hit in hits} == set(sample_run.evidence_ids)
    assert all(hit.evidence.kind == "segment" and hit.evidence.source == "analysis" for hit in hits)
    segments = sample_store.search("segment", k=10, where={"analysis": "survey_segment"})
    assert sorted(hit.evidence.evidence_id for hit in segments) == [f"segment:S{n}" for n in range(1, 5)]
    s1 = next(hit.evidence for hit in segments if hit.evidence.evidence_id == "segment:S1")
    assert s1.metadata["size"] == sample_run.result.segmentation.segments[0].size  # type: ignore[union-attr]


def test_writes_json_markdown_and_charts(sample: tuple[AnalysisRun, EvidenceStore, Path]):
    sample_run, _, out_dir = sample
    folder = out_dir / "analysis"
    written = {Path(f).name for f in sample_run.files}
    assert {"segments.json", "rfm.json", "abc_xyz.json", "pareto.json", "cross_check.json",
            "value.json", "analysis.md", *REPORT_CHARTS} <= written
    assert all(Path(f).parent == folder and Path(f).is_file() for f in sample_run.files)
    for chart in REPORT_CHARTS:
        assert (folder / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    markdown = (folder / "analysis.md").read_text(encoding="utf-8")
    for chart in REPORT_CHARTS:
        assert f"]({chart})" in markdown
    pareto = json.loads((folder / "pareto.json").read_text(encoding="utf-8"))
    assert pareto["top_20_revenue_share"] == sample_run.result.pareto.top_20_revenue_share  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------
# Re-runs: deterministic, and they replace what the previous analysis stored


def test_rerun_gives_the_same_segments_and_ids(sample_run: AnalysisRun, store: EvidenceStore, tmp_path: Path):
    again = analyze_folder(KNOWLEDGE, store, tmp_path / "again")  # a fresh store and output folder
    assert again.evidence_ids == sample_run.evidence_ids
    assert _segment_of_respondent(again).equals(_segment_of_respondent(sample_run))
    assert again.result.model_dump_json() == sample_run.result.model_dump_json()
    assert _analysis_ids(store) == set(sample_run.evidence_ids)


def test_rerun_with_fewer_segments_leaves_no_stale_evidence(store: EvidenceStore, tmp_path: Path):
    interview = Evidence(evidence_id="interviews/a.md#1", text="Customer: the beans were stale.",
                         kind="interview", source="interviews/a.md")
    store.upsert([interview])
    first = analyze_folder(KNOWLEDGE, store, tmp_path / "out", k=4)
    assert "segment:S4" in first.evidence_ids and _analysis_ids(store) == set(first.evidence_ids)
    second = analyze_folder(KNOWLEDGE, store, tmp_path / "out", k=3)
    # ids persist where a segment is recognised (analysis.lineage); the segment that went is gone from the store
    assert sorted(s.segment_id for s in second.result.segmentation.segments) == ["S1", "S2", "S3"]  # type: ignore[union-attr]
    assert [(c.status, c.previous_ids) for c in second.result.lineage.segments  # type: ignore[union-attr]
            if c.status not in ("kept",)] == [("merged", ["S4"])]
    assert _analysis_ids(store) == set(second.evidence_ids)
    assert not store.get(["segment:S4"])
    assert store.get([interview.evidence_id]) == [interview]  # only the analysis is replaced
    assert store.count() == len(second.evidence_ids) + 1


# ---------------------------------------------------------------------------------------------
# persona analyze


@pytest.fixture
def persona(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the CLI with the hash embedder (the CLI builds its embedder via `make_embeddings`)."""
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda settings: HashEmbeddings())
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps tables to the terminal width
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


def _warnings(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("warning:")]


def test_cli_analyze_prints_the_segment_table(persona, settings):
    result = persona("analyze", KNOWLEDGE)
    assert result.exit_code == 0, result.output
    assert "Survey segments: k=4 of 240 respondents" in result.stdout
    for segment_id in ("S1", "S2", "S3", "S4"):
        assert f"segment:{segment_id}" in result.stdout
    assert "Pareto check" in result.stdout
    assert (settings.home / "analysis" / "analysis.md").is_file()


def test_cli_analyze_folder_without_tables_is_one_clear_error(persona, tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for interview in (KNOWLEDGE / "interviews").glob("*.md"):
        shutil.copy(interview, notes)
    result = persona("analyze", notes)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "no survey, transactions or analytics table found" in lines[0]
    assert "Traceback" not in result.output


def test_cli_analyze_bad_transactions_warns_and_goes_on(persona, settings, tmp_path: Path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "orders.csv").write_text(
        "order_id,customer_id,order_date,amount\n"
        "1001,C001,2026-01-05,€12.50\n"
        '1002,C002,2026-01-06,"€1.234,50"\n'
        "1003,,2026-01-07,€20.00\n"  # no customer id
        "1004,C003,not a date,€15.00\n"
        "1005,C001,2026-02-10,-€12.50\n"  # a return
        "1006,C003,2026-02-11,€30.00\n"
        "1007,C002,2026-03-01,€45.00\n"
        "1008,C004,2026-03-15,€8.00\n",
        encoding="utf-8",
    )
    result = persona("analyze", folder)
    assert result.exit_code == 0, result.output
    warnings = _warnings(result)
    assert any("1 rows dropped: customer id missing (e.g. row 3)" in w for w in warnings), warnings
    assert any("1 rows dropped: date missing or not a date (e.g. 'not a date')" in w for w in warnings)
    assert any("1 return rows (-12.50) netted against revenue" in w for w in warnings)
    assert not any("amount" in w for w in warnings)  # "€1.234,50" and "-€12.50" are amounts
    report = json.loads((settings.home / "analysis" / "transactions.json").read_text(encoding="utf-8"))
    assert (report["rows_read"], report["rows_kept"]) == (8, 6)
    rfm = json.loads((settings.home / "analysis" / "rfm.json").read_text(encoding="utf-8"))
    assert rfm["revenue_total"] == pytest.approx(12.50 + 1234.50 - 12.50 + 30 + 45 + 8)


def test_cli_analyze_tiny_survey_reduces_k_with_a_warning(persona, settings, tmp_path: Path):
    folder = tmp_path / "survey"
    folder.mkdir()
    (folder / "survey.csv").write_text(
        "Respondent ID,What matters most to you when choosing where to buy coffee?,"
        "How satisfied are you with Fjordbrew?\n"
        "R1,Low price and discounts,3\n"
        "R2,Bean quality and freshness,5\n"
        "R3,Presentation and gift packaging,4\n",
        encoding="utf-8",
    )
    result = persona("analyze", folder, "--segments", 5)
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Traceback" not in result.output
    assert any("k reduced from 5 to 3" in w for w in _warnings(result)), result.stdout
    segments = json.loads((settings.home / "analysis" / "segments.json").read_text(encoding="utf-8"))
    assert (segments["k"], segments["k_requested"], segments["respondents"]) == (3, 5, 3)
