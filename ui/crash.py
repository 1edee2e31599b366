"""Crash safety: an unhandled exception anywhere in the UI is logged, the resident sees a calm
"服务暂时中断" notice, and the kiosk returns to the home screen by itself.

Nothing a resident submitted is at risk: submissions are committed (with their outbox record)
before the screen says so, and the wipe only forgets the session.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QTimer

from kiosk.i18n import tr
from ui.main_window import KioskWindow

log = logging.getLogger("kiosk.crash")

RECOVER_MS = 6000

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def make_crash_handler(window: KioskWindow) -> ExceptHook:
    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("unhandled exception in the UI", exc_info=(kind, exc, tb))
        window.interruptions += 1
        try:
            # in the language the resident was using: ending the session switches to Chinese
            title = tr("服务暂时中断")
            text = tr("很抱歉，刚才的操作没有完成。\n"
                      "您已提交的内容不会丢失，请稍后重新办理，或联系工作人员。")
            ok = tr("好的")
            window.end_session()
            window.message(title, text, ok)
            QTimer.singleShot(RECOVER_MS, window.message_box.hide)
        except Exception:  # the notice itself failed: at least keep the log
            log.exception("could not show the interruption notice")

    return handle


def install_crash_handler(window: KioskWindow) -> ExceptHook:
    handler = make_crash_handler(window)
    sys.excepthook = handler
    return handler
