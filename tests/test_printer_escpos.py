"""ESC/POS status parsing, exact bytes, and the serial / TCP / USB-lp transports."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer.base import Paper, PrinterNotFoundError, PrinterStatus
from drivers.printer.dummy import READY_REPLIES, DummyPrinter
from drivers.printer.escpos import (
    INIT,
    cut_command,
    paper_state,
    printer_online,
    status_from_replies,
    valid_status_byte,
)
from drivers.printer.serial import SerialPrinter
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.tcp import TcpPrinter
from drivers.printer.usblp import UsbLpPrinter


@pytest.mark.parametrize(("replies", "expected"), [
    ({1: 0x12, 2: 0x12, 4: 0x12}, PrinterStatus(True, Paper.OK, False, "")),
    ({1: 0x12, 2: 0x12, 4: 0x1E}, PrinterStatus(True, Paper.LOW, False, "")),
    ({1: 0x1A, 2: 0x32, 4: 0x7E}, PrinterStatus(False, Paper.OUT, False, "")),
    ({1: 0x1A, 2: 0x16, 4: 0x12}, PrinterStatus(False, Paper.OK, True, "")),
    ({1: 0x1A, 2: 0x32, 4: None},
     PrinterStatus(False, Paper.OUT, False, "no answer to DLE EOT 4")),
    ({1: 0x12, 2: None, 4: 0x12},
     PrinterStatus(True, Paper.OK, None, "no answer to DLE EOT 2")),
    ({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12},
     PrinterStatus(False, Paper.OK, False, "autocutter error")),
    ({1: None}, PrinterStatus(None, Paper.UNKNOWN, None, "no answer to DLE EOT 1")),
])
def test_status_from_replies(replies: dict[int, int | None], expected: PrinterStatus) -> None:
    assert status_from_replies(replies) == expected


def test_status_byte_rules() -> None:
    assert valid_status_byte(0x12) and valid_status_byte(0x7E)
    assert not valid_status_byte(0x00) and not valid_status_byte(0xFF)
    assert not valid_status_byte(ord("0"))  # python-escpos' CUPS "status"
    assert printer_online(0x12) and not printer_online(0x1A)
    assert paper_state(0x12) is Paper.OK and paper_state(0x1E) is Paper.LOW
    assert paper_state(0x72) is Paper.OUT


def test_no_answer_is_unknown_never_ok() -> None:
    status = PrinterStatus()
    assert not status.ok and not status.known and not status.blocked
    with DummyPrinter() as p:
        assert p.status() == PrinterStatus(
            detail="no answer within 0 s to DLE EOT 1 (printer off, wrong port or baud?)")


def test_dummy_records_exact_bytes() -> None:
    band = b"\x1dv0\x00\x01\x00\x02\x00\xff\x81"
    with DummyPrinter(READY_REPLIES) as p:
        assert p.status().ok
        p.output.clear()
        p.print_raster([band, band], cut=True)
        assert bytes(p.output) == INIT + band + band + b"\x1dVA\x04"
    assert cut_command(partial=True, feed=0) == b"\x1dVB\x00"


def test_usblp_device_file_gets_the_bytes_and_status_is_unknown(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    printer = UsbLpPrinter(str(device))
    with printer:
        status = printer.status()
        printer.print_raster(b"\x1dv0\x00\x01\x00\x01\x00\xaa")
    assert status.online is None and status.paper is Paper.UNKNOWN
    assert "write-only" in status.detail
    assert device.read_bytes() == INIT + b"\x1dv0\x00\x01\x00\x01\x00\xaa" + b"\x1dVA\x04"
    assert not printer.capabilities().two_way_status


def test_usblp_missing_device(tmp_path: Path) -> None:
    printer = UsbLpPrinter(str(tmp_path / "lp9"))
    with pytest.raises(PrinterNotFoundError, match="no such device"):
        printer.open()
    assert printer.status().online is False


def test_serial_missing_port() -> None:
    with pytest.raises(PrinterNotFoundError, match="/dev/ttyNOPE"):
        SerialPrinter("/dev/ttyNOPE").open()
    with pytest.raises(PrinterNotFoundError, match=r"printer\.port"):
        SerialPrinter("").open()


def test_tcp_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PrinterNotFoundError, match=f"127.0.0.1:{port}"):
        TcpPrinter("127.0.0.1", port, connect_timeout=1).open()


@pytest.fixture(params=["pty", "tcp"])
def sim_and_printer(request: pytest.FixtureRequest) -> Iterator[
        tuple[PrinterSimulator, SerialPrinter | TcpPrinter]]:
    sim = PrinterSimulator(request.param)
    where = sim.start()
    try:
        printer: SerialPrinter | TcpPrinter
        if request.param == "pty":
            printer = SerialPrinter(str(where), 115200, status_timeout=0.3)
        else:
            printer = TcpPrinter("127.0.0.1", int(where), status_timeout=0.3)
        yield sim, printer
    finally:
        sim.stop()


def test_status_states_over_real_transports(
        sim_and_printer: tuple[PrinterSimulator, SerialPrinter | TcpPrinter]) -> None:
    sim, printer = sim_and_printer
    with printer:
        assert printer.status() == PrinterStatus(True, Paper.OK, False, "")
        sim.set_paper("low")
        assert printer.status().paper is Paper.LOW
        sim.set_paper("out")
        out = printer.status()
        assert out.paper is Paper.OUT and out.online is False and out.blocked
        sim.set_paper("ok")
        sim.set_cover_open(True)
        cover = printer.status()
        assert cover.cover_open is True and cover.online is False
        sim.set_cover_open(False)
        sim.set_online(False)
        assert printer.status().online is False
        sim.set_online(True)
        sim.set_silent(True)
        started = time.monotonic()
        silent = printer.status()
        elapsed = time.monotonic() - started
    assert silent.online is None and silent.paper is Paper.UNKNOWN and not silent.blocked
    assert "no answer" in silent.detail
    assert elapsed < 0.3 * 2.5, "a silent printer must cost one short timeout, not four"
    assert not sim.unknown_events


def test_answered_status_does_not_wait_for_the_timeout(
        sim_and_printer: tuple[PrinterSimulator, SerialPrinter | TcpPrinter]) -> None:
    _sim, printer = sim_and_printer
    printer.status_timeout = 2.0
    with printer:
        started = time.monotonic()
        assert printer.status().ok
        assert time.monotonic() - started < 1.0  # read 1 byte, don't wait for 16
