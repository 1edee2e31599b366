"""`kiosk receipt sample` and `kiosk diag printer`: output, exit codes, one-line errors."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from drivers.printer.simulator import PrinterSimulator
from kiosk.commands import diag, receipt


def _kiosk(argv: list[str]) -> int:
    """Run like kiosk.cli.main, with only the commands under test registered."""
    parser = argparse.ArgumentParser(prog="kiosk")
    sub = parser.add_subparsers(dest="command")
    receipt.register(sub)
    diag.register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_cli_lists_the_receipt_command() -> None:
    from kiosk import cli

    assert "kiosk.commands.receipt" in cli.COMMAND_MODULES


@pytest.mark.parametrize("kind", receipt.KINDS)
def test_receipt_sample_writes_a_pdf(kind: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deep" / f"{kind}.pdf"
    width = "a4" if kind == "guide" else "58"
    assert _kiosk(["receipt", "sample", "--kind", kind, "--width", width,
                   "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert f"wrote {out}" in capsys.readouterr().out
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              timeout=30).stdout
        assert "西青" in text


def test_receipt_sample_reports_an_unwritable_path(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = _kiosk(["receipt", "sample", "--kind", "visit", "--out", str(blocker / "a.pdf")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("kiosk receipt: cannot write")


def test_receipt_sample_reports_a_bad_config(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("[printer]\nwidth = 76\n")
    code = _kiosk(["receipt", "sample", "--kind", "visit", "--config", str(config),
                   "--out", str(tmp_path / "a.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "printer.width" in err


def test_diag_printer_status_and_test_page_over_tcp(capsys: pytest.CaptureFixture[str]) -> None:
    with PrinterSimulator("tcp") as sim:
        args = ["diag", "printer", "--backend", "escpos-tcp", "--host", "127.0.0.1",
                "--tcp-port", str(sim.port)]
        assert _kiosk(args) == 0
        assert "online, paper ok, cover closed" in capsys.readouterr().out
        assert _kiosk([*args, "--test-page"]) == 0
        assert "test page: printed" in capsys.readouterr().out
        assert sim.wait_for_cut(10)
        sim.set_paper("out")
        assert _kiosk([*args, "--test-page"]) == 1
        out = capsys.readouterr().out
        assert "paper out" in out and "test page: failed" in out
        assert sim.pages_received == 1


def test_diag_printer_serial_silent_is_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    with PrinterSimulator("pty", silent=True) as sim:
        assert _kiosk(["diag", "printer", "--backend", "escpos-serial", "--port", sim.path]) == 0
    out = capsys.readouterr().out
    assert "online?, paper unknown" in out and "did not report its status" in out


def test_diag_printer_unreachable_and_bad_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert _kiosk(["diag", "printer", "--backend", "escpos-serial", "--port",
                   "/dev/ttyNOPE"]) == 1
    assert "/dev/ttyNOPE" in capsys.readouterr().out
    assert _kiosk(["diag", "printer", "--backend", "escpos-tcp", "--host", "127.0.0.1",
                   "--tcp-port", "70000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--tcp-port" in err


def test_diag_printer_pdf_default(kiosk_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _kiosk(["diag", "printer", "--test-page"]) == 0
    assert list((kiosk_home / "data" / "receipts").rglob("TEST-*-test.pdf"))
    assert "test page: printed" in capsys.readouterr().out
