"""The simulated ESC/POS printer: its parser, and raster jobs through the real drivers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drivers.printer.serial import SerialPrinter
from drivers.printer.simulator import EscPosParser, PrinterSimulator
from drivers.printer.tcp import TcpPrinter
from kiosk.documents import render
from kiosk.documents.raster import gs_v0_bands, rasterize, thermal_margin_pt
from kiosk.documents.samples import SAMPLE_TOKEN, sample

BASE = "https://lexy.xiqing.example/t/"


def test_parser_understands_the_commands_the_kiosk_and_others_send() -> None:
    qr_store = b"\x1d(k\x0c\x001P0https://x"
    stream = (b"\x1b@" + b"\x1c&" + "乐业西青".encode("gb18030") + b"\n" + b"\x1ba\x01"
              + b"\x1d(k\x03\x001C\x06" + qr_store + b"\x10\x04\x04"
              + b"\x1dv0\x00\x02\x00\x03\x00" + bytes(6) + b"\x1dVA\x04" + b"\x1dV\x01")
    events = EscPosParser().feed(stream)
    kinds = [e.kind for e in events]
    assert kinds == ["init", "cjk_on", "text", "feed", "align", "qr", "qr", "status_query",
                     "raster", "cut", "cut"]
    assert events[2].info["text"] == "乐业西青"
    assert events[6].info["fn"] == ord("P") and events[6].data == b"0https://x"
    assert events[7].info["n"] == 4
    assert dict(events[8].info) == {"width_bytes": 2, "width": 16, "height": 3, "m": 0}
    assert events[9].info == {"partial": False, "feed": 4}
    assert events[10].info == {"partial": True, "feed": 0}


def test_parser_waits_for_split_commands_and_whole_characters() -> None:
    stream = (b"\x1b@" + "回执".encode("gb18030") + b"\x1dv0\x00\x01\x00\x02\x00\xff\x0f"
              + b"\x1dVA\x00")
    parser = EscPosParser()
    events = []
    for i in range(len(stream)):  # one byte at a time, as a slow serial line delivers
        events += parser.feed(stream[i:i + 1])
    assert [e.kind for e in events] == ["init", "text", "raster", "cut"]
    assert events[1].info["text"] == "回执"
    assert events[2].data == b"\xff\x0f"


def test_parser_reports_what_it_does_not_know() -> None:
    events = EscPosParser().feed(b"\x1b\x99\x1d\x98\x07\x1d(Z\x02\x00ab\x1b@")
    assert [e.kind for e in events] == ["unknown", "unknown", "unknown", "unknown", "init"]
    assert events[0].info["hex"] == "1b 99"


@pytest.mark.parametrize("mode", ["pty", "tcp"])
def test_a_receipt_arrives_whole_through_the_real_driver(mode: str, tmp_path: Path) -> None:
    pdf = render(sample("application"), width="80", qr_base_url=BASE)
    (raster,) = rasterize(pdf, 576, margin_pt=thermal_margin_pt("80"))
    sim = PrinterSimulator(mode)
    where = sim.start()
    try:
        printer = (SerialPrinter(str(where)) if mode == "pty"
                   else TcpPrinter("127.0.0.1", int(where)))
        with printer:
            assert printer.status().ok
            printer.print_raster(gs_v0_bands(raster, band_lines=200), cut=True)
        assert sim.wait_for_cut(10)
        events = sim.events
        assert not sim.unknown_events
        assert events[-1].kind == "cut"
        rasters = [e for e in events if e.kind == "raster"]
        assert all(e.info["width"] == 576 for e in rasters)
        assert sum(int(e.info["height"]) for e in rasters) == raster.height
        page = sim.pages[-1]
        assert (page.width, page.height, page.data) == (576, raster.height, raster.data)
        image = sim.last_raster_image()
        assert image is not None
        zbar = shutil.which("zbarimg")
        if zbar:  # the QR the printer would print decodes to the receipt's URL
            png = tmp_path / "printed.png"
            image.save(png)
            out = subprocess.run([zbar, "--raw", "-q", str(png)], capture_output=True,
                                 text=True, timeout=30).stdout.split()
            assert out == [BASE + SAMPLE_TOKEN]
    finally:
        sim.stop()


def test_tcp_simulator_serves_successive_connections() -> None:
    with PrinterSimulator("tcp") as sim:
        for n in (1, 2, 3):
            with TcpPrinter("127.0.0.1", sim.port) as printer:
                printer.print_raster(b"\x1dv0\x00\x01\x00\x01\x00\x80")
            assert sim.wait_for_cut(5, count=n)
        assert sim.pages_received == 3
        sim.clear()
        assert sim.pages_received == 0 and sim.events == []


def test_state_setters_validate_and_stop_is_idempotent() -> None:
    sim = PrinterSimulator("pty")
    with pytest.raises(ValueError):
        sim.set_paper("empty")
    with pytest.raises(ValueError):
        PrinterSimulator("usb")
    assert sim.status_byte(4) == 0x12
    sim.set_paper("low")
    assert sim.status_byte(4) == 0x1E
    sim.set_silent(True)
    assert sim.status_byte(1) is None
    sim.stop()  # never started: nothing to do
    path = sim.start()
    assert isinstance(path, str) and path.startswith("/dev/")
    sim.stop()
    sim.stop()
