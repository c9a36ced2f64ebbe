"""Stable ids across analyses (`analysis.lineage`), on small synthetic segmentations: recognised by the
respondents they share, or by their answers when the respondents are new; splits, merges, new and
vanished segments; ids never reused; themes matched within their segment."""

from __future__ import annotations

import numpy as np
import pytest

from persona_agent.analysis.lineage import match_segments, match_themes, share_margin, with_retired_themes
from persona_agent.analysis.models import Lineage, Segment, SegmentationResult, Theme, ThemeResult

PROFILES = {  # closed-answer centroids (scaled gaps from everyone) of four kinds of customer
    "bargain": {"driver=price": 1.2, "barrier=shipping": 1.0, "income=low": 0.8},
    "enthusiast": {"driver=quality": 1.3, "barrier=stock": 0.9, "income=high": 0.7},
    "gift": {"driver=packaging": 1.4, "barrier=delivery time": 0.8, "age=55-64": 0.9},
    "office": {"driver=invoicing": 1.5, "barrier=invoice": 1.1, "occupation=office": 1.0},
}


def segment(segment_id: str, people: range | list, kind: str, total: int) -> Segment:
    members = [p if isinstance(p, str) else f"R{p:03d}" for p in people]
    return Segment(segment_id=segment_id, size=len(members), share=len(members) / total, distinguishing=[],
                   demographics=[], respondent_ids=members, free_text_respondent_ids=[], centroid=PROFILES[kind])


def segmentation(*segments: Segment) -> SegmentationResult:
    total = sum(s.size for s in segments)
    return SegmentationResult(respondents=total, k=len(segments), k_requested=None, criterion="test", k_scores={},
                              seed=0, questions_used=[], demographic_questions={}, excluded_questions={},
                              segments=list(segments), warnings=["segment S1 has only 3 respondents"])


@pytest.fixture
def previous() -> SegmentationResult:
    return segmentation(segment("S1", range(1, 41), "bargain", 100), segment("S2", range(41, 71), "enthusiast", 100),
                        segment("S3", range(71, 101), "office", 100))


def ids(result: SegmentationResult) -> dict[str, str]:
    return {s.respondent_ids[0]: s.segment_id for s in result.segments}


def test_a_first_analysis_keeps_its_numbering(previous):
    same, lineage = match_segments(previous, None)
    assert same is previous and lineage.numbering == "first" and lineage.segments == []


def test_an_unchanged_rerun_keeps_every_id(previous):
    again, lineage = match_segments(previous, previous)
    assert [s.segment_id for s in again.segments] == ["S1", "S2", "S3"]
    assert all(c.status == "kept" and c.overlap == 1.0 and not c.significant for c in lineage.segments)


def test_ids_follow_the_respondents_when_sizes_reorder(previous):
    # k-means numbers by size: the office segment grew and came first, so it was called S1 this time
    grown = segmentation(segment("S1", list(previous.segments[2].respondent_ids) + [f"N{n}" for n in range(60)],
                                 "office", 160),
                         segment("S2", range(1, 41), "bargain", 160), segment("S3", range(41, 71), "enthusiast", 160))
    result, lineage = match_segments(grown, previous)
    assert ids(result) == {"R071": "S3", "R001": "S1", "R041": "S2"}
    office = next(c for c in lineage.segments if c.segment_id == "S3")
    assert office.share_before == pytest.approx(0.3) and office.share_after == pytest.approx(90 / 160)
    assert office.significant and office.margin == pytest.approx(share_margin(0.3, 100, 90 / 160, 160), abs=1e-4)
    assert lineage.returning == 100 and result.warnings == ["segment S3 has only 3 respondents"]  # renamed too


def test_new_respondents_are_recognised_by_their_answers(previous):
    wave = segmentation(segment("S1", [f"N{n}" for n in range(50)], "enthusiast", 90),
                        segment("S2", [f"M{n}" for n in range(40)], "bargain", 90))
    result, lineage = match_segments(wave, previous)
    assert [s.segment_id for s in result.segments] == ["S2", "S1"]
    assert lineage.returning == 0 and all(c.similarity == pytest.approx(1.0) for c in lineage.segments
                                          if c.status == "kept")
    assert {c.previous_ids[0]: c.status for c in lineage.segments if c.status != "kept"} == {"S3": "vanished"}


