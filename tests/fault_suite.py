"""The fault-injection suite: ingest (OpenAI embeddings), generate (several personas), ask and a
scripted chat, all through `FakeOpenAI` while it answers 429 with Retry-After, 500, hangs past the
timeout, truncates JSON, returns empty content and refuses a prompt over the context — then recovers.

`run_suite(workdir)` returns a `SuiteReport`: runs completed, personas recovered, files lost or
half-written, whether the store was left consistent, and the time spent in retries. The test asserts
on it; `python benchmarks/faults.py` prints it.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from persona_agent.core.config import load_settings
from persona_agent.core.errors import PersonaError
from persona_agent.engine import retry
from persona_agent.personas.output import MANIFEST, load_manifest
from persona_agent.personas.schema import Persona
from tests.fake_openai import FakeOpenAI, Fault

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
ALL_FAULTS = {"429", "500", "503", "hang", "truncated", "empty", "context"}


@dataclass
class SuiteReport:
    runs: list[tuple[str, bool, str]] = field(default_factory=list)  # (run, completed, what happened)
    personas_planned: int = 0
    personas_first_run: int = 0
    personas_failed_first_run: list[str] = field(default_factory=list)
    personas_recovered: int = 0
    personas_final: int = 0
    files_failed_first_ingest: list[str] = field(default_factory=list)
    files_lost: list[str] = field(default_factory=list)
    files_half_written: list[str] = field(default_factory=list)
    store_consistent: bool = False
    store_files: int = 0
    store_chunks: int = 0
    research_files: int = 0
    retries: dict[str, dict[str, Any]] = field(default_factory=dict)  # phase → retry.STATS snapshot
    seconds: dict[str, float] = field(default_factory=dict)
    faults_served: Counter = field(default_factory=Counter)

    @property
    def runs_completed(self) -> int:
        return sum(completed for _, completed, _ in self.runs)

    def lines(self) -> list[str]:
        waited = sum(r["wait_seconds"] for r in self.retries.values())
        failed = sum(r["failed_attempt_seconds"] for r in self.retries.values())
        lines = [
            f"runs completed: {self.runs_completed}/{len(self.runs)} "
            f"({', '.join(f'{name}: {note}' for name, _, note in self.runs)})",
            f"personas: {self.personas_planned} planned, {self.personas_first_run} written in the faulty run "
            f"(failed: {'; '.join(self.personas_failed_first_run) or 'none'}), {self.personas_recovered} recovered "
            f"by --resume, {self.personas_final} on disk",
            f"ingest: {len(self.files_failed_first_ingest)} file(s) failed during the outage, all "
            f"{self.research_files} stored after the re-run",
            f"files lost: {len(self.files_lost)}, half-written: {len(self.files_half_written)}"
            + (f" ({'; '.join(self.files_lost + self.files_half_written)})" if self.files_lost or
               self.files_half_written else ""),
            f"store consistent: {'yes' if self.store_consistent else 'NO'} ({self.store_files} files, "
            f"{self.store_chunks} chunks, every file's chunks complete and of one version)",
            f"time in retries: {waited:.1f} s waiting + {failed:.1f} s in failed attempts "
            f"({sum(r['retries'] for r in self.retries.values())} retries, "
            f"{sum(r['gave_up'] for r in self.retries.values())} calls given up)",
        ]
        for phase, stats in self.retries.items():
            lines.append(f"  {phase}: {stats['retries']} retries, {stats['wait_seconds']:.1f} s waiting, "
                         f"{stats['failed_attempt_seconds']:.1f} s failed attempts, {stats['gave_up']} given up, "
                         f"{self.seconds.get(phase, 0):.1f} s wall")
        served = ", ".join(f"{endpoint} {kind}: {n}" for (endpoint, kind), n in sorted(self.faults_served.items()))
        lines.append(f"requests served by the fake provider: {served}")
        return lines


def _phase(report: SuiteReport, name: str, work: Callable[[], str]) -> Any:
    retry.STATS.reset()
    started = time.perf_counter()
    try:
        note = work()
        report.runs.append((name, True, note))
    except Exception as exc:  # a run that dies is what the suite counts; it must not hide the others
        report.runs.append((name, False, f"{type(exc).__name__}: {exc}"[:200]))
    report.seconds[name] = time.perf_counter() - started
    report.retries[name] = retry.STATS.snapshot()


def store_check(store: Any) -> tuple[bool, int, int]:
    """Every file's chunks all present and of one version; (consistent, files, chunks)."""
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for meta in store.metadata_where().values():
        if meta.get("root"):  # research chunks (analysis evidence has no file)
            by_source[str(meta["source"])].append(meta)
    ok = all(len({m["ingest_signature"] for m in metas}) == 1 and {m["file_chunks"] for m in metas} == {len(metas)}
             for metas in by_source.values())
    return ok, len(by_source), sum(len(metas) for metas in by_source.values())


