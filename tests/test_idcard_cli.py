"""`kiosk diag read-card` / `simulate-reader` against the simulator on a real pty.

The commands run through ``kiosk.cli.main`` (and once as ``python -m kiosk`` in a
subprocess), so these tests exercise the real argument parsing, dispatch and exit codes.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kiosk.cli
from drivers.idcard.layouts import JSON_KEYS, IdCard
from drivers.idcard.simulator import SimulatedReader, load_cards_json

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo" / "cards.json"
CLI_SNIPPET = "import sys, kiosk.cli as c; sys.exit(c.main())"  # = python -m kiosk


@pytest.fixture(scope="module")
def cards() -> list[IdCard]:
    return load_cards_json(DEMO)


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimulatedReader]:
    reader = SimulatedReader()
    reader.start(link=tmp_path / "idcard")
    yield reader
    reader.stop()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = kiosk.cli.main(["diag", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_read_card_json_is_masked(
    sim: SimulatedReader, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    sim.place_card(cards[0])
    code, out, err = run(capsys, "read-card", "--port", sim.port, "--json", "--timeout", "5")
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert tuple(shown) == JSON_KEYS
    assert shown["id_number"] == "120111********0032"
    assert shown["name"] == "王*国"
    assert shown["valid_to"] == "长期"
    assert cards[0].id_number not in out


def test_read_card_reveal_shows_everything(
    sim: SimulatedReader, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    card = next(c for c in cards if c.layout == "Y")
    sim.place_card(card)
    code, out, _ = run(capsys, "read-card", "--port", sim.port, "--json", "--reveal")
    assert code == 0
    assert json.loads(out) == card.to_json(reveal=True)


def test_read_card_text_output_is_masked(
    sim: SimulatedReader, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    card = next(c for c in cards if c.extra_address)
    sim.place_card(card)
    code, out, _ = run(capsys, "read-card", "--port", sim.port)
    assert code == 0
    assert "刘*兰" in out and "120111********0040" in out
    assert card.id_number not in out and card.name not in out
    assert card.extra_address in out
    assert "number check" in out and "ok" in out


def test_no_card_before_the_timeout(
    sim: SimulatedReader, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "read-card", "--port", sim.port, "--timeout", "0.4")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("read-card: no card on ") and "0.4 s" in err


def test_missing_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = str(tmp_path / "ttyUSB9")
    code, out, err = run(capsys, "read-card", "--port", port, "--timeout", "5")
    assert code == 3
    assert out == ""
    assert err == f"read-card: reader fault: cannot open {port}: no such port\n"


def test_sam_fault(
    sim: SimulatedReader, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    sim.set_fault("sam_fault")
    sim.place_card(cards[0])
    code, _, err = run(capsys, "read-card", "--port", sim.port, "--timeout", "5")
    assert code == 3
    assert err.count("\n") == 1 and "SAM自检失败" in err


def test_checksum_errors_after_retries(
    sim: SimulatedReader, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    sim.set_fault("corrupt_checksum", count=1000)
    sim.place_card(cards[0])
    code, out, err = run(capsys, "read-card", "--port", sim.port, "--timeout", "5")
    assert code == 4
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("read-card: card could not be read: ") and "checksum" in err


def test_bad_arguments_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        kiosk.cli.main(["diag", "read-card", "--port", "x", "--timeout", "-1"])
    assert info.value.code == 2
    assert "must be greater than 0" in capsys.readouterr().err


def test_simulate_reader_refuses_a_bad_card_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "cards.json"
    bad.write_text('{"cards": [{"card_type": "passport"}]}', encoding="utf-8")
    code, out, err = run(capsys, "simulate-reader", "--card", str(bad))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "card 0: card_type" in err


def test_simulate_reader_serves_until_sigterm(
    tmp_path: Path, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "reader"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CLI_SNIPPET,
            "diag",
            "simulate-reader",
            "--card",
            str(DEMO),
            "--pick",
            "2",
            "--link",
            str(link),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "simulate-reader printed no port"
        assert proc.stdout.readline().strip() == str(link)
        code, out, _ = run(capsys, "read-card", "--port", str(link), "--json", "--reveal")
        assert code == 0
        assert json.loads(out)["id_number"] == cards[1].id_number  # --pick 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert not link.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
