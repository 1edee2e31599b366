"""Keeps the station's health current: for the dashboard, and for the maintenance banner.

A full check (printer, sync queue, disk) runs on the worker thread when admin mode opens and
every few minutes while nobody is using the kiosk, so it never delays a resident. Card-reader
faults arrive as events from the reader thread and re-judge the banner at once, without I/O.
The banner ("设备维护中…") shows only when :attr:`StationHealth.maintenance_reason` says the
kiosk cannot serve (kiosk.station_status, docs/admin.md).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.app import Services
from kiosk.station_status import (
    ReaderState,
    StationHealth,
    SyncEngineLike,
    check_station,
    reader_health,
)
from ui.main_window import KioskWindow
from ui.ops import KioskOps

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 5 * 60 * 1000
FIRST_CHECK_MS = 20_000  # after start-up, not during it


class StationMonitor(QObject):
    updated = Signal(object)  # StationHealth

    def __init__(self, window: KioskWindow, services: Services, ops: KioskOps, *,
                 engine: Callable[[], SyncEngineLike | None] = lambda: None,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._ops = ops
        self._engine = engine
        kind = services.config.reader.kind
        # A reader thread reports its first fault within about a second of failing, so a
        # configured reader with no fault reported is taken to be working.
        self._reader = ReaderState(kind, "ok" if kind != "none" else "starting")
        self._reader_thread: Any = None
        self.health: StationHealth | None = None
        self.checking = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self._tick)

    def start(self) -> None:
        self._first.start(FIRST_CHECK_MS)
        self._timer.start()

    def set_reader(self, reader: Any) -> None:
        """The started ReaderThread, when the caller has it: its own status is better than
        what the fault events tell."""
        self._reader_thread = reader

    def reader_state(self) -> ReaderState:
        thread = self._reader_thread
        if thread is not None:
            return ReaderState(self._reader.kind, thread.status.value, thread.last_fault)
        return self._reader

    # -- reader events (GUI thread, via the bridge) ------------------------------------------
    def on_reader_fault(self, cause: str) -> None:
        self._reader = dataclasses.replace(self._reader, status="fault", fault=cause)
        self._rejudge()

    def on_reader_recovered(self) -> None:
        self._reader = dataclasses.replace(self._reader, status="ok", fault=None)
        self._rejudge()

    def on_card_read(self, _card: object = None) -> None:
        if self._reader.status != "ok":
            self.on_reader_recovered()

    def _rejudge(self) -> None:
        if self.health is None:
            return
        reader = reader_health(self.reader_state())
        items = tuple(reader if i.key == "reader" else i for i in self.health.items)
        self._apply(dataclasses.replace(self.health, items=items))

    # -- full checks -----------------------------------------------------------------------
    def _tick(self) -> None:
        window = self._window
        idle = (window.isVisible() and not window.in_admin  # closed: the workers are gone
                and not self._services.session.identified
                and window.current is window.home_screen)
        if idle:
            self.refresh()

    def refresh(self) -> None:
        if self.checking:
            return
        self.checking = True
        services, reader, engine = self._services, self.reader_state(), self._engine()

        def check() -> StationHealth:
            return check_station(services.config, services.db, services.dirs.data, reader,
                                 check_printer=services.printing.check, engine=engine)

        def failed(exc: BaseException) -> None:
            self.checking = False
            log.error("station check failed", exc_info=exc)

        self._ops.run(check).success(self._checked).failure(failed)

    def _checked(self, health: StationHealth) -> None:
        self.checking = False
        self._apply(health)

    def _apply(self, health: StationHealth) -> None:
        self.health = health
        reason = health.maintenance_reason
        banner = self._window.banner
        if reason is not None:
            banner.setText(f"设备维护中：{reason}")
        banner.setVisible(reason is not None)
        self.updated.emit(health)
