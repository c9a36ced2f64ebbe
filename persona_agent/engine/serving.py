"""One way to serve an ASGI app (the Slack endpoint, the web workspace): uvicorn on a socket bound
before it starts (``port`` 0 picks a free one, and a port in use is a clear error at once), run in the
foreground or from a background thread (tests)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from typing import Any

from persona_agent.core.errors import PersonaError


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: assume it is reachable from elsewhere
        return False


def listen(host: str, port: int) -> socket.socket:
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise PersonaError(f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                           "pick another --port, or stop what is using it") from None


class BoundServer:
    """The socket and the thread; a subclass builds its app and calls `serve` with a uvicorn.Config."""

    thread_name = "persona-server"

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.socket = listen(host, port)
        self.port: int = self.socket.getsockname()[1]
        self.server: Any = None
        self._thread: threading.Thread | None = None

    def serve(self, config: Any) -> None:
        import uvicorn

        self.server = uvicorn.Server(config)

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C) or `stop`."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def start(self) -> Any:
        """Serve from a background thread (tests); returns once it accepts connections."""
        self._thread = threading.Thread(target=self.run, name=self.thread_name, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
