"""`kiosk diag printer`: what the printer says, and optionally a test page.

Exit codes: 0 ready (or status unknown: the link cannot tell), 1 the printer cannot print
now or the test page failed, 2 bad arguments or configuration.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

BACKENDS = ("pdf", "escpos-serial", "escpos-tcp", "escpos-usb", "system", "none")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "printer", help="printer status and test page",
        description="Query the configured printer (or one given here) and print a test page.")
    parser.add_argument("--config", type=Path, default=None, help="kiosk.toml to read")
    parser.add_argument("--backend", choices=BACKENDS, help="override printer.backend")
    parser.add_argument("--port", help="serial port or USB printer device (/dev/usb/lp0)")
    parser.add_argument("--baud", type=int, help="serial speed")
    parser.add_argument("--host", help="network printer host (escpos-tcp)")
    parser.add_argument("--tcp-port", type=int, help="network printer port (default 9100)")
    parser.add_argument("--queue", help="CUPS queue (system backend)")
    parser.add_argument("--pdf-dir", help="folder for the pdf backend")
    parser.add_argument("--width", choices=("80", "58", "a4"), help="paper width")
    parser.add_argument("--dots", type=int, help="printer dots per line")
    parser.add_argument("--test-page", action="store_true", help="also print a test page")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.paths import kiosk_dirs

    dirs = kiosk_dirs()
    try:
        config = load_config(args.config or dirs.config_file)
    except ConfigError as exc:
        print(f"kiosk diag printer: {exc}", file=sys.stderr)
        return 2
    pc = config.printer
    overrides = {"backend": args.backend, "port": args.port, "baud": args.baud,
                 "host": args.host, "tcp_port": args.tcp_port, "queue": args.queue,
                 "pdf_dir": args.pdf_dir, "width": args.width, "dots": args.dots}
    for key, value in overrides.items():
        if value is not None:
            setattr(pc, key, value)
    if pc.backend == "escpos-tcp" and not 1 <= pc.tcp_port <= 65535:
        print(f"kiosk diag printer: --tcp-port must be 1-65535, got {pc.tcp_port}",
              file=sys.stderr)
        return 2
    if not 64 <= pc.dots <= 2000:
        print(f"kiosk diag printer: --dots must be 64-2000, got {pc.dots}", file=sys.stderr)
        return 2

    from kiosk.documents.model import Station
    from kiosk.printing import PrintService
    from kiosk.store.engine import Database, StorageError

    db = Database(dirs.database)
    try:
        db.open()
    except StorageError as exc:
        print(f"kiosk diag printer: {exc}", file=sys.stderr)
        return 2
    try:
        service = PrintService(pc, db, dirs)
        print(f"printer: {service.backend_name} (width {pc.width}, {pc.dots} dots)")
        status = service.check()
        print(f"status: {status.summary()}")
        code = 1 if status.blocked else 0
        if not status.known and not status.blocked:
            print("note: the printer did not report its status; printing may still work")
        if args.test_page:
            st = config.station
            result = service.test_page(
                station=Station(name=st.name, address=st.address, hours=st.hours),
                qr_base_url=config.receipts.qr_base_url)
            print(f"test page: {result.state} — {result.staff_message}")
            code = 0 if result.ok else 1
        return code
    finally:
        db.close()
