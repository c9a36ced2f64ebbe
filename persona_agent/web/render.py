"""Templates: Jinja2 with autoescaping on for everything (research and model text is data, never
markup), the filters the pages share, and `page` / `fragment` responses."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from starlette.requests import Request
from starlette.responses import HTMLResponse

CONFIDENCE_MARK = {"high": "●●●", "medium": "●●○", "low": "●○○"}
INTERNAL_METADATA = ("file_hash", "content_hash", "ingest_signature", "ingested_at", "root", "file_chunks",
                     "evidence_id", "kind", "source")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("persona_agent.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(shown=shown, evidence_url=evidence_url, pct=pct, number=number, money=money,
                       closed_answers=closed_answers, chunk_details=chunk_details)
    env.globals.update(CONFIDENCE_MARK=CONFIDENCE_MARK)
    return env


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A whole page, or only its ``content`` block when the script asked for a fragment."""
    state = request.app.state
    workspace = state.workspace
    context.setdefault("redactor", workspace.redactor() if workspace.shared else None)
    context.update(request=request, csrf_token=request.scope.get("state", {}).get("csrf_token", ""),
                   workspace=workspace, jobs_running=sum(j.status == "running" for j in state.jobs.all()),
                   nav=context.get("nav", ""))
    if wants_fragment(request):
        context["fragment"] = True
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={"cache-control": "no-store"})


def render_block(template: str, **context: Any) -> str:
    """A template rendered on its own (the chat's streamed replies, a job's outcome)."""
    context.setdefault("redactor", None)
    return environment().get_template(template).render(**context)


def wants_fragment(request: Request) -> bool:
    return request.headers.get("x-fragment") == "1" or request.query_params.get("fragment") == "1"


# ------------------------------------------------------------------------------------------ filters
@pass_context
def shown(context: Any, text: Any) -> str:
    """Research or model text on its way to the page: redacted when others can open the page."""
    value = "" if text is None else str(text)
    redactor = context.get("redactor")
    return redactor(value) if redactor is not None else value


def evidence_url(evidence_id: str) -> str:
    return "/evidence/" + quote(str(evidence_id), safe="")


def pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f} %"


def number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def money(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def closed_answers(metadata: dict[str, Any]) -> list[tuple[str, Any]]:
    """A survey chunk's closed answers of the same respondent (``a:<question slug>``)."""
    return sorted((key[2:].replace("-", " "), value) for key, value in metadata.items() if key.startswith("a:"))


def chunk_details(metadata: dict[str, Any], shown_first: Iterable[str]) -> list[tuple[str, Any]]:
    """Metadata worth showing that the page has not shown already (no hashes, no server paths)."""
    skip = set(INTERNAL_METADATA) | set(shown_first)
    return sorted((k, v) for k, v in metadata.items() if k not in skip and not k.startswith("a:"))


async def form_of(request: Request) -> Any:
    """The posted form (URL-encoded: the `Guard` lets no other body through), as Starlette's `FormData`."""
    from urllib.parse import parse_qsl

    from starlette.datastructures import FormData

    body = (await request.body()).decode("utf-8", "replace")
    pairs: list[tuple[str, Any]] = parse_qsl(body, keep_blank_values=True)
    return FormData(pairs)
