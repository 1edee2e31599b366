"""Running the API under uvicorn: in the foreground (``kiosk-central serve``) or on a named
background thread (tests and benchmarks), always on a socket bound first so that port 0 works
and the real port is known before the first request."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

import uvicorn

from central.app import ServerSettings, create_app
from central.db import Store
from central.faults import Faults


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted connections only then, and
    # without it every small answer waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def uvicorn_config(app: Any, *, tls_cert: str = "", tls_key: str = "",
                   access_log: bool = False) -> uvicorn.Config:
    kwargs: dict[str, Any] = {}
    if tls_cert:
        kwargs = {"ssl_certfile": tls_cert, "ssl_keyfile": tls_key or None}
    return uvicorn.Config(app, lifespan="off", log_level="warning", access_log=access_log,
                          timeout_keep_alive=30, backlog=2048, **kwargs)


class ServerThread:
    """The central server on a background thread named "central-server" (tests, benchmarks).

    ``start()`` returns once it accepts connections; ``stop()`` ends and joins the thread.
    """

    def __init__(self, store: Store, *, host: str = "127.0.0.1", port: int = 0,
                 settings: ServerSettings | None = None, faults: Faults | None = None,
                 tls_cert: str = "", tls_key: str = "") -> None:
        self.store = store
        self.app = create_app(store, settings, faults)
        self._sock = bind(host, port)
        self.host, self.port = self._sock.getsockname()[:2]
        self.scheme = "https" if tls_cert else "http"
        self._server = uvicorn.Server(uvicorn_config(self.app, tls_cert=tls_cert,
                                                     tls_key=tls_key))
        self._thread = threading.Thread(target=self._run, name="central-server", daemon=True)
        self._started = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # surfaced by start()
            self._error = exc
            self._started.set()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        watcher = loop.create_task(self._watch_started())
        await self._server.serve(sockets=[self._sock])
        watcher.cancel()

    async def _watch_started(self) -> None:
        while not self._server.started:
            await asyncio.sleep(0.005)
        self._started.set()

    def start(self, timeout: float = 10.0) -> ServerThread:
        self._thread.start()
        if not self._started.wait(timeout) or self._error is not None:
            self.stop()
            raise RuntimeError(f"central server did not start: {self._error}")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def serve_forever(store: Store, host: str, port: int, *, tls_cert: str = "",
                  tls_key: str = "", settings: ServerSettings | None = None,
                  announce: Callable[[str], None] = lambda _url: None) -> None:
    """Foreground server for ``kiosk-central serve``; ``announce`` gets the URL it listens on
    (the real port when 0 was asked for) before the first request can arrive."""
    faults = Faults.from_env()
    if faults is not None:
        logging.getLogger("central").warning("FAULT INJECTION ENABLED: %s", faults)
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    scheme = "https" if tls_cert else "http"
    announce(f"{scheme}://{bound_host}:{bound_port}")
    server = uvicorn.Server(uvicorn_config(create_app(store, settings, faults),
                                           tls_cert=tls_cert, tls_key=tls_key,
                                           access_log=True))
    server.run(sockets=[sock])
