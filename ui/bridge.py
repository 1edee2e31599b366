"""Marshals events from device and sync threads onto the GUI thread.

Drivers and the sync worker call plain Python methods on their own threads; the bridge
re-emits them as Qt signals, which Qt delivers to widgets on the GUI thread through queued
connections. Nothing else in ui/ is called from a non-GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class DeviceBridge(QObject):
    """Implements the card reader's handler interface by emitting signals."""

    card_read = Signal(object)
    card_error = Signal(str)
    reader_fault = Signal(str)
    reader_recovered = Signal()

    def on_card_read(self, card: Any) -> None:
        self.card_read.emit(card)

    def on_card_error(self, cause: str) -> None:
        self.card_error.emit(cause)

    def on_reader_fault(self, cause: str) -> None:
        self.reader_fault.emit(cause)

    def on_reader_recovered(self) -> None:
        self.reader_recovered.emit()


class SyncBridge(QObject):
    """Delivers sync status snapshots to the UI."""

    status_changed = Signal(object)

    def __call__(self, status: Any) -> None:
        self.status_changed.emit(status)
