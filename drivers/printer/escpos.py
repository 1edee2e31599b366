"""ESC/POS over any byte transport: raster printing, cutting and our own status layer.

Every command is built on one write primitive (``_raw``) and one read primitive
(``_read_byte``), so serial, TCP 9100, a USB printer device and the test dummy differ only
in those. Status follows the ESC/POS spec for ``DLE EOT n`` and reads exactly one byte with
a short timeout: waiting for 16 bytes (python-escpos) makes every query last the full
timeout, and a missing or malformed answer is UNKNOWN, never "paper ok".
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable

from drivers.printer.base import Paper, Printer, PrinterError, PrinterStatus

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"
FS = b"\x1c"

INIT = ESC + b"@"

# DLE EOT n: real-time status transmission (answered even while the printer is offline).
STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_ERROR = 3
STATUS_PAPER = 4


def status_request(n: int) -> bytes:
    return DLE + EOT + bytes((n,))


def cut_command(*, partial: bool = False, feed: int = 4) -> bytes:
    """``GS V 65|66 n``: feed ``n`` units past the cutter, then cut (full or partial), so
    the last printed line is not left under the cutter."""
    return GS + b"V" + bytes((66 if partial else 65, max(0, min(255, feed))))


def valid_status_byte(b: int) -> bool:
    """Every ``DLE EOT`` answer has bits 1 and 4 set, bits 0 and 7 clear."""
    return (b & 0x93) == 0x12


def printer_online(b: int) -> bool:
    """``DLE EOT 1``: bit 3 set = offline."""
    return not b & 0x08


def offline_causes(b: int) -> tuple[bool, bool, bool]:
    """``DLE EOT 2`` -> (cover open (bit 2), stopped by paper end (bit 5), error (bit 6))."""
    return bool(b & 0x04), bool(b & 0x20), bool(b & 0x40)


def paper_state(b: int) -> Paper:
    """``DLE EOT 4``: bits 5-6 paper end, bits 2-3 paper near end."""
    if b & 0x60:
        return Paper.OUT
    if b & 0x0C:
        return Paper.LOW
    return Paper.OK


def error_causes(b: int) -> list[str]:
    """``DLE EOT 3``: what kind of error stopped the printer."""
    causes = []
    if b & 0x08:
        causes.append("autocutter error")
    if b & 0x20:
        causes.append("unrecoverable error")
    if b & 0x40:
        causes.append("auto-recoverable error (head temperature?)")
    return causes


def status_from_replies(replies: dict[int, int | None]) -> PrinterStatus:
    """Combine the answers to ``DLE EOT 1/2/3/4`` (None = no valid answer)."""
    r1 = replies.get(STATUS_PRINTER)
    r2 = replies.get(STATUS_OFFLINE_CAUSE)
    r3 = replies.get(STATUS_ERROR)
    r4 = replies.get(STATUS_PAPER)
    if r1 is None:
        return PrinterStatus(detail="no answer to DLE EOT 1")
    online = printer_online(r1)
    cover: bool | None = None
    paper = paper_state(r4) if r4 is not None else Paper.UNKNOWN
    details = []
    if r2 is not None:
        cover, paper_stop, error = offline_causes(r2)
        if paper_stop:
            paper = Paper.OUT
        if error:
            details.extend(error_causes(r3) if r3 is not None else ["error"])
    else:
        details.append("no answer to DLE EOT 2")
    if r4 is None:
        details.append("no answer to DLE EOT 4")
    return PrinterStatus(online=online, paper=paper, cover_open=cover,
                         detail="; ".join(details))


class EscPosPrinter(Printer):
    """An ESC/POS printer on some transport; subclasses supply the two byte primitives."""

    kind = "escpos"

    def __init__(self, *, status_timeout: float = 0.5, partial_cut: bool = False) -> None:
        self.status_timeout = status_timeout
        self.partial_cut = partial_cut

    # -- the transport -----------------------------------------------------------------
    @abstractmethod
    def _raw(self, data: bytes) -> None:
        """Send bytes; raises :class:`PrinterError` subclasses with the cause."""

    @abstractmethod
    def _read_byte(self, timeout: float) -> int | None:
        """One byte from the printer, or None if none came within ``timeout`` seconds."""

    def _discard_input(self) -> None:
        """Drop stale bytes (a late answer to an earlier query) before asking again."""

    def _drain(self) -> None:
        """Wait until everything written has left the host (serial: tcdrain)."""

    @property
    def two_way(self) -> bool:
        return True

    # -- commands ----------------------------------------------------------------------
    def query(self, n: int) -> int | None:
        """Send ``DLE EOT n`` and return the answer byte, or None (no/invalid answer)."""
        self._discard_input()
        self._raw(status_request(n))
        b = self._read_byte(self.status_timeout)
        return b if b is not None and valid_status_byte(b) else None

    def status(self) -> PrinterStatus:
        if not self.two_way:
            return PrinterStatus(detail=f"{self.capabilities().name}: write-only link, "
                                        "the printer cannot report status")
        try:
            replies: dict[int, int | None] = {STATUS_PRINTER: self.query(STATUS_PRINTER)}
            if replies[STATUS_PRINTER] is None:  # silent: don't spend 3 more timeouts
                return PrinterStatus(detail=f"no answer within {self.status_timeout:g} s "
                                            "to DLE EOT 1 (printer off, wrong port or baud?)")
            replies[STATUS_OFFLINE_CAUSE] = self.query(STATUS_OFFLINE_CAUSE)
            r2 = replies[STATUS_OFFLINE_CAUSE]
            if r2 is not None and r2 & 0x40:
                replies[STATUS_ERROR] = self.query(STATUS_ERROR)
            replies[STATUS_PAPER] = self.query(STATUS_PAPER)
        except PrinterError as exc:
            return PrinterStatus(online=False, detail=str(exc))
        return status_from_replies(replies)

    def print_raster(self, bands: Iterable[bytes] | bytes, *, cut: bool = True) -> None:
        self._raw(INIT)
        if isinstance(bands, bytes | bytearray):
            self._raw(bytes(bands))
        else:
            for band in bands:
                self._raw(band)
        if cut:
            self._raw(cut_command(partial=self.partial_cut))
        self._drain()
