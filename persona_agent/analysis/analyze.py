"""The analysis stage: survey segments, RFM, ABC/XYZ, Pareto and an analytics cross-check.

Segments come from the numbers, not from the LLM: the model only describes what was found here.
`run_analysis` runs every analysis the inputs allow on DataFrames; `analyze_folder` reads a research
folder, writes the report and stores each profile as citable evidence. The computations live in
`transactions`, `survey_segments`, `cross_check` and `segment_value`, the result models in
`analysis_models`, the rendering in `analysis_report`. Every public name of those modules that
callers used to import from here is still importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from persona_agent.analysis.cross_check import CROSS_CHECK_DIMENSIONS, cross_check
from persona_agent.analysis.lineage import load_previous, match_segments, with_retired_themes
from persona_agent.analysis.models import (
    RFM_GROUP_LABELS,
    ABCXYZCell,
    ABCXYZResult,
    AnalysisResult,
    AnalysisRun,
    AnalysisWarning,
    AnswerContrast,
    CategoryComparison,
    CrossCheckResult,
    DemographicProfile,
    DimensionCheck,
    DroppedRows,
    Lineage,
    ParetoResult,
    RFMGroup,
    RFMResult,
    Segment,
    SegmentationResult,
    SegmentValue,
    TransactionReport,
    ValueJoinResult,
    count_text,
)
from persona_agent.analysis.parsing import find_column, header_key, parse_amounts, parse_dates
from persona_agent.analysis.segments import (
    DEMOGRAPHIC_DIMENSIONS,
    DIMENSION_KEYWORDS,
    question_dimension,
    segment_survey,
)
from persona_agent.analysis.stats import segment_stats
from persona_agent.analysis.themes import find_themes
from persona_agent.analysis.transactions import (
    abc_xyz,
    customer_table,
    normalize_transactions,
    pareto,
    rfm,
)
from persona_agent.analysis.value import customer_key, join_value, split_customer_ids
from persona_agent.core.errors import AnalysisError, PersonaError
from persona_agent.research.folder import ResearchFolder, research_folder

if TYPE_CHECKING:
    from persona_agent.core.evidence import Evidence

__all__ = [
    "ABCXYZCell", "ABCXYZResult", "AnalysisResult", "AnalysisRun", "AnalysisWarning", "AnswerContrast",
    "CategoryComparison", "CrossCheckResult", "DemographicProfile", "DimensionCheck", "DroppedRows",
    "ParetoResult", "RFMGroup", "RFMResult", "Segment", "SegmentationResult", "SegmentValue",
    "TransactionReport", "ValueJoinResult", "count_text",
    "CROSS_CHECK_DIMENSIONS", "DEMOGRAPHIC_DIMENSIONS", "DIMENSION_KEYWORDS", "RFM_GROUP_LABELS",
    "abc_xyz", "analysis_evidence", "analyze_folder", "cross_check", "customer_key", "customer_table",
    "find_column", "header_key", "join_value", "normalize_transactions", "pareto", "parse_amounts",
    "parse_dates", "question_dimension", "rfm", "run_analysis", "segment_survey", "split_customer_ids",
    "write_report",
]

_Result = TypeVar("_Result")


def run_analysis(
    survey: pd.DataFrame | None = None,
    transactions: pd.DataFrame | None = None,
    audience: pd.DataFrame | None = None,
    *,
    k: int | None = None,
    seed: int = 0,
    reference_date: date | str | None = None,
    k_range: tuple[int, int] = (2, 6),
    survey_customer_ids: pd.Series | None = None,
    free_text_respondents: Iterable[str] | None = None,
    transactions_source: str = "transactions",
    previous: SegmentationResult | None = None,
    previous_lineage: Lineage | None = None,
) -> AnalysisResult:
    """Every analysis the inputs allow; a stage that cannot run becomes a warning, not a failure.

    With the ``previous`` segmentation, segments it recognises keep their ids (`analysis.lineage`).
    Raises `AnalysisError` only when nothing at all could be computed.
    """
    if survey is None and transactions is None and audience is None:
        raise AnalysisError("nothing to analyse", "add a survey, transactions or an analytics export")
    warnings: list[AnalysisWarning] = []

    def attempt(stage: str, compute: Callable[[], _Result]) -> _Result | None:
        try:
            return compute()
        except AnalysisError as error:
            warnings.append(AnalysisWarning(stage=stage, message=error.one_line()))
            return None

    result = AnalysisResult()
    if survey is not None:
        if survey_customer_ids is None:
            survey, survey_customer_ids = split_customer_ids(survey)
        answers = survey
        segmentation = attempt("segments", lambda: segment_survey(
            answers, k, k_range, seed, free_text_respondents=free_text_respondents))
        stats = []
        lineage = None
        if segmentation is not None:
            segmentation, lineage = match_segments(segmentation, previous, previous_lineage)
            warnings += [AnalysisWarning(stage="segments", message=w) for w in segmentation.warnings]
            stats = segment_stats(answers, segmentation)
        result = result.model_copy(update={"segmentation": segmentation, "stats": stats, "lineage": lineage})
    if transactions is not None:
        raw = transactions
        normalized = attempt("transactions", lambda: normalize_transactions(raw, transactions_source))
        if normalized is not None:
            tx, report = normalized
            warnings += _transaction_warnings(report)
            table = customer_table(tx)
            abc_result = attempt("abc_xyz", lambda: abc_xyz(tx, customers=table))
            if abc_result is not None and abc_result.note:
                warnings.append(AnalysisWarning(stage="abc_xyz", message=abc_result.note))
            result = result.model_copy(update={
                "transactions": report,
                "rfm": attempt("rfm", lambda: rfm(tx, reference_date, customers=table)),
                "abc_xyz": abc_result,
                "pareto": attempt("pareto", lambda: pareto(tx, customers=table)),
            })
    if audience is not None and survey is None:
        warnings.append(AnalysisWarning(stage="cross_check", message="no survey to compare with"))
    elif audience is not None and survey is not None:
        answers, export = survey, audience
        result = result.model_copy(
            update={"cross_check": attempt("cross_check", lambda: cross_check(answers, export))})
    if result.segmentation is not None and (result.rfm or result.abc_xyz):
        ids = survey_customer_ids if survey_customer_ids is not None else pd.Series(dtype="string")
        value = join_value(result.segmentation, result.rfm, result.abc_xyz, ids)
        if not value.joinable:
            warnings.append(AnalysisWarning(stage="value", message=value.message))
        result = result.model_copy(update={"value": value})
    if not any(part is not None for name, part in result if name not in ("warnings", "stats", "themes", "lineage")):
        raise AnalysisError(
            "no analysis could be run: " + "; ".join(w.message for w in warnings),
            "fix the first problem named and run again",
        )
    return result.model_copy(update={"warnings": warnings})


WAVE_OVERLAP = 0.8  # share of questions two survey tables must share to be waves of one survey


def add_wave(survey: pd.DataFrame, wave: pd.DataFrame, path: str, notes: list[AnalysisWarning]) -> pd.DataFrame | None:
    """``survey`` with the respondents of ``wave`` added when both ask the same questions (a later
    wave of one survey); None, with a note, when they do not. Ids already answered keep their first answers."""
    questions, theirs = set(survey.columns), set(wave.columns)
    shared = len(questions & theirs) / max(len(questions | theirs), 1)
    if shared < WAVE_OVERLAP:
        notes.append(AnalysisWarning(stage="segments", message=f"{path}: not analysed with the first survey "
                                     f"({shared:.0%} of the questions in common; a wave needs {WAVE_OVERLAP:.0%})"))
        return None
    repeated = wave.index.intersection(survey.index)
    if len(repeated):
        notes.append(AnalysisWarning(stage="segments", message=f"{path}: {count_text(len(repeated), 'respondent id')} "
                                     "already answered an earlier wave: kept the first answers"))
    return pd.concat([survey, wave.loc[~wave.index.isin(survey.index)]])


def _transaction_warnings(report: TransactionReport) -> list[AnalysisWarning]:
    notes = [f"{d.rows} rows dropped: {d.reason} (e.g. {', '.join(d.examples)})" for d in report.dropped]
    if report.return_rows:
        verb = "netted against revenue" if report.returns_policy == "net" else "excluded"
        notes.append(f"{report.return_rows} return rows ({report.return_amount:,.2f}) {verb}")
    return [AnalysisWarning(stage="transactions", message=f"{report.source}: {n}") for n in notes]


def analysis_evidence(result: AnalysisResult) -> list[Evidence]:
    """Each segment, RFM group, ABC/XYZ cell, Pareto figure and cross-check as citable evidence."""
    from persona_agent.analysis.evidence import build_evidence

    return build_evidence(result)


def write_report(result: AnalysisResult, out_dir: Path) -> list[Path]:
    """Write ``<out_dir>/analysis/``: one JSON per part, analysis.md and PNG charts."""
    from persona_agent.analysis.report import write_analysis_files

    return write_analysis_files(result, out_dir)


SEARCH_KEY_CHARS = 200


def _search_vectors(store: Any, evidence: list[Evidence]) -> list[list[float]] | None:
    """Vectors for analysis evidence from a short key (its ``search_text``, else its first 200
    characters): stats and themes are long, numbers carry no meaning for the embedder, and embedding
    the whole texts cost 40 s on 2 cores for the sample folder, for no better search."""
    embedder = getattr(store, "embedder", None)
    if embedder is None:
        return None
    keys = [str(e.metadata.get("search_text") or e.text[:SEARCH_KEY_CHARS]) for e in evidence]
    unique = list(dict.fromkeys(keys))
    vectors = dict(zip(unique, embedder.embed_documents(unique), strict=True)) if unique else {}
    return [vectors[key] for key in keys]


# ---------------------------------------------------------------------------------------------
# The stage: folder in, report files and citable evidence out

_TABLE_ROLES = {"survey": "survey", "transactions": "transactions", "analytics": "audience"}  # kind → input

def analyze_folder(
    folder: Path | ResearchFolder,
    store: Any,
    out_dir: Path,
    *,
    k: int | None = None,
    seed: int = 0,
    reference_date: date | str | None = None,
    max_bytes: int | None = None,
    pseudonym_key: bytes | None = None,
) -> AnalysisRun:
    """Read the folder's tables, run every analysis they allow, write the report and store each
    segment/RFM/ABC/Pareto/cross-check profile as evidence (replacing the previous analysis).

    Survey waves (tables asking the same questions) are analysed together. Segments and themes the
    previous analysis in ``out_dir`` had keep their ids where they are recognised (`analysis.lineage`).
    ``folder`` may be a `ResearchFolder` that ingest already read: its parsed tables are reused (and
    its pseudonym key applies); with a path, ``pseudonym_key`` must be the one ingest used."""
    read_kwargs: dict[str, Any] = {"pseudonym_key": pseudonym_key}  # the ingest's, so cited ids match
    if max_bytes is not None:
        read_kwargs["max_bytes"] = max_bytes
    research = research_folder(folder, **read_kwargs)
    inputs: dict[str, str] = {}
    frames: dict[str, pd.DataFrame] = {}
    free_text: set[str] = set()
    errors: list[str] = []
    notes: list[AnalysisWarning] = []
    for _, document in research.tables():
        if isinstance(document, PersonaError):  # a bad table is reported by ingest too; analysis goes on
            errors.append(document.one_line())
            continue
        for part in document.tables():
            role = _TABLE_ROLES.get(part.kind)
            if role is None or part.table is None:
                continue
            if role in frames:  # first table of each kind wins, except survey waves of the same questions
                wave = add_wave(frames[role], part.table, part.path, notes) if role == "survey" else None
                if wave is None:
                    continue
                frames[role], inputs[role] = wave, f"{inputs[role]} + {part.path}"
            else:
                frames[role], inputs[role] = part.table, part.path
            if role == "survey":
                free_text |= {str(c.metadata["respondent_id"]) for c in part.chunks
                              if "respondent_id" in c.metadata}
    if not frames:
        raise AnalysisError(f"{research.root}: no survey, transactions or analytics table found",
                            "add a survey export (CSV/XLSX) or a transactions file")
    previous, previous_themes, previous_lineage = load_previous(Path(out_dir) / "analysis")
    result = run_analysis(
        frames.get("survey"), frames.get("transactions"), frames.get("audience"),
        k=k, seed=seed, reference_date=reference_date,
        free_text_respondents=sorted(free_text) or None,
        transactions_source=inputs.get("transactions", "transactions"),
        previous=previous, previous_lineage=previous_lineage,
    )
    from persona_agent.analysis.freshness import record_inputs, recorded_inputs

    before = recorded_inputs(Path(out_dir) / "analysis") or {}
    lineage = result.lineage.model_copy(update={"previous_digest": before.get("digest")}) if result.lineage else None
    result = result.model_copy(update={"warnings": notes + result.warnings, "lineage": lineage})
    if result.segmentation is not None and hasattr(store, "with_vectors"):
        themes = find_themes(store, result.segmentation, previous=previous_themes, lineage=result.lineage)
        lineage = with_retired_themes(result.lineage, themes.changes) if result.lineage else None
        result = result.model_copy(update={"themes": themes, "lineage": lineage})
    evidence = analysis_evidence(result)
    vectors = _search_vectors(store, evidence)  # before the lock: other processes keep reading meanwhile
    with store.writing("storing the analysis"):  # evidence and report change together
        stored = set(store.metadata_where({"source": "analysis"}))
        store.upsert(evidence, vectors)
        store.delete_ids(sorted(stored - {e.evidence_id for e in evidence}))
        files = write_report(result, out_dir)
        record_inputs(research, out_dir / "analysis")  # `persona generate FOLDER` reuses it for this folder only
    return AnalysisRun(result=result, files=[str(f) for f in files],
                       evidence_ids=[e.evidence_id for e in evidence], inputs=inputs, read_errors=errors)
