"""The system (CUPS) backend against a private cupsd with a cups-pdf virtual printer.

The test starts its own cupsd on a Unix socket in a scratch folder, so it neither needs nor
touches the machine's CUPS queues; cups-pdf only reads per-queue settings from
/etc/cups/cups-pdf-<name>.conf, so one such file is written for the run and removed after.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drivers.printer.base import Paper, PrinterNotFoundError
from drivers.printer.system import SystemPrinter
from kiosk.config import PrinterConfig
from kiosk.documents import render
from kiosk.documents.samples import SAMPLE_TOKEN, sample
from kiosk.paths import kiosk_dirs
from kiosk.printing import PrintService
from kiosk.store.engine import Database

BASE = "https://lexy.xiqing.example/t/"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")


@dataclass(frozen=True)
class Cups:
    server: str
    queue: str
    out: Path


def _wait(predicate: object, timeout: float) -> bool:
    """Poll an external process's state (no event to wait on) until true or timeout."""
    tick = threading.Event()
    for _ in range(int(timeout / 0.1)):
        if predicate():  # type: ignore[operator]
            return True
        tick.wait(0.1)
    return bool(predicate())  # type: ignore[operator]


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    cupsd = shutil.which("cupsd") or shutil.which("cupsd", path="/usr/sbin")
    missing = [name for name in ("lp", "lpstat", "lpadmin") if shutil.which(name) is None]
    if cupsd is None or missing or not BACKEND.exists() or not PPD.exists():
        pytest.skip("CUPS with cups-pdf is not installed (scripts/setup.sh test installs it)")
    if os.geteuid() != 0 or not os.access("/etc/cups", os.W_OK):
        pytest.skip("a private cupsd with cups-pdf needs root (per-queue cups-pdf config)")
    # Not tmp_path: CUPS filters run as user lp and must be able to reach the spool.
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-", dir="/tmp"))
    root.chmod(0o755)
    for sub in ("spool", "cache", "state", "log", "run", "out"):
        (root / sub).mkdir()
    (root / "out").chmod(0o777)
    sock = root / "run" / "cups.sock"
    (root / "cupsd.conf").write_text(
        f"Listen {sock}\nLogLevel warn\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nTempDir {root}/spool\nErrorLog {root}/log/error_log\n"
        f"AccessLog {root}/log/access_log\nPageLog {root}/log/page_log\n"
        f"Printcap {root}/printcap\n")
    queue = f"KIOSKTEST{os.getpid()}"
    pdf_conf = Path(f"/etc/cups/cups-pdf-{queue}.conf")
    pdf_conf.write_text(f"Out {root}/out\nLabel 0\nSpool {root}/cups-pdf-spool\n"
                        f"Log {root}/log\n")
    proc = subprocess.Popen([cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s",
                             str(root / "cups-files.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def running() -> bool:
            r = subprocess.run(["lpstat", "-h", str(sock), "-r"], capture_output=True,
                               text=True, timeout=10)
            return "scheduler is running" in r.stdout

        if not _wait(lambda: proc.poll() is None and sock.exists() and running(), 20):
            log = root / "log" / "error_log"
            cause = log.read_text()[-400:] if log.exists() else ""
            pytest.skip(f"private cupsd did not start: {cause}")
        subprocess.run(["lpadmin", "-h", str(sock), "-p", queue, "-E", "-v",
                        f"cups-pdf:/{queue}", "-P", str(PPD)], check=True,
                       capture_output=True, timeout=30)
        yield Cups(server=str(sock), queue=queue, out=root / "out")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()
        pdf_conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


def _decode(pdf: Path) -> list[str]:
    if not shutil.which("pdftoppm") or not shutil.which("zbarimg"):
        pytest.skip("poppler-utils / zbar-tools missing")
    subprocess.run(["pdftoppm", "-r", "203", "-mono", "-png", str(pdf), str(pdf) + "-p"],
                   check=True, timeout=60)
    pngs = sorted(pdf.parent.glob(pdf.name + "-p*.png"))
    return subprocess.run(["zbarimg", "--raw", "-q", *map(str, pngs)], capture_output=True,
                          text=True, timeout=60).stdout.split()


@pytest.mark.parametrize(("kind", "width", "page_w"), [("guide", "a4", 595),
                                                       ("application", "80", 227)])
def test_pdf_reaches_the_cups_pdf_printer(cups: Cups, tmp_path: Path, kind: str, width: str,
                                          page_w: int) -> None:
    printer = SystemPrinter(cups.queue, server=cups.server)
    status = printer.status()
    assert status.online is True and status.paper is Paper.UNKNOWN
    assert "queue only" in status.detail
    dirs = kiosk_dirs().ensure()
    db = Database(dirs.database).open()
    try:
        service = PrintService(PrinterConfig(backend="system", queue=cups.queue, width=width),
                               db, dirs, backend=printer)
        before = set(cups.out.glob("*.pdf"))
        result = service.print_document(kind, f"REF-{kind}",
                                        render(sample(kind), width=width, qr_base_url=BASE))
        assert result.ok, result.staff_message
        assert _wait(lambda: set(cups.out.glob("*.pdf")) - before, 60), "no PDF arrived"
        (arrived,) = set(cups.out.glob("*.pdf")) - before
        assert _wait(lambda: arrived.stat().st_size > 1000 and
                     b"%%EOF" in arrived.read_bytes()[-64:], 30)
    finally:
        db.close()
    copy = tmp_path / "arrived.pdf"
    shutil.copy(arrived, copy)
    info = subprocess.run(["pdfinfo", str(copy)], capture_output=True, text=True,
                          timeout=30).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size and abs(float(size.group(1)) - page_w) <= 1
    assert _decode(copy)[0] == BASE + SAMPLE_TOKEN


def test_unknown_queue_is_reported(cups: Cups, tmp_path: Path) -> None:
    printer = SystemPrinter("NO_SUCH_QUEUE", server=cups.server)
    assert printer.status().online is False
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(render(sample("visit"), width="80", qr_base_url=BASE))
    with pytest.raises(PrinterNotFoundError, match="NO_SUCH_QUEUE"):
        printer.print_pdf(pdf)


def test_missing_lp_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    printer = SystemPrinter("ANY")
    assert not printer.is_usable()
    status = printer.status()
    assert status.online is False and "lp command is missing" in status.detail
