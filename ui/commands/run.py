"""`kiosk run`: the kiosk itself."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from typing import Any

from kiosk.commands.common import add_config_args, load

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("run", help="start the kiosk")
    add_config_args(parser)
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window at the configured size instead of full screen")
    parser.add_argument("--exit-after-paint", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    loaded = load(args)
    if loaded is None:
        return 2
    config, dirs = loaded
    from kiosk.app import build_services
    from kiosk.logging_setup import setup_logging
    from kiosk.store.engine import StorageError

    setup_logging(dirs.ensure().log)
    try:
        services = build_services(config, dirs)
    except StorageError as exc:
        print(f"数据库错误 / storage error: {exc}", file=sys.stderr)
        return 3
    from kiosk.devices import start_devices
    from ui.launch import build_ui

    try:
        ui = build_ui(services, demo_cards=None)
        devices = start_devices(services, ui.bridge)
        ui.window.screens["admin"].set_demo_cards(devices.demo_card_actions())  # type: ignore[attr-defined]
        window = ui.window
        from ui.crash import install_crash_handler

        install_crash_handler(window)
        if args.exit_after_paint:
            _quit_after_first_paint(ui, started)
        if args.windowed or not config.display.fullscreen:
            window.show()
        else:
            from PySide6.QtCore import Qt

            window.setWindowFlags(Qt.WindowType.FramelessWindowHint
                                  | Qt.WindowType.WindowStaysOnTopHint)
            if config.display.hide_cursor:
                ui.app.setOverrideCursor(Qt.CursorShape.BlankCursor)
            window.showFullScreen()
        log.info("kiosk started (demo=%s) in %.2f s", config.demo, time.perf_counter() - started)
        code = ui.app.exec()
        ui.close()
        return int(code)
    finally:
        services.close()


def _quit_after_first_paint(ui: Any, started: float) -> None:
    """For bench/startup.py: report the first painted frame of the home screen and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                print(f"first-paint {time.perf_counter() - started:.4f}", flush=True)
                QTimer.singleShot(0, ui.app.quit)
            return False

    ui.extras["first_paint"] = _FirstPaint(ui.window)
    ui.window.home_screen.greeting.installEventFilter(ui.extras["first_paint"])
    os.environ.setdefault("KIOSK_BENCH", "1")
