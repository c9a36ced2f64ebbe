"""Render an `AnalysisResult` as files: JSON per part, analysis.md and PNG charts.

Files are written atomically (temp file, then ``os.replace``) so a crash never leaves half a report
that looks complete.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from persona_agent.analysis.models import (
    RFM_GROUP_LABELS,
    ABCXYZCell,
    AnalysisResult,
    Lineage,
    RFMGroup,
    Segment,
    SegmentChange,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from persona_agent.analysis.evidence import _contrast_text, _cross_check_evidence, _money, _pareto_evidence, _pct

# Every file this module may write; files from an earlier run that this run did not write go.
REPORT_FILES = (
    "segments.json", "transactions.json", "rfm.json", "abc_xyz.json", "pareto.json",
    "cross_check.json", "value.json", "themes.json", "stats.json", "lineage.json", "warnings.json", "analysis.md",
    "segment_sizes.png", "rfm_revenue.png", "abc_xyz_heatmap.png",
)


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
             "cross_check": result.cross_check, "value": result.value, "themes": result.themes,
             "lineage": result.lineage}
    if result.stats:
        write("stats.json", json.dumps([s.model_dump() for s in result.stats], indent=2, ensure_ascii=False).encode())
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
    if result.lineage is not None and result.lineage.numbering != "first":
        lines += lineage_markdown(result.lineage)
    if result.themes is not None:
        lines += _themes_markdown(result)
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


def _themes_markdown(result: AnalysisResult) -> list[str]:
    themes = result.themes
    assert themes is not None
    lines = ["## Themes in the free text", "",
             f"{themes.items} answers and interview turns clustered ({themes.method}); {themes.clusters} clusters; "
             f"{themes.skipped_trivial} answers too short to carry a theme.", ""]
    lines += _table(["Theme", "Respondents", "Share", "Lift", "Languages", "Typical"], [
        [t.theme_id, t.respondents + t.customers, f"{_pct(t.share, 0)} ±{t.margin * 100:.0f}",
         f"{t.lift:.1f}" if t.lift is not None else "–", ", ".join(f"{k} {v}" for k, v in t.languages.items()),
         t.label[:90]] for t in themes.themes])
    if themes.interviews:
        lines += ["Interviews and the segment they speak for:", ""]
        lines += _table(["Interview", "Customer", "Segment", "Linked by"], [
            [link.source, link.customer_label or "", link.segment_id or "–",
             link.method + (f" ({link.score:.2f})" if link.score is not None else "")]
            for link in themes.interviews])
    return lines


def lineage_markdown(lineage: Lineage) -> list[str]:
    """What became of the previous analysis's segments and themes (`analysis.lineage`)."""
    lines = ["## Changes since the previous analysis", ""]
    if lineage.numbering == "fresh":
        return lines + [f"No segment matches one of the previous analysis ({lineage.returning} respondents in both): "
                        "segments are numbered afresh.", ""]
    lines += [f"{lineage.respondents} respondents now, {lineage.previous_respondents} before, {lineage.returning} "
              f"in both. {lineage.method}.", ""]
    lines += _table(["Segment", "Status", "Before", "Share before → after", "Drift", "Overlap", "Similarity"], [
        [c.segment_id or "–", c.status, ", ".join(c.previous_ids) or "–",
         f"{_share(c.share_before)} → {_share(c.share_after)}", _drift(c),
         f"{c.overlap:.2f}" if c.overlap is not None else "–",
         f"{c.similarity:.2f}" if c.similarity is not None else "–"] for c in lineage.segments])
    changed = [t for t in lineage.themes if t.status != "kept"]
    if changed:
        lines += ["Themes new or vanished:", ""]
        lines += _table(["Theme", "Status", "Share before → after", "Typical"], [
            [t.theme_id or t.previous_id or "–", t.status, f"{_share(t.share_before)} → {_share(t.share_after)}",
             t.label[:90]] for t in changed])
    return lines


def _share(share: float | None) -> str:
    return "–" if share is None else _pct(share, 0)


def _drift(change: SegmentChange) -> str:
    if change.share_before is None or change.share_after is None or change.margin is None:
        return "–"
    points = (change.share_after - change.share_before) * 100
    verdict = "beyond" if change.significant else "within"
    return f"{points:+.1f} pt ({verdict} ±{change.margin * 100:.1f})"
