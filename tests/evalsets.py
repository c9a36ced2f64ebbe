"""The two labelled evaluation sets of issue 9 and how to turn their evidence keys into evidence ids.

* ``tests/data/claim_support.jsonl`` (section 3): (claim, evidence) pairs labelled ``supported``,
  ``contradicted`` (the evidence says the opposite), ``unrelated`` (the evidence is about another
  topic) or ``other_segment`` (the claim is a real trait of *another* planted segment, the evidence
  is this segment's: a persona that borrowed a neighbour's trait), split into ``tune`` and ``test``
  halves, stratified by folder and category.
* ``tests/data/chat_questions.jsonl`` (section 5): questions to a persona (or ``@all``, the focus
  group) whose answer is in the research (``covered``, with the evidence that answers it) or is not.

Both cover ``knowledge/`` (Fjordbrew) and research B (Hyggehund, ``scripts/make_research_b.py``).

Evidence is keyed by what the research says, never by ids the analysis assigns (segment numbers
``S1…Sk`` follow segment sizes and theme ids follow clustering; both can change):

* a survey free-text answer  ``{"kind": "survey", "file": "survey/x.csv", "respondent": "R057",
  "question": "<the column header>"}``
* an interview turn          ``{"kind": "interview", "file": "interviews/x.md", "lines": [22, 23]}``
  (1-based file lines, front matter included) or, for a .docx, ``"paragraphs": [10, 11]``
* a per-segment statistic    ``{"kind": "stat", "file": "survey/x.csv", "question": "<header>",
  "segment": "bargain"}``: the stat of that closed question for the segment whose respondents are
  mostly of that *planted* segment.

`Resolver` maps a key to the product's current evidence id (``survey/x.csv#R057:q22``,
``interviews/x.md#L22-23``, ``segment:S2#<slug>``) and to the text behind it. Survey and interview
keys need only the research folder; stat keys also need the analysis output (``segments.json`` and
``stats.json`` in ``$PERSONA_HOME/analysis``) and the planted membership (`planted_respondents`).

    python -m tests.evalsets            # counts per category, folder, kind and language
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CLAIMS_PATH = DATA / "claim_support.jsonl"
QUESTIONS_PATH = DATA / "chat_questions.jsonl"
KNOWLEDGE = ROOT / "knowledge"
KNOWLEDGE_GENERATOR = ROOT / "scripts" / "make_knowledge.py"
RESEARCH_B_GENERATOR = ROOT / "scripts" / "make_research_b.py"

FOLDERS = ("knowledge", "research_b")
SURVEY_FILES = {"knowledge": "survey/customer_survey_2026-09.csv", "research_b": "survey/kundenkaet_2026-10.csv"}
SEGMENTS = {"knowledge": ("bargain", "enthusiast", "gift", "office"),
            "research_b": ("puppy", "senior", "budget", "natural", "b2b")}
CATEGORIES = ("supported", "contradicted", "unrelated", "other_segment")
SPLITS = ("tune", "test")
LANGUAGES = frozenset({"en", "no", "da", "sv", "nl", "de", "ru"})
KINDS = ("survey", "interview", "stat")
ALL = "@all"
SPLIT_SEED = 20261105

# The planted segment of each interviewee (knowledge/README.md; research B's README and truth.json).
# None: the interviewee belongs to no planted segment (Fjordbrew's mobile window shopper).
INTERVIEW_SEGMENTS: dict[str, dict[str, str | None]] = {
    "knowledge": {
        "interviews/2026-03-14-best-enthusiast-bergen.md": "enthusiast",
        "interviews/2026-05-20-best-office-utrecht.md": "office",
        "interviews/2026-01-20-best-gift-aarhus.txt": "gift",
        "interviews/2026-06-03-worst-bargain-rotterdam.md": "bargain",
        "interviews/2026-02-18-worst-bargain-trondheim.txt": "bargain",
        "interviews/2026-08-20-lost-subscriber-tallinn.txt": "enthusiast",
        "interviews/2026-07-01-lost-office-copenhagen.md": "office",
        "interviews/2026-04-22-lost-gift-buyer-oslo.txt": "gift",
        "interviews/2026-09-15-sales-call-notes.md": "office",
        "interviews/2026-09-08-prospect-mobile-visitor.docx": None,
    },
    "research_b": {
        "interviews/2026-03-10-best-groomer-goteborg.md": "b2b",
        "interviews/2026-05-06-best-senior-dog-hamburg.txt": "senior",
        "interviews/2026-04-15-best-natural-subscriber-utrecht.md": "natural",
        "interviews/2026-06-18-worst-multipet-family-dortmund.md": "budget",
        "interviews/2026-07-02-worst-recipe-change-stockholm.txt": "natural",
        "interviews/2026-04-28-lost-senior-cat-uppsala.txt": "senior",
        "interviews/2026-05-27-lost-kennel-drammen.md": "b2b",
        "interviews/2026-08-12-lost-puppy-owner-berlin.txt": "puppy",
        "interviews/2026-09-22-prospect-puppy-amsterdam.md": "puppy",
        "interviews/2026-10-07-new-puppy-owner-bergen.docx": "puppy",
    },
}
INTERVIEW_LANGUAGES: dict[str, dict[str, str]] = {
    "knowledge": {
        "interviews/2026-03-14-best-enthusiast-bergen.md": "en",
        "interviews/2026-05-20-best-office-utrecht.md": "nl",
        "interviews/2026-01-20-best-gift-aarhus.txt": "da",
        "interviews/2026-06-03-worst-bargain-rotterdam.md": "en",
        "interviews/2026-02-18-worst-bargain-trondheim.txt": "no",
        "interviews/2026-08-20-lost-subscriber-tallinn.txt": "ru",
        "interviews/2026-07-01-lost-office-copenhagen.md": "da",
        "interviews/2026-04-22-lost-gift-buyer-oslo.txt": "en",
        "interviews/2026-09-15-sales-call-notes.md": "en",
        "interviews/2026-09-08-prospect-mobile-visitor.docx": "en",
    },
    "research_b": {
        "interviews/2026-03-10-best-groomer-goteborg.md": "sv",
        "interviews/2026-05-06-best-senior-dog-hamburg.txt": "de",
        "interviews/2026-04-15-best-natural-subscriber-utrecht.md": "nl",
        "interviews/2026-06-18-worst-multipet-family-dortmund.md": "de",
        "interviews/2026-07-02-worst-recipe-change-stockholm.txt": "en",
        "interviews/2026-04-28-lost-senior-cat-uppsala.txt": "sv",
        "interviews/2026-05-27-lost-kennel-drammen.md": "no",
        "interviews/2026-08-12-lost-puppy-owner-berlin.txt": "ru",
        "interviews/2026-09-22-prospect-puppy-amsterdam.md": "en",
        "interviews/2026-10-07-new-puppy-owner-bergen.docx": "no",
    },
}


# --------------------------------------------------------------------------------------------
# The sets


@dataclass(frozen=True)
class StatExpectation:
    """What a stat pair's label rests on: the segment's share of ``option`` (or, without an option,
    its mean) is ``above`` or ``below`` everyone's. Lets a test catch labels that a changed
    segmentation has made wrong."""

    direction: str  # above | below
    option: str | None = None


@dataclass(frozen=True)
class ClaimPair:
    id: str
    folder: str
    claim: str
    claim_language: str
    evidence: dict[str, Any]
    evidence_language: str
    evidence_segment: str | None  # the planted segment the evidence comes from
    claim_segment: str | None  # the planted segment whose trait the claim states (None: no one's)
    category: str
    split: str
    note: str
    stat_expectation: StatExpectation | None = None

    @property
    def kind(self) -> str:
        return str(self.evidence["kind"])

    @property
    def cross_language(self) -> bool:
        return self.claim_language != self.evidence_language


@dataclass(frozen=True)
class ChatQuestion:
    id: str
    folder: str
    persona: str  # a planted segment, or "@all" for the focus group
    planted_segment: str | None  # None for "@all"
    question: str
    language: str
    covered: bool
    answer_evidence: list[dict[str, Any]] = field(default_factory=list)
    expected_gist: str = ""


def _lines(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if raw.strip():
            yield number, json.loads(raw)


def _require(condition: bool, path: Path, number: int, message: str) -> None:
    if not condition:
        raise ValueError(f"{path.name}:{number}: {message}")


def check_key(key: Mapping[str, Any], folder: str) -> None:
    """Raise ValueError unless ``key`` is a well-formed evidence key of ``folder``."""
    kind = key.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown evidence kind {kind!r}")
    expected = {"survey": {"kind", "file", "respondent", "question"},
                "stat": {"kind", "file", "question", "segment"}}.get(kind)
    if kind == "interview":
        if set(key) not in ({"kind", "file", "lines"}, {"kind", "file", "paragraphs"}):
            raise ValueError(f"interview key needs file and lines or paragraphs: {dict(key)}")
        span = key.get("lines") or key.get("paragraphs")
        if not (isinstance(span, list) and len(span) == 2 and 0 < span[0] <= span[1]):
            raise ValueError(f"bad line/paragraph range {span!r}")
        if key["file"] not in INTERVIEW_SEGMENTS[folder]:
            raise ValueError(f"{key['file']} is not an interview of {folder}")
        return
    if set(key) != expected:
        raise ValueError(f"{kind} key needs exactly {sorted(expected or ())}: {dict(key)}")
    if key["file"] != SURVEY_FILES[folder]:
        raise ValueError(f"{key['file']} is not the survey of {folder}")
    if kind == "stat" and key["segment"] not in SEGMENTS[folder]:
        raise ValueError(f"{key['segment']!r} is not a planted segment of {folder}")


def load_claims(path: Path = CLAIMS_PATH) -> list[ClaimPair]:
    pairs: list[ClaimPair] = []
    for number, row in _lines(path):
        folder = str(row.get("folder"))
        _require(folder in FOLDERS, path, number, f"folder {folder!r}")
        _require(row.get("category") in CATEGORIES, path, number, f"category {row.get('category')!r}")
        _require(row.get("split") in SPLITS, path, number, f"split {row.get('split')!r}")
        for name in ("claim_language", "evidence_language"):
            _require(row.get(name) in LANGUAGES, path, number, f"{name} {row.get(name)!r}")
        for name in ("evidence_segment", "claim_segment"):
            value = row.get(name)
            _require(value is None or value in SEGMENTS[folder], path, number, f"{name} {value!r}")
        _require(bool(str(row.get("claim", "")).strip()), path, number, "empty claim")
        _require(bool(str(row.get("note", "")).strip()), path, number, "empty note")
        try:
            check_key(row["evidence"], folder)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path.name}:{number}: {exc}") from exc
        expectation = row.get("stat_expectation")
        if expectation is not None:
            _require(row["evidence"]["kind"] == "stat", path, number, "stat_expectation on a non-stat pair")
            _require(expectation.get("direction") in ("above", "below"), path, number, "stat_expectation direction")
            expectation = StatExpectation(expectation["direction"], expectation.get("option"))
        known = {"id", "folder", "claim", "claim_language", "evidence", "evidence_language", "evidence_segment",
                 "claim_segment", "category", "split", "note", "stat_expectation"}
        _require(set(row) <= known, path, number, f"unknown fields {sorted(set(row) - known)}")
        pairs.append(ClaimPair(
            id=row["id"], folder=folder, claim=row["claim"], claim_language=row["claim_language"],
            evidence=row["evidence"], evidence_language=row["evidence_language"],
            evidence_segment=row.get("evidence_segment"), claim_segment=row.get("claim_segment"),
            category=row["category"], split=row["split"], note=row["note"], stat_expectation=expectation))
    duplicates = [i for i, n in Counter(p.id for p in pairs).items() if n > 1]
    if duplicates:
        raise ValueError(f"{path.name}: duplicate ids {duplicates}")
    return pairs


def load_questions(path: Path = QUESTIONS_PATH) -> list[ChatQuestion]:
    questions: list[ChatQuestion] = []
    for number, row in _lines(path):
        folder = str(row.get("folder"))
        _require(folder in FOLDERS, path, number, f"folder {folder!r}")
        persona, planted = str(row.get("persona")), row.get("planted_segment")
        if persona == ALL:
            _require(planted is None, path, number, "an @all question has no planted_segment")
        else:
            _require(planted in SEGMENTS[folder] and persona == planted, path, number,
                     f"persona {persona!r} / planted_segment {planted!r}")
        _require(row.get("language") in LANGUAGES, path, number, f"language {row.get('language')!r}")
        _require(isinstance(row.get("covered"), bool), path, number, "covered must be true or false")
        evidence = row.get("answer_evidence", [])
        _require(bool(evidence) == row["covered"], path, number,
                 "covered questions need answer_evidence, uncovered ones have none")
        for key in evidence:
            try:
                check_key(key, folder)
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name}:{number}: {exc}") from exc
        _require(bool(str(row.get("expected_gist", "")).strip()), path, number, "empty expected_gist")
        known = {"id", "folder", "persona", "planted_segment", "question", "language", "covered",
                 "answer_evidence", "expected_gist"}
        _require(set(row) <= known, path, number, f"unknown fields {sorted(set(row) - known)}")
        questions.append(ChatQuestion(
            id=row["id"], folder=folder, persona=persona, planted_segment=planted, question=row["question"],
            language=row["language"], covered=row["covered"], answer_evidence=evidence,
            expected_gist=row["expected_gist"]))
    duplicates = [i for i, n in Counter(q.id for q in questions).items() if n > 1]
    if duplicates:
        raise ValueError(f"{path.name}: duplicate ids {duplicates}")
    return questions


def stratified_split(pairs: Iterable[ClaimPair], seed: int = SPLIT_SEED) -> dict[str, str]:
    """id → tune/test: each (folder, category) stratum shuffled with its own seeded generator and
    halved (an odd stratum gives its extra pair to ``test``). How the committed split was made."""
    strata: dict[tuple[str, str], list[str]] = {}
    for pair in pairs:
        strata.setdefault((pair.folder, pair.category), []).append(pair.id)
    split: dict[str, str] = {}
    for (folder, category), ids in sorted(strata.items()):
        ids = sorted(ids)
        random.Random(f"{seed}:{folder}:{category}").shuffle(ids)
        half = len(ids) // 2
        split.update({i: "tune" for i in ids[:half]})
        split.update({i: "test" for i in ids[half:]})
    return split


# --------------------------------------------------------------------------------------------
# Planted truth


def _load_module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def folder_name(folder: Path) -> str:
    """``knowledge`` or ``research_b``, from what the folder holds."""
    if (folder / SURVEY_FILES["knowledge"]).is_file():
        return "knowledge"
    if (folder / SURVEY_FILES["research_b"]).is_file():
        return "research_b"
    raise ValueError(f"{folder} is neither knowledge/ nor a research B folder")


def planted_respondents(folder: Path) -> dict[str, tuple[str, str]]:
    """Respondent id → (planted segment, language of their free text).

    Research B: ``.truth/truth.json``. knowledge/: the generator's own hidden truth (it is seeded,
    so running its survey step again reproduces it; checked against the committed CSV)."""
    truth = folder / ".truth" / "truth.json"
    if truth.is_file():
        data = json.loads(truth.read_text("utf-8"))
        return {r["respondent_id"]: (r["segment"], r["language"]) for r in data["respondents"]}
    if folder_name(folder) != "knowledge":
        raise ValueError(f"{folder}: research B folder without .truth/truth.json")
    generator = _load_module(KNOWLEDGE_GENERATOR, "_evalsets_make_knowledge")
    customers = generator.build_customers()
    survey, frame, _ = generator.build_survey(customers, generator.build_orders(customers))
    with (folder / SURVEY_FILES["knowledge"]).open(encoding="utf-8", newline="") as handle:
        committed = [row["Respondent ID"] for row in csv.DictReader(handle)]
    if committed != list(survey["Respondent ID"]):
        raise ValueError(f"{folder}: the survey differs from what {KNOWLEDGE_GENERATOR.name} generates")
    return {row.respondent_id: (str(row.segment), str(row.language)) for row in frame.itertuples()}


def generate_research_b(out: Path) -> Path:
    """Write research B (deterministic) to ``out``; returns ``out``."""
    import subprocess

    subprocess.run([sys.executable, str(RESEARCH_B_GENERATOR), "--out", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    return out


# --------------------------------------------------------------------------------------------
# Resolving keys


class UnresolvedKey(LookupError):
    pass


class Resolver:
    """Evidence keys of one research folder → the product's evidence ids and texts.

    ``analysis_dir`` (``$PERSONA_HOME/analysis``) is needed for stat keys only; ``planted`` defaults
    to `planted_respondents` of the folder."""

    def __init__(self, folder: Path, analysis_dir: Path | None = None,
                 planted: Mapping[str, tuple[str, str]] | None = None) -> None:
        self.folder = folder
        self.name = folder_name(folder)
        self.analysis_dir = analysis_dir
        self._planted = dict(planted) if planted is not None else None
        self._documents: dict[str, Any] = {}

    # reading ----------------------------------------------------------------------------------
    @property
    def planted(self) -> dict[str, tuple[str, str]]:
        if self._planted is None:
            self._planted = planted_respondents(self.folder)
        return self._planted

    def chunks(self, file: str) -> list[Any]:
        if file not in self._documents:
            from persona_agent.research.sources import read_source

            path = self.folder / file
            if not path.is_file():
                raise UnresolvedKey(f"{self.folder}: no file {file}")
            self._documents[file] = read_source(path, self.folder)
        return list(self._documents[file].chunks)

    def _survey_chunks(self, key: Mapping[str, Any]) -> list[Any]:
        found = [c for c in self.chunks(key["file"])
                 if c.metadata.get("respondent_id") == key["respondent"]
                 and c.metadata.get("question") == key["question"]]
        if not found:
            raise UnresolvedKey(f"no answer of {key['respondent']} to {key['question']!r} in {key['file']}")
        return sorted(found, key=lambda c: (len(c.evidence_id), c.evidence_id))  # part 1 before ":2"

    def _interview_chunk(self, key: Mapping[str, Any]) -> Any:
        unit = "line" if "lines" in key else "paragraph"
        first, last = (int(n) for n in key[f"{unit}s"])
        start, end = f"{unit}_start", f"{unit}_end"
        covering = [c for c in self.chunks(key["file"])
                    if isinstance(c.metadata.get(start), int) and c.metadata[start] <= first
                    and isinstance(c.metadata.get(end), int) and c.metadata[end] >= last]
        if not covering:
            raise UnresolvedKey(f"no chunk of {key['file']} covers {first}-{last}")
        return min(covering, key=lambda c: c.metadata[end] - c.metadata[start])

    @cached_property
    def segments(self) -> list[dict[str, Any]]:
        if self.analysis_dir is None:
            raise UnresolvedKey("stat keys need the analysis folder ($PERSONA_HOME/analysis)")
        path = self.analysis_dir / "segments.json"
        if not path.is_file():
            raise UnresolvedKey(f"{path} is missing: run the analysis first")
        return list(json.loads(path.read_text("utf-8"))["segments"])

    @cached_property
    def stats(self) -> list[dict[str, Any]]:
        assert self.analysis_dir is not None
        return list(json.loads((self.analysis_dir / "stats.json").read_text("utf-8")))

    def segment_id(self, planted_segment: str) -> str:
        """The analysis segment (``S2``) whose respondents are mostly of ``planted_segment``; of
        several, the one holding most of them."""
        best: tuple[int, str] | None = None
        for segment in self.segments:
            counts = Counter(self.planted[r][0] for r in segment["respondent_ids"] if r in self.planted)
            if not counts:
                continue
            top = max(counts.values())
            if counts[planted_segment] == top and (best is None or top > best[0]):
                best = (top, segment["segment_id"])
        if best is None:
            raise UnresolvedKey(f"no segment is mostly {planted_segment!r}")
        return best[1]

    def stat(self, key: Mapping[str, Any]) -> dict[str, Any]:
        segment_id = self.segment_id(key["segment"])
        for entry in self.stats:
            if entry["segment_id"] == segment_id and entry["question"] == key["question"]:
                return dict(entry)
        raise UnresolvedKey(f"no stat for {key['question']!r} in {segment_id} ({key['segment']})")

    # the API ----------------------------------------------------------------------------------
    def resolve(self, key: Mapping[str, Any]) -> str:
        """The product's evidence id for ``key``; raises `UnresolvedKey`."""
        check_key(key, self.name)
        if key["kind"] == "survey":
            return str(self._survey_chunks(key)[0].evidence_id)
        if key["kind"] == "interview":
            return str(self._interview_chunk(key).evidence_id)
        return str(self.stat(key)["stat_id"])

    def text(self, key: Mapping[str, Any]) -> str:
        """The evidence text as the product stores it (a stat worded as `stat_text` words it)."""
        check_key(key, self.name)
        if key["kind"] == "survey":
            return " ".join(c.text for c in self._survey_chunks(key))
        if key["kind"] == "interview":
            return str(self._interview_chunk(key).text)
        from persona_agent.analysis.models import QuestionStat
        from persona_agent.analysis.stats import stat_text

        entry = self.stat(key)
        size = next(s["size"] for s in self.segments if s["segment_id"] == entry["segment_id"])
        return stat_text(QuestionStat.model_validate(entry), int(size))

    def expectation_holds(self, key: Mapping[str, Any], expectation: StatExpectation,
                          *, min_ratio: float = 1.3) -> bool:
        """Whether the stat still points the way the label assumes: the option's lift is ≥ ``min_ratio``
        for ``above`` and ≤ 1 / ``min_ratio`` for ``below``; a mean (no option) lies beyond everyone's
        mean by more than its margin of error."""
        entry = self.stat(key)
        if expectation.option is None:
            gap = entry["segment_mean"] - entry["overall_mean"]
            margin = entry.get("mean_margin") or 0.0
            return gap > margin if expectation.direction == "above" else -gap > margin
        else:
            option = next((o for o in entry["options"] if o["answer"] == expectation.option), None)
            if option is None:  # not shown: rarer than 5 % in the segment and overall
                return expectation.direction == "below"
            ratio = option["segment_share"] / option["overall_share"] if option["overall_share"] else 0.0
        return ratio >= min_ratio if expectation.direction == "above" else ratio <= 1 / min_ratio

    def evidence_segment(self, key: Mapping[str, Any]) -> str | None:
        """The planted segment the evidence comes from."""
        if key["kind"] == "survey":
            return self.planted[key["respondent"]][0]
        if key["kind"] == "interview":
            return INTERVIEW_SEGMENTS[self.name][key["file"]]
        return str(key["segment"])

    def evidence_language(self, key: Mapping[str, Any]) -> str:
        """The language the evidence is written in (planted, not detected)."""
        if key["kind"] == "survey":
            return self.planted[key["respondent"]][1]
        if key["kind"] == "interview":
            return INTERVIEW_LANGUAGES[self.name][key["file"]]
        return "en"  # stats are worded in English


