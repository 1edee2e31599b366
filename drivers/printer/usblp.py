"""ESC/POS written to a printer device file (Linux usblp: /dev/usb/lp0).

The kernel's usblp device is used write-only here, so the printer cannot report paper or
cover: status is UNKNOWN by design. The usual field failures are permissions (the kiosk user
needs the lp group or a udev rule) and "busy" (CUPS' usb backend or ippusbxd holds it).
"""

from __future__ import annotations

import errno
import os
import select

from drivers.printer.base import (
    Capabilities,
    PrinterError,
    PrinterNotFoundError,
    PrinterOfflineError,
    PrinterStatus,
)
from drivers.printer.escpos import EscPosPrinter


class UsbLpPrinter(EscPosPrinter):
    def __init__(self, path: str, *, write_timeout: float = 15.0,
                 partial_cut: bool = False) -> None:
        super().__init__(partial_cut=partial_cut)
        self.path = path
        self.write_timeout = write_timeout
        self._fd: int | None = None

    @property
    def two_way(self) -> bool:
        return False

    def capabilities(self) -> Capabilities:
        return Capabilities(f"escpos-usb {self.path}", raster=True, pdf=False,
                            two_way_status=False, cutter=True)

    def open(self) -> None:
        if self._fd is not None:
            return
        if not self.path:
            raise PrinterNotFoundError("no printer device configured (printer.port)")
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_NOCTTY | os.O_APPEND)
        except FileNotFoundError as exc:
            raise PrinterNotFoundError(f"{self.path}: no such device (printer unplugged or "
                                       "usblp not loaded)") from exc
        except PermissionError as exc:
            raise PrinterError(f"{self.path}: permission denied (add the kiosk user to the lp "
                               "group or install the udev rule)") from exc
        except OSError as exc:
            if exc.errno == errno.EBUSY:
                raise PrinterError(f"{self.path}: busy (CUPS or another program holds the "
                                   "printer)") from exc
            raise PrinterNotFoundError(f"{self.path}: cannot open ({exc.strerror})") from exc

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def status(self) -> PrinterStatus:
        if self._fd is None and not os.path.exists(self.path):
            return PrinterStatus(online=False, detail=f"{self.path}: no such device")
        return super().status()

    def _raw(self, data: bytes) -> None:
        if self._fd is None:
            raise PrinterOfflineError(f"{self.path}: not open")
        view = memoryview(data)
        while view:
            _, writable, _ = select.select([], [self._fd], [], self.write_timeout)
            if not writable:
                raise PrinterOfflineError(f"{self.path}: printer stopped taking data for "
                                          f"{self.write_timeout:g} s")
            try:
                n = os.write(self._fd, view)
            except OSError as exc:
                raise PrinterOfflineError(f"{self.path}: write failed ({exc.strerror})") \
                    from exc
            view = view[n:]

    def _read_byte(self, timeout: float) -> int | None:
        return None
