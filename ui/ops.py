"""Running core work off the GUI thread: ``KioskOps.run(op).success(...).failure(...)``.

Anki's CollectionOp pattern: ``op`` runs on a worker and must not touch widgets (Qt may crash);
``success``/``failure`` callbacks run on the GUI thread. A single worker keeps database writes
in order, the way one SQLite writer wants them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Relay(QObject):
    done = Signal(object, object, bool)  # Op handle, value, is_error

    closed = False  # set by KioskOps.shutdown: results still queued belong to a closed window

    @Slot(object, object, bool)
    def _deliver(self, handle: Any, value: Any, is_error: bool) -> None:
        if self.closed:
            return
        # Read the callbacks here, on the GUI thread: the caller has chained .success() and
        # .failure() by now, even when the op finished before run() returned.
        if is_error:
            if handle._on_failure is None:
                log.error("background operation failed", exc_info=value)
            else:
                handle._on_failure(value)
        elif handle._on_success is not None:
            handle._on_success(value)


class Op(Generic[T]):
    """One background operation; set callbacks before the op finishes (immediately)."""

    def __init__(self) -> None:
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        self._on_failure = callback
        return self


class KioskOps(QObject):
    """Owns the worker thread; :meth:`shutdown` when the window closes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-op")
        # Network waits (resident facts, up to a few seconds) must not hold up database work.
        self._net_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-net")
        self._relay = _Relay(self)
        # Always queued: an op that is already done when run() adds its callback would
        # otherwise be delivered synchronously, before the caller chained .success().
        self._relay.done.connect(self._relay._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, op: Callable[[], T], *, network: bool = False) -> Op[T]:
        """Run ``op`` on the database worker (in submission order), or with ``network`` on
        the network worker."""
        handle: Op[T] = Op()
        future = (self._net_pool if network else self._pool).submit(op)

        def finished(f: Future[T]) -> None:
            exc = f.exception()
            if exc is not None:
                self._relay.done.emit(handle, exc, True)
            else:
                self._relay.done.emit(handle, f.result(), False)

        future.add_done_callback(finished)
        return handle

    def shutdown(self) -> None:
        self._net_pool.shutdown(wait=True, cancel_futures=True)
        self._pool.shutdown(wait=True, cancel_futures=False)
        self._relay.closed = True
