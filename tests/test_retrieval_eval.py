"""The multilingual retrieval evaluation set: locators resolve to the store's ids, and the committed
set is complete against the research it was written for."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from persona_agent.core.config import load_settings
from persona_agent.core.errors import PersonaError
from persona_agent.engine.store import open_store
from persona_agent.research.ingest import ingest_folder
from persona_agent.research.locate import Locator, resolve
from persona_agent.testing import HashEmbeddings
from tests.conftest import REPO

EVAL = REPO / "tests" / "data" / "retrieval_eval.json"
SURVEY = "survey/customer_survey_2026-09.csv"
QUESTION = "Is there anything that almost stopped you from ordering, or that annoys you about Fjordbrew?"
METADATA = {
    f"{SURVEY}#R057:q22": {"source": SURVEY, "respondent_id": "R057", "question": QUESTION, "language": "en"},
    f"{SURVEY}#R057:q21": {"source": SURVEY, "respondent_id": "R057", "question": "What do you like most?"},
    f"{SURVEY}#q22": {"source": SURVEY, "question": QUESTION, "summary": True},
    "interviews/a.md#L12-13": {"source": "interviews/a.md", "line_start": 12, "line_end": 13},
    "interviews/a.md#L14-15": {"source": "interviews/a.md", "line_start": 14, "line_end": 15},
    "interviews/b.docx#p4-5": {"source": "interviews/b.docx", "paragraph_start": 4, "paragraph_end": 5},
    "analytics/t.json#/by_reason/2": {"source": "analytics/t.json", "json_pointer": "/by_reason/2"},
}


def _eval_set() -> dict:
    return json.loads(EVAL.read_text(encoding="utf-8"))


def test_locators_map_to_current_ids_through_metadata():
    locators = {
        "answer": Locator.from_dict({"file": SURVEY, "respondent": "R057", "question": QUESTION}),
        "all answers": Locator.from_dict({"file": SURVEY, "respondent": "R057"}),
        "summary": Locator.from_dict({"file": SURVEY, "question": QUESTION}),
        "turn": Locator.from_dict({"file": "interviews/a.md", "lines": [12, 13]}),
        "overlap": Locator.from_dict({"file": "interviews/a.md", "lines": [13, 14]}),
        "one line": Locator.from_dict({"file": "interviews/a.md", "lines": 15}),
        "paragraphs": Locator.from_dict({"file": "interviews/b.docx", "paragraphs": [5, 5]}),
        "pointer": Locator.from_dict({"file": "analytics/t.json", "pointer": "/by_reason/2"}),
        "file": Locator.from_dict({"file": "interviews/a.md"}),
        "absent": Locator.from_dict({"file": SURVEY, "respondent": "R999", "question": QUESTION}),
        "other file": Locator.from_dict({"file": "interviews/c.md", "lines": [12, 13]}),
    }
    found = resolve(locators.values(), METADATA)
    ids = {name: found[locator] for name, locator in locators.items()}
    assert ids["answer"] == [f"{SURVEY}#R057:q22"]
    assert ids["all answers"] == [f"{SURVEY}#R057:q21", f"{SURVEY}#R057:q22"]  # never the summary
    assert ids["summary"] == [f"{SURVEY}#q22"]
    assert ids["turn"] == ["interviews/a.md#L12-13"]
    assert ids["overlap"] == ["interviews/a.md#L12-13", "interviews/a.md#L14-15"]
    assert ids["one line"] == ["interviews/a.md#L14-15"]
    assert ids["paragraphs"] == ["interviews/b.docx#p4-5"]
    assert ids["pointer"] == ["analytics/t.json#/by_reason/2"]
    assert ids["file"] == ["interviews/a.md#L12-13", "interviews/a.md#L14-15"]
    assert ids["absent"] == [] and ids["other file"] == []


def test_locators_survive_an_id_change():
    renamed = {f"evidence-{n}": meta for n, meta in enumerate(METADATA.values())}
    locator = Locator.from_dict({"file": SURVEY, "respondent": "R057", "question": QUESTION})
    assert resolve([locator], renamed)[locator] == ["evidence-0"]


def test_locator_round_trip_and_bad_input():
    data = {"file": "interviews/a.md", "lines": [12, 18]}
    assert Locator.from_dict(data).to_dict() == data
    assert Locator.from_dict({"file": "x.csv", "respondent": "R1", "question": "Q"}).to_dict() == {
        "file": "x.csv", "respondent": "R1", "question": "Q"}
    with pytest.raises(PersonaError, match="no file"):
        Locator.from_dict({"lines": [1, 2]})


def test_the_set_has_the_shape_the_issue_asks_for():
    data = _eval_set()
    topics = {t["id"]: t for t in data["topics"]}
    queries = data["queries"]
    assert len(queries) >= 40 and len({q["id"] for q in queries}) == len(queries)
    languages = Counter(q["language"] for q in queries)
    assert {"en", "no", "da", "nl", "ru", "sv", "de"} <= set(languages)
    assert all(q["topic"] in topics for q in queries)
    for query in queries:  # each query has relevant evidence in its own language and in others
        written_in = {r["language"] for r in topics[query["topic"]]["relevant"] if "language" in r}
        assert len(written_in - {query["language"]}) >= 2, query
    for topic in topics.values():  # keyed by file and place, never by evidence id
        assert all("evidence_id" not in r and "#" not in r["file"] for r in topic["relevant"])


def _unresolved(data: dict, folder: str, metadata: dict) -> list:
    missing = []
    for topic in (t for t in data["topics"] if t["folder"] == folder):
        locators = [Locator.from_dict(r) for r in topic["relevant"]]
        missing += [(topic["id"], loc) for loc, ids in resolve(locators, metadata).items() if not ids]
    return missing


def test_the_committed_set_resolves_completely_against_knowledge(sample_research):
    store = sample_research[0]
    assert _unresolved(_eval_set(), "knowledge", store.metadata_where()) == []


def test_the_committed_set_resolves_against_the_second_folder(tmp_path: Path):
    """The second half (Hyggehund) is generated by a seeded script; ingest it with the test embedder."""
    data = _eval_set()
    digest = hashlib.sha256(b"".join((REPO / "scripts" / name).read_bytes()
                                     for name in ("make_research_b.py", "research_b_text.py"))).hexdigest()[:16]
    assert data["folders"]["pets"]["generator_sha256"] == digest, "rebuild: python scripts/make_retrieval_eval.py"
    folder = tmp_path / "pets"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_research_b.py"), "--out", str(folder)],
                   check=True, capture_output=True)
    store = open_store(load_settings(home=tmp_path / "home"), HashEmbeddings())
    ingest_folder(folder, store)
    assert _unresolved(data, "pets", store.metadata_where()) == []
