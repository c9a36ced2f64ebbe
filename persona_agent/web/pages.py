"""Pages that read: the personas gallery, a persona's one-pager, the research dashboard and the
evidence browser (search with kind and language filters; every id opens its chunk)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from persona_agent.core.errors import PersonaError
from persona_agent.web.render import page

MIX_ORDER = ("high", "medium", "low", "inference", "unrated")
PAGE_SIZE = 30
SEARCH_K = 20


def personas_and_problems(workspace: Any) -> tuple[list[Any], dict[str, str]]:
    """Every persona that loads; the files that do not, with why (one bad file hides no others)."""
    library = workspace.library()
    personas, problems = [], {}
    for slug in library.slugs():
        try:
            personas.append(library.get(slug))
        except (PersonaError, ValueError) as exc:
            problems[slug] = exc.one_line() if isinstance(exc, PersonaError) else str(exc).splitlines()[0]
    return personas, problems


def confidence_mix(persona: Any) -> list[dict[str, Any]]:
    """How the persona's claims are backed: high / medium / low confidence, inferences, unrated;
    with the x offset and width of each part in a 100-wide bar."""
    from persona_agent.personas.claims import iter_claims

    counts = Counter("inference" if claim.support == "inference" else (claim.confidence or "unrated")
                     for _, claim in iter_claims(persona))
    total = sum(counts.values()) or 1
    parts, x = [], 0.0
    for label in MIX_ORDER:
        if counts[label]:
            width = 100 * counts[label] / total
            parts.append({"label": label, "count": counts[label], "x": round(x, 2), "width": round(width, 2)})
            x += width
    return parts


async def gallery(request: Request) -> Response:
    workspace = request.app.state.workspace
    personas, problems = personas_and_problems(workspace)
    analysis = workspace.analysis()
    cards = [{"persona": p, "mix": confidence_mix(p),
              "value": analysis.segment_value(p.segment.segment_id) if p.segment.segment_id else None}
             for p in personas]
    return page(request, "gallery.html", nav="personas", cards=cards, problems=problems,
                redactor=workspace.redactor([p.name for p in personas]))


async def persona_page(request: Request) -> Response:
    workspace = request.app.state.workspace
    try:
        persona = workspace.library().get(request.path_params["slug"])
    except PersonaError as exc:
        return page(request, "message.html", status_code=404, nav="personas", title="No such persona",
                    message=exc.one_line())
    analysis = workspace.analysis()
    sources, store_problem = [], None
    ids = persona.provenance.evidence_ids if persona.provenance else []
    try:
        sources = workspace.store().get(ids)
    except PersonaError as exc:  # no store yet, another embedder: the page still shows the persona
        store_problem = exc.one_line()
    segment = persona.segment.segment_id or ""
    return page(request, "persona.html", nav="personas", persona=persona, mix=confidence_mix(persona),
                value=analysis.segment_value(segment) if segment else None, sources=sources,
                store_problem=store_problem, onepager=export_onepager() is not None, redactor=workspace.redactor())


def export_onepager() -> Any:
    """The export's one-pager module (issue 13: `personas.onepager`), or None while it has not landed.

    The page above renders the same data itself, its citations opening /evidence/…; the export's
    document is shared as it is, on its own page: it styles itself inline (this server's CSP forbids
    that on its own pages) and links each citation to its own appendix."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("persona_agent.personas.onepager") is None:
        return None
    return importlib.import_module("persona_agent.personas.onepager")


async def onepager_document(request: Request) -> Response:
    """The export's self-contained one-pager: inline styles allowed, no script at all."""
    from starlette.responses import HTMLResponse

    workspace = request.app.state.workspace
    module = export_onepager()
    if module is None:
        return page(request, "message.html", status_code=404, nav="personas", title="No one-pager export",
                    message="This build has no one-pager export yet (`persona export`); the persona page shows "
                            "the same data.")
    try:
        persona = workspace.library().get(request.path_params["slug"])
        analysis = module.load_export_analysis(workspace.settings.analysis_dir)
        cited = workspace.store().get(module.export_evidence_ids(persona, analysis))
    except PersonaError as exc:
        return page(request, "message.html", status_code=404, nav="personas", title="One-pager",
                    message=exc.one_line())
    html = module.persona_html(persona, evidence={e.evidence_id: e for e in cited}, analysis=analysis,
                               standalone=True)
    return HTMLResponse(html, headers={"content-security-policy": ONEPAGER_CSP, "cache-control": "no-store"})


