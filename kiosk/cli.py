"""`kiosk ...`: the command line for residents' machine, staff and technicians.

Each subcommand lives in its own module under :mod:`kiosk.commands` with a ``register``
function; heavy imports (Qt, reportlab, serial) happen inside the handlers so that
``kiosk --help`` and the diagnostics stay quick.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Loaded by name: the ui.* ones open Qt, and the core must not import ui/ (layering).
COMMAND_MODULES = [
    "ui.commands.run",
    "ui.commands.selftest",
    "ui.commands.screenshots",
    "kiosk.commands.diag",
    "kiosk.commands.admin",
    "kiosk.commands.receipt",
    "kiosk.commands.policies",
    "kiosk.commands.sync",
    "kiosk.commands.jobs",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="乐业西青 self-service kiosk")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
