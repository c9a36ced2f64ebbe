"""The labelled evaluation sets of issue 9 (tests/evalsets.py): size and balance as the issue asks,
consistent labels, stratified splits, and every evidence key resolving to a chunk the product stores.

knowledge/ runs in the fast suite (the shared `sample_research` preparation). Research B is generated
into a temp dir: its survey answers and interview turns resolve fast; its per-segment stats need an
analysis run (~10 s), marked slow.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.evalsets import (
    ALL,
    CATEGORIES,
    FOLDERS,
    INTERVIEW_LANGUAGES,
    INTERVIEW_SEGMENTS,
    KNOWLEDGE,
    SEGMENTS,
    SURVEY_FILES,
    ChatQuestion,
    ClaimPair,
    Resolver,
    generate_research_b,
    load_claims,
    load_questions,
)

NON_ENGLISH_CLAIM_LANGUAGES = {"no", "da", "nl", "de", "sv"}


@pytest.fixture(scope="module")
def pairs() -> list[ClaimPair]:
    return load_claims()


@pytest.fixture(scope="module")
def questions() -> list[ChatQuestion]:
    return load_questions()


def keys_of(folder: str, pairs: list[ClaimPair], questions: list[ChatQuestion]) -> list[dict[str, Any]]:
    keys = [p.evidence for p in pairs if p.folder == folder]
    keys += [k for q in questions if q.folder == folder for k in q.answer_evidence]
    unique = {json.dumps(k, sort_keys=True): k for k in keys}
    return list(unique.values())


# --- the claim-support set -------------------------------------------------------------------


def test_claim_set_is_big_balanced_and_mixed(pairs: list[ClaimPair]) -> None:
    assert len(pairs) >= 200
    categories = Counter(p.category for p in pairs)
    assert set(categories) == set(CATEGORIES)
    assert min(categories.values()) >= 40, categories
    assert max(categories.values()) <= 1.5 * min(categories.values()), categories  # roughly balanced
    folders = Counter(p.folder for p in pairs)
    assert all(folders[f] >= 80 for f in FOLDERS), folders
    kinds = Counter(p.kind for p in pairs)
    assert kinds["stat"] >= 0.25 * len(pairs), kinds
    assert kinds["interview"] >= 0.20 * len(pairs), kinds
    assert kinds["survey"] >= 0.25 * len(pairs), kinds
    assert sum(p.claim_language in NON_ENGLISH_CLAIM_LANGUAGES for p in pairs) >= 20
    supported = [p for p in pairs if p.category == "supported"]
    crossed = [p for p in supported if p.claim_language == "en" and p.evidence_language != "en"]
    assert len(crossed) >= 0.40 * len(supported), (len(crossed), len(supported))


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_has_every_category_and_kind(pairs: list[ClaimPair], folder: str) -> None:
    mine = [p for p in pairs if p.folder == folder]
    assert {(p.category, p.kind) for p in mine} >= {(c, k) for c in CATEGORIES for k in ("survey", "interview", "stat")}
    assert {p.evidence_segment for p in mine} >= set(SEGMENTS[folder])


def test_labels_are_consistent(pairs: list[ClaimPair]) -> None:
    for pair in pairs:
        where = f"{pair.id}: {pair.claim!r}"
        if pair.category in ("supported", "contradicted"):
            assert pair.claim_segment == pair.evidence_segment, where
        if pair.category == "other_segment":  # another segment's trait on this segment's evidence
            assert pair.evidence_segment is not None and pair.claim_segment is not None, where
            assert pair.claim_segment != pair.evidence_segment, where
        if pair.kind == "stat":
            assert pair.evidence_language == "en" and pair.evidence_segment == pair.evidence["segment"], where
            assert (pair.stat_expectation is not None) == (pair.category != "unrelated"), where
        if pair.kind == "interview":
            file = pair.evidence["file"]
            assert pair.evidence_segment == INTERVIEW_SEGMENTS[pair.folder][file], where
            assert pair.evidence_language == INTERVIEW_LANGUAGES[pair.folder][file], where
        assert pair.id.startswith({"knowledge": "fb-", "research_b": "hh-"}[pair.folder]), where


def test_splits_are_stratified_halves(pairs: list[ClaimPair]) -> None:
    strata = Counter((p.folder, p.category, p.split) for p in pairs)
    for folder in FOLDERS:
        for category in CATEGORIES:
            tune, test = strata[(folder, category, "tune")], strata[(folder, category, "test")]
            assert tune and test and abs(tune - test) <= 1, (folder, category, tune, test)


# --- the chat questions ------------------------------------------------------------------------


def test_chat_questions_cover_both_folders_languages_and_the_focus_group(questions: list[ChatQuestion]) -> None:
    covered = [q for q in questions if q.covered]
    assert len(covered) >= 24
    assert all(sum(q.folder == f for q in covered) >= 10 for f in FOLDERS)
    assert sum(not q.covered for q in questions) >= 8
    assert all(any(not q.covered and q.folder == f for q in questions) for f in FOLDERS)
    foreign = [q for q in questions if q.language != "en"]
    assert len(foreign) >= 5 and len({q.language for q in foreign}) >= 5
    for folder in FOLDERS:
        focus = [q for q in questions if q.folder == folder and q.persona == ALL]
        assert any(q.covered for q in focus) and any(not q.covered for q in focus), folder
        personas = {q.persona for q in questions if q.folder == folder and q.covered}
        assert personas >= set(SEGMENTS[folder]), folder
    assert len({(q.folder, q.question) for q in questions}) == len(questions)


# --- resolution: knowledge/ (fast) -------------------------------------------------------------


@pytest.fixture(scope="module")
def knowledge(sample_research) -> tuple[Resolver, Any]:
    store, _, _, settings = sample_research
    return Resolver(KNOWLEDGE, settings.analysis_dir), store


def check_pair(resolver: Resolver, pair: ClaimPair) -> None:
    where = f"{pair.id}: {pair.claim!r}"
    assert resolver.evidence_segment(pair.evidence) == pair.evidence_segment, where
    assert resolver.evidence_language(pair.evidence) == pair.evidence_language, where
    text = resolver.text(pair.evidence)
    assert pair.claim.casefold() not in text.casefold(), f"{where} copies the evidence"
    if pair.stat_expectation is not None:
        assert resolver.expectation_holds(pair.evidence, pair.stat_expectation), f"{where}: {text}"


def check_question(resolver: Resolver, question: ChatQuestion) -> None:
    segments = {resolver.evidence_segment(k) for k in question.answer_evidence}
    if question.persona == ALL and question.covered:
        assert len(segments - {None}) >= 2, question.id  # the focus group hears several segments
    elif question.covered:
        assert question.planted_segment in segments, question.id


def test_knowledge_keys_resolve_to_stored_chunks(knowledge: tuple[Resolver, Any], pairs, questions) -> None:
    resolver, store = knowledge
    ids = {resolver.resolve(key) for key in keys_of("knowledge", pairs, questions)}
    stored = {e.evidence_id for e in store.get(sorted(ids))}
    assert ids - stored == set()
    assert {i.split("#")[0] for i in ids if not i.startswith("segment:")} >= {SURVEY_FILES["knowledge"]}


def test_knowledge_labels_hold_on_the_evidence(knowledge: tuple[Resolver, Any], pairs, questions) -> None:
    resolver, _ = knowledge
    for pair in pairs:
        if pair.folder == "knowledge":
            check_pair(resolver, pair)
    for question in questions:
        if question.folder == "knowledge":
            check_question(resolver, question)


def test_knowledge_interview_segments_match_front_matter(knowledge: tuple[Resolver, Any]) -> None:
    resolver, _ = knowledge
    for file, segment in INTERVIEW_SEGMENTS["knowledge"].items():
        declared = {c.metadata.get("segment") for c in resolver.chunks(file)} - {None}
        assert declared == ({segment} if segment and not file.endswith(".docx") else set()), file


# --- resolution: research B --------------------------------------------------------------------


@pytest.fixture(scope="module")
def research_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_research_b(tmp_path_factory.mktemp("research-b") / "hyggehund")


def test_research_b_answers_and_turns_resolve(research_b: Path, pairs, questions) -> None:
    truth = json.loads((research_b / ".truth" / "truth.json").read_text("utf-8"))
    answer_ids = {a["evidence_id"] for a in truth["free_text_answers"]}
    turn_ids = {pair["evidence_id"] for i in truth["interviews"] for pair in i["pairs"]}
    resolver = Resolver(research_b)  # no analysis: survey and interview keys only
    for key in keys_of("research_b", pairs, questions):
        if key["kind"] == "stat":
            continue
        evidence_id = resolver.resolve(key)
        assert evidence_id in (answer_ids if key["kind"] == "survey" else turn_ids), (key, evidence_id)
    for pair in pairs:
        if pair.folder == "research_b" and pair.kind != "stat":
            check_pair(resolver, pair)
    for interview in truth["interviews"]:
        assert INTERVIEW_SEGMENTS["research_b"][interview["file"]] == interview["segment"]
        assert INTERVIEW_LANGUAGES["research_b"][interview["file"]] == interview["language"]


@pytest.mark.slow
def test_research_b_stats_resolve_after_analysis(research_b: Path, tmp_path_factory, pairs, questions) -> None:
    from persona_agent.analysis.analyze import analyze_folder
    from persona_agent.core.config import load_settings
    from persona_agent.engine.store import open_store
    from persona_agent.testing import HashEmbeddings

    settings = load_settings(home=tmp_path_factory.mktemp("research-b-home"))
    store = open_store(settings, HashEmbeddings())
    analyze_folder(research_b, store, settings.home)
    resolver = Resolver(research_b, settings.analysis_dir)
    ids = {resolver.resolve(k) for k in keys_of("research_b", pairs, questions) if k["kind"] == "stat"}
    assert ids and ids - {e.evidence_id for e in store.get(sorted(ids))} == set()
    for pair in pairs:
        if pair.folder == "research_b" and pair.kind == "stat":
            check_pair(resolver, pair)
    for question in questions:
        if question.folder == "research_b":
            check_question(resolver, question)
