"""`persona update`: ingest what changed, analyse again (segment and theme ids persist), then bring the
personas up to date — regenerate those whose research changed beyond a threshold, keep the rest with
their figures refreshed (`personas.evolve`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from persona_agent.core.config import Settings, ensure_home


def update_from_folder(
    settings: Settings,
    folder: Path | None,
    *,
    out_dir: Path,
    llm: Any = None,
    embedder: Any = None,
    max_rounds: int | None = None,
    concurrency: int = 4,
    new_segments: bool = True,
    language: str = "en",
    critic: bool | None = None,
    check_support: bool = True,
    on_event: Callable[..., None] | None = None,
) -> Any:
    """An `UpdateReport`: one decision per persona of ``out_dir`` (and per new segment), with reasons."""
    from persona_agent.analysis.lineage import load_previous
    from persona_agent.engine.cache import SQLiteLLMCache
    from persona_agent.engine.llm import make_chat_model
    from persona_agent.personas.evolve import update_personas
    from persona_agent.personas.generate import Generator
    from persona_agent.personas.plan import plan_targets
    from persona_agent.workflows.run import prepare, resolve_language

    chat = llm
    if chat is None:
        ensure_home(settings)
        cache = SQLiteLLMCache(settings.home / "llm-cache.sqlite") if settings.llm_cache else None
        chat = make_chat_model(settings, cache=cache)
    prepared = prepare(settings, folder, embedder=embedder, on_event=on_event)
    targets = plan_targets(prepared.store, settings.analysis_dir)
    lineage = load_previous(settings.analysis_dir)[2]
    if settings.llm == "local" and llm is None:
        concurrency = 1  # one in-process model answers one request at a time
    generator = Generator(llm=chat, store=prepared.store, out_dir=out_dir,
                          model_name=str(getattr(chat, "model_name", None) or type(chat).__name__),
                          max_rounds=max_rounds, on_event=on_event or (lambda *a, **k: None),
                          analysis_dir=settings.analysis_dir, language=resolve_language(prepared.store, language),
                          critic=critic, check_support=check_support)
    report = update_personas(generator, targets, lineage, concurrency=concurrency, new_segments=new_segments)
    report.analysed = prepared.analysis is not None
    return report
