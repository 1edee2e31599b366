"""PrintService end to end: archive, journal, status check, print, 补打 — against the
simulated printer over the real serial (pty) and TCP code, the PDF folder and a dummy."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.printer.base import Paper, PrinterError
from drivers.printer.disabled import DisabledPrinter
from drivers.printer.dummy import READY_REPLIES, DummyPrinter
from drivers.printer.pdf_folder import PdfFolderPrinter
from drivers.printer.serial import SerialPrinter
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.system import SystemPrinter
from drivers.printer.tcp import TcpPrinter
from drivers.printer.usblp import UsbLpPrinter
from kiosk.config import PrinterConfig
from kiosk.documents import render
from kiosk.documents.raster import rasterize, thermal_margin_pt
from kiosk.documents.samples import sample
from kiosk.paths import KioskDirs, kiosk_dirs
from kiosk.printing import (
    MSG_INCOMPLETE,
    MSG_NO_PRINTER,
    MSG_PAPER_OUT,
    MSG_PRINTED,
    MSG_UNAVAILABLE,
    PrintService,
    make_backend,
)
from kiosk.store.engine import Database
from kiosk.store.models import PrintJob

BASE = "https://lexy.xiqing.example/t/"
REF = "SQ-YLQ01-261126-4F7K"


@pytest.fixture
def dirs() -> KioskDirs:
    return kiosk_dirs().ensure()


@pytest.fixture
def db(dirs: KioskDirs) -> Iterator[Database]:
    database = Database(dirs.database).open()
    yield database
    database.close()


@pytest.fixture(params=["pty", "tcp"])
def sim(request: pytest.FixtureRequest) -> Iterator[PrinterSimulator]:
    simulator = PrinterSimulator(request.param)
    simulator.start()
    yield simulator
    simulator.stop()


def _config_for(sim: PrinterSimulator, width: str = "80", dots: int = 576) -> PrinterConfig:
    if sim.mode == "pty":
        return PrinterConfig(backend="escpos-serial", port=sim.path, width=width, dots=dots,
                             status_timeout_s=0.3)
    return PrinterConfig(backend="escpos-tcp", host="127.0.0.1", tcp_port=sim.port,
                         width=width, dots=dots, status_timeout_s=0.3)


def _pdf(kind: str = "application", width: str = "80") -> bytes:
    return render(sample(kind), width=width, qr_base_url=BASE)


def _job(db: Database, job_id: str) -> PrintJob:
    with db.read() as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        return job


@pytest.mark.parametrize(("width", "dots"), [("80", 576), ("58", 384)])
def test_thermal_receipt_prints_through_the_real_transport(
        sim: PrinterSimulator, db: Database, dirs: KioskDirs, width: str, dots: int) -> None:
    service = PrintService(_config_for(sim, width, dots), db, dirs)
    pdf = _pdf(width=width)
    result = service.print_document("application", REF, pdf)
    assert result.ok, result.staff_message
    assert result.resident_message == MSG_PRINTED
    assert sim.wait_for_cut(10)
    events = sim.events
    assert not sim.unknown_events
    job_events = [e for e in events if e.kind != "status_query"]  # checked before and after
    assert job_events[0].kind == "init" and job_events[-1].kind == "cut"
    assert {e.info["width"] for e in events if e.kind == "raster"} == {dots}
    (expected,) = rasterize(pdf, dots, margin_pt=thermal_margin_pt(width))
    assert sim.pages[-1].data == expected.data
    day = datetime.now().strftime("%Y-%m-%d")
    assert result.pdf_path == dirs.receipts / day / f"{REF}-application.pdf"
    assert result.pdf_path.read_bytes() == pdf
    job = _job(db, result.job_id)
    assert (job.state, job.doc_kind, job.ref_number, job.error) == ("printed", "application",
                                                                    REF, "")
    assert job.printed_at is not None and job.pdf_path == str(result.pdf_path)


def test_paper_out_is_detected_before_printing(sim: PrinterSimulator, db: Database,
                                               dirs: KioskDirs) -> None:
    sim.set_paper("out")
    service = PrintService(_config_for(sim), db, dirs)
    assert service.check().paper is Paper.OUT
    result = service.print_document("application", REF, _pdf())
    assert not result.ok and result.state == "failed"
    assert result.resident_message == MSG_PAPER_OUT
    assert "paper out" in result.staff_message
    kinds = {e.kind for e in sim.events}
    assert kinds == {"status_query"}, "nothing but status queries may reach the printer"
    job = _job(db, result.job_id)
    assert job.state == "failed" and "paper out" in job.error
    assert result.pdf_path is not None and result.pdf_path.is_file()  # archived anyway


def test_silent_printer_is_unknown_and_still_gets_the_job(sim: PrinterSimulator,
                                                          db: Database, dirs: KioskDirs) -> None:
    sim.set_silent(True)
    service = PrintService(_config_for(sim), db, dirs)
    status = service.check()
    assert status.online is None and status.paper is Paper.UNKNOWN
    assert not status.ok and not status.blocked
    result = service.print_document("visit", "A023", _pdf("visit"))
    assert result.ok
    assert "without a status check" in result.staff_message
    assert sim.wait_for_cut(10)


def test_paper_low_prints_and_tells_staff(sim: PrinterSimulator, db: Database,
                                          dirs: KioskDirs) -> None:
    sim.set_paper("low")
    result = PrintService(_config_for(sim), db, dirs).print_document("job", "ZW-1", _pdf("job"))
    assert result.ok and "paper low" in result.staff_message


def test_reprint_and_recent_jobs(sim: PrinterSimulator, db: Database, dirs: KioskDirs) -> None:
    service = PrintService(_config_for(sim), db, dirs)
    first = service.print_document("signup", "BM-1", _pdf("signup"))
    second = service.print_document("signup", "BM-1", _pdf("signup"))
    assert first.pdf_path != second.pdf_path  # the same reference twice keeps both copies
    again = service.reprint(first.job_id)
    assert again.ok and again.job_id != first.job_id and again.pdf_path == first.pdf_path
    assert sim.wait_for_cut(10, count=3)
    jobs = service.recent_jobs(limit=2)
    assert [j.id for j in jobs] == [again.job_id, second.job_id]
    assert jobs[0].reprint_of == first.job_id and jobs[0].state == "printed"
    missing = service.reprint("no-such-job")
    assert not missing.ok and "no print job" in missing.staff_message
    assert first.pdf_path is not None
    first.pdf_path.unlink()
    gone = service.reprint(first.job_id)
    assert not gone.ok and "unreadable" in gone.staff_message


def test_concurrent_jobs_do_not_interleave(db: Database, dirs: KioskDirs) -> None:
    with PrinterSimulator("tcp") as sim:
        service = PrintService(_config_for(sim), db, dirs)
        pdfs = {kind: _pdf(kind) for kind in ("visit", "callback", "signup")}
        results = []

        def worker(kind: str) -> None:
            results.append(service.print_document(kind, kind, pdfs[kind]))

        threads = [threading.Thread(target=worker, args=(k,), name=f"print-{k}")
                   for k in pdfs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert all(r.ok for r in results) and len(results) == 3
        assert sim.wait_for_cut(10, count=3)
        expected = {rasterize(p, 576, margin_pt=thermal_margin_pt("80"))[0].data
                    for p in pdfs.values()}
        assert {page.data for page in sim.pages} == expected
        assert not sim.unknown_events


def test_paper_running_out_during_the_job(db: Database, dirs: KioskDirs) -> None:
    class RunsOut(DummyPrinter):
        def print_raster(self, bands: object, *, cut: bool = True) -> None:
            super().print_raster(bands, cut=cut)  # type: ignore[arg-type]
            self.replies.update({1: 0x1A, 2: 0x32, 4: 0x7E})

    printer = RunsOut(READY_REPLIES)
    service = PrintService(PrinterConfig(backend="escpos-serial"), db, dirs, backend=printer)
    result = service.print_document("application", REF, _pdf())
    assert not result.ok and result.resident_message == MSG_INCOMPLETE
    assert b"\x1dv0" in printer.output


def test_pdf_folder_backend_delivers_and_a_broken_folder_fails_cleanly(
        db: Database, dirs: KioskDirs, tmp_path: Path) -> None:
    out = tmp_path / "printed"
    service = PrintService(PrinterConfig(backend="pdf", pdf_dir=str(out)), db, dirs)
    pdf = _pdf("job")
    ok = service.print_document("job", "ZW-1", pdf)
    assert ok.ok and (out / "ZW-1-job.pdf").read_bytes() == pdf
    assert service.check().ok

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    broken = PrintService(PrinterConfig(backend="pdf", pdf_dir=str(blocked)), db, dirs)
    status = broken.check()
    assert status.online is False and "cannot create" in status.detail
    result = broken.print_document("job", "ZW-2", _pdf("job"))
    assert not result.ok and result.resident_message == MSG_UNAVAILABLE
    assert str(blocked) in result.staff_message
    assert _job(db, result.job_id).state == "failed"


def test_default_pdf_folder_is_the_archive(db: Database, dirs: KioskDirs) -> None:
    service = PrintService(PrinterConfig(backend="pdf"), db, dirs)
    result = service.print_document("visit", "A001", _pdf("visit"))
    assert result.ok
    assert list(dirs.receipts.rglob("*.pdf")) == [result.pdf_path]  # no second copy


def test_full_disk_is_a_clean_failure(db: Database, dirs: KioskDirs, tmp_path: Path) -> None:
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
            capture_output=True, timeout=10).returncode != 0:
        pytest.skip("cannot mount a tiny tmpfs here (needs root)")
    try:
        service = PrintService(PrinterConfig(backend="pdf", pdf_dir=str(mnt)), db, dirs)
        status = service.check()
        assert status.online is False and "disk full" in status.detail
        result = service.print_document("guide", "GUIDE", _pdf("guide", "a4"))
        assert not result.ok and "disk full" in result.staff_message
        big = tmp_path / "big.pdf"
        big.write_bytes(b"%PDF" + bytes(200_000))
        with pytest.raises(PrinterError, match="No space left"):
            PdfFolderPrinter(mnt).print_pdf(big)
        assert [p.name for p in mnt.iterdir()] == []  # no half-written file left behind
    finally:
        subprocess.run(["umount", str(mnt)], check=True, timeout=10)


def test_archive_failure_still_prints(db: Database, dirs: KioskDirs) -> None:
    dirs.receipts.parent.mkdir(parents=True, exist_ok=True)
    dirs.receipts.write_text("not a folder")
    printer = DummyPrinter(READY_REPLIES)
    service = PrintService(PrinterConfig(backend="escpos-usb"), db, dirs, backend=printer)
    result = service.print_document("callback", "HJ-1", _pdf("callback"))
    assert result.ok and result.pdf_path is None
    assert "PDF not archived" in result.staff_message
    assert b"\x1dVA\x04" in printer.output


def test_no_printer_configured(db: Database, dirs: KioskDirs) -> None:
    service = PrintService(PrinterConfig(backend="none"), db, dirs)
    assert service.check().online is False
    result = service.print_document("visit", "A002", _pdf("visit"))
    assert not result.ok and result.resident_message == MSG_NO_PRINTER


def test_test_page_over_tcp(db: Database, dirs: KioskDirs) -> None:
    with PrinterSimulator("tcp") as sim:
        service = PrintService(_config_for(sim), db, dirs)
        result = service.test_page()
        assert result.ok and sim.wait_for_cut(10)
        with db.read() as session:
            kinds = session.scalars(select(PrintJob.doc_kind)).all()
        assert kinds == ["test"]


def test_make_backend_from_config(dirs: KioskDirs) -> None:
    cases = {"pdf": PdfFolderPrinter, "escpos-serial": SerialPrinter,
             "escpos-tcp": TcpPrinter, "escpos-usb": UsbLpPrinter, "system": SystemPrinter,
             "none": DisabledPrinter}
    for name, cls in cases.items():
        assert isinstance(make_backend(PrinterConfig(backend=name), dirs), cls)
    default_pdf = make_backend(PrinterConfig(backend="pdf"), dirs)
    assert isinstance(default_pdf, PdfFolderPrinter) and default_pdf.folder == dirs.receipts