# --------------------------------------------------------------------------------------------


def summary(pairs: list[ClaimPair] | None = None, questions: list[ChatQuestion] | None = None) -> str:
    pairs = load_claims() if pairs is None else pairs
    questions = load_questions() if questions is None else questions
    lines = [f"claim_support.jsonl: {len(pairs)} pairs"]
    for name, counter in (
        ("category", Counter(p.category for p in pairs)),
        ("folder", Counter(p.folder for p in pairs)),
        ("folder × category", Counter(f"{p.folder}/{p.category}" for p in pairs)),
        ("evidence kind", Counter(p.kind for p in pairs)),
        ("split × category", Counter(f"{p.split}/{p.category}" for p in pairs)),
        ("claim language", Counter(p.claim_language for p in pairs)),
        ("evidence language", Counter(p.evidence_language for p in pairs)),
    ):
        lines.append(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
    supported = [p for p in pairs if p.category == "supported"]
    crossed = sum(p.claim_language == "en" and p.evidence_language != "en" for p in supported)
    lines.append(f"  supported with an English claim and non-English evidence: {crossed} of {len(supported)}")
    lines.append(f"chat_questions.jsonl: {len(questions)} questions")
    for name, counter in (
        ("folder × covered", Counter(f"{q.folder}/{'covered' if q.covered else 'not covered'}" for q in questions)),
        ("language", Counter(q.language for q in questions)),
        ("persona", Counter(f"{q.folder}/{q.persona}" for q in questions)),
    ):
        lines.append(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
