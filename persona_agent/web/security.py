"""What stands between the browser and the workspace, as one ASGI middleware (`Guard`):

* **Who**: on 127.0.0.1 the machine's own user; any other bind needs a token (``PERSONA_WEB_TOKEN`` or
  one generated at start and printed), sent as ``Authorization: Bearer …`` or kept in a cookie by
  ``/login?token=…``. Without a token the Host header must name this machine, so a page elsewhere
  cannot reach the workspace through DNS rebinding.
* **Forged requests**: every POST carries the CSRF token of its browser session (a form field
  ``csrf_token`` or an ``X-CSRF-Token`` header), an HMAC of the session cookie under a key made at
  start; a cross-site Origin is refused as well and cookies are SameSite=Strict. Bodies are read to at
  most `MAX_BODY` bytes, URL-encoded only (there are no uploads).
* **What pages may do**: a Content-Security-Policy that allows scripts, styles, images and
  connections from this server only (no inline script: escaped research text could never run even
  if an escape were missed), no framing, no referrer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SESSION_COOKIE = "persona_session"
TOKEN_COOKIE = "persona_token"
MAX_BODY = 256 * 1024  # a question, a proposal or an instruction: far below this
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]



def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard:
    """The ASGI middleware described in the module docstring. ``token`` None: loopback only."""

    def __init__(self, app: Any, *, token: str | None, key: bytes | None = None) -> None:
        self.app = app
        self.token = token
        self.key = key or secrets.token_bytes(32)

    # tokens ------------------------------------------------------------------------------------
    def csrf_for(self, session: str) -> str:
        return hmac.new(self.key, b"csrf:" + session.encode(), hashlib.sha256).hexdigest()

    def _cookie_value(self) -> str:
        return hmac.new(self.key, b"login:" + (self.token or "").encode(), hashlib.sha256).hexdigest()

    def _authorised(self, headers: dict[str, str], cookies: dict[str, str], query: dict[str, list[str]]) -> bool:
        if self.token is None:
            return True
        bearer = headers.get("authorization", "")
        if bearer.startswith("Bearer ") and hmac.compare_digest(bearer[7:].strip(), self.token):
            return True
        return hmac.compare_digest(cookies.get(TOKEN_COOKIE, ""), self._cookie_value())

    # the middleware ----------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = {name: morsel.value for name, morsel in SimpleCookie(headers.get("cookie", "")).items()}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        set_cookies: list[str] = []
        if self.token is None and _host_name(headers.get("host", "")) not in LOCAL_HOSTS:
            await _refuse(send, 421, "This workspace answers only on this machine (127.0.0.1 / localhost).")
            return
        if scope["path"] == "/login" and self.token is not None:
            given = (query.get("token") or [""])[0]
            if not hmac.compare_digest(given, self.token):
                await _refuse(send, 401, "Wrong or missing token: open the address `persona serve` printed.")
                return
            await _redirect(send, "/", [_cookie(TOKEN_COOKIE, self._cookie_value())])
            return
        if not self._authorised(headers, cookies, query):
            await _refuse(send, 401, "This workspace needs its token: open the address `persona serve` printed "
                                     "(…/login?token=…) or send Authorization: Bearer <token>.")
            return
        session = cookies.get(SESSION_COOKIE, "")
        if len(session) < 16:
            session = secrets.token_urlsafe(24)
            set_cookies.append(_cookie(SESSION_COOKIE, session))
        scope.setdefault("state", {})["csrf_token"] = self.csrf_for(session)
        if scope["method"] in UNSAFE:
            body = await _read_body(receive)
            if body is None:
                await _refuse(send, 413, "Request too large.")
                return
            origin = headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).netloc != headers.get("host"):
                await _refuse(send, 403, "Cross-site request refused.")
                return
            if headers.get("content-type", "").split(";")[0].strip() not in ("", "application/x-www-form-urlencoded"):
                await _refuse(send, 415, "Forms are sent URL-encoded.")
                return
            sent = headers.get("x-csrf-token") or (parse_qs(body.decode("utf-8", "replace")).get("csrf_token")
                                                  or [""])[0]
            if SESSION_COOKIE not in cookies or not hmac.compare_digest(sent, self.csrf_for(session)):
                await _refuse(send, 403, "This form has expired or did not come from this workspace: "
                                         "reload the page and send it again.")
                return
            receive = _replay(body, receive)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}  # a page may set a stricter or its own policy
                extra = [(b"set-cookie", c.encode("latin-1")) for c in set_cookies]
                message["headers"] = [*headers, *[h for h in HEADERS if h[0] not in present], *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None past `MAX_BODY`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then waits for the client as usual."""
    done = False

    async def replay() -> Message:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, where: str, cookies: list[str]) -> None:
    await send({"type": "http.response.start", "status": 303, "headers": [
        (b"location", where.encode()), (b"content-length", b"0"), *HEADERS,
        *[(b"set-cookie", c.encode("latin-1")) for c in cookies]]})
    await send({"type": "http.response.body", "body": b""})
