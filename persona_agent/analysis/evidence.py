"""An `AnalysisResult` as citable evidence: one chunk per segment, RFM group, ABC/XYZ cell, Pareto figure
and cross-check, worded in one place so personas cite exactly what the report says.

Kept apart from the computations so the numbers can be computed and tested without matplotlib.
The wording helpers (`_pct`, `_money`, `_contrast_text`) are shared with `report`.
"""

from __future__ import annotations

from persona_agent.analysis.models import (
    RFM_GROUP_LABELS,
    ABCXYZResult,
    AnalysisResult,
    AnswerContrast,
    CrossCheckResult,
    ParetoResult,
    QuestionStat,
    RFMResult,
    Segment,
    SegmentValue,
    Theme,
    count_text,
)
from persona_agent.analysis.stats import lift, stat_text
from persona_agent.core.evidence import Evidence, MetadataValue

EVIDENCE_SOURCE = "analysis"
_XYZ_MEANING = {"X": "stable monthly purchases", "Y": "variable monthly purchases",
                "Z": "irregular monthly purchases"}
_ABC_MEANING = {"A": "top revenue", "B": "middle revenue", "C": "low revenue"}


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
    """Ids: segment:S1…, segment:S1#<question>, segment:S1#value, theme:S1.2, rfm:<group>, abc:<class>,
    abcxyz:<cell>, pareto:customers, crosscheck:<dim>."""
    evidence: list[Evidence] = []
    if result.segmentation is not None:
        values = {v.segment_id: v for v in (result.value.segments if result.value else [])}
        evidence += [_segment_evidence(s, result.segmentation.respondents, values.get(s.segment_id))
                     for s in result.segmentation.segments]
        sizes = {s.segment_id: s.size for s in result.segmentation.segments}
        evidence += [_stat_evidence(stat, sizes[stat.segment_id]) for stat in result.stats]
        if result.value is not None and result.value.joinable:
            evidence += _value_evidence(result)
        if result.themes is not None:
            evidence += [_theme_evidence(theme, sizes[theme.segment_id]) for theme in result.themes.themes]
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


def _stat_evidence(stat: QuestionStat, segment_size: int) -> Evidence:
    top = ", ".join(o.answer for o in stat.options[:3])
    return _evidence(stat.stat_id, stat_text(stat, segment_size), {
        "analysis": "segment_stat", "segment_id": stat.segment_id, "question": stat.question[:300],
        "dimension": stat.dimension or "", "answered": stat.answered, "source_kinds": "survey",
        "search_text": f"{stat.question} {top}"[:200]})


def _value_evidence(result: AnalysisResult) -> list[Evidence]:
    """What each segment is worth, against all customers joined to the survey (lift per RFM group)."""
    assert result.value is not None
    joined = [v for v in result.value.segments if v.joined]
    total_revenue = sum(v.revenue for v in joined) or 1.0
    total_joined = sum(v.joined for v in joined) or 1
    overall_rfm: dict[str, float] = {}
    for value in joined:
        for group, share in value.rfm_groups.items():
            overall_rfm[group] = overall_rfm.get(group, 0.0) + share * value.joined / total_joined
    overall_mean = total_revenue / total_joined
    evidence = []
    for value in joined:
        groups = "; ".join(
            f"{RFM_GROUP_LABELS.get(g, g)} {_pct(s, 0)} vs {_pct(overall_rfm.get(g, 0.0), 0)} of all joined customers"
            + (f" (lift {ratio:.1f})" if (ratio := lift(s, overall_rfm.get(g, 0.0))) is not None else "")
            for g, s in list(value.rfm_groups.items())[:4])
        classes = ", ".join(f"{c} {_pct(s, 0)}" for c, s in value.abc_classes.items())
        text = (f"Segment {value.segment_id} value: {value.joined} of {value.respondents} respondents joined to "
                f"transactions; they bring {_pct(value.revenue / total_revenue, 0)} of the joined customers' revenue; "
                f"mean revenue per customer {_money(value.mean_revenue)} vs {_money(overall_mean)} for all joined "
                f"customers. RFM groups: {groups}." + (f" ABC classes: {classes}." if classes else ""))
        evidence.append(Evidence(evidence_id=f"segment:{value.segment_id}#value", text=text, kind="segment",
                                 source=EVIDENCE_SOURCE, metadata={
                                     "analysis": "segment_value", "segment_id": value.segment_id,
                                     "joined": value.joined, "revenue_share": round(value.revenue / total_revenue, 6),
                                     "source_kinds": "transactions"}))
    return evidence


def _theme_evidence(theme: Theme, segment_size: int) -> Evidence:
    people = f"{theme.respondents} of {segment_size} respondents in {theme.segment_id}"
    if theme.respondents:
        people += (f" ({_pct(theme.share, 0)} ±{theme.margin * 100:.0f}) vs {_pct(theme.overall_share, 0)} "
                   "of all respondents")
        if theme.lift is not None:
            people += f" (lift {theme.lift:.1f})"
    if theme.customers:
        people += f", and {count_text(theme.customers, 'interviewed customer')}"
    languages = ", ".join(f"{lang} {n}" for lang, n in theme.languages.items())
    quotes = "; ".join(f"“{q.text}” ({q.evidence_id})" for q in theme.quotes)
    text = (f"Theme {theme.theme_id.removeprefix('theme:')}: {people}. Languages: {languages}. "
            f"Typical: “{theme.label}”." + (f" In their words: {quotes}." if quotes else ""))
    return _evidence(theme.theme_id, text, {
        "analysis": "theme", "segment_id": theme.segment_id, "respondents": theme.respondents,
        "customers": theme.customers, "share": round(theme.share, 6),
        "lift": round(theme.lift, 3) if theme.lift is not None else -1.0,
        "languages": ",".join(theme.languages), "source_kinds": ",".join(theme.source_kinds),
        "member_ids": ",".join(theme.member_ids), "quote_ids": ",".join(q.evidence_id for q in theme.quotes),
        "search_text": theme.label[:200]})
