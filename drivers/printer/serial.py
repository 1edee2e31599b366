"""ESC/POS on a serial port (RS-232 or USB-serial) through pyserial.

Raster receipts are large (about 50 KB for 80 mm): at 9600 baud that is nearly a minute,
so kiosks should run these printers at 115200. Each write gets a timeout scaled to its size,
so a printer that stops taking data (offline, flow control) is reported instead of hanging.
"""

from __future__ import annotations

import errno
from typing import Any

from drivers.printer.base import (
    Capabilities,
    PrinterError,
    PrinterNotFoundError,
    PrinterOfflineError,
)
from drivers.printer.escpos import EscPosPrinter


class SerialPrinter(EscPosPrinter):
    def __init__(self, port: str, baud: int = 115200, *, status_timeout: float = 0.5,
                 partial_cut: bool = False) -> None:
        super().__init__(status_timeout=status_timeout, partial_cut=partial_cut)
        self.port = port
        self.baud = baud
        self._ser: Any = None

    @classmethod
    def is_usable(cls) -> bool:
        try:
            import serial  # noqa: F401
        except ImportError:
            return False
        return True

    def capabilities(self) -> Capabilities:
        return Capabilities(f"escpos-serial {self.port}@{self.baud}", raster=True, pdf=False,
                            two_way_status=True, cutter=True)

    def open(self) -> None:
        if self._ser is not None:
            return
        if not self.port:
            raise PrinterNotFoundError("no serial port configured (printer.port)")
        import serial

        try:
            self._ser = serial.Serial(self.port, self.baud, timeout=self.status_timeout,
                                      write_timeout=5)
        except serial.SerialException as exc:
            code = getattr(exc, "errno", None)
            if code == errno.EACCES:
                raise PrinterError(f"{self.port}: permission denied (add the kiosk user to "
                                   "the dialout group)") from exc
            if code == errno.EBUSY:
                raise PrinterError(f"{self.port}: busy (another program has it open)") from exc
            raise PrinterNotFoundError(f"{self.port}: cannot open ({exc})") from exc

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            try:
                ser.close()
            except Exception:  # closing a vanished device: nothing left to do
                pass

    def _port(self) -> Any:
        if self._ser is None:
            raise PrinterError(f"{self.port}: not open")
        return self._ser

    def _raw(self, data: bytes) -> None:
        import serial

        ser = self._port()
        ser.write_timeout = 2 + len(data) * 10 / self.baud * 1.5
        try:
            ser.write(data)
        except serial.SerialTimeoutException as exc:
            raise PrinterOfflineError(f"{self.port}: printer stopped taking data "
                                      "(offline or flow control)") from exc
        except (serial.SerialException, OSError) as exc:
            raise PrinterOfflineError(f"{self.port}: write failed ({exc})") from exc

    def _read_byte(self, timeout: float) -> int | None:
        import serial

        ser = self._port()
        ser.timeout = timeout
        try:
            b = ser.read(1)
        except (serial.SerialException, OSError) as exc:
            raise PrinterOfflineError(f"{self.port}: read failed ({exc})") from exc
        return b[0] if b else None

    def _discard_input(self) -> None:
        try:
            self._port().reset_input_buffer()
        except OSError as exc:
            raise PrinterOfflineError(f"{self.port}: {exc}") from exc

    def _drain(self) -> None:
        try:
            self._port().flush()
        except OSError as exc:
            raise PrinterOfflineError(f"{self.port}: {exc}") from exc
