"""Survey segmentation, analytics cross-check, value per segment, evidence and report files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from persona_agent.analysis.analyze import (
    AnalysisResult,
    SegmentationResult,
    abc_xyz,
    analysis_evidence,
    cross_check,
    join_value,
    normalize_transactions,
    rfm,
    run_analysis,
    segment_survey,
    write_report,
)
from persona_agent.core.errors import AnalysisError

AGE_OF_SEGMENT = ("35-44", "18-24", "25-34", "45-54")


def planted_survey(sizes: tuple[int, ...] = (90, 70, 50, 30), purity: float = 0.8,
                   seed: int = 1) -> pd.DataFrame:
    """Respondents from known segments: each segment prefers one option per question."""
    rng = np.random.default_rng(seed)
    frames = []
    for segment, size in enumerate(sizes):
        answers: dict[str, object] = {}
        for question in range(6):
            preferred = (segment + question) % 4
            picked = np.where(rng.random(size) < purity, preferred, rng.integers(0, 4, size))
            answers[f"Question {question}: what matters?"] = [f"option {p}" for p in picked]
        answers["How likely are you to recommend us (1-5)?"] = np.clip(
            1 + segment + rng.integers(-1, 2, size), 1, 5)
        answers["Age band"] = np.where(rng.random(size) < 0.8, AGE_OF_SEGMENT[segment], "55-64")
        answers["Kjønn"] = rng.choice(["Kvinne", "Mann"], size)
        answers["truth"] = segment
        frames.append(pd.DataFrame(answers))
    survey = pd.concat(frames, ignore_index=True)
    survey.index = pd.Index([f"R{i:04d}" for i in range(len(survey))])
    return survey


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return planted_survey()


@pytest.fixture(scope="module")
def segmentation(survey: pd.DataFrame) -> SegmentationResult:
    return segment_survey(survey.drop(columns="truth"), free_text_respondents=["R0001", "R0200"])


def _labels(result: SegmentationResult) -> pd.Series:
    return pd.Series({r: s.segment_id for s in result.segments for r in s.respondent_ids})


# --- segmentation ----------------------------------------------------------------------------


def test_segmentation_recovers_planted_segments(
    survey: pd.DataFrame, segmentation: SegmentationResult
) -> None:
    assert segmentation.k == 4 and segmentation.k_requested is None
    assert max(segmentation.k_scores.items(), key=lambda item: item[1])[0] == 4
    assert set(segmentation.k_scores) == {2, 3, 4, 5, 6}
    assert "silhouette" in segmentation.criterion
    labels = _labels(segmentation)[survey.index]
    assert adjusted_rand_score(survey["truth"], labels) > 0.95
    assert [s.segment_id for s in segmentation.segments] == ["S1", "S2", "S3", "S4"]
    assert [s.size for s in segmentation.segments] == sorted(
        (s.size for s in segmentation.segments), reverse=True)
    assert sum(s.share for s in segmentation.segments) == pytest.approx(1.0)


def test_demographics_describe_segments_but_are_not_clustered_on(
    segmentation: SegmentationResult,
) -> None:
    assert segmentation.demographic_questions == {"Age band": "age", "Kjønn": "gender"}
    assert "Age band" not in segmentation.questions_used
    s1_age = next(d for d in segmentation.segments[0].demographics if d.dimension == "age")
    assert s1_age.answers[0].answer == "35-44"  # segment 0 (the largest) is mostly 35-44
    assert s1_age.answers[0].segment_value > 0.7 > s1_age.answers[0].overall_value


def test_distinguishing_answers_carry_in_segment_and_overall_shares(
    survey: pd.DataFrame, segmentation: SegmentationResult
) -> None:
    s1 = segmentation.segments[0]
    assert len(s1.distinguishing) == 5
    assert len({c.question for c in s1.distinguishing}) == 5  # one answer per question
    top = s1.distinguishing[0]
    members = survey.loc[s1.respondent_ids, top.question]
    if top.kind == "share":
        assert top.segment_value == pytest.approx((members == top.answer).mean())
        assert top.overall_value == pytest.approx((survey[top.question] == top.answer).mean())
    else:
        assert top.segment_value == pytest.approx(members.mean())


def test_free_text_respondents_are_listed_per_segment(segmentation: SegmentationResult) -> None:
    listed = [r for s in segmentation.segments for r in s.free_text_respondent_ids]
    assert sorted(listed) == ["R0001", "R0200"]
    for segment in segmentation.segments:
        assert set(segment.free_text_respondent_ids) <= set(segment.respondent_ids)


def test_segmentation_is_deterministic_and_ignores_row_order(
    survey: pd.DataFrame, segmentation: SegmentationResult
) -> None:
    answers = survey.drop(columns="truth")
    again = segment_survey(answers, free_text_respondents=["R0001", "R0200"])
    shuffled = segment_survey(answers.sample(frac=1, random_state=7),
                              free_text_respondents=["R0200", "R0001"])
    assert again.model_dump() == segmentation.model_dump()
    assert shuffled.model_dump() == segmentation.model_dump()


def test_given_k_is_used(survey: pd.DataFrame) -> None:
    result = segment_survey(survey.drop(columns="truth"), k=3)
    assert result.k == 3 and result.k_scores == {} and result.criterion == "given k"


def test_k_is_reduced_when_respondents_are_too_few() -> None:
    tiny = pd.DataFrame({"Favourite?": ["tea", "coffee", "tea"], "Cups a day": [1, 5, 2]},
                        index=["a", "b", "c"])
    result = segment_survey(tiny, k=5)
    assert result.k == 3
    assert any("k reduced from 5 to 3" in w for w in result.warnings)
    pair = segment_survey(tiny.iloc[:2])
    assert pair.k == 2 and any("without choosing" in w for w in pair.warnings)


def test_respondents_without_or_with_repeated_ids_are_left_out_with_a_warning() -> None:
    answers = pd.DataFrame({"Favourite?": ["tea", "tea", "coffee", "tea"]},
                           index=pd.Index(["a", None, "b", "b"], dtype="string"))
    result = segment_survey(answers, k=2)
    assert [s.respondent_ids for s in result.segments] == [["a"], ["b"]]
    assert result.warnings == ["left out 1 respondent without an id",
                               "1 duplicate respondent id: kept the first answers",
                               "segment S1 has only 1 respondent",
                               "segment S2 has only 1 respondent"]


def test_hand_made_survey_profiles() -> None:
    # Two obvious groups: a, b answer tea/1 cup; c, d answer coffee/5 cups. Overall 50 % each.
    hand = pd.DataFrame({"Favourite drink?": ["tea", "tea", "coffee", "coffee"],
                         "Cups a day": [1, 1, 5, 5]}, index=["d", "c", "b", "a"])
    result = segment_survey(hand, k=2)
    s1, s2 = result.segments
    assert (s1.respondent_ids, s2.respondent_ids) == (["a", "b"], ["c", "d"])  # tie: first id wins
    drink = next(c for c in s1.distinguishing if c.question == "Favourite drink?")
    cups = next(c for c in s1.distinguishing if c.question == "Cups a day")
    assert (drink.answer, drink.segment_value, drink.overall_value) == ("coffee", 1.0, 0.5)
    assert (cups.kind, cups.segment_value, cups.overall_value) == ("mean", 5.0, 3.0)


def test_unusable_questions_are_excluded_with_a_reason() -> None:
    answers = planted_survey(sizes=(30, 30)).drop(columns="truth")
    answers["Customer ID"] = [f"C{i}" for i in range(60)]
    answers["Anything else?"] = [f"free text {i}" for i in range(60)]
    answers["Country"] = "Norway"
    answers["Empty"] = pd.NA
    answers["Which channels?"] = np.where(np.arange(60) < 30, "Web; App", "Shop")
    result = segment_survey(answers)
    assert result.excluded_questions == {
        "Customer ID": "an identifier or timestamp, not an answer",
        "Anything else?": "looks like free text (60 different answers)",
        "Country": "everyone gave the same answer",
        "Empty": "nobody answered",
    }
    assert "Which channels?" in result.questions_used  # multi-choice answers split on ";"


def test_commas_split_answers_only_when_the_question_says_select_all() -> None:
    follow, plan = "Where do you follow us? (select all that apply)", "What is your plan?"
    answers = pd.DataFrame({follow: ["Instagram, YouTube"] * 3 + ["YouTube"] * 3,
                            plan: ["Beans, monthly"] * 3 + ["Gear"] * 3},
                           index=list("abcdef"))
    top = {c.question: c for c in segment_survey(answers, k=2).segments[0].distinguishing}
    assert (top[follow].answer, top[follow].segment_value, top[follow].overall_value) == (
        "Instagram", 1.0, 0.5)  # everyone ticked YouTube, so Instagram is what sets S1 apart
    assert top[plan].answer == "Beans, monthly"  # one option that happens to hold a comma


def test_survey_without_closed_questions_is_refused() -> None:
    free_text = pd.DataFrame({"Tell us more": [f"text {i}" for i in range(50)]})
    with pytest.raises(AnalysisError, match="no closed question"):
        segment_survey(free_text)


# --- cross-check ---------------------------------------------------------------------------------


def test_cross_check_bins_ages_maps_labels_and_flags_gaps() -> None:
    survey = pd.DataFrame({"Hvor gammel er du?": [20, 22, 30, 31, 33, 40, 41, 50, 52, 70],
                           "Kjønn": ["Kvinne"] * 4 + ["Mann"] * 6})
    audience = pd.DataFrame({
        "Age": ["18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown"],
        "Gender": ["female", "female", "male", "male", "female", "male", "female"],
        "Users": ["200", "300", "200", "200", "50", "50", "1,000"],
    })
    result = cross_check(survey, audience)
    age = next(d for d in result.dimensions if d.dimension == "age")
    shares = {c.category: (c.survey_share, c.audience_share) for c in age.categories}
    assert shares["25-34"] == pytest.approx((0.3, 0.3))
    assert shares["45-54"] == pytest.approx((0.2, 0.2))
    assert shares["18-24"] == pytest.approx((0.2, 0.2))
    assert shares["65+"] == pytest.approx((0.1, 0.05))
    assert age.disagreements == [] and age.audience_total == 1000
    gender = next(d for d in result.dimensions if d.dimension == "gender")
    assert {c.category for c in gender.disagreements} == {"female", "male"}
    female = next(c for c in gender.categories if c.category == "female")
    # the "unknown" age row still counts for gender: 1,550 of 2,000 users are female
    assert (female.survey_share, female.audience_share) == pytest.approx((0.4, 1550 / 2000))
    assert result.not_compared == {"location": "the survey does not ask it",
                                   "device": "the survey does not ask it"}


# --- value per segment -------------------------------------------------------------------------


def _transactions() -> pd.DataFrame:
    rows = [("00001", "2024-01-05", 50), ("00001", "2024-03-05", 70), ("00002", "2024-02-01", 20),
            ("00003", "2024-03-01", 500), ("00004", "2024-01-20", 10), ("00004", "2024-03-20", 12)]
    return pd.DataFrame(rows, columns=["kunde", "dato", "beløp"])


def test_join_value_matches_ids_across_formats() -> None:
    answers = pd.DataFrame({"Favourite?": ["tea", "tea", "coffee", "coffee"]},
                           index=["a", "b", "c", "d"])
    segmentation = segment_survey(answers, k=2)
    tx = normalize_transactions(_transactions(), "tx.csv")[0]
    customer_ids = pd.Series([1.0, 3.0, 2.0, None], index=["a", "b", "c", "d"])  # read as floats
    value = join_value(segmentation, rfm(tx), abc_xyz(tx, one_off=False), customer_ids)
    assert value.joinable and value.matched == 3 and value.respondents_with_customer_id == 3
    by_id = {v.segment_id: v for v in value.segments}
    tea, coffee = by_id["S1"], by_id["S2"]  # a, b drink tea; equal sizes: S1 holds the first id
    assert (tea.joined, tea.revenue, tea.mean_revenue) == (2, 620.0, 310.0)
    assert (coffee.joined, coffee.revenue) == (1, 20.0)
    assert tea.abc_classes == {"A": 1.0}
    assert sum(tea.rfm_groups.values()) == pytest.approx(1.0)


def test_join_value_says_when_ids_do_not_match() -> None:
    answers = pd.DataFrame({"Favourite?": ["tea", "coffee"]}, index=["a", "b"])
    segmentation = segment_survey(answers, k=2)
    tx = normalize_transactions(_transactions(), "tx.csv")[0]
    value = join_value(segmentation, rfm(tx), None, pd.Series(["X9", "X8"], index=["a", "b"]))
    assert not value.joinable and "none of the 2 survey customer ids" in value.message
    nothing = join_value(segmentation, rfm(tx), None, pd.Series(dtype="string"))
    assert not nothing.joinable and "no customer ids" in nothing.message


# --- run_analysis, evidence and files ----------------------------------------------------------


@pytest.fixture(scope="module")
def full_result(survey: pd.DataFrame) -> AnalysisResult:
    answers = survey.drop(columns="truth").assign(**{"Customer ID": [f"{i:05d}" for i in range(240)]})
    rng = np.random.default_rng(3)
    customers = rng.integers(0, 300, 1500)
    transactions = pd.DataFrame({
        "order_id": [f"O{i}" for i in range(1500)],
        "customer_id": [str(c) for c in customers],  # no zero padding: still joins
        "order_date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 540, 1500), "D"),
        "amount_eur": [f"€{a:,.2f}".replace(",", " ") for a in rng.gamma(2, 40, 1500)],
    })
    audience = pd.DataFrame({"Age": ["18-24", "25-34", "35-44", "45-54"],
                             "Users": [400, 100, 300, 200]})
    return run_analysis(answers, transactions, audience, free_text_respondents=["R0003"])


def test_run_analysis_runs_every_stage_the_inputs_allow(full_result: AnalysisResult) -> None:
    assert full_result.segmentation is not None and full_result.segmentation.k == 4
    assert "Customer ID" not in full_result.segmentation.questions_used
    assert full_result.rfm and full_result.abc_xyz and full_result.pareto
    assert full_result.cross_check and full_result.cross_check.dimensions[0].dimension == "age"
    assert full_result.value is not None and full_result.value.joinable
    assert full_result.value.matched > 150


def test_run_analysis_reports_what_it_could_not_do(survey: pd.DataFrame) -> None:
    answers = survey.drop(columns="truth")
    bad = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": ["kr 5,00"]})
    result = run_analysis(answers, bad, k=2)
    assert result.segmentation is not None and result.rfm is None
    stages = {w.stage for w in result.warnings}
    assert {"rfm", "abc_xyz", "pareto"} <= stages
    with pytest.raises(AnalysisError, match="nothing to analyse"):
        run_analysis()
    with pytest.raises(AnalysisError, match="no analysis could be run"):
        run_analysis(transactions=pd.DataFrame({"x": [1]}))


def test_run_analysis_says_when_segments_cannot_be_joined(survey: pd.DataFrame) -> None:
    result = run_analysis(survey.drop(columns="truth"), _transactions(), k=2)
    assert result.value is not None and not result.value.joinable
    assert any(w.stage == "value" and "no customer ids" in w.message for w in result.warnings)


def test_evidence_ids_text_and_metadata(full_result: AnalysisResult) -> None:
    evidence = analysis_evidence(full_result)
    ids = [e.evidence_id for e in evidence]
    assert len(ids) == len(set(ids))
    assert ids[:4] == ["segment:S1", "segment:S2", "segment:S3", "segment:S4"]
    assert "rfm:champions" in ids and "abc:A" in ids and "pareto:customers" in ids
    assert "crosscheck:age" in ids and any(i.startswith("abcxyz:") for i in ids)
    assert all(e.kind == "segment" and e.source == "analysis" for e in evidence)
    assert all(isinstance(v, str | int | float | bool) for e in evidence for v in e.metadata.values())
    s1 = evidence[0]
    assert full_result.segmentation is not None
    segment = full_result.segmentation.segments[0]
    assert s1.text.startswith(f"Segment S1: {segment.size} respondents (")
    assert "% vs" in s1.text and "overall" in s1.text and "Customer value" in s1.text
    assert s1.metadata["respondent_ids"] == ",".join(segment.respondent_ids)
    assert s1.metadata["size"] == segment.size
    assert analysis_evidence(full_result) == evidence  # deterministic


def test_write_report_writes_json_markdown_and_charts(
    full_result: AnalysisResult, tmp_path: Path
) -> None:
    folder = tmp_path / "analysis"
    folder.mkdir()
    (folder / "cross_check.json").write_text("stale")
    (folder / "notes.txt").write_text("not ours")
    written = write_report(full_result, tmp_path)
    names = {p.name for p in written}
    assert {"segments.json", "rfm.json", "abc_xyz.json", "pareto.json", "value.json",
            "transactions.json", "cross_check.json", "stats.json", "lineage.json", "warnings.json", "analysis.md",
            "segment_sizes.png", "rfm_revenue.png", "abc_xyz_heatmap.png"} == names
    assert json.loads((folder / "segments.json").read_text())["k"] == 4
    assert "customers" not in json.loads((folder / "rfm.json").read_text())
    for chart in ("segment_sizes.png", "rfm_revenue.png", "abc_xyz_heatmap.png"):
        assert (folder / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({chart})" in (folder / "analysis.md").read_text()
    assert not list(folder.glob(".*.tmp"))
    survey_only = full_result.model_copy(update={"cross_check": None})
    write_report(survey_only, tmp_path)
    assert not (folder / "cross_check.json").exists()  # a stale part from an earlier run goes
    assert (folder / "notes.txt").exists()  # files we do not own stay
