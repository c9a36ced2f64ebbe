"""Serving the workspace: uvicorn on a socket bound before it starts (``port`` 0 picks a free one),
127.0.0.1 unless told otherwise — and then only with a token."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from persona_agent.core.errors import PersonaError
from persona_agent.web.security import is_loopback, new_token
from persona_agent.web.workspace import Workspace


class WebServer:
    """``token``: required by every request (None on loopback means none is needed). A bind beyond
    this machine without a token gets a generated one (see `login_url`)."""

    def __init__(self, workspace: Workspace, host: str = "127.0.0.1", port: int = 8765,
                 token: str | None = None) -> None:
        import uvicorn

        from persona_agent.web.app import create_app

        self.host = host
        if not is_loopback(host):
            workspace.shared = True
            token = token or new_token()
        self.token = token
        self.socket = _listen(host, port)
        self.port: int = self.socket.getsockname()[1]
        self.app = create_app(workspace, token=token)
        config = uvicorn.Config(self.app, lifespan="off", log_config=None, access_log=False, server_header=False,
                                proxy_headers=False, timeout_keep_alive=5, limit_concurrency=200,
                                timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '[::]') else host}:{self.port}"

    @property
    def login_url(self) -> str:
        """The address to open: with the token when there is one (it sets a cookie, then goes to /)."""
        return f"{self.url}/login?token={self.token}" if self.token else f"{self.url}/"

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C) or `stop`."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def start(self) -> WebServer:
        """Serve from a background thread (tests); returns once it accepts connections."""
        self._thread = threading.Thread(target=self.run, name="persona-web", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def _listen(host: str, port: int) -> Any:
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise PersonaError(f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                           "pick another --port, or stop what is using it") from None
