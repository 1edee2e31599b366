"""The layering rule: kiosk/ and drivers/ are Qt-free, drivers/ knows nothing of kiosk/.

Checked twice: import-linter's contracts from pyproject.toml, and a plain AST scan that also
catches imports hidden inside functions.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", ["kiosk", "drivers"])
def test_core_and_drivers_import_no_qt(package: str) -> None:
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        for name in _imports(path):
            if name.split(".")[0] in QT:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_drivers_do_not_import_the_core() -> None:
    offenders = [f"{p.relative_to(ROOT)}: {n}" for p in (ROOT / "drivers").rglob("*.py")
                 for n in _imports(p) if n.split(".")[0] in ("kiosk", "central")]
    assert not offenders, offenders


def test_import_linter_contracts() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
