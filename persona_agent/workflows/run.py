"""The stages chained for the commands that run several of them (`generate`, `demo`).

Ingest is incremental and the analysis is reused when it was made from this folder as it is now, so
re-running costs little; the reply cache under ``$PERSONA_HOME`` makes an unchanged re-run of
generation cost no provider call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from persona_agent.core.config import Settings, ensure_home
from persona_agent.core.errors import PersonaError
from persona_agent.engine.store import EvidenceStore


@dataclass
class Prepared:
    store: EvidenceStore
    ingest: Any | None = None  # IngestReport when a folder was ingested
    analysis: Any | None = None  # AnalysisRun when the analysis ran now


def prepare(settings: Settings, folder: Path | None, *, embedder: Any = None, reanalyze: bool = False,
            on_event: Callable[..., None] | None = None) -> Prepared:
    """Open the store; ingest ``folder`` (incrementally) and analyse it unless the stored analysis was
    made from this very folder (same files, same contents)."""
    from persona_agent.analysis import freshness
    from persona_agent.analysis.analyze import analyze_folder
    from persona_agent.core.privacy import pseudonym_key
    from persona_agent.engine.embeddings import make_embeddings
    from persona_agent.engine.store import open_store
    from persona_agent.research.folder import ResearchFolder
    from persona_agent.research.ingest import ingest_folder

    ensure_home(settings)
    store = open_store(settings, embedder or make_embeddings(settings))
    prepared = Prepared(store=store)
    if folder is None:
        return prepared
    research = ResearchFolder(folder, redact=settings.sends_research_out, max_bytes=settings.max_file_mb * 1024 * 1024,
                              pseudonym_key=pseudonym_key(settings.home))
    prepared.ingest = ingest_folder(research, store, on_event=on_event)  # ingest and analysis share one reading
    if reanalyze or not freshness.is_current(research, settings.analysis_dir):  # never an older folder's analysis
        try:
            prepared.analysis = analyze_folder(research, store, settings.home)
        except PersonaError as exc:  # no tables: personas are planned from the evidence instead
            freshness.discard(settings.analysis_dir)
            store.delete_ids(sorted(store.metadata_where({"source": "analysis"})))
            freshness.record_inputs(research, settings.analysis_dir, analysed=False)
            if on_event:
                on_event("warning", message=f"analysis skipped: {exc.one_line()}")
    return prepared


def generate_from_folder(
    settings: Settings,
    folder: Path | None,
    *,
    out_dir: Path,
    llm: Any = None,
    embedder: Any = None,
    count: int | None = None,
    segment: str | None = None,
    max_rounds: int | None = None,
    concurrency: int = 4,
    resume: bool = False,
    reanalyze: bool = False,
    on_event: Callable[..., None] | None = None,
    language: str = "en",
    critic: bool | None = None,
    journey: bool | None = None,
    check_support: bool = True,
    announce: bool = True,
) -> Any:
    """Ingest and analyse ``folder`` if given, then generate personas for its segments. ``language``
    is the language personas are written in (``auto``: the research's dominant language). With
    ``announce`` a ``plan`` event gives the expected tokens and time first (see `workflows.progress`), and
    the speeds measured are kept for the next estimate; a caller that plans a larger run itself turns it off.
    ``check_support=False`` skips the semantic support check (tests whose embedder has no meaning)."""
    from persona_agent.engine.cache import SQLiteLLMCache
    from persona_agent.engine.llm import make_chat_model
    from persona_agent.personas.generate import Generator, generate_personas
    from persona_agent.personas.plan import plan_targets, propose_targets
    from persona_agent.workflows import progress
    from persona_agent.workflows.progress import RunProgress

    chat = llm
    if chat is None:  # validated replies are replayed from the cache unless --no-cache / PERSONA_LLM_CACHE=0
        ensure_home(settings)
        cache = SQLiteLLMCache(settings.home / "llm-cache.sqlite") if settings.llm_cache else None
        chat = make_chat_model(settings, cache=cache)
    prepared = prepare(settings, folder, embedder=embedder, reanalyze=reanalyze, on_event=on_event)
    targets = plan_targets(prepared.store, settings.analysis_dir, count, segment)
    planned_by = "segments"
    if not targets:
        if segment:
            raise PersonaError(f"--segment {segment}: there are no segments", "run `persona analyze` on a survey first")
        targets = propose_targets(chat, prepared.store, count or 3)
        planned_by = "model (no survey segments: the model proposed groups from the evidence)"
    model_name = str(getattr(chat, "model_name", None) or type(chat).__name__)
    if settings.llm == "local" and llm is None:
        concurrency = 1  # one in-process model answers one request at a time; threads would only contend
    tracker = RunProgress()
    sink = on_event or (lambda *a, **k: None)

    def emit(kind: str, **data: Any) -> None:
        tracker(kind, **data)
        sink(kind, **data)

    generator = Generator(llm=chat, store=prepared.store, out_dir=out_dir, model_name=model_name,
                          max_rounds=max_rounds, on_event=emit,
                          analysis_dir=settings.analysis_dir, language=resolve_language(prepared.store, language),
                          critic=critic, journey=journey,
                          check_support=check_support)
    if announce:
        emit("plan", **progress.plan(chat, settings, work="personas", personas=len(targets)).event())
    emit("step", name="generate")
    report = generate_personas(generator, targets, concurrency=concurrency, resume=resume)
    if announce:
        progress.record(chat, settings, tracker)
    report.planned_by = planned_by
    return report


def open_chat(settings: Settings, personas_dir: Path, *, llm: Any = None, embedder: Any = None,
              on_token: Callable[[str], None] | None = None, on_event: Callable[..., None] | None = None) -> Any:
    """A `ChatSession` over the personas in ``personas_dir`` (history under $PERSONA_HOME/chat). With
    ``on_event``, every model call of the session reports its tokens and speed (``tokens``, ``call``), and
    the personas /draft and /revise write report their stages (see `core.events`)."""
    from persona_agent.engine.embeddings import make_embeddings
    from persona_agent.engine.llm import make_chat_model
    from persona_agent.engine.store import open_store
    from persona_agent.personas.generate import Generator
    from persona_agent.talk.chat import PersonaChat, PersonaLibrary
    from persona_agent.talk.conversation import ChatSession

    ensure_home(settings)
    chat_model = llm if llm is not None else make_chat_model(settings)
    if on_event is not None and llm is None:  # a model of its own: the session's calls are reported
        from persona_agent.engine.usage import UsageTracker

        chat_model.callbacks = [UsageTracker(on_event, "chat")]
    store = open_store(settings, embedder or make_embeddings(settings))
    library = PersonaLibrary(personas_dir)
    chat = PersonaChat(llm=chat_model, store=store, library=library, analysis_dir=settings.analysis_dir,
                       max_question_chars=settings.max_question_chars, history_chars=settings.history_chars)
    model_name = str(getattr(chat_model, "model_name", None) or type(chat_model).__name__)

    def generator() -> Generator:
        return Generator(llm=chat_model, store=store, out_dir=personas_dir, model_name=model_name,
                         analysis_dir=settings.analysis_dir, on_event=on_event or (lambda *a, **k: None))

    return ChatSession(chat=chat, chat_dir=settings.home / "chat", generator_factory=generator,
                       exports_dir=settings.home / "exports", on_token=on_token, history_turns=settings.history_turns)


def personas_folder(settings: Settings, given: Path | None = None) -> Path:
    """Where the personas are: ``given``; else ``./personas`` (`persona generate`'s default) when it holds
    some; else ``$PERSONA_HOME/personas`` (`persona demo`'s)."""
    if given is not None:
        return given
    here = Path("personas")
    return here if any(here.glob("*.json")) else settings.home / "personas"


def resolve_language(store: EvidenceStore, language: str) -> str:
    """``auto`` → the language most customer-authored chunks are in; anything else as given."""
    if language != "auto":
        return language
    from collections import Counter

    counts: Counter[str] = Counter()
    for kind in ("survey", "interview"):
        counts.update(str(m.get("language") or "") for m in store.metadata_where({"kind": kind}).values())
    counts.pop("", None)
    counts.pop("unknown", None)
    return counts.most_common(1)[0][0] if counts else "en"


def audit_personas(settings: Settings, files: list[Path], personas_dir: Path) -> list[Any]:
    """`persona audit`: every given persona file (or every persona in ``personas_dir``) checked against
    the research as it is now."""
    from persona_agent.core.errors import PersonaError
    from persona_agent.engine.embeddings import make_embeddings
    from persona_agent.engine.store import open_store
    from persona_agent.personas.audit import audit_persona
    from persona_agent.personas.generate import Generator
    from persona_agent.personas.schema import Persona

    ensure_home(settings)
    store = open_store(settings, make_embeddings(settings))
    paths = files or sorted(p for p in personas_dir.glob("*.json") if not p.name.startswith("."))
    if not paths:
        raise PersonaError(f"no persona files in {personas_dir}", "run `persona generate` or pass the files")
    loaded = []
    for path in paths:
        try:
            loaded.append(Persona.model_validate_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise PersonaError(f"{path}: not a persona file ({str(exc).splitlines()[0][:200]})",
                               "check it with `persona validate`") from None
    generator = Generator(llm=None, store=store, out_dir=personas_dir, analysis_dir=settings.analysis_dir)
    return [audit_persona(generator, persona, settings.analysis_dir, [p for p in loaded if p is not persona])
            for persona in loaded]
