"""Starting worker ops whose answers cannot be lost.

``KioskOps.run(op)`` attaches its delivery to the future after submitting it; when the op is
quick enough to finish first, ``Future.add_done_callback`` delivers at once, on the GUI
thread, inside ``run()`` — before the caller has chained ``.success()`` — and the answer is
dropped. For a search that leaves 正在查找… on screen for good. Until ui/ops.py delivers
through a queued connection, :func:`start` holds the op back until its callbacks are in place
(the wait is a few microseconds; the worker is otherwise idle at that moment anyway).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from ui.ops import KioskOps

T = TypeVar("T")


def start(ops: KioskOps, work: Callable[[], T], on_success: Callable[[T], None],
          on_failure: Callable[[BaseException], None]) -> None:
    """``ops.run(work).success(on_success).failure(on_failure)``, never losing the answer."""
    chained = threading.Event()

    def gated() -> T:
        chained.wait()
        return work()

    ops.run(gated).success(on_success).failure(on_failure)
    chained.set()