def test_a_split_a_merge_and_a_new_segment(previous):
    changed = segmentation(
        segment("S1", range(1, 26), "bargain", 130),  # most of S1
        segment("S2", range(26, 41), "bargain", 130),  # the rest of S1: split off
        segment("S3", range(41, 101), "enthusiast", 130),  # S2 and S3 together: merged
        segment("S4", [f"N{n}" for n in range(30)], "gift", 130))  # nothing like it before
    result, lineage = match_segments(changed, previous)
    by_status = {c.status: c for c in lineage.segments}
    assert ids(result)["R001"] == "S1" and ids(result)["R041"] == "S2"
    assert by_status["merged"].previous_ids == ["S3"] and by_status["merged"].segment_id == "S2"
    # numbers go on after the highest used, the larger segment first
    assert by_status["new"].segment_id == "S4"
    assert by_status["split"].previous_ids == ["S1"] and by_status["split"].segment_id == "S5"
    assert lineage.retired_ids == ["S3"]


def test_retired_ids_are_never_given_out_again(previous):
    lineage = Lineage(numbering="matched", retired_ids=["S7"])
    changed = segmentation(*previous.segments, segment("S4", [f"N{n}" for n in range(20)], "gift", 120))
    result, found = match_segments(changed, previous, lineage)
    assert result.segments[-1].segment_id == "S8" and "S7" in found.retired_ids


def test_an_unrelated_survey_is_numbered_afresh(previous):
    other = segmentation(segment("S1", [f"X{n}" for n in range(30)], "gift", 30))
    other.segments[0].centroid.clear()
    other = other.model_copy(update={"segments": [other.segments[0].model_copy(update={"centroid": {"q=a": 1.0}})]})
    result, lineage = match_segments(other, previous)
    assert lineage.numbering == "fresh" and result.segments[0].segment_id == "S1"


def theme(theme_id: str, members: list[str], share: float = 0.2) -> Theme:
    return Theme(theme_id=theme_id, segment_id=theme_id.split(":")[1].split(".")[0], cluster=0, label=theme_id,
                 respondents=len(members), customers=0, share=share, overall_share=share, lift=1.0, margin=0.1,
                 languages={"en": len(members)}, source_kinds=["survey"], quotes=[], member_ids=members)


def test_themes_keep_their_ids_within_a_kept_segment():
    rng = np.random.default_rng(0)
    vectors = {f"e{n}": rng.normal(size=8) for n in range(40)}
    before = ThemeResult(method="", themes=[theme("theme:S1.1", [f"e{n}" for n in range(10)]),
                                            theme("theme:S1.2", [f"e{n}" for n in range(10, 20)]),
                                            theme("theme:S2.1", [f"e{n}" for n in range(20, 30)])],
                         interviews=[], items=30, clusters=3, skipped_trivial=0)
    # this run numbered the themes by size: S1's second theme grew and came first
    now = [theme("theme:S1.1", [f"e{n}" for n in range(10, 20)] + ["e30", "e31"]),
           theme("theme:S1.2", [f"e{n}" for n in range(33, 40)])]
    lineage = Lineage(numbering="matched", retired_ids=["theme:S1.3"], segments=[])
    lineage = lineage.model_copy(update={"segments": [
        *match_segments(segmentation(segment("S1", range(1, 11), "bargain", 10)),
                        segmentation(segment("S1", range(1, 11), "bargain", 10)))[1].segments]})
    themes, changes = match_themes(now, before, lineage, vectors)
    assert [t.theme_id for t in themes] == ["theme:S1.2", "theme:S1.4"]  # kept, and a new number after the retired
    assert {(c.previous_id, c.status) for c in changes} == {
        ("theme:S1.2", "kept"), (None, "new"), ("theme:S1.1", "vanished"), ("theme:S2.1", "vanished")}
    retired = with_retired_themes(lineage, changes).retired_ids
    assert {"theme:S1.1", "theme:S2.1", "theme:S1.3"} <= set(retired) and "theme:S1.2" not in retired
