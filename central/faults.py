"""Fault injection for the sync tests: off unless ``KIOSK_CENTRAL_FAULTS`` is set (or a test
passes :class:`Faults` to ``create_app``). Never enable it on a real server.

``KIOSK_CENTRAL_FAULTS`` is JSON, for example::

    {"exit_after_commit": [2]}                    # hard-exit after the 2nd push commits
    {"status_every": 3, "status": 503, "retry_after": 1}
    {"delay_after_commit_s": 2.5}                 # answer slower than the client waits
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

ENV = "KIOSK_CENTRAL_FAULTS"


@dataclass
class Faults:
    exit_after_commit: list[int] = field(default_factory=list)
    status_every: int = 0
    status: int = 503
    retry_after: float | None = None
    paths: list[str] = field(default_factory=lambda: ["/v1/push"])
    delay_after_commit_s: float = 0.0
    seen: list[tuple[float, int]] = field(default_factory=list)  # (monotonic, status) seen
    _pushes: int = 0
    _requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_env(cls) -> Faults | None:
        raw = os.environ.get(ENV, "").strip()
        if not raw:
            return None
        spec: dict[str, Any] = json.loads(raw)
        return cls(**spec)

    def injected_status(self, path: str) -> tuple[int, dict[str, str]] | None:
        """Every ``status_every``-th request to one of ``paths`` fails with ``status``."""
        if not self.status_every or path not in self.paths:
            return None
        with self._lock:
            self._requests += 1
            hit = self._requests % self.status_every == 0
            self.seen.append((time.monotonic(), self.status if hit else 0))
        if not hit:
            return None
        headers = {} if self.retry_after is None else {"Retry-After": f"{self.retry_after:g}"}
        return self.status, headers

    def after_commit(self) -> None:
        """Called once a push batch has committed, before the answer is sent."""
        with self._lock:
            self._pushes += 1
            n = self._pushes
        if n in self.exit_after_commit:
            os._exit(70)  # the process dies: the kiosk sees the connection drop
        if self.delay_after_commit_s:
            time.sleep(self.delay_after_commit_s)
