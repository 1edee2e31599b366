"""`python -m kiosk.sync`: the sync worker without the UI (kill tests, headless stations).

``--generate N`` also commits N records while it syncs, as residents would, printing
``committed <id>`` after each commit; ``--trace`` prints the worker's steps
(``TRACE claimed 100``, ``TRACE answered`` ...) so a test can kill it at chosen points;
``--drain`` exits once nothing is pending.
"""

from __future__ import annotations

import argparse
import logging
import random
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from kiosk.config import ConfigError, load_config
from kiosk.paths import kiosk_dirs
from kiosk.store.engine import Database, StorageError
from kiosk.store.outbox import enqueue
from kiosk.sync.engine import SyncEngine
from kiosk.sync.lock import SyncLockedError
from kiosk.sync.status import SyncStatus


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.sync", description=__doc__)
    parser.add_argument("--generate", type=int, default=0, metavar="N")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--drain", action="store_true")
    parser.add_argument("--backoff-base", type=float, default=5.0, metavar="S")
    parser.add_argument("--interval", type=float, default=0, metavar="S")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    dirs = kiosk_dirs()
    try:
        config = load_config(dirs.config_file)
        db = Database(dirs.database).open()
    except (ConfigError, StorageError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if args.interval:
        config.sync.interval_s = int(args.interval)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    engine = SyncEngine(db, config.sync, dirs.data, backoff_base_s=args.backoff_base,
                        backoff_cap_s=max(args.backoff_base * 8, 1.0),
                        trace=(lambda event: _say(f"TRACE {event}")) if args.trace else None)
    if args.drain:
        engine.subscribe(lambda st: stop.set() if _drained(st) else None)
    try:
        engine.start()
    except SyncLockedError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    try:
        rng = random.Random()
        for n in range(args.generate):
            if stop.is_set():
                break
            with db.write() as s:
                record = enqueue(s, "test", {"n": n, "text": "压力测试" * rng.randint(1, 40)})
            _say(f"committed {record.id}")
            engine.nudge()
            stop.wait(rng.uniform(0, 0.01))
        stop.wait()
    finally:
        engine.stop()
        db.close()
    return 0


def _drained(status: SyncStatus) -> bool:
    return status.pending == 0 and status.last_error is None


if __name__ == "__main__":
    sys.exit(main())
