"""`persona export`: personas as files to share — the HTML one-pager (`personas.onepager`), its PDF
(printed by a headless Chromium, `engine.browser`), Markdown or JSON.

An export leaves the machine with whoever it is sent to, so it follows the privacy policy for data
going out (`core.privacy.outbound(…, "export")`): the customers' words it carries — quotes, theme
labels, evidence texts — are redacted in every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import ValidationError

from persona_agent.core.errors import PersonaError, RequestError
from persona_agent.core.names import PERSONA_SLUG, persona_slug
from persona_agent.core.privacy import Redactor, outbound
from persona_agent.personas.history import atomic_write
from persona_agent.personas.markdown import persona_markdown
from persona_agent.personas.onepager import export_evidence_ids, load_export_analysis, persona_html
from persona_agent.personas.schema import Persona

Format = Literal["html", "md", "json", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "md", "json", "pdf")


@dataclass
class Exported:
    slug: str
    path: Path


def persona_slugs(personas_dir: Path) -> list[str]:
    return sorted(p.stem for p in personas_dir.glob("*.json") if PERSONA_SLUG.fullmatch(p.stem))


def load_persona(personas_dir: Path, slug: str) -> Persona:
    """The persona ``slug`` of ``personas_dir`` (a name that is not a slug is refused before any path is built)."""
    slug = persona_slug(slug)
    path = personas_dir / f"{slug}.json"
    if not path.is_file():
        known = ", ".join(persona_slugs(personas_dir)) or "none yet: run `persona generate`"
        raise RequestError(f"no persona '{slug}'", f"known personas: {known}")
    try:
        return Persona.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise PersonaError(f"{path}: not a valid persona ({exc.error_count()} problems)",
                           f"run `persona validate {path}`") from None


def shared_copy(persona: Persona) -> Persona:
    """``persona`` with the customers' words it quotes redacted (quotes and theme labels)."""
    redact = (outbound(None, "export") or Redactor()).allowing([persona.name, *persona.name.split()])
    copy = persona.model_copy(deep=True)
    for quote in copy.quotes:
        quote.text = redact(quote.text)
    for theme in copy.segment.themes:
        theme.label = redact(theme.label)
    return copy


def export_personas(personas_dir: Path, slugs: Sequence[str], fmt: str, dest: Path, *, store: Any = None,
                    analysis_dir: Path | None = None, chromium: str | None = None) -> list[Exported]:
    """Write each persona of ``slugs`` to ``dest/<slug>.<fmt>``. HTML and PDF need the ``store`` (the
    evidence appendix) and the ``analysis_dir`` (the charts)."""
    if fmt not in FORMATS:
        raise PersonaError(f"unknown export format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    if not slugs:
        raise PersonaError("no persona to export", "name personas by slug, or pass --all")
    personas = [load_persona(personas_dir, slug) for slug in slugs]  # every name checked before a file is written
    analysis = load_export_analysis(analysis_dir) if analysis_dir is not None else {"stats": [], "value": None}
    written = []
    for persona in personas:
        path = dest / f"{persona.id}.{fmt}"
        if fmt in ("html", "pdf"):
            evidence = {e.evidence_id: e for e in store.get(export_evidence_ids(persona, analysis))} if store else {}
            html = persona_html(persona, evidence=evidence, analysis=analysis)
            if fmt == "pdf":
                from persona_agent.engine.browser import html_to_pdf

                html_to_pdf(html, path, chromium)
            else:
                atomic_write(path, html)
        else:
            shared = shared_copy(persona)
            atomic_write(path, persona_markdown(shared) if cast(Format, fmt) == "md"
                         else shared.model_dump_json(indent=2, exclude_none=True) + "\n")
        written.append(Exported(persona.id, path))
    return written
