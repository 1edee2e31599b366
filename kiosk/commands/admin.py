"""`kiosk admin set-pin`: set the station's admin PIN (stored only as a salted scrypt hash)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from kiosk.commands.common import add_config_args, load


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("admin", help="station admin tasks")
    admin_sub = parser.add_subparsers(dest="admin_command", metavar="TASK")
    set_pin = admin_sub.add_parser("set-pin", help="set the admin PIN (6-8 digits)")
    add_config_args(set_pin)
    set_pin.add_argument("--pin", help="the new PIN (default: ask on the terminal)")
    set_pin.set_defaults(func=run_set_pin)
    hash_pin = admin_sub.add_parser("hash-pin", help="print a hash for admin.pin_hash in a "
                                    "fleet config file")
    hash_pin.add_argument("--pin", required=True)
    hash_pin.set_defaults(func=run_hash_pin)


def run_set_pin(args: argparse.Namespace) -> int:
    from kiosk.admin_auth import valid_pin_format

    pin = args.pin or getpass.getpass("new admin PIN: ")
    if not valid_pin_format(pin):
        print("error: the PIN must be 6 to 8 digits", file=sys.stderr)
        return 2
    loaded = load(args)
    if loaded is None:
        return 2
    from kiosk.app import build_services

    services = build_services(*loaded)
    try:
        services.admin.set_pin(pin, actor="cli")
    finally:
        services.close()
    print("admin PIN changed")
    return 0


def run_hash_pin(args: argparse.Namespace) -> int:
    from kiosk.admin_auth import hash_pin, valid_pin_format

    if not valid_pin_format(args.pin):
        print("error: the PIN must be 6 to 8 digits", file=sys.stderr)
        return 2
    print(hash_pin(args.pin))
    return 0
