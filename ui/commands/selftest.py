"""`kiosk self-test [--json] [--out FILE]`: exit 0 only when every check passes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.commands.common import add_config_args, load


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("self-test",
                                                     help="check this machine is ready")
    add_config_args(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--out", type=Path, help="also write the JSON report here "
                        "(a windowed Windows build has no stdout)")
    parser.add_argument("--no-ui", action="store_true", help="skip the Qt window checks")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk import __version__
    from kiosk.selftest import Check

    checks: list[Check] = []
    loaded = load(args)
    if loaded is None:
        checks.append(Check("config", False, "configuration cannot be used (see stderr)"))
        return _report(args, checks, __version__)
    config, dirs = loaded
    from kiosk.app import build_services
    from kiosk.selftest import core_checks
    from kiosk.store.engine import StorageError

    try:
        services = build_services(config, dirs)
    except StorageError as exc:
        checks.append(Check("database", False, str(exc)))
        return _report(args, checks, __version__)
    try:
        checks += core_checks(services)
        checks.append(_bundle_check())
        if not args.no_ui:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            try:
                from ui.selftest_ui import ui_checks

                checks += ui_checks(services)
            except Exception as exc:  # report, don't crash: the technician needs the cause
                checks.append(Check("ui", False, f"{type(exc).__name__}: {exc}"))
    finally:
        services.close()
    return _report(args, checks, __version__)


def _bundle_check() -> Any:
    """What a frozen build loads from disk rather than imports (kiosk/version.py)."""
    from kiosk.selftest import Check
    from kiosk.version import bundle_check

    try:
        ok, detail = bundle_check()
    except Exception as exc:  # a crashing check is a failed check
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return Check("bundle", ok, detail)


def _report(args: argparse.Namespace, checks: list[Any], version: str) -> int:
    from kiosk.paths import resource_root
    from kiosk.version import build_info

    ok = all(c.ok for c in checks)
    build = build_info()
    report = {"ok": ok, "version": version, "frozen": build.frozen,
              "build": build.to_json(), "resource_root": str(resource_root()),
              "checks": [c.to_json() for c in checks]}
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    if sys.stdout is not None:
        if args.json:
            print(text)
        else:
            for c in checks:
                print(f"[{'OK' if c.ok else 'FAIL'}] {c.name}: {c.detail}")
            print("all checks passed" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1
