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
# Which module registers a command, so `kiosk run` loads one command module instead of all
# of them (a few tens of milliseconds before the first frame). A command missing here still
# works: an unknown first word loads every module. tests/test_cli_shell.py checks the table.
COMMAND_OWNERS = {
    "run": "ui.commands.run",
    "self-test": "ui.commands.selftest",
    "screenshots": "ui.commands.screenshots",
    "diag": "kiosk.commands.diag",
    "admin": "kiosk.commands.admin",
    "receipt": "kiosk.commands.receipt",
    "policies": "kiosk.commands.policies",
    "enroll": "kiosk.commands.sync",
    "sync": "kiosk.commands.sync",
    "jobs": "kiosk.commands.jobs",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or only ``command``'s part of it when its owner is known."""
    parser = argparse.ArgumentParser(prog="kiosk", description="乐业西青 self-service kiosk")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    owner = COMMAND_OWNERS.get(command or "")
    for name in [owner] if owner else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _command_word(argv: Sequence[str]) -> str | None:
    return argv[0] if argv and not argv[0].startswith("-") else None


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_word(words))
    args = parser.parse_args(words)
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
