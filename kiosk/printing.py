"""The print service: archive the PDF, journal the job, check the printer, print, record.

Printing is the last step of a resident's task, so a printer problem must never lose the
submission or crash the screen: :meth:`PrintService.print_document` always saves the PDF and
a journal row first, never raises for a printer problem, and answers with a plain-Chinese
message for the resident (who can scan the QR code shown on screen instead) and the cause for
staff. Jobs can be printed again later (补打) from the journal. Calls may come from several
worker threads; one lock serialises everything that touches the device.
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from drivers.printer.base import (
    PaperOutError,
    Printer,
    PrinterError,
    PrinterNotFoundError,
    PrinterOfflineError,
    PrinterStatus,
)
from kiosk.config import PrinterConfig
from kiosk.paths import KioskDirs
from kiosk.store.engine import Database
from kiosk.store.models import PrintJob
from kiosk.store.models.base import new_id

if TYPE_CHECKING:
    from kiosk.documents.model import Station

log = logging.getLogger(__name__)

MSG_PRINTED = "回执已打印，请从出纸口取走。"
MSG_PAPER_OUT = "打印机缺纸，请扫描屏幕上的二维码或联系工作人员"
MSG_COVER_OPEN = "打印机盖未关好，请扫描屏幕上的二维码或联系工作人员"
MSG_UNAVAILABLE = "打印机暂时无法使用，请扫描屏幕上的二维码或联系工作人员"
MSG_NO_PRINTER = "本机暂不提供打印，请扫描屏幕上的二维码保存回执"
MSG_INCOMPLETE = "打印机中途缺纸，回执可能不完整，请扫描屏幕上的二维码或联系工作人员"
MSG_NOT_FOUND_JOB = "找不到这份回执，请联系工作人员"

QR_BASE_URL_DEFAULT = "https://lexy.xiqing.example/t/"


@dataclass(frozen=True)
class PrintResult:
    """How one print went. ``ok`` is False for every printer problem (no exception)."""

    ok: bool
    job_id: str
    state: str  # "printed" | "failed"
    pdf_path: Path | None
    status: PrinterStatus  # what the printer said before printing
    resident_message: str  # plain Chinese, for the screen
    staff_message: str  # the cause, for staff, technicians and the log


@dataclass(frozen=True)
class PrintJobInfo:
    """One journal row, detached from the database (safe to hand to the UI thread)."""

    id: str
    created_at: datetime
    doc_kind: str
    ref_number: str
    pdf_path: str
    printer: str
    state: str
    error: str
    printed_at: datetime | None
    reprint_of: str | None


def make_backend(config: PrinterConfig, dirs: KioskDirs) -> Printer:
    """The printer ``config.backend`` names (nothing is opened here)."""
    backend = config.backend
    timeout = config.status_timeout_s
    if backend == "pdf":
        from drivers.printer.pdf_folder import PdfFolderPrinter

        return PdfFolderPrinter(Path(config.pdf_dir) if config.pdf_dir else dirs.receipts)
    if backend == "escpos-serial":
        from drivers.printer.serial import SerialPrinter

        return SerialPrinter(config.port, config.baud, status_timeout=timeout)
    if backend == "escpos-tcp":
        from drivers.printer.tcp import TcpPrinter

        return TcpPrinter(config.host, config.tcp_port, status_timeout=timeout)
    if backend == "escpos-usb":
        from drivers.printer.usblp import UsbLpPrinter

        return UsbLpPrinter(config.port)
    if backend == "system":
        from drivers.printer.system import SystemPrinter

        return SystemPrinter(config.queue)
    if backend == "none":
        from drivers.printer.disabled import DisabledPrinter

        return DisabledPrinter()
    raise ValueError(f"printer.backend: unknown backend {backend!r}")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:60]


def _media_for(pdf: bytes) -> str:
    """A CUPS media name for the document's page: A4, or Custom.WxHmm for a receipt."""
    from kiosk.documents.raster import page_size_pt

    w, h = page_size_pt(pdf)
    w_mm, h_mm = w / 72 * 25.4, h / 72 * 25.4
    if abs(w_mm - 210) < 2 and abs(h_mm - 297) < 2:
        return "A4"
    return f"Custom.{round(w_mm)}x{math.ceil(h_mm)}mm"


