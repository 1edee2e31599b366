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
    """Paint home first, then open storage on a worker and build the rest behind it.

    The home screen needs only the config, so it is on the glass before SQLAlchemy, the
    database, the policy pack and some thirty screen modules are loaded (about a second on a
    2-core kiosk PC). A tile tapped in that second opens once its screen exists; the card
    reader and sync start only after everything is in place.
    """
    started = time.perf_counter()
    loaded = load(args)
    if loaded is None:
        return 2
    config, dirs = loaded
    from kiosk.logging_setup import setup_logging
    from kiosk.session import ResidentSession

    setup_logging(dirs.ensure().log)
    from ui.launch import build_shell

    ui = build_shell(config, ResidentSession())
    window = ui.window
    from ui.crash import install_crash_handler

    install_crash_handler(window)
    state: dict[str, Any] = {"code": 0, "services": None}

    def open_services() -> Any:  # worker thread: storage, policies, and the screen imports
        from kiosk.app import build_services

        services = build_services(config, dirs, session=window.session)
        try:
            import ui.screen_set  # noqa: F401  (imported here so the GUI thread need not)
        except BaseException:
            services.close()
            raise
        return services

    def opened(services: Any) -> None:
        from ui.launch import attach_services

        state["services"] = services
        services.config_file = args.config  # the settings screen writes back to this file
        attach_services(ui, services)
        _start_background(services, ui)
        log.info("kiosk ready (demo=%s) in %.2f s", config.demo, time.perf_counter() - started)
        if args.exit_after_paint:
            print(f"ready {time.perf_counter() - started:.4f}", flush=True)
            _quit_soon(ui, 0)

    def failed(exc: BaseException) -> None:
        from kiosk.store.engine import StorageError

        if isinstance(exc, StorageError):
            print(f"数据库错误 / storage error: {exc}", file=sys.stderr)
            log.error("storage error at start: %s", exc)
            state["code"] = 3
        else:
            log.error("the kiosk could not start", exc_info=exc)
            state["code"] = 1
        _quit_soon(ui, state["code"])

    def first_frame() -> None:
        if args.exit_after_paint:
            print(f"first-paint {time.perf_counter() - started:.4f}", flush=True)
        ui.ops.run(open_services).success(opened).failure(failed)

    _after_first_paint(ui, first_frame)
    if args.windowed or not config.display.fullscreen:
        window.show()
    else:
        from PySide6.QtCore import Qt

        window.setWindowFlags(Qt.WindowType.FramelessWindowHint
                              | Qt.WindowType.WindowStaysOnTopHint)
        if config.display.hide_cursor:
            ui.app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        window.showFullScreen()
    log.info("kiosk window shown in %.2f s", time.perf_counter() - started)
    try:
        code = ui.app.exec()
        ui.close()
        return int(code) or int(state["code"])
    finally:
        if state["services"] is not None:
            state["services"].close()


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


def _quit_soon(ui: Any, code: int) -> None:
    """Leave the event loop with ``code`` (--exit-after-paint, or a start that failed)."""
    from PySide6.QtCore import QThread, QTimer

    def leave() -> None:
        # exit(), not quit(): Qt 6's quit() first asks every window to close and the kiosk
        # window refuses (residents must not close it), so quit() never ended the run. exit()
        # is ignored before exec() runs, and on Wayland showFullScreen() already paints while
        # it waits for the compositor: try again until the event loop is there.
        if QThread.currentThread().loopLevel() > 0:
            ui.app.exit(code)
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
