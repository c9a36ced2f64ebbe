"""`persona demo`: the whole product on the bundled sample, on the embedded defaults.

It grows as stages land; today: ingest → (analyse) → retrieve → one grounded answer from the
offline model, with the evidence ids it cites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from .config import Settings, ensure_home
from .prompts import load_prompt
from .resources import sample_knowledge_dir

DEMO_QUESTION = "What do customers say about shipping costs, and who complains most?"


class Insight(BaseModel):
    """A short answer grounded in retrieved evidence; every id must be one we showed the model."""

    answer: str = Field(min_length=20, description="2-4 sentences, in English")
    evidence: list[str] = Field(min_length=1, max_length=6, description="ids of the evidence used")

    @field_validator("evidence")
    @classmethod
    def _known_ids(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        allowed = (info.context or {}).get("evidence_ids")
        unknown = [i for i in ids if allowed is not None and i not in allowed]
        if unknown:
            raise ValueError(f"unknown evidence ids {unknown}; cite only ids from the evidence list")
        return ids


@dataclass
class DemoResult:
    outputs: dict[str, str] = field(default_factory=dict)
    insight: Insight | None = None


def render_evidence(hits: list[Any]) -> str:
    """Evidence as fenced data: research text is quoted, never followed as instructions."""
    return "\n".join(f"[{h.evidence.evidence_id}] {h.evidence.text.strip()[:400]}" for h in hits)


def run_demo(
    settings: Settings,
    *,
    folder: Path | None = None,
    llm: Any = None,
    embedder: Any = None,
    on_event: Callable[..., None] | None = None,
    say: Callable[[str], None] = print,
) -> DemoResult:
    from .embeddings import make_embeddings
    from .ingest import ingest_folder
    from .llm import make_chat_model, structured
    from .store import open_store

    research = folder or sample_knowledge_dir()
    home = ensure_home(settings)
    chat = llm or make_chat_model(settings)  # fail on a bad provider setting before any work
    store = open_store(settings, embedder or make_embeddings(settings))
    say(f"[bold]1. Ingest[/bold] {research}")
    report = ingest_folder(research, store, redact=settings.is_remote_llm, on_event=on_event)
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(report.chunks_by_kind.items()))
    say(f"   {report.files_ok} files, {report.chunks_embedded} chunks embedded ({kinds or 'unchanged'}), "
        f"{store.count()} in the store")

    say(f"[bold]2. Retrieve[/bold] evidence for: {DEMO_QUESTION}")
    hits = store.search("shipping is too expensive delivery cost", k=8)
    for hit in hits[:5]:
        say(f"   {hit.score:.3f} {hit.evidence.evidence_id}")

    say("[bold]3. Ask the model[/bold] (embedded offline model unless configured otherwise)")
    messages = [
        SystemMessage(content=load_prompt("demo.system").render()),
        HumanMessage(content=load_prompt("demo.user").render(question=DEMO_QUESTION, evidence=render_evidence(hits))),
    ]
    ids = [h.evidence.evidence_id for h in hits]
    schema = Insight.model_json_schema()
    schema["properties"]["evidence"]["items"] = {"type": "string", "enum": ids}
    insight = structured(chat, Insight, messages, json_schema=schema, context={"evidence_ids": set(ids)})
    say(f"   {insight.answer}\n   cited: {', '.join(insight.evidence)}")
    answer_path = home / "demo-answer.json"
    tmp = answer_path.with_suffix(".tmp")
    tmp.write_text(insight.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(answer_path)
    outputs = {"evidence store": settings.chroma_url or str(settings.chroma_dir), "answer": str(answer_path)}
    return DemoResult(outputs=outputs, insight=insight)
