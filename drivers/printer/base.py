"""The printer driver interface: capabilities, a three-valued status, raster or PDF jobs.

Status is deliberately three-valued: only a two-way raw link can say "paper out", and a
printer that does not answer is UNKNOWN — never "ok" (python-escpos reports "paper OK" when
nothing answers, which is how kiosks end up promising receipts they cannot print).
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self


class PrinterError(Exception):
    """A printer problem; the message names the device and the cause (for staff)."""


class PrinterNotFoundError(PrinterError):
    """The device, port, host or queue does not exist or cannot be opened."""


class PrinterOfflineError(PrinterError):
    """The printer answered that it is offline (cover open, error) or stopped answering."""


class PaperOutError(PrinterError):
    """The printer reports no paper."""


class Paper(enum.StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said. ``None`` / ``UNKNOWN`` mean it could not tell, not "fine"."""

    online: bool | None = None
    paper: Paper = Paper.UNKNOWN
    cover_open: bool | None = None
    detail: str = ""

    @property
    def blocked(self) -> bool:
        """Known not to print: offline, out of paper or cover open."""
        return self.online is False or self.paper is Paper.OUT or self.cover_open is True

    @property
    def known(self) -> bool:
        """The printer answered at least about being online and about paper."""
        return self.online is not None and self.paper is not Paper.UNKNOWN

    @property
    def ok(self) -> bool:
        """Known good: online, paper ok or low, cover closed or not reported."""
        return (self.online is True and self.paper in (Paper.OK, Paper.LOW)
                and self.cover_open is not True)

    def summary(self) -> str:
        online = {True: "online", False: "offline", None: "online?"}[self.online]
        cover = {True: "cover open", False: "cover closed", None: "cover?"}[self.cover_open]
        text = f"{online}, paper {self.paper.value}, {cover}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True)
class Capabilities:
    """What a backend accepts and can report."""

    name: str  # "escpos-serial /dev/ttyUSB0", "system KIOSK", ...
    raster: bool  # takes ESC/POS GS v 0 bands
    pdf: bool  # takes a PDF file
    two_way_status: bool  # status comes from the device itself
    cutter: bool


class Printer(ABC):
    """One printer. Not thread-safe: the caller serialises use (one lock per device)."""

    @classmethod
    def is_usable(cls) -> bool:
        """True when this backend's optional dependencies and tools are present."""
        return True

    @abstractmethod
    def capabilities(self) -> Capabilities: ...

    @abstractmethod
    def open(self) -> None:
        """Connect; raises :class:`PrinterNotFoundError` with the cause when it cannot."""

    @abstractmethod
    def close(self) -> None:
        """Disconnect; safe to call twice or after a failed open."""

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Ask the printer (short timeouts); never raises for "no answer": that is UNKNOWN."""

    def print_raster(self, bands: Iterable[bytes] | bytes, *, cut: bool = True) -> None:
        """Print ``GS v 0`` raster bands and (optionally) cut."""
        raise PrinterError(f"{self.capabilities().name} does not take raster jobs")

    def print_pdf(self, path: Path, *, media: str | None = None, title: str = "") -> None:
        """Print a PDF file; ``media`` is a CUPS media name (``A4``, ``Custom.80x150mm``)."""
        raise PrinterError(f"{self.capabilities().name} does not take PDF jobs")

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
