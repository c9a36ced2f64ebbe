"""Rich tables for the terminal: how the CLI shows an analysis. Builds tables, prints nothing."""

from __future__ import annotations

from typing import Any

from persona_agent.analysis.models import AnalysisResult


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def analysis_tables(result: AnalysisResult) -> list[Any]:
    from rich.table import Table

    tables: list[Any] = []
    if result.segmentation:
        seg = result.segmentation
        table = Table("segment", "size", "share", "what sets it apart (in segment vs overall)",
                      title=f"Survey segments: k={seg.k} of {seg.respondents} respondents ({seg.criterion})")
        for segment in seg.segments:
            lines = []
            for contrast in segment.distinguishing[:3]:
                if contrast.kind == "share":
                    lines.append(f"{contrast.question[:50]} = {contrast.answer}: "
                                 f"{_pct(contrast.segment_value)} vs {_pct(contrast.overall_value)}")
                else:
                    lines.append(f"{contrast.question[:50]}: mean {contrast.segment_value:.1f} "
                                 f"vs {contrast.overall_value:.1f}")
            table.add_row(f"segment:{segment.segment_id}", str(segment.size), _pct(segment.share),
                          "\n".join(lines))
        tables.append(table)
    if result.lineage and result.lineage.numbering != "first":
        tables.append(lineage_table(result))
    if result.value and result.value.joinable:
        table = Table("segment", "joined", "revenue", "mean revenue", "top RFM group",
                      title=f"Value per segment ({result.value.matched} respondents joined to customers)")
        for value in result.value.segments:
            top = max(value.rfm_groups.items(), key=lambda kv: kv[1], default=("-", 0.0))
            table.add_row(value.segment_id, f"{value.joined}/{value.respondents}", f"{value.revenue:,.0f}",
                          f"{value.mean_revenue:,.0f}", f"{top[0]} ({_pct(top[1])})")
        tables.append(table)
    if result.rfm:
        rfm = result.rfm
        table = Table("group", "customers", "revenue share", "avg order value", "mean recency (days)",
                      title=f"RFM: {rfm.customers_total} customers, reference date {rfm.reference_date}")
        for group in sorted(rfm.groups, key=lambda g: -g.revenue_share):
            table.add_row(f"rfm:{group.name}", str(group.customers), _pct(group.revenue_share),
                          f"{group.average_order_value:,.2f}", f"{group.mean_recency_days:.0f}")
        tables.append(table)
    if result.abc_xyz:
        abc = result.abc_xyz
        if abc.xyz_applied:
            cells = {c.cell: c for c in abc.cells}
            table = Table("", "X (stable)", "Y (variable)", "Z (irregular)",
                          title="ABC/XYZ: customers (revenue share)")
            for klass in "ABC":
                row = []
                for xyz in "XYZ":
                    cell = cells.get(klass + xyz)
                    row.append(f"{cell.customers} ({_pct(cell.revenue_share)})" if cell else "0")
                table.add_row(klass, *row)
        else:
            table = Table("class", "customers", "revenue share", title=f"ABC by {abc.basis} ({abc.note})")
            for cell in abc.classes:
                table.add_row(cell.cell, str(cell.customers), _pct(cell.revenue_share))
        tables.append(table)
    if result.pareto:
        p = result.pareto
        table = Table("top customers", "customers", "share of revenue", title="Pareto check")
        table.add_row("20 %", str(p.top_20_customers), _pct(p.top_20_revenue_share))
        table.add_row("4 %", str(p.top_4_customers), _pct(p.top_4_revenue_share))
        tables.append(table)
    if result.cross_check:
        table = Table("dimension", "category", "survey", "analytics",
                      title="Survey vs analytics: disagreements")
        for dimension in result.cross_check.dimensions:
            for item in dimension.disagreements:
                table.add_row(dimension.dimension, item.category, _pct(item.survey_share),
                              _pct(item.audience_share))
        if table.row_count:
            tables.append(table)
    return tables


def lineage_table(result: AnalysisResult) -> Any:
    """Segments since the previous analysis: kept ids, splits, merges, new and vanished, share drift."""
    from rich.table import Table

    lineage = result.lineage
    assert lineage is not None
    if lineage.numbering == "fresh":
        table = Table("note", title="Changes since the previous analysis")
        table.add_row("no segment matches the previous analysis: numbered afresh")
        return table
    table = Table("segment", "status", "was", "share before → after", "drift", "overlap", "similarity",
                  title=f"Changes since the previous analysis ({lineage.returning} of {lineage.respondents} "
                        "respondents were in it)")
    for change in lineage.segments:
        before = _pct(change.share_before) if change.share_before is not None else "–"
        after = _pct(change.share_after) if change.share_after is not None else "–"
        drift = "–"
        if change.margin is not None and change.share_before is not None and change.share_after is not None:
            drift = (f"{(change.share_after - change.share_before) * 100:+.1f} pt "
                     f"({'beyond' if change.significant else 'within'} ±{change.margin * 100:.1f})")
        table.add_row(change.segment_id or "–", change.status, ", ".join(change.previous_ids) or "–",
                      f"{before} → {after}", drift,
                      f"{change.overlap:.2f}" if change.overlap is not None else "–",
                      f"{change.similarity:.2f}" if change.similarity is not None else "–")
    themes = [t for t in lineage.themes if t.status != "kept"]
    if themes:
        table.caption = "themes: " + ", ".join(f"{t.theme_id or t.previous_id} {t.status}" for t in themes)
    return table
