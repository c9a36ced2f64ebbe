"""Serving the workspace: uvicorn on a socket bound before it starts (``port`` 0 picks a free one),
127.0.0.1 unless told otherwise — and then only with a token."""

from __future__ import annotations

from persona_agent.engine.serving import BoundServer, is_loopback
from persona_agent.web.security import new_token
from persona_agent.web.workspace import Workspace


class WebServer(BoundServer):
    """``token``: required by every request (None on loopback means none is needed). A bind beyond
    this machine without a token gets a generated one (see `login_url`)."""

    thread_name = "persona-web"

    def __init__(self, workspace: Workspace, host: str = "127.0.0.1", port: int = 8765,
                 token: str | None = None) -> None:
        import uvicorn

        from persona_agent.web.app import create_app

        super().__init__(host, port)
        if not is_loopback(host):
            workspace.shared = True
            token = token or new_token()
        self.token = token
        self.app = create_app(workspace, token=token)
        config = uvicorn.Config(self.app, lifespan="off", log_config=None, access_log=False, server_header=False,
                                proxy_headers=False, timeout_keep_alive=5, limit_concurrency=200,
                                timeout_graceful_shutdown=2)
        self.serve(config)

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '[::]') else host}:{self.port}"

    @property
    def login_url(self) -> str:
        """The address to open: with the token when there is one (it sets a cookie, then goes to /)."""
        return f"{self.url}/login?token={self.token}" if self.token else f"{self.url}/"
