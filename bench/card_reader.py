"""Card placed → ``on_card_read``: the driver's share of "greeting within 400 ms".

The simulated reader runs at 115200 baud on a pty and paces every byte, so the figure includes
the real wire time (find, select, a 1295-byte read, the extra-address query) and the wait for
the next poll. Cards are placed at a random moment within the poll period (seeded), as a
resident would, so the median includes the average half-poll wait. ``wire_ms`` is the floor:
the time the bytes of one read cycle need on the line, whatever the software does.

Run: ``.venv/bin/python bench/card_reader.py [--runs 30] [--poll 0.1]``; the last line of
output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from drivers.idcard import commands
from drivers.idcard.layouts import IdCard
from drivers.idcard.reader import DEFAULT_POLL_INTERVAL, CardReaderHandler, ReaderThread
from drivers.idcard.simulator import SimulatedReader, load_cards_json

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "cards.json"
BAUD = 115200
WARMUP = 3


class Timing(CardReaderHandler):
    def __init__(self) -> None:
        self.read = threading.Event()
        self.at = 0.0

    def on_card_read(self, card: IdCard) -> None:
        self.at = time.perf_counter()
        self.read.set()


def read_cycle_bytes() -> int:
    """Bytes on the wire, both directions, from the find that sees the card to the end of
    the extra-address reply (91: no content)."""
    requests = 10 * 4  # find, select, read, extra address
    replies = 15 + 19 + commands.READ_BASE.reply_max + 11
    return requests + replies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--poll", type=float, default=DEFAULT_POLL_INTERVAL)
    args = parser.parse_args()

    card = load_cards_json(DEMO)[0]
    rng = random.Random(20261126)
    pause = threading.Event()  # never set: its wait() is an interruptible sleep
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, SimulatedReader(baud=BAUD) as sim:
        port = sim.start(link=Path(tmp) / "idcard")
        timing = Timing()
        reader = ReaderThread(port, BAUD, timing, poll_interval=args.poll)
        reader.start()
        try:
            for i in range(WARMUP + args.runs):
                sim.remove_card()
                # One find that sees no card, so the next placement counts as a new visit.
                if not sim.wait_for("find", sim.counts().get("find", 0) + 1, 5.0):
                    raise SystemExit("the reader stopped polling")
                pause.wait(rng.uniform(0, args.poll))
                timing.read.clear()
                t0 = time.perf_counter()
                sim.place_card(card)
                if not timing.read.wait(5.0):
                    raise SystemExit(f"no card read within 5 s (reader: {reader.last_fault})")
                if i >= WARMUP:
                    latencies.append((timing.at - t0) * 1000)
        finally:
            reader.stop()

    wire_ms = commands.wire_time(read_cycle_bytes(), BAUD) * 1000
    latencies.sort()
    median = statistics.median(latencies)
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    print(f"card placed → on_card_read, {len(latencies)} runs at {BAUD} baud, "
          f"poll {args.poll * 1000:.0f} ms")
    print(f"  median {median:.1f} ms, p90 {p90:.1f} ms, "
          f"min {latencies[0]:.1f} ms, max {latencies[-1]:.1f} ms")
    print(f"  wire time of one read cycle ({read_cycle_bytes()} B): {wire_ms:.1f} ms; "
          f"expected ≈ wire + poll/2 = {wire_ms + args.poll * 500:.1f} ms")
    print(json.dumps({"median_ms": round(median, 1), "wire_ms": round(wire_ms, 1),
                      "p90_ms": round(p90, 1), "poll_ms": round(args.poll * 1000),
                      "runs": len(latencies)}))


if __name__ == "__main__":
    main()