def file_check(out_dir: Path, home: Path) -> tuple[list[str], list[str]]:
    """(lost, half-written): manifest entries without their files; files that do not parse, temp files."""
    lost, half = [], []
    for key, entry in load_manifest(out_dir).items():
        for suffix in (".json", ".md"):
            path = out_dir / f"{entry['slug']}{suffix}"
            if not path.is_file():
                lost.append(f"{key}: {path.name}")
            elif suffix == ".json":
                try:
                    Persona.model_validate_json(path.read_text(encoding="utf-8"))
                except ValueError as exc:
                    half.append(f"{path.name}: {str(exc)[:80]}")
            elif not path.read_text(encoding="utf-8").startswith("# "):
                half.append(f"{path.name}: no markdown")
    for folder in (out_dir, home / "analysis", home / "chat"):
        for path in folder.rglob(".*"):
            if path.is_file() and path.name not in (MANIFEST, ".persona-run.lock") and not path.name.endswith(".lock"):
                half.append(f"{path.relative_to(folder)}: temporary file left behind")
    for path in (home / "chat").rglob("*.jsonl"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                json.loads(line)
            except ValueError:
                half.append(f"{path.name}:{number}: damaged history line")
    return lost, half


def run_suite(workdir: Path, *, personas: int = 4, wait_scale: float = 1.0) -> SuiteReport:
    """``wait_scale`` shrinks every wait (Retry-After and backoff) for a quicker test; the benchmark
    runs with the real policy (1.0)."""
    original_backoff = retry.RetryPolicy.backoff
    retry.RetryPolicy.backoff = lambda self, attempt: original_backoff(self, attempt) * wait_scale  # type: ignore
    try:
        return _run(workdir, personas, wait_scale)
    finally:
        retry.RetryPolicy.backoff = original_backoff  # type: ignore[method-assign]


def _run(workdir: Path, personas: int, wait_scale: float) -> SuiteReport:
    from typer.testing import CliRunner

    from persona_agent.cli import app
    from persona_agent.engine.embeddings import make_embeddings
    from persona_agent.engine.store import open_store
    from persona_agent.research.folder import ResearchFolder
    from persona_agent.research.ingest import ingest_folder
    from persona_agent.workflows.run import generate_from_folder, open_chat

    report = SuiteReport()
    transient = [Fault("429", wait_scale), Fault("500"), Fault("hang", 1.6)]  # hangs past the 1 s timeout
    folder = workdir / "research"
    shutil.copytree(KNOWLEDGE, folder)
    out_dir = workdir / "personas"
    with FakeOpenAI() as server:
        env = {"PERSONA_HOME": str(workdir / "home"), "PERSONA_LLM": "openai", "PERSONA_EMBEDDINGS": "openai",
               "OPENAI_BASE_URL": server.base_url, "PERSONA_TIMEOUT": "1.0", "PERSONA_MAX_RETRIES": "3",
               "PERSONA_RETRY_BUDGET": "30"}
        settings = load_settings(home=workdir / "home", llm="openai", embeddings="openai",
                                 openai_base_url=server.base_url, timeout=1.0, max_retries=3, retry_budget=30)
        store = open_store(settings, make_embeddings(settings))
        research = ResearchFolder(folder, redact=False)
        report.research_files = len(research.files)

        def outage_ingest() -> str:
            # transient faults, then an outage long enough that one file's retries run out
            server.fail("embeddings", *transient, *[Fault("500") for _ in range(4)])
            result = ingest_folder(research, store)
            report.files_failed_first_ingest = result.files_failed
            return f"{result.files_ok} files stored, {len(result.files_failed)} failed"

        def recovery_ingest() -> str:
            result = ingest_folder(ResearchFolder(folder, redact=False), store)
            return f"{result.files_new + result.files_replaced} stored now, {len(result.files_failed)} failed"

        _phase(report, "ingest during outage", outage_ingest)
        _phase(report, "ingest again", recovery_ingest)

        def faulty_generate() -> str:
            server.fail("chat", *transient, Fault("truncated"), Fault("empty"), Fault("context"))
            result = generate_from_folder(settings, folder, out_dir=out_dir, count=personas, concurrency=2,
                                          max_rounds=1)
            report.personas_planned = len(result.outcomes)
            report.personas_first_run = sum(o.persona is not None for o in result.outcomes)
            report.personas_failed_first_run = [f"{o.target.key}: {o.error}"[:160] for o in result.outcomes
                                                if o.persona is None]
            return f"{report.personas_first_run}/{len(result.outcomes)} personas"

        def resume_generate() -> str:
            result = generate_from_folder(settings, folder, out_dir=out_dir, count=personas, concurrency=2,
                                          max_rounds=1, resume=True)
            fresh = [o for o in result.outcomes if o.persona is not None and not o.resumed]
            report.personas_recovered = len(fresh)
            report.personas_final = sum(o.persona is not None for o in result.outcomes)
            return f"{len(fresh)} regenerated, {sum(o.resumed for o in result.outcomes)} resumed"

        _phase(report, "generate with faults", faulty_generate)
        _phase(report, "generate --resume", resume_generate)
        slugs = sorted(entry["slug"] for entry in load_manifest(out_dir).values())
        slug = slugs[0] if slugs else "nobody"

        def ask() -> str:
            session = open_chat(settings, out_dir)
            answered, failed = 0, []
            server.fail("chat", Fault("429", wait_scale), Fault("500"))  # retried: answered
            questions = ["What puts you off ordering?", "Would you subscribe?", "What about gift boxes?"]
            for question in questions:
                if question.startswith("Would"):
                    server.fail("chat", Fault("empty"))  # one turn fails, typed
                try:
                    session.chat.ask(slug, question)
                    answered += 1
                except PersonaError as exc:
                    failed.append(exc.one_line()[:80])
            server.fail("chat", Fault("503", wait_scale))  # streaming: retried before the first token
            tokens: list[str] = []
            session.chat.ask(slug, "And delivery times?", on_token=tokens.append)
            return f"{answered + bool(tokens)}/{len(questions) + 1} answered, failed: {failed or 'none'}"

        _phase(report, "ask", ask)

        def chat() -> str:
            script = workdir / "script.txt"
            script.write_text(f"@{slug} what do you think about shipping?\n@all is 14 euros per bag fair?\n"
                              f"/thread pricing\n@{slug} and the subscription?\n/quit\n", encoding="utf-8")
            server.fail("chat", Fault("context"), Fault("truncated"), Fault("503", wait_scale))
            result = CliRunner().invoke(app, ["chat", "--script", str(script), "--personas", str(out_dir)],
                                        env={**env, "COLUMNS": "200"})
            if result.exit_code != 0:
                raise RuntimeError(f"exit {result.exit_code}: {result.output[-300:]}")
            errors = sum(line.startswith("error:") for line in result.output.splitlines())
            return f"script done, {errors} turn(s) failed alone"

        _phase(report, "chat --script", chat)
        report.faults_served = Counter(server.served)
    report.files_lost, report.files_half_written = file_check(out_dir, workdir / "home")
    stored = {str(meta["source"]) for meta in store.metadata_where().values() if meta.get("root")}
    report.files_lost += [f"{research.relative(p)}: no chunks in the store" for p in research.files
                          if research.relative(p) not in stored]
    report.store_consistent, report.store_files, report.store_chunks = store_check(store)
    return report
