"""Receipt and document printers (Qt-free, kiosk-free).

:mod:`drivers.printer.base` holds the interface and errors; each backend lives in its own
module and is imported by whoever builds it, so a kiosk without pyserial or CUPS still
imports this package.
"""

from drivers.printer.base import (
    Capabilities,
    Paper,
    PaperOutError,
    Printer,
    PrinterError,
    PrinterNotFoundError,
    PrinterOfflineError,
    PrinterStatus,
)

__all__ = [
    "Capabilities",
    "Paper",
    "PaperOutError",
    "Printer",
    "PrinterError",
    "PrinterNotFoundError",
    "PrinterOfflineError",
    "PrinterStatus",
]
