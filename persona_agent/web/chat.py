"""The chat: pick one persona (its answer streams token by token) or several (a focus group: each
answer as soon as it is complete, then the synthesis); threads are `persona chat`'s own files; and the
objection tester. The library call runs in a worker thread; the page reads its replies as one JSON
object per line (``application/x-ndjson``), or, without script, gets the thread page back."""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from persona_agent.core.errors import PersonaError
from persona_agent.web.render import form_of, page, render_block, wants_fragment

STREAM = "application/x-ndjson"
_SENTENCE_END = re.compile(r"[.!?…\n]\s")


async def chat_page(request: Request) -> Response:
    workspace = request.app.state.workspace
    params = request.query_params
    thread = params.get("thread", "").strip() or None
    try:
        turns = _turns(workspace, thread)
    except PersonaError as exc:
        return page(request, "message.html", status_code=400, nav="chat", title="Chat", message=exc.one_line())
    library = workspace.library()
    slugs = library.slugs()
    chosen = [s for s in params.getlist("persona") if s in slugs] or slugs[:1]
    threads = workspace.threads()
    threads = threads if not thread or thread in threads else [thread, *threads]  # a new one, before its first turn
    return page(request, "chat.html", nav="chat", thread=thread, threads=threads, slugs=slugs,
                chosen=chosen, exchanges=exchanges(turns[-60:]), names=_names(library, slugs),
                redactor=workspace.redactor())


def _turns(workspace: Any, thread: str | None) -> list[dict[str, str]]:
    """The thread's history as `persona chat` wrote it (the name is checked before any path is built)."""
    from persona_agent.talk.threads import Thread
    from persona_agent.web.workspace import CHANNEL

    return Thread.open(workspace.settings.home / "chat", CHANNEL, thread,
                       max_turns=workspace.settings.history_turns).turns


def exchanges(turns: list[dict[str, str]]) -> list[dict[str, Any]]:
    """A thread's turns as the page shows them: a question once, then whoever answered it (a focus
    group's answers share one question and end with the synthesis, kept as persona "@all")."""
    shown: list[dict[str, Any]] = []
    for turn in turns:
        question, persona = turn.get("question", ""), turn.get("persona", "")
        last = shown[-1] if shown else None
        if last is None or last["question"] != question or last["synthesis"] is not None:
            last = {"question": question, "slugs": [], "answers": [], "synthesis": None}
            shown.append(last)
        if persona == "@all":
            last["synthesis"] = turn.get("answer", "")
            if not last["slugs"]:
                last["slugs"] = (turn.get("group") or "all").split(",")
        else:
            last["slugs"].append(persona)
            last["answers"].append(turn)
    return shown


def _names(library: Any, slugs: list[str]) -> dict[str, str]:
    names = {}
    for slug in slugs:
        try:
            names[slug] = library.get(slug).name
        except (PersonaError, ValueError):
            names[slug] = slug
    return names


