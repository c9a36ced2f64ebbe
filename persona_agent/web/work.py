"""Pages that change things, each run as a background job: ingest a research folder, generate
personas, and edit (draft a persona for a segment, critique one, revise one by instruction — the chat's
/draft, /critique and /revise, with the same grounding rules: an edit without evidence is refused with
the reasons). Progress arrives on the job's page as server-sent events."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from persona_agent.core.errors import PersonaError, RequestError
from persona_agent.web.jobs import Job, Line, stream_key
from persona_agent.web.render import form_of, page, render_block

POLL_SECONDS = 0.3


async def edit_page(request: Request) -> Response:
    workspace = request.app.state.workspace
    analysis = workspace.analysis()
    segments = analysis.segmentation.segments if analysis.segmentation else []
    return page(request, "edit.html", nav="edit", segments=segments, slugs=workspace.library().slugs(),
                chosen=request.query_params.get("persona", ""))


async def jobs_page(request: Request) -> Response:
    workspace = request.app.state.workspace
    return page(request, "jobs.html", nav="jobs", jobs=request.app.state.jobs.all(),
                research_dir=workspace.research_dir)


async def job_page(request: Request) -> Response:
    job = request.app.state.jobs.get(request.path_params["job_id"])
    if job is None:
        return page(request, "message.html", status_code=404, nav="jobs", title="No such job",
                    message="That job is not known to this server (it forgets its jobs when it restarts).")
    again = request.query_params.get("again") == "1"
    cursor = job.cursor
    return page(request, "job.html", nav="jobs", job=job, tasks=job.tasks(), cursor=cursor,
                events=[(stream_key(e), e) for _, e in job.events_after(0)[-200:]], again=again)


async def job_events(request: Request) -> Response:
    """Server-sent events: every event of the job from the cursor on, then ``end`` with the outcome."""
    job = request.app.state.jobs.get(request.path_params["job_id"])
    if job is None:
        return Response("no such job", status_code=404, media_type="text/plain")
    start = request.headers.get("last-event-id") or request.query_params.get("after") or "0"
    redactor = request.app.state.workspace.redactor()

    async def stream() -> Any:
        cursor = int(start) if start.isdigit() else 0
        while True:
            running = job.status == "running"
            for seq, event in job.events_after(cursor):
                cursor = seq
                yield f"id: {seq}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
            if not running:
                outcome = render_block("_job_outcome.html", job=job, redactor=redactor)
                payload = {"status": job.status, "seconds": round(job.seconds), "html": outcome}
                yield f"event: end\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


def _started(job: Job, fresh: bool) -> Response:
    return RedirectResponse(f"/jobs/{job.id}" + ("" if fresh else "?again=1"), status_code=303)


def _folder(workspace: Any, given: str) -> Path | None:
    """The research folder a job reads. Others can open a shared workspace, so there only the folder
    `persona serve --research` named may be read; on this machine any folder the user types."""
    if workspace.shared or not given.strip():
        return workspace.research_dir
    folder = Path(given.strip()).expanduser()
    if not folder.is_dir():
        raise RequestError(f"{given.strip()!r} is not a folder on this machine", "type the path of a research folder")
    return folder.resolve()


async def start_ingest(request: Request) -> Response:
    from persona_agent.workflows.run import prepare

    workspace = request.app.state.workspace
    form = await form_of(request)
    try:
        folder = _folder(workspace, str(form.get("folder", "")))
    except PersonaError as exc:
        return page(request, "message.html", status_code=400, nav="jobs", title="Ingest", message=exc.one_line())
    if folder is None:
        return page(request, "message.html", status_code=400, nav="jobs", title="Ingest",
                    message="Name a research folder (a shared workspace reads only `persona serve --research`).")

    def work(job: Job) -> list[Line]:
        prepared = prepare(workspace.settings, folder, embedder=workspace.embeddings(), on_event=job.emit)
        report: Any = prepared.ingest
        lines = [Line("ok", f"{report.files_seen} files: {report.files_ok} read, {report.files_unchanged} unchanged, "
                            f"{report.chunks_embedded} chunks embedded, {report.chunks_deleted} removed", "/evidence")]
        lines += [Line("warning", f"failed: {failure}") for failure in report.files_failed]
        lines += [Line("warning", f"skipped: {skipped}") for skipped in report.duplicates + report.files_skipped]
        if prepared.analysis is not None:
            lines.append(Line("ok", "analysis updated", "/research"))
        return lines

    job, fresh = request.app.state.jobs.start(f"ingest:{folder}", f"Ingest {folder.name}", work)
    return _started(job, fresh)


async def start_generate(request: Request) -> Response:
    from persona_agent.workflows.run import generate_from_folder

    workspace = request.app.state.workspace
    form = await form_of(request)
    count_text, segment = str(form.get("count", "")).strip(), str(form.get("segment", "")).strip() or None
    try:
        folder = _folder(workspace, str(form.get("folder", "")))
        if count_text and not (count_text.isdigit() and 0 < int(count_text) <= 20):
            raise RequestError(f"count {count_text!r}", "a number from 1 to 20, or empty for one per segment")
    except PersonaError as exc:
        return page(request, "message.html", status_code=400, nav="jobs", title="Generate", message=exc.one_line())

    def work(job: Job) -> list[Line]:
        report = generate_from_folder(workspace.settings, folder, out_dir=workspace.personas_dir,
                                      llm=workspace.chat_model(), embedder=workspace.embeddings(),
                                      count=int(count_text) if count_text else None, segment=segment,
                                      concurrency=1 if workspace.settings.llm == "local" else 4, on_event=job.emit)
        lines = []
        for outcome in report.outcomes:
            if outcome.persona is None:
                lines.append(Line("error", f"{outcome.target.key}: {outcome.error}"))
                continue
            persona = outcome.persona
            issues = len(persona.provenance.open_issues) if persona.provenance else 0
            lines.append(Line("ok", f"{persona.name} (@{persona.id}) for {outcome.target.key}: "
                                    f"{outcome.cited_share * 100:.0f} % of claims cited, {issues} open issues",
                              f"/personas/{persona.id}"))
        return lines

    # one generation at a time: two would write the same personas folder
    job, fresh = request.app.state.jobs.start("generate", "Generate personas", work)
    return _started(job, fresh)


async def start_edit(request: Request) -> Response:
    """POST /edit/{action}: draft (segment), critique (persona) or revise (persona + instruction)."""
    workspace = request.app.state.workspace
    action = request.path_params["action"]
    form = await form_of(request)
    slug, segment = str(form.get("persona", "")).strip(), str(form.get("segment", "")).strip()
    instruction = " ".join(str(form.get("instruction", "")).split())
    try:
        if action == "draft":
            line, key, title, link = f"/draft {segment}".strip(), f"draft:{segment}", "Draft a persona", "/"
        elif action in ("critique", "revise"):
            from persona_agent.core.names import persona_slug

            slug = persona_slug(slug)
            if action == "revise" and not instruction:
                raise RequestError("a revision needs an instruction", "e.g. make her more price-sensitive")
            line = f"/{action} {slug} {instruction}".strip()
            key, title, link = f"edit:{slug}", f"{action.capitalize()} @{slug}", f"/personas/{slug}"
        else:
            return Response("no such action", status_code=404, media_type="text/plain")
    except PersonaError as exc:
        return page(request, "message.html", status_code=400, nav="edit", title="Edit", message=exc.one_line())

    def work(job: Job) -> list[Line]:
        session = workspace.session(on_event=job.emit)
        replies = session.handle(line)
        return [Line("error" if r.kind == "error" else "text", r.text, None if r.kind == "error" else link)
                for r in replies]

    job, fresh = request.app.state.jobs.start(key, title, work)
    return _started(job, fresh)
