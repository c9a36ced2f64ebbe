"""The analysis as `persona analyze` left it in ``$PERSONA_HOME/analysis``, read back into the result
models for the pages that show it (`persona serve`'s dashboard). A part that was not written (no
transactions, no analytics export) is None; a file that no longer validates is reported, not raised,
so one stale part does not take the whole dashboard down."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from persona_agent.analysis.models import (
    ABCXYZResult,
    AnalysisWarning,
    CrossCheckResult,
    ParetoResult,
    QuestionStat,
    RFMResult,
    SegmentationResult,
    ThemeResult,
    ValueJoinResult,
)
from persona_agent.analysis.report import REPORT_FILES

CHARTS = tuple(name for name in REPORT_FILES if name.endswith(".png"))


@dataclass
class SavedAnalysis:
    folder: Path
    segmentation: SegmentationResult | None = None
    value: ValueJoinResult | None = None
    rfm: RFMResult | None = None
    abc_xyz: ABCXYZResult | None = None
    pareto: ParetoResult | None = None
    cross_check: CrossCheckResult | None = None
    themes: ThemeResult | None = None
    stats: list[QuestionStat] = field(default_factory=list)
    warnings: list[AnalysisWarning] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # PNG file names present, in report order
    unreadable: dict[str, str] = field(default_factory=dict)  # file → why it could not be read

    @property
    def empty(self) -> bool:
        return self.segmentation is None and self.rfm is None and self.cross_check is None and not self.charts

    def segment_value(self, segment_id: str) -> Any:
        """The `SegmentValue` of ``segment_id`` ("S2" or "segment:S2"), or None."""
        wanted = segment_id.removeprefix("segment:")
        return next((v for v in (self.value.segments if self.value else []) if v.segment_id == wanted), None)

    def segment_themes(self, segment_id: str) -> list[Any]:
        wanted = segment_id.removeprefix("segment:")
        return [t for t in (self.themes.themes if self.themes else []) if t.segment_id == wanted]


def load_saved_analysis(folder: Path) -> SavedAnalysis:
    saved = SavedAnalysis(folder=folder)

    def read(name: str, model: type[BaseModel], **extra: Any) -> Any:
        path = folder / name
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, list):
                return [model.model_validate(item) for item in data]
            return model.model_validate({**data, **extra})
        except (OSError, ValueError, ValidationError) as exc:
            saved.unreadable[name] = str(exc).splitlines()[0][:200]
            return None

    no_customers = {"customers": _empty_table()}  # the per-customer table is never written to JSON
    saved.segmentation = read("segments.json", SegmentationResult)
    saved.value = read("value.json", ValueJoinResult)
    saved.rfm = read("rfm.json", RFMResult, **no_customers)
    saved.abc_xyz = read("abc_xyz.json", ABCXYZResult, **no_customers)
    saved.pareto = read("pareto.json", ParetoResult)
    saved.cross_check = read("cross_check.json", CrossCheckResult)
    saved.themes = read("themes.json", ThemeResult)
    saved.stats = read("stats.json", QuestionStat) or []
    saved.warnings = read("warnings.json", AnalysisWarning) or []
    saved.charts = [name for name in CHARTS if (folder / name).is_file()]
    return saved


def _empty_table() -> Any:
    import pandas as pd

    return pd.DataFrame()