async def ask(request: Request) -> Response:
    """POST question + persona (one or several) + thread."""
    workspace = request.app.state.workspace
    form = await form_of(request)
    question = str(form.get("question", "")).strip()
    thread = str(form.get("thread", "")).strip() or None
    slugs = [str(s) for s in form.getlist("persona")]
    streamed = STREAM in request.headers.get("accept", "")
    if not question or not slugs:
        error = "Write a question and pick at least one persona."
        if streamed:
            return StreamingResponse(iter([_line({"type": "error", "html": _error_html(error)})]), media_type=STREAM)
        return page(request, "message.html", status_code=400, nav="chat", title="Chat", message=error)
    if not streamed:  # no script: answer, then show the thread (the answer is in its history)
        from starlette.concurrency import run_in_threadpool

        replies = await run_in_threadpool(_converse, workspace, thread, slugs, question, None, None)
        errors = [r.text for r in replies if r.kind == "error"]
        if errors and not any(r.kind == "answer" for r in replies):
            return page(request, "message.html", status_code=400, nav="chat", title="Chat", message=errors[0])
        target = "/chat?" + "&".join([f"thread={quote(thread or '')}"] + [f"persona={quote(s)}" for s in slugs])
        return RedirectResponse(target, status_code=303)
    return StreamingResponse(_stream(workspace, thread, slugs, question), media_type=STREAM,
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


def _converse(workspace: Any, thread: str | None, slugs: list[str], question: str,
              on_token: Any, on_answer: Any) -> list[Any]:
    from persona_agent.talk.conversation import Reply

    try:
        session = workspace.session(thread, on_token=on_token, on_answer=on_answer)
        return list(session.converse(slugs, question))
    except PersonaError as exc:
        return [Reply("error", exc.one_line(), error=exc)]


def _stream(workspace: Any, thread: str | None, slugs: list[str], question: str) -> Iterator[str]:
    """Runs in Starlette's thread pool (a sync iterator): the conversation in a worker thread, its
    tokens and replies handed over through a queue as they come."""
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()
    redactor = workspace.redactor()
    library = workspace.library()
    names = _names(library, library.slugs())
    spoken: list[str] = []

    def on_token(token: str) -> None:
        if redactor is None:
            events.put({"type": "token", "text": token})
            return
        spoken.append(token)  # shared page: only whole sentences, redacted, ever leave the server
        text = "".join(spoken)
        cut = max((m.end() for m in _SENTENCE_END.finditer(text)), default=0)
        if cut:
            events.put({"type": "text", "text": redactor(text[:cut])})

    def on_answer(reply: Any) -> None:
        spoken.clear()
        events.put({"type": "reply", "html": _reply_html(reply, redactor, names)})

    def work() -> None:
        try:
            for reply in _converse(workspace, thread, slugs, question, on_token, on_answer):
                if reply.kind != "answer":  # answers went out through on_answer as they were complete
                    events.put({"type": "reply", "html": _reply_html(reply, redactor, names)})
        finally:
            events.put(None)

    yield _line({"type": "question", "html": render_block("_question.html", question=question, slugs=slugs,
                                                           redactor=redactor)})
    yield _line({"type": "start", "speaker": slugs[0] if len(slugs) == 1 else "focus group"})
    threading.Thread(target=work, name="chat-turn", daemon=True).start()
    while (event := events.get()) is not None:
        yield _line(event)
    yield _line({"type": "done"})


def _line(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False) + "\n"


def _reply_html(reply: Any, redactor: Any, names: dict[str, str] | None = None) -> str:
    return render_block("_reply.html", reply=reply, redactor=redactor, names=names or {})


def _error_html(text: str) -> str:
    from persona_agent.talk.conversation import Reply

    return _reply_html(Reply("error", text), None)


async def objections(request: Request) -> Response:
    """POST persona + proposal → the persona's ranked objections, each with its evidence."""
    from starlette.concurrency import run_in_threadpool

    workspace = request.app.state.workspace
    form = await form_of(request)
    slug, proposal = str(form.get("persona", "")), str(form.get("proposal", "")).strip()
    report, error = None, None
    if not slug or not proposal:
        error = "Pick a persona and paste a proposal."
    else:
        try:
            session = await run_in_threadpool(workspace.session)
            report = await run_in_threadpool(session.chat.objections, slug, proposal)
        except PersonaError as exc:
            error = exc.one_line()
    context: dict[str, Any] = {"report": report, "error": error, "slug": slug, "proposal": proposal}
    if wants_fragment(request):
        return page(request, "_objections.html", **context, redactor=workspace.redactor())
    library = workspace.library()
    slugs = library.slugs()
    return page(request, "chat.html", nav="chat", thread=None, threads=workspace.threads(), slugs=slugs,
                chosen=[slug] if slug in slugs else slugs[:1], exchanges=[], names=_names(library, slugs),
                objections=context, redactor=workspace.redactor())
