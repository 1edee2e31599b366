"""One sync worker per kiosk: an OS file lock, released by the OS if the process dies.

Two workers would each put the other's inflight records back to pending; harmless for the
server (it deduplicates) but it would make the counts staff see wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO


class SyncLockedError(RuntimeError):
    """Another sync worker (the running kiosk, or `python -m kiosk.sync`) holds the lock."""


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            if os.name == "nt":  # pragma: no cover - Windows kiosks
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise SyncLockedError(f"another sync worker holds {self.path}") from exc
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock on every platform
            self._file = None
