"""A printer that records the bytes it is sent (tests, previews, `kiosk diag`)."""

from __future__ import annotations

from collections.abc import Mapping

from drivers.printer.base import Capabilities, PrinterOfflineError
from drivers.printer.escpos import (
    STATUS_OFFLINE_CAUSE,
    STATUS_PAPER,
    STATUS_PRINTER,
    EscPosPrinter,
)

READY_REPLIES: Mapping[int, int] = {STATUS_PRINTER: 0x12, STATUS_OFFLINE_CAUSE: 0x12,
                                    STATUS_PAPER: 0x12}


class DummyPrinter(EscPosPrinter):
    """Keeps everything written in :attr:`output`; answers status from ``replies``.

    With no ``replies`` it answers nothing, so its status is UNKNOWN, like a real printer
    that never answered.
    """

    def __init__(self, replies: Mapping[int, int] | None = None) -> None:
        super().__init__(status_timeout=0.0)
        self.replies = dict(replies or {})
        self.output = bytearray()
        self.is_open = False
        self._pending: list[int] = []

    def capabilities(self) -> Capabilities:
        return Capabilities("dummy", raster=True, pdf=False, two_way_status=True, cutter=True)

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def _raw(self, data: bytes) -> None:
        if not self.is_open:
            raise PrinterOfflineError("dummy: not open")
        self.output += data
        if len(data) == 3 and data[:2] == b"\x10\x04" and data[2] in self.replies:
            self._pending.append(self.replies[data[2]])

    def _read_byte(self, timeout: float) -> int | None:
        return self._pending.pop(0) if self._pending else None

    def _discard_input(self) -> None:
        self._pending.clear()
