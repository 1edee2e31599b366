"""The backend for ``printer.backend = "none"``: a kiosk without a printer.

It exists so that the rest of the kiosk asks the same questions either way, and gets a
clear "no printer configured" instead of special cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from drivers.printer.base import Capabilities, Printer, PrinterNotFoundError, PrinterStatus

NO_PRINTER = "no printer configured (printer.backend = none)"


class DisabledPrinter(Printer):
    def capabilities(self) -> Capabilities:
        return Capabilities("none", raster=False, pdf=False, two_way_status=False,
                            cutter=False)

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def status(self) -> PrinterStatus:
        return PrinterStatus(online=False, detail=NO_PRINTER)

    def print_raster(self, bands: Iterable[bytes] | bytes, *, cut: bool = True) -> None:
        raise PrinterNotFoundError(NO_PRINTER)

    def print_pdf(self, path: Path, *, media: str | None = None, title: str = "") -> None:
        raise PrinterNotFoundError(NO_PRINTER)
