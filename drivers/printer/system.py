"""Printing a PDF through the operating system's spooler (CUPS ``lp``).

For A4 laser printers and for thermal printers that only work with a vendor driver. The
spooler knows the queue's state, not the paper's: status here is the queue (enabled or
stopped), and paper is always UNKNOWN. Windows (the print spooler via win32print) is not
built yet; on Windows this backend reports itself unusable.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from drivers.printer.base import (
    Capabilities,
    Printer,
    PrinterError,
    PrinterNotFoundError,
    PrinterOfflineError,
    PrinterStatus,
)

_C_LOCALE = {"LC_ALL": "C", "LANG": "C"}


class SystemPrinter(Printer):
    """A CUPS queue. ``server`` ("host:port") picks a CUPS server other than the default."""

    def __init__(self, queue: str, *, server: str = "", timeout: float = 30.0) -> None:
        self.queue = queue
        self.server = server
        self.timeout = timeout

    @classmethod
    def is_usable(cls) -> bool:
        return sys.platform != "win32" and shutil.which("lp") is not None

    def capabilities(self) -> Capabilities:
        return Capabilities(f"system {self.queue}", raster=False, pdf=True,
                            two_way_status=False, cutter=False)

    def open(self) -> None:
        if sys.platform == "win32":
            raise PrinterNotFoundError("system printing on Windows is not built yet "
                                       "(use the pdf or escpos backends)")
        if not self.queue:
            raise PrinterNotFoundError("no print queue configured (printer.queue)")
        if shutil.which("lp") is None:
            raise PrinterNotFoundError("the lp command is missing (install cups-client)")

    def close(self) -> None:
        pass

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        cmd = [args[0]] + (["-h", self.server] if self.server else []) + args[1:]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout,
                                  env={**os.environ, **_C_LOCALE}, check=False)
        except FileNotFoundError as exc:
            raise PrinterNotFoundError(f"{args[0]} is missing (install cups-client)") from exc
        except subprocess.TimeoutExpired as exc:
            raise PrinterOfflineError(f"{args[0]} did not finish in {self.timeout:g} s "
                                      "(is cupsd running?)") from exc

    def status(self) -> PrinterStatus:
        try:
            self.open()
            result = self._run(["lpstat", "-p", self.queue])
        except PrinterError as exc:
            return PrinterStatus(online=False, detail=str(exc))
        out = (result.stdout + result.stderr).strip()
        first = out.splitlines()[0] if out else ""
        if result.returncode != 0 or not first.startswith("printer "):
            return PrinterStatus(online=False, detail=f"queue {self.queue}: {first or 'no answer'}")
        enabled = " disabled" not in first
        return PrinterStatus(online=enabled, detail=f"queue only: {first}")

    def print_pdf(self, path: Path, *, media: str | None = None, title: str = "") -> None:
        self.open()
        args = ["lp", "-d", self.queue]
        if media:
            args += ["-o", f"media={media}"]
        if title:
            args += ["-t", title]
        args.append(str(path))
        result = self._run(args)
        if result.returncode != 0:
            cause = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
            if re.search(r"does not exist|Invalid destination|not exist", cause):
                raise PrinterNotFoundError(f"queue {self.queue}: {cause}")
            raise PrinterError(f"lp -d {self.queue}: {cause}")
