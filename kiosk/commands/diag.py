"""`kiosk diag ...`: technicians' device diagnostics (card reader, printer)."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

DIAG_MODULES = ["kiosk.commands.diag_card", "kiosk.commands.diag_printer"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("diag", help="diagnose devices")
    diag_sub = parser.add_subparsers(dest="diag_command", metavar="DEVICE")
    for name in DIAG_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a device family not built into this kiosk
            if exc.name != name:
                raise
            continue
        module.register(diag_sub)
