"""Where the kiosk keeps things: bundled resources and the per-machine data, config and logs.

Every path comes from here so that a frozen (PyInstaller) build and a checkout behave alike,
and so that tests can point the whole kiosk at a temporary directory with one variable
(``KIOSK_HOME``) instead of patching functions.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "lexy-kiosk"


def resource_root() -> Path:
    """The ``resources/`` folder, inside the bundle when frozen, beside the packages otherwise."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """One file or folder under ``resources/``."""
    return resource_root().joinpath(*parts)


@dataclass(frozen=True)
class KioskDirs:
    """The machine-specific folders (created on demand)."""

    data: Path
    config: Path
    log: Path

    @property
    def database(self) -> Path:
        return self.data / "kiosk.sqlite3"

    @property
    def receipts(self) -> Path:
        return self.data / "receipts"

    @property
    def config_file(self) -> Path:
        return self.config / "kiosk.toml"

    def ensure(self) -> KioskDirs:
        for p in (self.data, self.config, self.log):
            p.mkdir(parents=True, exist_ok=True)
        return self


def kiosk_dirs(home: str | os.PathLike[str] | None = None) -> KioskDirs:
    """Platform folders, or all three under one root when ``home`` or ``KIOSK_HOME`` is set."""
    root = home or os.environ.get("KIOSK_HOME")
    if root:
        base = Path(root)
        return KioskDirs(data=base / "data", config=base / "config", log=base / "log")
    return KioskDirs(
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        log=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
