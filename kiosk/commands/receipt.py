"""`kiosk receipt sample ...`: write a demo document as PDF (check fonts, layout, QR)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

KINDS = ("application", "job", "signup", "registration", "callback", "visit", "guide", "test")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("receipt", help="printed documents")
    rsub = parser.add_subparsers(dest="receipt_command", metavar="ACTION")
    sample = rsub.add_parser("sample", help="write a sample document with demo data as PDF")
    sample.add_argument("--kind", choices=KINDS, required=True)
    sample.add_argument("--width", choices=("80", "58", "a4"), default="80")
    sample.add_argument("--dots", type=int, default=None,
                        help="printer dots across the printable width (default 576/384)")
    sample.add_argument("--out", type=Path, required=True, help="PDF file to write")
    sample.add_argument("--qr-base-url", default=None,
                        help="QR URL prefix (default: receipts.qr_base_url from the config)")
    sample.add_argument("--config", type=Path, default=None, help="kiosk.toml to read")
    sample.set_defaults(func=_sample)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _sample(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.documents.receipts import render
    from kiosk.documents.samples import sample
    from kiosk.paths import kiosk_dirs

    try:
        config = load_config(args.config or kiosk_dirs().config_file)
    except ConfigError as exc:
        print(f"kiosk receipt: {exc}", file=sys.stderr)
        return 2
    if args.dots is not None and not 64 <= args.dots <= 2000:
        print(f"kiosk receipt: --dots must be 64-2000, got {args.dots}", file=sys.stderr)
        return 2
    base = args.qr_base_url or config.receipts.qr_base_url
    try:
        pdf = render(sample(args.kind), width=args.width, qr_base_url=base, dots=args.dots)
    except ValueError as exc:
        print(f"kiosk receipt: {exc}", file=sys.stderr)
        return 2
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pdf)
    except OSError as exc:
        print(f"kiosk receipt: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({args.kind}, width {args.width}, {len(pdf)} bytes)")
    return 0
