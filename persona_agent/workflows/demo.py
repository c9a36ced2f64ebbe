"""`persona demo`: the whole product on the bundled sample, on the embedded defaults.

Ingest → analyse → generate personas (draft → critique → revise) → ask one persona what it would
object to in a proposal. Everything it writes lands under PERSONA_HOME.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from persona_agent.core.config import Settings, ensure_home
from persona_agent.core.resources import sample_knowledge_dir

DEMO_PROPOSAL = "We are launching a €9.99/month coffee subscription with free shipping on every delivery."


@dataclass
class DemoResult:
    outputs: dict[str, str] = field(default_factory=dict)
    report: Any = None  # GenerateReport
    objections: Any = None  # ObjectionReport
    asked: str | None = None
    seconds: float = 0.0  # generation and the objections call (after the plan was announced)


def run_demo(
    settings: Settings,
    *,
    folder: Path | None = None,
    count: int = 2,
    max_rounds: int | None = None,
    llm: Any = None,
    embedder: Any = None,
    on_event: Callable[..., None] | None = None,
    say: Callable[[str], None] = print,
) -> DemoResult:
    from rich.markup import escape

    from persona_agent.engine.cache import SQLiteLLMCache
    from persona_agent.engine.llm import make_chat_model
    from persona_agent.engine.usage import UsageTracker, tracking
    from persona_agent.personas.revision import revision_rounds
    from persona_agent.workflows import progress
    from persona_agent.workflows.run import generate_from_folder, open_chat

    research = folder or sample_knowledge_dir()
    home = ensure_home(settings)
    # build the model first: a bad provider setting fails before any work
    chat_model = llm if llm is not None else make_chat_model(
        settings, cache=SQLiteLLMCache(home / "llm-cache.sqlite"))
    personas_dir = home / "personas"
    # the expected time: tokens a persona costs × this machine's measured speeds (a short probe the first time)
    expected = progress.plan(chat_model, settings, work="demo", personas=count, objections=True,
                             other_seconds=progress.prepare_seconds(settings, research))
    tracker = progress.RunProgress()

    def emit(kind: str, **data: Any) -> None:
        tracker(kind, **data)
        if on_event is not None:
            on_event(kind, **data)

    emit("plan", **expected.event())
    emit("step", name="prepare")
    say(f"[bold]1-3. Ingest, analyse, generate[/bold] from {research} "
        f"({count} personas, {revision_rounds(chat_model, max_rounds)} revision round(s) each; {expected.sentence()})")
    started = time.monotonic()
    report = generate_from_folder(settings, research, out_dir=personas_dir, llm=chat_model, embedder=embedder,
                                  count=count, max_rounds=max_rounds, concurrency=1, on_event=emit, announce=False)
    progress.record_prepare(settings, research, tracker.step_seconds.get("prepare"))
    result = DemoResult(report=report)
    for outcome in report.outcomes:
        if outcome.persona is None:
            say(f"   [red]failed[/red] {outcome.target.key}: {outcome.error}")
            continue
        say("   " + escape(persona_summary(outcome.persona)).replace("\n", "\n   "))
    done = [o.persona for o in report.outcomes if o.persona is not None]
    if done:
        persona = done[0]
        say(f"[bold]4. Ask @{persona.id}[/bold] what it would object to: “{DEMO_PROPOSAL}”")
        emit("step", name="ask")
        emit("stage", persona=persona.id, stage="objections")
        session = open_chat(settings, personas_dir, llm=chat_model, embedder=embedder)
        with tracking(chat_model, UsageTracker(emit, persona.id)):
            result.objections = session.chat.objections(persona.id, DEMO_PROPOSAL)
        result.asked = persona.id
        for i, item in enumerate(result.objections.objections, start=1):
            say(f"   {i}. ({item.severity}) {escape(item.objection)}\n      → {escape(item.suggested_response)} "
                f"[dim]({', '.join(item.evidence)})[/dim]")
    progress.record(chat_model, settings, tracker)
    result.seconds = time.monotonic() - started
    result.outputs = {
        "evidence store": settings.chroma_url or str(settings.chroma_dir),
        "analysis": str(settings.analysis_dir / "analysis.md"),
        "personas": str(personas_dir),
        "chat with them": f"persona --home {home} chat --personas {personas_dir}",
    }
    return result


def persona_summary(persona: Any) -> str:
    """A few lines a marketer can judge a persona by: who, how many people stand behind it, their words."""
    from textwrap import shorten

    from persona_agent.personas.claims import iter_claims

    claims = [c for _, c in iter_claims(persona)]
    llm = sum(c.origin == "llm" for c in claims)
    ids = {i for c in claims for i in c.evidence}
    seg = persona.segment
    share = f"{seg.share_of_respondents * 100:.0f} % of respondents" if seg.share_of_respondents is not None else ""
    themes = "; ".join(f"{shorten(t.label, 60, placeholder=' …')} ({t.respondents + t.customers} people)"
                       for t in seg.themes[:3])
    lines = [f"{persona.name} (@{persona.id}) — {seg.segment_id or ''} {share}".rstrip(),
             f"“{persona.gist.text}”",
             f"{len(claims)} claims ({llm} written, {len(claims) - llm} from the stats), {len(ids)} evidence items; "
             f"{sum(c.confidence == 'high' for c in claims)} high confidence; "
             f"{persona.provenance.removed_claims if persona.provenance else 0} removed by the checks"]
    if themes:
        lines.append(f"themes: {themes}")
    lines += [f"in their words: “{shorten(q.text, 120, placeholder=' …')}” ({q.language})" for q in persona.quotes[:2]]
    return "\n".join(lines)
