"""`kiosk run`: the kiosk itself."""

from __future__ import annotations

import argparse
import logging
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
    services.config_file = args.config  # the settings screen writes back to this file
    from ui.launch import build_ui

    try:
        ui = build_ui(services, demo_cards=None)
        window = ui.window
        from ui.crash import install_crash_handler

        install_crash_handler(window)
        _after_first_paint(ui, lambda: _start_background(services, ui))
        if args.exit_after_paint:
            _after_first_paint(ui, lambda: _report_and_quit(ui, started))
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


def _start_background(services: Any, ui: Any) -> None:
    from kiosk.background import start_sync
    from kiosk.devices import start_devices
    from ui.bridge import SyncBridge

    devices = start_devices(services, ui.bridge)
    ui.window.screens["admin"].set_demo_cards(devices.demo_card_actions())
    admin = ui.extras.get("admin")
    if admin is not None and devices.reader is not None:
        admin.monitor.set_reader(devices.reader)  # the reader light follows its own status
    sync_bridge = SyncBridge(ui.window)
    sync_bridge.status_changed.connect(ui.window.on_sync_status)
    ui.extras["sync_bridge"] = sync_bridge
    try:
        start_sync(services, sync_bridge)
    except Exception:  # the kiosk serves residents offline whatever happens to sync
        log.exception("sync worker could not start")


def _report_and_quit(ui: Any, started: float) -> None:
    """For bench/startup.py: the time to the first painted home screen."""
    from PySide6.QtCore import QThread, QTimer

    print(f"first-paint {time.perf_counter() - started:.4f}", flush=True)

    def leave() -> None:
        # exit(), not quit(): Qt 6's quit() first asks every window to close and the kiosk
        # window refuses (residents must not close it), so quit() never ended the run. exit()
        # is ignored before exec() runs, and on Wayland showFullScreen() already paints while
        # it waits for the compositor: try again until the event loop is there.
        if QThread.currentThread().loopLevel() > 0:
            ui.app.exit(0)
        else:
            QTimer.singleShot(10, leave)

    QTimer.singleShot(0, leave)


def _after_first_paint(ui: Any, callback: Any) -> None:
    """Run ``callback`` once, right after the home screen's first frame is painted.

    Devices and sync start then: a resident waits for the screen, not for the serial port or
    the server.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    watcher = _FirstPaint(ui.window)
    ui.extras.setdefault("paint_watchers", []).append(watcher)
    ui.window.home_screen.greeting.installEventFilter(watcher)
