"""Cold start of `kiosk run --demo` to the first painted home screen, against a bare window.

Also reported: the time until the kiosk is ready (storage open, every screen built, devices
and sync started), which the home screen paints ahead of. Each run is a fresh process (cold
interpreter, warm OS file cache), offscreen. The floor is a
bare PySide6 QWidget shown in a fresh process in the same run, so the ratio says what the
kiosk adds on top of Qt itself. Prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "9"))

BARE = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("hello")
w.resize(1080, 1920)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"first-paint {time.perf_counter() - t0:.4f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""


def _times(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None]:
    """Wall times from spawning the process to its 'first-paint' and 'ready' lines."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=env, cwd=ROOT)
    assert proc.stdout is not None
    paint = ready = None
    for line in proc.stdout:
        if line.startswith("first-paint"):
            paint = time.perf_counter() - start
        elif line.startswith("ready"):
            ready = time.perf_counter() - start
    if proc.wait(timeout=60) != 0 or paint is None:
        raise RuntimeError(f"no first paint (exit {proc.returncode}) from {' '.join(cmd)}")
    return paint, ready


def _time(cmd: list[str], env: dict[str, str]) -> float:
    return _times(cmd, env)[0]


def main() -> None:
    home = tempfile.mkdtemp(prefix="bench-startup-")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_HOME=home)
    kiosk = [sys.executable, "-m", "kiosk", "run", "--demo", "--windowed", "--exit-after-paint"]
    bare = [sys.executable, "-c", BARE]
    _time(kiosk, env)  # first start builds the demo database; not what a resident waits for
    _time(bare, env)
    kiosk_runs, ready_runs, bare_runs = [], [], []
    for _ in range(RUNS):  # interleaved so drift hits both alike
        paint, ready = _times(kiosk, env)
        kiosk_runs.append(paint)
        if ready is not None:
            ready_runs.append(ready)
        bare_runs.append(_time(bare, env))
    median, bare_median = statistics.median(kiosk_runs), statistics.median(bare_runs)
    print(f"kiosk runs: {[round(x, 3) for x in kiosk_runs]}")
    print(f"ready runs: {[round(x, 3) for x in ready_runs]}")
    print(f"bare runs:  {[round(x, 3) for x in bare_runs]}")
    ready_median = round(statistics.median(ready_runs), 3) if ready_runs else None
    print(json.dumps({"median_s": round(median, 3), "bare_median_s": round(bare_median, 3),
                      "ratio": round(median / bare_median, 2),
                      "ready_median_s": ready_median, "runs": RUNS}))


if __name__ == "__main__":
    main()