ONEPAGER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"


async def research(request: Request) -> Response:
    workspace = request.app.state.workspace
    analysis = workspace.analysis()
    personas, _ = personas_and_problems(workspace)
    by_segment: dict[str, list[Any]] = {}
    for persona in personas:
        by_segment.setdefault(persona.segment.segment_id or "", []).append(persona)
    return page(request, "research.html", nav="research", analysis=analysis, personas_by_segment=by_segment,
                redactor=workspace.redactor([p.name for p in personas]))


async def chart(request: Request) -> Response:
    from persona_agent.analysis.saved import CHARTS

    name = request.path_params["name"]
    path = request.app.state.workspace.settings.analysis_dir / name
    if name not in CHARTS or not path.is_file():  # only the report's own charts, by their fixed names
        return Response("no such chart", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type="image/png", headers={"cache-control": "no-store"})


async def evidence_browser(request: Request) -> Response:
    workspace = request.app.state.workspace
    params = request.query_params
    query, kind, language = params.get("q", "").strip(), params.get("kind", ""), params.get("language", "")
    offset = int(params["offset"]) if params.get("offset", "").isdigit() else 0
    try:
        store = workspace.store()
        metadata = store.metadata_where()
    except PersonaError as exc:
        return page(request, "message.html", status_code=503, nav="evidence", title="No evidence store",
                    message=exc.one_line())
    kinds = Counter(str(m.get("kind", "")) for m in metadata.values())
    languages = Counter(str(m.get("language") or "none") for m in metadata.values())
    clauses = [{"kind": kind}] if kind in kinds else []
    clauses += [{"language": language}] if language in languages and language != "none" else []
    where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
    hits: list[Any] = []
    total = None
    if query:
        hits = [(hit.evidence, hit.score) for hit in store.search(query, k=SEARCH_K, where=where)]
    else:
        ids = sorted((i for i, m in metadata.items()
                      if all(str(m.get(k) or "none") == v for clause in clauses for k, v in clause.items())),
                     key=lambda i: _reading_order(i, metadata[i]))
        total = len(ids)
        hits = [(evidence, None) for evidence in store.get(ids[offset:offset + PAGE_SIZE])]
    return page(request, "evidence.html", nav="evidence", query=query, kind=kind, language=language, hits=hits,
                kinds=sorted(kinds.items()), languages=sorted(languages.items()), total=total, offset=offset,
                page_size=PAGE_SIZE, count=len(metadata))


def _reading_order(evidence_id: str, meta: dict[str, Any]) -> tuple[str, int, int, str]:
    """File by file, and within a file as it reads: rows, then lines."""
    row, line = meta.get("row"), meta.get("line_start")
    return (str(meta.get("source", "")), int(row) if isinstance(row, int) else 0,
            int(line) if isinstance(line, int) else 0, evidence_id)


async def chunk(request: Request) -> Response:
    workspace = request.app.state.workspace
    evidence_id = request.path_params["evidence_id"]
    try:
        found = workspace.store().get([evidence_id])
    except PersonaError as exc:
        return page(request, "message.html", status_code=503, nav="evidence", title="No evidence store",
                    message=exc.one_line())
    if not found:
        return page(request, "message.html", status_code=404, nav="evidence", title="No such evidence",
                    message=f"There is no chunk {evidence_id!r} in the store (re-ingested or removed since?).")
    personas, _ = personas_and_problems(workspace)
    cited_by = [p for p in personas if p.provenance and evidence_id in p.provenance.evidence_ids]
    return page(request, "chunk.html", nav="evidence", evidence=found[0], meta=found[0].metadata, cited_by=cited_by)
