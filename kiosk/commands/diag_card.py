"""`kiosk diag read-card` and `kiosk diag simulate-reader`: the ID-card reader on the bench.

A technician checks a reader with the same driver the kiosk runs (``ReaderThread``), so a
pass here means the kiosk will read cards too. Every failure ends in one line naming the cause
and a distinct exit code; names and numbers are masked unless ``--reveal`` is given, because
terminal scrollback and screenshots of it travel further than anyone intends.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drivers.idcard.layouts import IdCard

EXIT_OK = 0
EXIT_NO_CARD = 1
EXIT_USAGE = 2
EXIT_READER_FAULT = 3
EXIT_CARD_ERROR = 4
BAUDS = (9600, 19200, 38400, 57600, 115200)

_READ_EPILOG = """exit codes: 0 card read; 1 no card before the timeout; 2 bad arguments;
3 reader fault (port missing, no permission, SAM fault, no answers); 4 a card was on the
reader but could not be read after retries."""

_LABELS = (
    ("card_type", "证件类型 card type"),
    ("name", "姓名 name"),
    ("english_name", "英文名 English name"),
    ("gender", "性别 gender"),
    ("nation", "民族 nation"),
    ("birth_date", "出生 birth date"),
    ("address", "住址 address"),
    ("id_number", "号码 number"),
    ("issuer", "签发机关 issuer"),
    ("valid_from", "有效期起 valid from"),
    ("valid_to", "有效期止 valid to"),
    ("nationality", "国籍 nationality"),
    ("permit_number", "通行证号 permit no."),
)


def register(diag_sub: Any) -> None:
    read = diag_sub.add_parser(
        "read-card", help="wait for one ID card on a serial reader and print it",
        epilog=_READ_EPILOG)
    read.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0 or COM3")
    read.add_argument("--baud", type=int, default=115200, choices=BAUDS)
    read.add_argument("--timeout", type=_positive, default=15.0, metavar="S",
                      help="seconds to wait for a card (default 15)")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("--reveal", action="store_true",
                      help="print full names and numbers (they are masked by default)")
    read.set_defaults(func=_read_card)

    sim = diag_sub.add_parser(
        "simulate-reader", help="run a simulated ID-card reader on a pseudo-terminal")
    sim.add_argument("--card", type=Path, default=None, metavar="FILE.json",
                     help="cards to serve (default: the bundled demo cards)")
    sim.add_argument("--baud", type=int, default=115200, choices=BAUDS)
    sim.add_argument("--pick", type=int, default=1, metavar="N",
                     help="which card of the file is on the reader at start (1 = first)")
    sim.add_argument("--cycle", type=_positive, default=None, metavar="S",
                     help="put the next card of the file on the reader every S seconds")
    sim.add_argument("--link", type=Path, default=None, metavar="PATH",
                     help="keep a symlink at PATH pointing at the pty")
    sim.set_defaults(func=_simulate_reader)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _fail(command: str, message: str, code: int) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return code


def _read_card(args: argparse.Namespace) -> int:
    from drivers.idcard.reader import CardReaderHandler, ReaderThread

    class FirstOutcome(CardReaderHandler):
        """Keeps the first thing the reader reports and wakes the CLI."""

        def __init__(self) -> None:
            self.done = threading.Event()
            self.card: IdCard | None = None
            self.card_error: str | None = None
            self.fault: str | None = None

        def on_card_read(self, card: IdCard) -> None:
            if not self.done.is_set():
                self.card = card
                self.done.set()

        def on_card_error(self, cause: str) -> None:
            if not self.done.is_set():
                self.card_error = cause
                self.done.set()

        def on_reader_fault(self, cause: str) -> None:
            if not self.done.is_set():
                self.fault = cause
                self.done.set()

    outcome = FirstOutcome()
    reader = ReaderThread(args.port, args.baud, outcome)
    with _quiet_driver_logs():
        reader.start()
        try:
            outcome.done.wait(args.timeout)
        finally:
            reader.stop()
    if outcome.fault is not None:
        return _fail("read-card", f"reader fault: {outcome.fault}", EXIT_READER_FAULT)
    if outcome.card_error is not None:
        return _fail("read-card", f"card could not be read: {outcome.card_error}",
                     EXIT_CARD_ERROR)
    if outcome.card is None:
        return _fail("read-card", f"no card on {args.port} within {args.timeout:g} s "
                     "(未检测到证件)", EXIT_NO_CARD)
    _print_card(outcome.card, as_json=args.json, reveal=args.reveal)
    return EXIT_OK


@contextlib.contextmanager
def _quiet_driver_logs() -> Iterator[None]:
    """Keep the driver's warnings from reaching stderr through logging's last-resort handler
    when nothing configured logging: the command's own one-line message says it all."""
    logger = logging.getLogger("drivers")
    quiet = not logging.getLogger().handlers
    null = logging.NullHandler()
    if quiet:
        logger.addHandler(null)
    try:
        yield
    finally:
        logger.removeHandler(null)


def _print_card(card: IdCard, *, as_json: bool, reveal: bool) -> None:
    from datetime import date

    fields = card.to_json(reveal=reveal)
    if as_json:
        print(json.dumps(fields, ensure_ascii=False))
        return
    width = max(len(label) for _, label in _LABELS)
    for key, label in _LABELS:
        value = fields[key]
        if value not in (None, ""):
            print(f"{label:<{width}}  {value}")
    if card.extra_address:
        print(f"{'追加住址 extra address':<{width}}  {card.extra_address}")
    check = "ok" if card.id_check_ok else "FAILED (校验位错误)"
    print(f"{'校验 number check':<{width}}  {check}")
    if card.is_expired(date.today()):
        print(f"{'状态 status':<{width}}  已过期 expired")


def _simulate_reader(args: argparse.Namespace) -> int:
    from drivers.idcard.simulator import SimulatedReader, load_cards_json
    from kiosk.paths import resource

    path = args.card or resource("demo", "cards.json")
    try:
        cards = load_cards_json(path)
    except ValueError as exc:
        return _fail("simulate-reader", str(exc), EXIT_USAGE)
    if not 1 <= args.pick <= len(cards):
        return _fail("simulate-reader", f"--pick must be 1..{len(cards)}", EXIT_USAGE)
    deck = cards[args.pick - 1 :] + cards[: args.pick - 1]
    stop = threading.Event()
    sim = SimulatedReader(deck, baud=args.baud)
    try:
        port = sim.start(link=args.link)
    except OSError as exc:
        sim.stop()
        return _fail("simulate-reader", f"cannot create the reader: {exc}", EXIT_READER_FAULT)
    previous = _on_signals(stop)
    try:
        print(port, flush=True)
        print(f"card on the reader: {deck[0]!r}; Ctrl-C to stop", file=sys.stderr, flush=True)
        while not stop.wait(args.cycle or 3600.0):
            if args.cycle:
                sim.remove_card()
                card = sim.place_next()
                print(f"card on the reader: {card!r}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        _restore_signals(previous)
        sim.stop()
    return EXIT_OK


_Handler = Any  # what signal.signal returns: a callable, an int constant or None


def _on_signals(stop: threading.Event) -> dict[int, _Handler]:
    """SIGTERM/SIGINT end the simulator cleanly (only possible on the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    return {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}


def _restore_signals(previous: dict[int, _Handler]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
