"""Start-up steps shared by the commands that open the kiosk (run, self-test, screenshots)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.paths import KioskDirs, kiosk_dirs


def add_config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="TOML settings file (default: platform "
                        "config dir /kiosk.toml)")
    parser.add_argument("--demo", action="store_true",
                        help="embedded defaults: demo data, simulated reader, PDF receipts")


def load(args: argparse.Namespace) -> tuple[KioskConfig, KioskDirs] | None:
    """Config and folders, or None after printing a one-line message that names the key."""
    dirs = kiosk_dirs()
    path = args.config if args.config else dirs.config_file
    if args.config and not args.config.exists():
        print(f"配置错误 / config error: {args.config}: file not found", file=sys.stderr)
        return None
    try:
        config = load_config(path, demo=bool(getattr(args, "demo", False)))
    except ConfigError as exc:
        print(f"配置错误 / config error: {exc}", file=sys.stderr)
        return None
    return config, dirs
