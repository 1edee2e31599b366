"""Wiring admin mode into the window: its screens, the health monitor, the rating overlay.

Kept out of ui/launch.py so the composition root gains one line, and everything admin mode
needs from the window (signals, the banner, the header) is connected in one place.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from kiosk.callbacks import count_open
from kiosk.figures import REMOVABLE_ROOTS
from kiosk.settings import SettingChange, flush_audit_log
from kiosk.station_status import (
    ACTION_ENROLL,
    ACTION_QUEUE,
    ACTION_RECONNECT,
    ACTION_SYNC_NOW,
    ACTION_TEST_PRINT,
    ACTION_TEST_READER,
    SyncEngineLike,
)
from ui.bridge import DeviceBridge
from ui.main_window import KioskWindow
from ui.ops import KioskOps
from ui.screens.admin_callbacks_screen import AdminCallbacksScreen
from ui.screens.admin_figures_screen import AdminFiguresScreen
from ui.screens.admin_maintenance_screen import RESTART_EXIT_CODE, AdminMaintenanceScreen
from ui.screens.admin_monitor import StationMonitor
from ui.screens.admin_screen import AdminScreen
from ui.screens.admin_settings_screen import AdminSettingsScreen
from ui.screens.rating_screen import RatingOverlay

log = logging.getLogger(__name__)

#: where to look for USB drives, os.pathsep-separated (default /media and /run/media)
EXPORT_ROOTS_ENV = "KIOSK_EXPORT_ROOTS"


@dataclass
class AdminPages:
    """The screens behind the dashboard, built the first time admin mode opens (not at
    start-up: residents never need them, and they cost tens of milliseconds to build)."""

    callbacks: AdminCallbacksScreen
    figures: AdminFiguresScreen
    settings: AdminSettingsScreen
    maintenance: AdminMaintenanceScreen


def export_roots() -> tuple[Path, ...]:
    value = os.environ.get(EXPORT_ROOTS_ENV, "")
    roots = tuple(Path(p) for p in value.split(os.pathsep) if p)
    return roots or REMOVABLE_ROOTS


class AdminMode:
    """Admin mode's parts and their wiring; ``quit_app`` ends the process with an exit code
    (tests replace it)."""

    def __init__(self, window: KioskWindow, ops: KioskOps, bridge: DeviceBridge, *,
                 demo_cards: list[tuple[str, Any]] | None = None) -> None:
        self._window = window
        self._ops = ops
        services = window.services
        self._services = services
        db = services.db
        self.quit_app: Callable[[int], None] = _exit_application
        self._pages: AdminPages | None = None
        self.dashboard = AdminScreen(
            window, ops, station=services.config.station.name,
            factory_pin=services.admin.uses_factory_pin,
            callbacks_summary=lambda: count_open(db), demo_cards=demo_cards,
            landscape=services.config.display.orientation == "landscape")
        window.add_screen(self.dashboard)
        self.monitor = StationMonitor(window, services, ops, engine=self.engine)
        self.rating = RatingOverlay(window, db, ops)
        self.dashboard.exit_requested.connect(window.leave_admin)
        self.dashboard.refresh_requested.connect(self._dashboard_shown)
        self.dashboard.action_requested.connect(self._on_action)
        self.monitor.updated.connect(self.dashboard.set_health)
        bridge.reader_fault.connect(self.monitor.on_reader_fault)
        bridge.reader_recovered.connect(self.monitor.on_reader_recovered)
        bridge.card_read.connect(self.monitor.on_card_read)
        bridge.card_read.connect(self.rating.dismiss)  # the next resident is here
        window.resident_left.connect(self.rating.offer)
        window.admin_entered.connect(self.rating.dismiss)
        window.admin_entered.connect(self._flush_audit)
        window.admin_left.connect(self._flush_audit)
        self.monitor.start()

    def engine(self) -> SyncEngineLike | None:
        """The running sync engine, once the application has one (``Services.sync``)."""
        return self._services.sync

    def _flush_audit(self) -> None:
        db = self._services.db
        self._ops.run(lambda: flush_audit_log(db))

    def _dashboard_shown(self) -> None:
        _ = self.pages
        self.monitor.refresh()

    @property
    def pages(self) -> AdminPages:
        if self._pages is None:
            self._pages = self._build_pages()
        return self._pages

    def _build_pages(self) -> AdminPages:
        window, ops, services = self._window, self._ops, self._services
        config, db = services.config, services.db
        roots = export_roots()
        landscape = config.display.orientation == "landscape"
        pages = AdminPages(
            callbacks=AdminCallbacksScreen(window, db, ops),
            figures=AdminFiguresScreen(window, db, config, ops, export_roots=roots,
                                       landscape=landscape),
            settings=AdminSettingsScreen(
                window, config=config, db=db, admin=services.admin,
                config_file=services.settings_file, data_dir=services.dirs.data, ops=ops,
                on_applied=lambda change: apply_change(window, self.dashboard, change),
                restart=lambda: self.end_app(RESTART_EXIT_CODE), landscape=landscape),
            maintenance=AdminMaintenanceScreen(
                window, config=config, db=db, printing=services.printing, ops=ops,
                data_dir=services.dirs.data, log_file=services.dirs.log / "kiosk.log",
                engine=self.engine, demo_cards=lambda: self.dashboard.demo_cards,
                test_page=lambda: services.printing.test_page(
                    station=services.station, qr_base_url=config.receipts.qr_base_url),
                restart=lambda: self.end_app(RESTART_EXIT_CODE),
                exit_to_desktop=lambda: self.end_app(0), export_roots=roots))
        for screen in (pages.callbacks, pages.figures, pages.settings, pages.maintenance):
            window.add_screen(screen)
        window.admin_card_read.connect(pages.maintenance.show_card)
        window.admin_left.connect(pages.callbacks.clear_personal)
        return pages

    def _on_action(self, action: str) -> None:
        window, pages = self._window, self.pages
        maintenance = pages.maintenance
        if action == ACTION_TEST_READER:
            window.show_screen(maintenance.name, tab="reader")
        elif action == ACTION_TEST_PRINT:
            window.show_screen(maintenance.name, tab="printer")
            maintenance.print_test_page()
        elif action in (ACTION_SYNC_NOW, ACTION_RECONNECT):
            window.show_screen(maintenance.name, tab="sync")
            maintenance.sync()
        elif action == ACTION_QUEUE:
            window.show_screen(maintenance.name, tab="sync")
        elif action == ACTION_ENROLL:
            window.show_screen(pages.settings.name, page="enroll")

    def end_app(self, code: int) -> None:
        """重启 (exit code 75) or 退出到桌面 (0), logged as the end of the admin session."""
        services = self._services
        reason = "restart" if code == RESTART_EXIT_CODE else "exit_to_desktop"

        def record() -> None:
            services.admin.log_exit(reason)
            flush_audit_log(services.db)

        self._ops.run(record)  # finished by ops.shutdown() before the process ends
        self._window.allow_close = True
        self.quit_app(code)


def _exit_application(code: int) -> None:
    app = QApplication.instance()
    if app is not None:
        app.exit(code)


def apply_change(window: KioskWindow, dashboard: AdminScreen, change: SettingChange) -> None:
    """Make a saved setting take effect now where it can (the rest waits for 重启)."""
    if change.key == "session.idle_timeout_s":
        window.idle_ms = int(change.new) * 1000
    elif change.key == "display.elder_mode_default":
        window.nav.elder.setChecked(bool(change.new))
    elif change.key == "station.name":
        window.header.station.setText(str(change.new))
        dashboard.info.setText(dashboard.info.text().replace(str(change.old), str(change.new)))
    log.info("setting %s changed: %r -> %r", change.key, change.old, change.new)
