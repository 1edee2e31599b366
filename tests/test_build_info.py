"""Build information and the frozen-only guards, checked without building (fast)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.version import (
    BUILD_INFO_MODULE,
    BuildInfo,
    build_info,
    bundle_check,
    render_build_module,
)

ROOT = Path(__file__).resolve().parent.parent


def test_source_checkout_says_so() -> None:
    info = build_info()
    assert info == BuildInfo(version=__version__, frozen=False)
    assert info.label() == f"{__version__} · 源码运行"
    ok, detail = bundle_check()
    assert ok and "source checkout" in detail


def test_generated_module_is_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    source = render_build_module("9.8.7", "2025-11-26T10:04:00Z", "a1b2c3d4e5+dirty")
    module = types.ModuleType(BUILD_INFO_MODULE)
    exec(compile(source, BUILD_INFO_MODULE, "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, BUILD_INFO_MODULE, module)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    info = build_info()
    assert info == BuildInfo("9.8.7", True, "2025-11-26T10:04:00Z", "a1b2c3d4e5+dirty")
    assert info.label() == "9.8.7 · 构建 2025-11-26 · a1b2c3d4e5+dirty"
    assert json.loads(json.dumps(info.to_json()))["commit"] == "a1b2c3d4e5+dirty"


def test_bundle_check_names_what_is_missing(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    """A frozen tree without resources/migrations/Qt plugins fails with each cause named."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr("kiosk.store.engine.MIGRATIONS", tmp_path / "kiosk/store/migrations")
    ok, detail = bundle_check()
    assert not ok
    assert "resources not inside the bundle" in detail
    assert "database migrations missing" in detail
    if sys.platform.startswith("linux"):
        assert "xcb platform plugin missing" in detail


def test_admin_screen_shows_the_build(kiosk_ui: object) -> None:
    admin = kiosk_ui.window.screens["admin"]  # type: ignore[attr-defined]
    assert f"软件版本 {__version__} · 源码运行" in admin.info.text()


def test_self_test_report_has_build_and_survives_missing_stdout(tmp_path: Path,
                                                                 kiosk_home: Path) -> None:
    """The same closed-stdout start as a windowed Windows build, from the checkout."""
    out = tmp_path / "report.json"
    env = dict(os.environ, KIOSK_HOME=str(kiosk_home))
    cmd = (f'exec 1>&- 2>&-; exec "{sys.executable}" -m kiosk self-test --demo --no-ui --json '
           f'--out "{out}"')
    proc = subprocess.run(["bash", "-c", cmd], cwd=ROOT, env=env, timeout=60)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert proc.returncode == 0, [c for c in report["checks"] if not c["ok"]]
    assert report["frozen"] is False and report["build"]["version"] == __version__
    assert {c["name"]: c["ok"] for c in report["checks"]}["bundle"] is True
