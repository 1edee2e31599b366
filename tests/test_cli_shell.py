"""The kiosk command line as a technician uses it: self-test, screenshots, bad config, PIN."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _kiosk(*args: str, home: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KIOSK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_self_test_json_passes_in_demo_mode(kiosk_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "st.json"
    result = _kiosk("self-test", "--demo", "--json", "--out", str(out), home=kiosk_home)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    names = {c["name"] for c in report["checks"]}
    assert {"config", "database", "resources", "font", "card_reader", "policy_pack", "printer",
            "receipt", "qt_font", "screens", "translations"} <= names
    assert json.loads(out.read_text(encoding="utf-8")) == report


def test_bad_config_names_the_key(kiosk_home: Path, tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[session]\nidle_timeout_s = "soon"\n', encoding="utf-8")
    result = _kiosk("run", "--config", str(config), home=kiosk_home)
    assert result.returncode == 2
    assert "session.idle_timeout_s: expected a whole number" in result.stderr
    assert "Traceback" not in result.stderr
    result = _kiosk("self-test", "--config", str(config), "--json", home=kiosk_home)
    assert result.returncode == 1
    assert json.loads(result.stdout)["ok"] is False


def test_missing_config_file(kiosk_home: Path) -> None:
    result = _kiosk("run", "--config", "/nonexistent/kiosk.toml", home=kiosk_home)
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_screenshots_render_every_screen(kiosk_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    result = _kiosk("screenshots", "--out", str(out), home=kiosk_home)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    for screen in ("home", "home_identified", "jobs", "policies", "guide", "my_applications",
                   "idle_countdown", "pin", "admin"):
        assert any(n.endswith(f"_{screen}.png") for n in names), (screen, names)
    from PySide6.QtGui import QImage

    image = QImage(str(out / names[0]))
    assert (image.width(), image.height()) == (1080, 1920)


def test_admin_set_pin(kiosk_home: Path) -> None:
    result = _kiosk("admin", "set-pin", "--demo", "--pin", "12", home=kiosk_home)
    assert result.returncode == 2 and "6 to 8 digits" in result.stderr
    result = _kiosk("admin", "set-pin", "--demo", "--pin", "86420135", home=kiosk_home)
    assert result.returncode == 0, result.stderr
    hashed = _kiosk("admin", "hash-pin", "--pin", "86420135", home=kiosk_home)
    assert hashed.stdout.startswith("scrypt$")


def test_run_paints_home_before_storage_then_gets_ready(kiosk_home: Path) -> None:
    """`kiosk run` paints the home screen first and is ready (screens, devices, sync) after."""
    result = _kiosk("run", "--demo", "--windowed", "--exit-after-paint", home=kiosk_home)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()
             if line.startswith(("first-paint", "ready"))]
    assert [word for word, _ in lines] == ["first-paint", "ready"]
    assert float(lines[0][1]) < float(lines[1][1])


def test_run_with_a_broken_database_says_so_and_exits_3(kiosk_home: Path) -> None:
    db = kiosk_home / "data" / "demo" / "kiosk-demo.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 200)
    result = _kiosk("run", "--demo", "--windowed", home=kiosk_home, timeout=120)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "storage error" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == b"this is not a database" * 200  # nothing overwritten


def test_command_owner_table_matches_the_modules() -> None:
    """`kiosk run` loads only its own command module; the table must say who owns what."""
    import argparse
    import importlib

    from kiosk.cli import COMMAND_MODULES, COMMAND_OWNERS, build_parser

    owners = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        owners.update(dict.fromkeys(sub.choices, name))
    assert {k: v for k, v in owners.items() if k in COMMAND_OWNERS} == COMMAND_OWNERS
    only_run = build_parser("run")
    assert only_run.parse_args(["run", "--demo"]).command == "run"
    assert build_parser(None).parse_args(["jobs", "generate", "--count", "5",
                                          "--out", "x.jsonl"]).command == "jobs"
