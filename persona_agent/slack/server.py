"""Slack's HTTP endpoint: the Bolt app behind Bolt's Starlette adapter, served by uvicorn (asyncio,
no thread per connection), with the limits a public endpoint needs *before* a signature is checked.

* **Body**: at most ``max_body_bytes``, counted on the body as it streams in. Content-Length is not
  trusted: a negative or garbage one is a 400 (from the HTTP parser), a larger one a 413 before a
  byte is read, and a chunked body is cut off with 413 once it passes the limit.
* **Time**: the request headers must arrive within ``header_timeout`` of connecting (or of the
  previous response on a kept-alive connection) — uvicorn has no such deadline of its own, so a
  client sending half a request line would hold its connection forever —, the whole body within
  ``body_timeout`` (else 408), and idle keep-alive connections close after ``keep_alive`` seconds.
* **Connections**: at most ``max_connections`` at once; more get 503.
* **Bind**: 127.0.0.1 by default; Slack reaches the bot through a TLS proxy or tunnel on the host.

`app.dispatch` (signature check, then the listeners) runs in a worker thread, so a slow listener
(``process_before_response``) never stalls the event loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from persona_agent.engine.serving import BoundServer, is_loopback

if TYPE_CHECKING:
    from slack_bolt import App
    from starlette.applications import Starlette

EVENTS_PATH = "/slack/events"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HttpLimits:
    max_body_bytes: int = 1_000_000  # Slack payloads are a few KB
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    keep_alive: int = 5
    max_connections: int = 100



def bind_warning(host: str) -> str | None:
    """What to tell the user when ``host`` exposes the bot beyond this machine (None for loopback)."""
    if is_loopback(host):
        return None
    return (f"warning: listening on {host}, reachable from other machines; the usual set-up keeps the "
            "default 127.0.0.1 behind a TLS reverse proxy or tunnel")


# ------------------------------------------------------------------------------------------ the ASGI app
def asgi_app(app: App, limits: HttpLimits = HttpLimits(), path: str = EVENTS_PATH) -> Starlette:
    """Starlette app: POST ``path`` → ``app.dispatch``; every other path 404, other methods 405."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def events(request: Request) -> Response:
        body = await _read_body(request, limits)
        if isinstance(body, Response):
            return body
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:  # Slack sends UTF-8; anything else could not be signed by it
            return Response(status_code=400)
        response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    return Starlette(routes=[Route(path, events, methods=["POST"])])


async def _read_body(request: Any, limits: HttpLimits) -> Any:
    """The body, or the error `Response` that refuses it (413 too large, 400 bad length, 408 too slow)."""
    import anyio
    from starlette.requests import ClientDisconnect
    from starlette.responses import Response

    def refuse(status: int) -> Response:
        return Response(status_code=status, headers={"Connection": "close"})

    declared = request.headers.get("content-length")
    if declared is not None and not declared.isdigit():  # "-1", "1e3", "abc"
        return refuse(400)
    if declared is not None and int(declared) > limits.max_body_bytes:
        return refuse(413)
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(limits.body_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.max_body_bytes:
                    return refuse(413)
                chunks.append(chunk)
    except TimeoutError:
        log.warning("Slack endpoint: body not received within %.0f s; connection closed", limits.body_timeout)
        return refuse(408)
    except ClientDisconnect:
        return refuse(400)
    return b"".join(chunks)


def _timed_protocol(header_timeout: float) -> type:
    """uvicorn's h11 protocol with a deadline for the request headers (see the module docstring)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadlineH11(H11Protocol):
        _deadline: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(header_timeout, self._expire, self.cycle)

        def _expire(self, waiting_after: Any) -> None:
            self._deadline = None
            if self.cycle is waiting_after and not self.transport.is_closing():  # no new request since
                log.warning("Slack endpoint: no complete request within %.0f s; connection closed", header_timeout)
                self.transport.close()

    return HeaderDeadlineH11


# ------------------------------------------------------------------------------------------ serving
class EventServer(BoundServer):
    """uvicorn serving `asgi_app` on a socket bound at construction (``port`` 0 picks a free one)."""

    thread_name = "slack-http"

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 3000,
                 limits: HttpLimits = HttpLimits()) -> None:
        import uvicorn

        super().__init__(host, port)
        config = uvicorn.Config(
            asgi_app(app, limits), http=_timed_protocol(limits.header_timeout), lifespan="off",
            timeout_keep_alive=limits.keep_alive, limit_concurrency=limits.max_connections,
            log_config=None, access_log=False, server_header=False, proxy_headers=False,
        )
        self.serve(config)
