"""Run the HTTP application with uvicorn in a background thread on a loopback port."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from photonics.errors import PhotonicsError

__all__ = ["ServerHandle", "serve_in_thread"]


@dataclass
class ServerHandle:
    """A running server: its base URL and how to stop it."""

    url: str
    server: Any
    thread: threading.Thread

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the server to exit and wait for its thread (at most ``timeout_s`` seconds)."""
        self.server.should_exit = True
        self.thread.join(timeout_s)

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0, timeout_s: float = 20.0) -> ServerHandle:
    """Start ``app`` under uvicorn in a daemon thread and wait until it listens.

    Args:
        app: An ASGI application (e.g. from :func:`photonics.service.create_app`).
        host: Address to bind; loopback by default.
        port: TCP port; 0 picks a free one.
        timeout_s: How long to wait for the server to start, s.
    """
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="photonics-http", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise PhotonicsError(f"the HTTP server did not start on {host}:{port}")
        time.sleep(0.01)
    sock = server.servers[0].sockets[0]
    bound_host, bound_port = sock.getsockname()[:2]
    return ServerHandle(url=f"http://{bound_host}:{bound_port}", server=server, thread=thread)
