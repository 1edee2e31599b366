"""A "printer" that delivers PDFs into a folder: demo kiosks, audit copies, a shared drive.

Its status is honest about the only thing that can go wrong — the folder: ok while it exists
and can be written, offline (with the cause) otherwise. A failed write (full disk, read-only
mount) is a :class:`PrinterError` naming the file and the OS error.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from drivers.printer.base import (
    Capabilities,
    Paper,
    Printer,
    PrinterError,
    PrinterNotFoundError,
    PrinterStatus,
)

MIN_FREE_BYTES = 2 * 1024 * 1024


class PdfFolderPrinter(Printer):
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.delivered: list[Path] = []

    def capabilities(self) -> Capabilities:
        return Capabilities(f"pdf {self.folder}", raster=False, pdf=True, two_way_status=True,
                            cutter=False)

    def open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrinterNotFoundError(f"pdf folder {self.folder}: cannot create "
                                       f"({exc.strerror or exc})") from exc

    def close(self) -> None:
        pass

    def status(self) -> PrinterStatus:
        folder = self.folder
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            return PrinterStatus(online=False, cover_open=False, detail=f"{folder} {what}")
        if not os.access(folder, os.W_OK):
            return PrinterStatus(online=False, cover_open=False,
                                 detail=f"{folder}: not writable")
        try:
            free = shutil.disk_usage(folder).free
        except OSError as exc:
            return PrinterStatus(online=False, cover_open=False, detail=f"{folder}: {exc}")
        if free < MIN_FREE_BYTES:
            return PrinterStatus(online=False, cover_open=False,
                                 detail=f"{folder}: disk full ({free} bytes free)")
        return PrinterStatus(online=True, paper=Paper.OK, cover_open=False)

    def print_pdf(self, path: Path, *, media: str | None = None, title: str = "") -> None:
        """Copy ``path`` into the folder (nothing to do if it already lies inside it)."""
        path = Path(path)
        try:
            if path.resolve().is_relative_to(self.folder.resolve()):
                if not path.is_file():
                    raise PrinterError(f"{path}: missing")
                self.delivered.append(path)
                return
            dest = self.folder / path.name
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(path.read_bytes())
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, dest)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise PrinterError(f"pdf folder {self.folder}: cannot write {path.name} "
                               f"({exc.strerror or exc})") from exc
        self.delivered.append(dest)
