"""The frozen build's figures: build time, size unpacked and packed, start to first paint.

Builds with ``scripts/build-dist.sh --no-setup`` (or reuses ``dist/`` with ``--no-build``),
then times ``dist/kiosk/kiosk run --demo --windowed --exit-after-paint`` from spawn to the
"first-paint" line (and to "ready": every screen built, devices and sync started),
offscreen, after one warm-up start (the first start creates the demo
database). The same run also times the kiosk from the source checkout and a bare PySide6
window (the floor bench/startup.py uses), interleaved so that load from other processes hits
all three alike. Prints one JSON object on its last line.

    .venv/bin/python bench/frozen_startup.py [--no-build] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.5

sys.path.insert(0, str(ROOT / "bench"))
from startup import BARE, _times  # noqa: E402  (one timing method for both benchmarks)


def _build(dist: Path) -> dict[str, float]:
    proc = subprocess.run(["bash", "scripts/build-dist.sh", "--no-setup", "--dist", str(dist)],
                          cwd=ROOT, capture_output=True, text=True)
    print(proc.stdout, end="")
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr}")
    return json.loads((dist / "build-figures.json").read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true",
                        help="use the existing dist/ (and its build-figures.json)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    dist = ROOT / "dist"
    if args.no_build:
        figures_file = dist / "build-figures.json"
        if not figures_file.is_file():
            sys.exit("no dist/build-figures.json: run without --no-build first")
        figures = json.loads(figures_file.read_text(encoding="utf-8"))
    else:
        figures = _build(dist)
    frozen_exe = dist / "kiosk" / "kiosk"

    home = tempfile.mkdtemp(prefix="bench-frozen-")
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update(QT_QPA_PLATFORM="offscreen", KIOSK_HOME=home)
        run_args = ["run", "--demo", "--windowed", "--exit-after-paint"]
        commands = {
            "frozen": [str(frozen_exe), *run_args],
            "source": [sys.executable, "-m", "kiosk", *run_args],
            "bare": [sys.executable, "-c", BARE],
        }
        for cmd in commands.values():  # warm-up: demo database, OS file cache
            _times(cmd, env)
        runs: dict[str, list[float]] = {name: [] for name in commands}
        ready: list[float] = []
        for _ in range(args.runs):
            for name, cmd in commands.items():
                paint, ready_s = _times(cmd, env)
                runs[name].append(paint)
                if name == "frozen" and ready_s is not None:
                    ready.append(ready_s)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in runs.items()}
    for name, values in runs.items():
        print(f"{name:7} runs: {[round(v, 3) for v in values]}  median {medians[name]:.3f} s")
    print(f"build {figures['build_s']} s, dist {figures['dist_unpacked_mb']} MB unpacked, "
          f"{figures['dist_compressed_mb']} MB packed; target median ≤ {TARGET_S} s")
    print(json.dumps({
        "build_s": figures["build_s"],
        "dist_unpacked_mb": figures["dist_unpacked_mb"],
        "dist_compressed_mb": figures["dist_compressed_mb"],
        "median_s": round(medians["frozen"], 3),
        "source_median_s": round(medians["source"], 3),
        "bare_median_s": round(medians["bare"], 3),
        "ratio": round(medians["frozen"] / medians["bare"], 2),
        "ready_median_s": round(statistics.median(ready), 3) if ready else None,
        "runs": args.runs,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
