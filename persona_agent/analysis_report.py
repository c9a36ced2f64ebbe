"""Render an `AnalysisResult`: citable evidence, JSON files, analysis.md and PNG charts.

Kept apart from the computations so the numbers can be computed and tested without matplotlib,
and so the wording personas cite lives in one place. Files are written atomically (temp file, then
``os.replace``) so a crash never leaves half a report that looks complete.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from persona_agent.analysis_models import (
    RFM_GROUP_LABELS,
    ABCXYZCell,
    ABCXYZResult,
    AnalysisResult,
    AnswerContrast,
    CrossCheckResult,
    ParetoResult,
    RFMGroup,
    RFMResult,
    Segment,
    SegmentValue,
    count_text,
)
from persona_agent.schema import Evidence, MetadataValue

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EVIDENCE_SOURCE = "analysis"
_XYZ_MEANING = {"X": "stable monthly purchases", "Y": "variable monthly purchases",
                "Z": "irregular monthly purchases"}
_ABC_MEANING = {"A": "top revenue", "B": "middle revenue", "C": "low revenue"}
# Every file this module may write; files from an earlier run that this run did not write go.
REPORT_FILES = (
    "segments.json", "transactions.json", "rfm.json", "abc_xyz.json", "pareto.json",
    "cross_check.json", "value.json", "warnings.json", "analysis.md", "segment_sizes.png",
    "rfm_revenue.png", "abc_xyz_heatmap.png",
)


def _pct(share: float, digits: int = 1) -> str:
    return f"{share * 100:.{digits}f} %"


def _money(amount: float) -> str:
    return f"{amount:,.2f}"


def _quoted(text: str, limit: int = 80) -> str:
    return f"‘{text if len(text) <= limit else text[: limit - 1] + '…'}’"


def _contrast_text(contrast: AnswerContrast, digits: int = 0) -> str:
    if contrast.kind == "mean":
        return (f"{_quoted(contrast.question)} mean {contrast.segment_value:.2f} vs "
                f"{contrast.overall_value:.2f} overall")
    return (f"{_quoted(contrast.question)} = {_quoted(contrast.answer or '')} "
            f"{_pct(contrast.segment_value, digits)} vs {_pct(contrast.overall_value, digits)} overall")


# ---------------------------------------------------------------------------------------------
# Evidence


def build_evidence(result: AnalysisResult) -> list[Evidence]:
    """Ids: segment:S1…, rfm:<group>, abc:<class>, abcxyz:<cell>, pareto:customers, crosscheck:<dim>."""
    evidence: list[Evidence] = []
    if result.segmentation is not None:
        values = {v.segment_id: v for v in (result.value.segments if result.value else [])}
        evidence += [_segment_evidence(s, result.segmentation.respondents, values.get(s.segment_id))
                     for s in result.segmentation.segments]
    if result.rfm is not None:
        evidence += _rfm_evidence(result.rfm)
    if result.abc_xyz is not None:
        evidence += _abc_evidence(result.abc_xyz)
    if result.pareto is not None:
        evidence.append(_pareto_evidence(result.pareto))
    if result.cross_check is not None:
        evidence += _cross_check_evidence(result.cross_check)
    return evidence


def _evidence(evidence_id: str, text: str, metadata: dict[str, MetadataValue]) -> Evidence:
    return Evidence(evidence_id=evidence_id, text=text, kind="segment", source=EVIDENCE_SOURCE,
                    metadata=metadata)


def _segment_evidence(segment: Segment, respondents: int, value: SegmentValue | None) -> Evidence:
    parts = [f"Segment {segment.segment_id}: {segment.size} respondents "
             f"({_pct(segment.share)}) of {respondents}."]
    if segment.distinguishing:
        parts.append("Distinguishing answers: "
                     + "; ".join(_contrast_text(c) for c in segment.distinguishing) + ".")
    demographics = [
        f"{d.dimension}: " + ", ".join(
            f"{a.segment_value:.1f} (vs {a.overall_value:.1f})" if a.kind == "mean"
            else f"{a.answer} {_pct(a.segment_value, 0)} (vs {_pct(a.overall_value, 0)})"
            for a in d.answers[:2])
        for d in segment.demographics if d.answers
    ]
    if demographics:
        parts.append("Demographics: " + "; ".join(demographics) + ".")
    metadata: dict[str, MetadataValue] = {
        "analysis": "survey_segment", "segment_id": segment.segment_id, "size": segment.size,
        "share": round(segment.share, 6), "respondent_ids": ",".join(segment.respondent_ids),
        "free_text_respondent_ids": ",".join(segment.free_text_respondent_ids),
    }
    if value is not None and value.joined:
        groups = ", ".join(f"{RFM_GROUP_LABELS.get(g, g).lower()} {_pct(s, 0)}"
                           for g, s in list(value.rfm_groups.items())[:3])
        classes = ", ".join(f"{c} {_pct(s, 0)}" for c, s in value.abc_classes.items())
        parts.append(f"Customer value ({value.joined} of {value.respondents} joined to "
                     f"transactions): mean revenue {_money(value.mean_revenue)}"
                     + (f"; RFM {groups}" if groups else "")
                     + (f"; ABC {classes}" if classes else "") + ".")
        metadata.update({"joined_customers": value.joined, "mean_revenue": round(value.mean_revenue, 2)})
    return _evidence(f"segment:{segment.segment_id}", " ".join(parts), metadata)


def _rfm_evidence(result: RFMResult) -> list[Evidence]:
    return [
        _evidence(
            f"rfm:{group.name}",
            f"RFM group {group.label}: {count_text(group.customers, 'customer')} "
            f"({_pct(group.customer_share)}) bring {_pct(group.revenue_share)} of revenue; "
            f"average order value {_money(group.average_order_value)}, last purchase "
            f"{group.mean_recency_days:.0f} days ago on average, {group.mean_frequency:.1f} "
            f"purchases and {_money(group.mean_monetary)} spent per customer "
            f"(reference date {result.reference_date.isoformat()}).",
            {"analysis": "rfm", "group": group.name, "customers": group.customers,
             "customer_share": round(group.customer_share, 6),
             "revenue_share": round(group.revenue_share, 6),
             "average_order_value": round(group.average_order_value, 2)},
        )
        for group in result.groups
    ]


def _abc_evidence(result: ABCXYZResult) -> list[Evidence]:
    basis = "average order value" if result.basis == "average_order_value" else "net revenue"
    rule = (f"A = top customers up to {_pct(result.a_threshold, 0)} of {basis}, "
            f"B up to {_pct(result.b_threshold, 0)}, C the rest")
    evidence = [
        _evidence(
            f"abc:{cell.cell}",
            f"ABC class {cell.cell} ({_ABC_MEANING[cell.cell]}): "
            f"{count_text(cell.customers, 'customer')} ({_pct(cell.customer_share)}) bring "
            f"{_pct(cell.revenue_share)} of revenue ({rule}).",
            {"analysis": "abc", "cell": cell.cell, "customers": cell.customers,
             "customer_share": round(cell.customer_share, 6),
             "revenue_share": round(cell.revenue_share, 6)},
        )
        for cell in result.classes if cell.customers
    ]
    evidence += [
        _evidence(
            f"abcxyz:{cell.cell}",
            f"ABC/XYZ cell {cell.cell} ({_ABC_MEANING[cell.cell[0]]}, {_XYZ_MEANING[cell.cell[1]]}): "
            f"{count_text(cell.customers, 'customer')} ({_pct(cell.customer_share)}) bring "
            f"{_pct(cell.revenue_share)} of revenue (XYZ by the coefficient of variation of monthly "
            f"revenue over {result.months} months: X ≤ {result.x_max_cv:g}, Y ≤ {result.y_max_cv:g}, "
            f"Z above).",
            {"analysis": "abcxyz", "cell": cell.cell, "customers": cell.customers,
             "customer_share": round(cell.customer_share, 6),
             "revenue_share": round(cell.revenue_share, 6)},
        )
        for cell in result.cells if cell.customers
    ]
    return evidence


def _pareto_evidence(result: ParetoResult) -> Evidence:
    return _evidence(
        "pareto:customers",
        f"Pareto check over {result.customers:,} customers: the top 20 % "
        f"({result.top_20_customers:,} customers) bring {_pct(result.top_20_revenue_share)} of "
        f"revenue and the top 4 % ({result.top_4_customers:,}) bring "
        f"{_pct(result.top_4_revenue_share)}; 80 % of revenue comes from "
        f"{_pct(result.customer_share_for_80_revenue)} of customers.",
        {"analysis": "pareto", "customers": result.customers,
         "top_20_revenue_share": round(result.top_20_revenue_share, 6),
         "top_4_revenue_share": round(result.top_4_revenue_share, 6)},
    )


def _cross_check_evidence(result: CrossCheckResult) -> list[Evidence]:
    evidence = []
    for check in result.dimensions:
        head = (f"Cross-check {check.dimension}: survey question {_quoted(check.survey_question)} "
                f"({check.survey_answers:,} answers) vs analytics column "
                f"{_quoted(check.audience_column)} ({check.audience_total:,.0f} users).")
        if check.disagreements:
            body = (f" Disagreements of {_pct(result.threshold, 0)} points or more: "
                    + "; ".join(f"{c.category} {_pct(c.survey_share, 0)} in the survey vs "
                                f"{_pct(c.audience_share, 0)} in analytics"
                                for c in check.disagreements) + ".")
        else:
            body = f" The shares agree within {_pct(result.threshold, 0)} points for every category."
        evidence.append(_evidence(
            f"crosscheck:{check.dimension}",
            head + body + f" Total variation distance {check.total_variation:.2f}.",
            {"analysis": "crosscheck", "dimension": check.dimension,
             "disagreements": len(check.disagreements),
             "total_variation": round(check.total_variation, 6)},
        ))
    return evidence


# ---------------------------------------------------------------------------------------------
# Files


def write_analysis_files(result: AnalysisResult, out_dir: Path) -> list[Path]:
    """JSON per part, analysis.md and charts in ``out_dir/analysis``; returns the paths written."""
    folder = Path(out_dir) / "analysis"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, payload: bytes) -> None:
        written.append(_write_atomic(folder / name, payload))

    parts = {"segments": result.segmentation, "transactions": result.transactions,
             "rfm": result.rfm, "abc_xyz": result.abc_xyz, "pareto": result.pareto,
             "cross_check": result.cross_check, "value": result.value}
    for name, part in parts.items():
        if part is not None:
            write(f"{name}.json", part.model_dump_json(indent=2).encode())
    warnings = [w.model_dump() for w in result.warnings]
    write("warnings.json", json.dumps(warnings, indent=2, ensure_ascii=False).encode())
    charts = _charts(result)
    for name, draw in charts.items():
        write(name, draw())
    write("analysis.md", _markdown(result, list(charts)).encode())
    for name in REPORT_FILES:
        stale = folder / name
        if stale not in written and stale.exists():
            stale.unlink()
    return written


def _write_atomic(path: Path, payload: bytes) -> Path:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o644)  # mkstemp makes files private; a report is for reading
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _charts(result: AnalysisResult) -> dict[str, Callable[[], bytes]]:
    charts: dict[str, Callable[[], bytes]] = {}
    segmentation, rfm_result, abc_result = result.segmentation, result.rfm, result.abc_xyz
    if segmentation is not None and segmentation.segments:
        charts["segment_sizes.png"] = lambda: _segment_chart(segmentation.segments)
    if rfm_result is not None and rfm_result.groups:
        charts["rfm_revenue.png"] = lambda: _rfm_chart(rfm_result.groups)
    if abc_result is not None and abc_result.cells:
        charts["abc_xyz_heatmap.png"] = lambda: _abc_xyz_chart(abc_result.cells)
    return charts


def _figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas directly: no pyplot, so no global backend state is touched."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _segment_chart(segments: list[Segment]) -> bytes:
    figure = _figure(6, 3.5)
    axes = figure.add_subplot()
    bars = axes.bar([s.segment_id for s in segments], [s.size for s in segments], color="#4C72B0")
    axes.bar_label(bars, labels=[f"{s.size} ({_pct(s.share, 0)})" for s in segments])
    axes.set_ylabel("respondents")
    axes.margins(y=0.15)  # room for the labels above the bars
    axes.set_title("Survey segments by size")
    return _png(figure)


def _rfm_chart(rfm_groups: list[RFMGroup]) -> bytes:
    groups = sorted(rfm_groups, key=lambda g: g.revenue_share)
    figure = _figure(7, 4)
    axes = figure.add_subplot()
    positions = range(len(groups))
    axes.barh([p + 0.2 for p in positions], [g.revenue_share * 100 for g in groups], height=0.4,
              label="share of revenue", color="#DD8452")
    axes.barh([p - 0.2 for p in positions], [g.customer_share * 100 for g in groups], height=0.4,
              label="share of customers", color="#4C72B0")
    axes.set_yticks(list(positions), [g.label for g in groups])
    axes.set_xlabel("%")
    axes.legend(loc="lower right")
    axes.set_title("RFM groups: revenue vs customers")
    return _png(figure)


def _abc_xyz_chart(matrix: list[ABCXYZCell]) -> bytes:
    cells = {c.cell: c for c in matrix}
    grid = [[cells[a + x].revenue_share * 100 for x in "XYZ"] for a in "ABC"]
    figure = _figure(5, 4)
    axes = figure.add_subplot()
    image = axes.imshow(grid, cmap="Oranges", vmin=0)
    darkest = max(max(row) for row in grid) or 1.0
    for row, a in enumerate("ABC"):
        for column, x in enumerate("XYZ"):
            cell = cells[a + x]
            colour = "white" if grid[row][column] > darkest / 2 else "black"
            axes.text(column, row, f"{a}{x}\n{_pct(cell.revenue_share)}\n{cell.customers:,} cust.",
                      ha="center", va="center", fontsize=8, color=colour)
    axes.set_xticks(range(3), list("XYZ"))
    axes.set_yticks(range(3), list("ABC"))
    figure.colorbar(image, ax=axes, label="% of revenue")
    axes.set_title("ABC/XYZ: share of revenue")
    return _png(figure)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows] + [""]


def _markdown(result: AnalysisResult, charts: list[str]) -> str:
    lines = ["# Quantitative analysis", ""]
    if result.warnings:
        lines += ["## Warnings", ""] + [f"- {w.stage}: {_cell(w.message)}" for w in result.warnings]
        lines.append("")
    if result.segmentation is not None:
        seg = result.segmentation
        lines += ["## Survey segments", "",
                  f"{seg.respondents} respondents, k = {seg.k} ({seg.criterion}; seed {seg.seed}).", ""]
        if seg.k_scores:
            lines += _table(["k", "silhouette"], [[k, f"{s:.3f}"] for k, s in seg.k_scores.items()])
        if "segment_sizes.png" in charts:
            lines += ["![Segment sizes](segment_sizes.png)", ""]
        lines += _table(["Segment", "Size", "Share", "Distinguishing answers"], [
            [s.segment_id, s.size, _pct(s.share), "; ".join(_contrast_text(c) for c in s.distinguishing)]
            for s in seg.segments])
        if seg.excluded_questions:
            lines += ["Not used for segmentation:", ""] + [
                f"- {_cell(q)}: {why}" for q, why in seg.excluded_questions.items()] + [""]
    if result.value is not None:
        lines += ["## Customer value per segment", "", result.value.message + ".", ""]
    if result.value is not None and result.value.joinable:
        lines += _table(["Segment", "Joined", "Mean revenue", "RFM groups", "ABC"], [
            [v.segment_id, f"{v.joined} of {v.respondents}", _money(v.mean_revenue),
             ", ".join(f"{RFM_GROUP_LABELS.get(g, g)} {_pct(s, 0)}"
                       for g, s in list(v.rfm_groups.items())[:3]),
             ", ".join(f"{c} {_pct(s, 0)}" for c, s in v.abc_classes.items())]
            for v in result.value.segments])
    if result.transactions is not None:
        report = result.transactions
        lines += ["## Transactions", "",
                  f"{report.rows_kept:,} of {report.rows_read:,} rows used from {report.source}, "
                  f"{report.customers:,} customers, {report.first_date} to {report.last_date}.", ""]
        if report.dropped:
            lines += [f"- dropped {d.rows:,}: {d.reason}" for d in report.dropped] + [""]
    if result.rfm is not None:
        lines += ["## RFM", "", f"Reference date {result.rfm.reference_date}.", ""]
        if "rfm_revenue.png" in charts:
            lines += ["![RFM groups by revenue](rfm_revenue.png)", ""]
        lines += _table(["Group", "Customers", "Share", "Revenue share", "AOV", "Recency (days)"], [
            [g.label, f"{g.customers:,}", _pct(g.customer_share), _pct(g.revenue_share),
             _money(g.average_order_value), f"{g.mean_recency_days:.0f}"] for g in result.rfm.groups])
    if result.abc_xyz is not None:
        abc = result.abc_xyz
        lines += ["## ABC/XYZ", ""] + ([abc.note, ""] if abc.note else [])
        lines += _table(["Class", "Customers", "Share", "Revenue share"], [
            [c.cell, f"{c.customers:,}", _pct(c.customer_share), _pct(c.revenue_share)]
            for c in abc.classes])
        if abc.cells:
            cells = {c.cell: c for c in abc.cells}
            lines += _table(["", "X", "Y", "Z"], [
                [a] + [f"{cells[a + x].customers:,} / {_pct(cells[a + x].revenue_share)}" for x in "XYZ"]
                for a in "ABC"])
        if "abc_xyz_heatmap.png" in charts:
            lines += ["![ABC/XYZ heat map](abc_xyz_heatmap.png)", ""]
    if result.pareto is not None:
        lines += ["## Pareto", "", _pareto_evidence(result.pareto).text, ""]
    if result.cross_check is not None:
        lines += ["## Analytics cross-check", ""]
        lines += [f"- {e.text}" for e in _cross_check_evidence(result.cross_check)]
        lines += [f"- {d}: not compared, {why}" for d, why in result.cross_check.not_compared.items()]
        lines.append("")
    return "\n".join(lines)
