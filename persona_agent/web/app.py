"""The Starlette application: routes, the static files shipped in the package, and the `Guard`
(token, CSRF, CSP) around everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from persona_agent.web import chat, pages, work
from persona_agent.web.jobs import Jobs
from persona_agent.web.render import page
from persona_agent.web.security import Guard
from persona_agent.web.workspace import Workspace

STATIC = Path(__file__).parent / "static"


def create_app(workspace: Workspace, *, token: str | None = None, key: bytes | None = None) -> Any:
    """The workspace as an ASGI app. ``token`` None: the app answers only requests addressed to this
    machine (see `security`); `persona serve` requires one for any other bind."""
    routes = [
        Route("/", pages.gallery),
        Route("/personas/{slug}", pages.persona_page),
        Route("/personas/{slug}/onepager", pages.onepager_document),
        Route("/research", pages.research),
        Route("/research/charts/{name}", pages.chart),
        Route("/evidence", pages.evidence_browser),
        Route("/evidence/{evidence_id:path}", pages.chunk),
        Route("/chat", chat.chat_page),
        Route("/chat/ask", chat.ask, methods=["POST"]),
        Route("/chat/objections", chat.objections, methods=["POST"]),
        Route("/edit", work.edit_page),
        Route("/edit/{action}", work.start_edit, methods=["POST"]),
        Route("/jobs", work.jobs_page),
        Route("/jobs/ingest", work.start_ingest, methods=["POST"]),
        Route("/jobs/generate", work.start_generate, methods=["POST"]),
        Route("/jobs/{job_id}", work.job_page),
        Route("/jobs/{job_id}/events", work.job_events),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_allowed})
    app.state.workspace = workspace
    app.state.jobs = Jobs()
    return Guard(app, token=token, key=key)


async def _not_found(request: Request, exc: Exception) -> Response:
    return page(request, "message.html", status_code=404, title="Not found", message="There is no such page.")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return Response("method not allowed", status_code=405, media_type="text/plain")