class PrintService:
    """Prints documents on the configured printer and keeps the print journal."""

    def __init__(self, config: PrinterConfig, db: Database, dirs: KioskDirs, *,
                 backend: Printer | None = None) -> None:
        self.config = config
        self.db = db
        self.dirs = dirs
        self._backend = backend
        self._device = threading.Lock()

    # -- the device --------------------------------------------------------------------
    def make_backend(self) -> Printer:
        return make_backend(self.config, self.dirs)

    @property
    def backend(self) -> Printer:
        if self._backend is None:
            self._backend = self.make_backend()
        return self._backend

    @property
    def backend_name(self) -> str:
        return self.backend.capabilities().name

    @contextmanager
    def _opened(self) -> Iterator[Printer]:
        """The device, locked and open for one operation (reopened each time, so a printer
        that was unplugged and plugged back in just works)."""
        with self._device:
            backend = self.backend
            try:
                backend.open()
                yield backend
            finally:
                try:
                    backend.close()
                except Exception:  # closing a vanished device must not mask the real error
                    log.debug("closing %s failed", self.backend_name, exc_info=True)

    def check(self) -> PrinterStatus:
        """Ask the printer now (before offering to print); never raises."""
        try:
            with self._opened() as backend:
                return backend.status()
        except PrinterError as exc:
            return PrinterStatus(online=False, detail=str(exc))

    # -- printing ----------------------------------------------------------------------
    def print_document(self, kind: str, ref_number: str, pdf_bytes: bytes) -> PrintResult:
        """Archive ``pdf_bytes``, journal the job and print it; never raises for printer
        problems (see :class:`PrintResult`)."""
        job_id = new_id()
        notes: list[str] = []
        path: Path | None = None
        try:
            path = self._archive(kind, ref_number or job_id, pdf_bytes)
        except OSError as exc:
            notes.append(f"PDF not archived ({exc.strerror or exc})")
            log.error("print job %s: cannot archive PDF: %s", job_id, exc)
        self._journal_new(job_id, kind, ref_number, path, reprint_of=None, notes=notes)
        return self._print(job_id, kind, ref_number, pdf_bytes, path, notes)

    def reprint(self, job_id: str) -> PrintResult:
        """补打: print a journalled document again, as a new job pointing at the old one."""
        with self.db.read() as session:
            old = session.get(PrintJob, job_id)
            info = _info(old) if old is not None else None
        if info is None:
            return self._unprinted(job_id, f"no print job {job_id}", MSG_NOT_FOUND_JOB)
        path = Path(info.pdf_path) if info.pdf_path else None
        try:
            if path is None:
                raise FileNotFoundError("no PDF was archived for this job")
            pdf_bytes = path.read_bytes()
        except OSError as exc:
            return self._unprinted(job_id, f"job {job_id}: PDF {path} unreadable "
                                           f"({getattr(exc, 'strerror', None) or exc})",
                                   MSG_NOT_FOUND_JOB)
        new_job = new_id()
        self._journal_new(new_job, info.doc_kind, info.ref_number, path, reprint_of=job_id,
                          notes=[])
        return self._print(new_job, info.doc_kind, info.ref_number, pdf_bytes, path, [])

    def test_page(self, *, station: Station | None = None,
                  qr_base_url: str = QR_BASE_URL_DEFAULT) -> PrintResult:
        """Print the technician's test page (fonts, width, QR, cutter)."""
        from kiosk.documents.model import PrinterTestPage
        from kiosk.documents.model import Station as StationInfo
        from kiosk.documents.receipts import render
        from kiosk.records import new_token

        st = station or StationInfo(name="乐业西青自助服务终端", address="")
        now = datetime.now()
        doc = PrinterTestPage(station=st, printer=self.backend_name, printed_at=now,
                              token=new_token())
        pdf = render(doc, width=self.config.width, qr_base_url=qr_base_url,
                     dots=self.config.dots if self.config.width != "a4" else None)
        return self.print_document("test", f"TEST-{now:%H%M%S}", pdf)

    def recent_jobs(self, limit: int = 20) -> list[PrintJobInfo]:
        """Newest first, for the staff screen's 补打 list."""
        with self.db.read() as session:
            rows = session.scalars(select(PrintJob).order_by(PrintJob.created_at.desc(),
                                                             PrintJob.id.desc()).limit(limit))
            return [_info(row) for row in rows]

    # -- internals ---------------------------------------------------------------------
    def _archive(self, kind: str, ref: str, pdf_bytes: bytes) -> Path:
        folder = self.dirs.receipts / datetime.now().strftime("%Y-%m-%d")
        folder.mkdir(parents=True, exist_ok=True)
        base = f"{_safe_name(ref) or 'doc'}-{_safe_name(kind) or 'doc'}"
        path = folder / f"{base}.pdf"
        n = 2
        while path.exists():
            path = folder / f"{base}-{n}.pdf"
            n += 1
        tmp = path.with_suffix(".part")
        tmp.write_bytes(pdf_bytes)
        tmp.replace(path)
        return path

    def _journal_new(self, job_id: str, kind: str, ref: str, path: Path | None, *,
                     reprint_of: str | None, notes: list[str]) -> None:
        try:
            with self.db.write() as session:
                session.add(PrintJob(id=job_id, doc_kind=kind, ref_number=ref,
                                     pdf_path=str(path or ""), printer=self.backend_name[:40],
                                     state="queued", reprint_of=reprint_of))
        except Exception as exc:  # a journal failure must not stop the resident's receipt
            notes.append(f"journal not written ({exc})")
            log.error("print job %s: journal write failed: %s", job_id, exc)

    def _journal_done(self, job_id: str, ok: bool, error: str) -> None:
        try:
            with self.db.write() as session:
                job = session.get(PrintJob, job_id)
                if job is None:
                    return
                job.state = "printed" if ok else "failed"
                job.error = error
                if ok:
                    job.printed_at = datetime.now(UTC)
        except Exception as exc:
            log.error("print job %s: journal update failed: %s", job_id, exc)

    def _print(self, job_id: str, kind: str, ref: str, pdf_bytes: bytes, path: Path | None,
               notes: list[str]) -> PrintResult:
        status = PrinterStatus()
        resident = MSG_PRINTED
        ok = False
        cause = ""
        try:
            with self._opened() as backend:
                status = backend.status()
                _refuse_if_blocked(status)
                caps = backend.capabilities()
                if caps.raster:
                    self._send_raster(backend, pdf_bytes)
                    if caps.two_way_status and status.known:
                        after = backend.status()
                        if after.paper == "out":
                            raise PaperOutError("paper ran out during the job")
                elif caps.pdf:
                    self._send_pdf(backend, kind, ref, pdf_bytes, path)
                else:
                    raise PrinterNotFoundError(f"{caps.name} cannot print")
            ok = True
        except PrinterError as exc:
            cause = str(exc)
            resident = _resident_message(exc, status)
        except Exception as exc:  # a bad PDF, a renderer bug: still a clean failure
            log.exception("print job %s failed unexpectedly", job_id)
            cause = f"{type(exc).__name__}: {exc}"
            resident = MSG_UNAVAILABLE
        if ok and not status.known:
            notes.append(f"printed without a status check ({status.detail or 'unknown'})")
        if ok and status.paper == "low":
            notes.append("paper low: refill soon")
        staff = "; ".join([f"{self.backend_name}: " + (cause or "printed"), *notes,
                           f"job {job_id}", f"PDF {path}" if path else "PDF not archived"])
        self._journal_done(job_id, ok, "; ".join([cause, *notes]).strip("; "))
        (log.info if ok else log.warning)("print %s %s: %s", kind, ref, staff)
        return PrintResult(ok=ok, job_id=job_id, state="printed" if ok else "failed",
                           pdf_path=path, status=status, resident_message=resident,
                           staff_message=staff)

    def _send_raster(self, backend: Printer, pdf_bytes: bytes) -> None:
        from kiosk.documents.raster import gs_v0_bands, rasterize, thermal_margin_pt

        pages = rasterize(pdf_bytes, self.config.dots,
                          margin_pt=thermal_margin_pt(self.config.width))
        for page in pages:
            backend.print_raster(gs_v0_bands(page), cut=True)

    def _send_pdf(self, backend: Printer, kind: str, ref: str, pdf_bytes: bytes,
                  path: Path | None) -> None:
        media = _media_for(pdf_bytes)
        title = f"{ref}-{kind}" if ref else kind
        if path is not None and path.is_file():
            backend.print_pdf(path, media=media, title=title)
            return
        with tempfile.TemporaryDirectory(prefix="kiosk-print-") as tmp:
            temp_path = Path(tmp) / f"{_safe_name(title) or 'doc'}.pdf"
            temp_path.write_bytes(pdf_bytes)
            backend.print_pdf(temp_path, media=media, title=title)

    def _unprinted(self, job_id: str, cause: str, resident: str) -> PrintResult:
        log.warning("reprint %s: %s", job_id, cause)
        return PrintResult(ok=False, job_id=job_id, state="failed", pdf_path=None,
                           status=PrinterStatus(), resident_message=resident,
                           staff_message=cause)


def _refuse_if_blocked(status: PrinterStatus) -> None:
    if status.paper == "out":
        raise PaperOutError(f"paper out ({status.summary()})")
    if status.cover_open:
        raise PrinterOfflineError(f"cover open ({status.summary()})")
    if status.online is False:
        if status.detail.startswith("no printer configured"):
            raise PrinterNotFoundError(status.detail)
        raise PrinterOfflineError(f"offline ({status.summary()})")


def _resident_message(exc: PrinterError, status: PrinterStatus) -> str:
    if isinstance(exc, PaperOutError):
        return MSG_INCOMPLETE if "during the job" in str(exc) else MSG_PAPER_OUT
    if status.cover_open:
        return MSG_COVER_OPEN
    if isinstance(exc, PrinterNotFoundError) and "no printer configured" in str(exc):
        return MSG_NO_PRINTER
    return MSG_UNAVAILABLE


def _info(row: PrintJob) -> PrintJobInfo:
    return PrintJobInfo(id=row.id, created_at=row.created_at, doc_kind=row.doc_kind,
                        ref_number=row.ref_number, pdf_path=row.pdf_path, printer=row.printer,
                        state=row.state, error=row.error, printed_at=row.printed_at,
                        reprint_of=row.reprint_of)
