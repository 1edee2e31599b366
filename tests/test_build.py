"""CI builds the frozen kiosk with the one build command and runs it.

``scripts/build-dist.sh --no-setup`` builds once per module (about a minute on 2 cores) into a
temporary folder; the tests then look at what it produced on their own rather than trusting
the script's own checks: the frozen self-test report, sizes, what is (not) in the bundle, and
that the archive unpacked somewhere else still starts.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed (pip install -e '.[dev]')"),
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="the Linux build; Windows is built on Windows"),
    pytest.mark.timeout(300),
]


class Build:
    def __init__(self, dist: Path, log: str) -> None:
        self.dist = dist
        self.app = dist / "kiosk"
        self.exe = self.app / "kiosk"
        self.log = log
        figures = json.loads((dist / "build-figures.json").read_text(encoding="utf-8"))
        self.archive = Path(figures["archive"])
        self.figures = figures


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    out = tmp_path_factory.mktemp("build")
    proc = subprocess.run(
        ["bash", "scripts/build-dist.sh", "--no-setup", "--dist", str(out / "dist"),
         "--work", str(out / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=280,
        env={k: v for k, v in os.environ.items() if k != "KIOSK_HOME"})
    if proc.returncode != 0:
        pytest.fail(f"build-dist.sh failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return Build(out / "dist", proc.stdout)


def _frozen_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", KIOSK_HOME=str(home))
    return env


def test_frozen_self_test_passes(build: Build) -> None:
    report = json.loads((build.dist / "self-test.json").read_text(encoding="utf-8"))
    failed = [c for c in report["checks"] if not c["ok"]]
    assert report["ok"], failed
    assert report["frozen"] is True
    assert report["build"]["build_date"] and report["build"]["version"] == report["version"]
    assert "/_internal/resources" in report["resource_root"]
    checks = {c["name"]: c["detail"] for c in report["checks"]}
    # every part the issue names ran frozen: DB migrated from the shipped alembic scripts,
    # pty simulator, receipt, fonts, every screen, pdfium and the xcb plugin (bundle check)
    assert {"database", "card_reader", "receipt", "font", "qt_font", "screens",
            "bundle"} <= set(checks)
    assert "schema 0" in checks["database"]
    assert "simulated reader" in checks["card_reader"]
    assert "pdfium ok" in checks["bundle"] and "xcb" in checks["bundle"]


def _tree_bytes(folder: Path) -> int:
    return sum(os.lstat(os.path.join(d, f)).st_size
               for d, _dirs, files in os.walk(folder) for f in files)


def test_sizes_and_checksum(build: Build) -> None:
    unpacked = _tree_bytes(build.app)
    packed = build.archive.stat().st_size
    assert unpacked <= 200 * MB, f"dist is {unpacked / MB:.0f} MB unpacked"
    assert packed <= 80 * MB, f"archive is {packed / MB:.0f} MB"
    assert re.fullmatch(r"kiosk-\d+\.\d+\.\d+\S*-linux-x86_64\.tar\.gz", build.archive.name)
    digest = hashlib.sha256(build.archive.read_bytes()).hexdigest()
    sums = (build.dist / "SHA256SUMS").read_text().split()
    assert sums == [digest, build.archive.name]
    assert "unpacked" in build.log and "built in" in build.log


def test_no_unused_qt_stack_and_no_central_server(build: Build) -> None:
    banned = re.compile(r"quick|qml|virtualkeyboard|webengine", re.IGNORECASE)
    files = [str(p.relative_to(build.app)) for p in build.app.rglob("*")]
    assert not [f for f in files if banned.search(f)]
    assert not [f for f in files if f.split(os.sep)[:2] == ["_internal", "central"]]
    from PyInstaller.archive.readers import CArchiveReader

    modules = set(CArchiveReader(str(build.exe)).open_embedded_archive("PYZ.pyz").toc)
    assert "kiosk.cli" in modules and "ui.commands.run" in modules
    top = {m.split(".")[0] for m in modules}
    assert not top & {"central", "fastapi", "uvicorn", "starlette", "pytest", "mypy"}
    # alembic loads the migrations from files: shipped as data where MIGRATIONS points
    versions = build.app / "_internal" / "kiosk" / "store" / "migrations" / "versions"
    shipped = sorted(p.name for p in versions.glob("*.py"))
    source = sorted(p.name for p in (ROOT / "kiosk/store/migrations/versions").glob("*.py"))
    assert shipped == source


def test_unpacked_archive_starts_elsewhere(build: Build, tmp_path: Path) -> None:
    """What a technician does: unpack on the kiosk, run it from there, no checkout around."""
    with tarfile.open(build.archive) as tar:
        names = tar.getnames()
        top = {n.split("/")[0] for n in names}
        tar.extractall(tmp_path / "opt", filter="tar")
    assert len(top) == 1 and top.pop().startswith("kiosk-")
    (unpacked,) = (tmp_path / "opt").iterdir()
    assert (unpacked / "DEPLOY.md").is_file()
    assert (unpacked / "deploy" / "lexy-kiosk.service").is_file()
    exe = unpacked / "kiosk"
    env = _frozen_env(tmp_path / "home")

    help_ = subprocess.run([exe, "--help"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert help_.returncode == 0 and "self-test" in help_.stdout

    run = subprocess.run([exe, "run", "--demo", "--windowed", "--exit-after-paint"],
                         capture_output=True, text=True, env=env, timeout=90)
    assert run.returncode == 0, run.stderr[-2000:]
    assert re.search(r"^first-paint \d+\.\d+$", run.stdout, re.MULTILINE)
    log = (tmp_path / "home" / "log" / "kiosk.log").read_text(encoding="utf-8")
    assert "kiosk ready (demo=True)" in log
    assert re.search(r"^ready \d+\.\d+$", run.stdout, re.MULTILINE)


def test_frozen_without_stdout_writes_report_to_file(build: Build, tmp_path: Path) -> None:
    """A windowed Windows build has no stdout/stderr; with both closed nothing may crash
    and ``--out`` still gets the report (Linux: closed descriptors give sys.stdout None)."""
    out = tmp_path / "st.json"
    cmd = (f'exec 1>&- 2>&-; exec "{build.exe}" self-test --demo --no-ui --json '
           f'--out "{out}"')
    proc = subprocess.run(["bash", "-c", cmd], env=_frozen_env(tmp_path / "home"),
                          timeout=90)
    assert proc.returncode == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] and report["frozen"]
