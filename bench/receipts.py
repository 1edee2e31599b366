"""Receipt rendering speed: the 80 mm application receipt as PDF (with its QR), and that PDF
rasterised to 576 dots with its ESC/POS GS v 0 bands.

Run: .venv/bin/python bench/receipts.py — prints detail, then one JSON line
{"pdf_median_ms": ..., "raster_median_ms": ...} (targets: <= 30 and <= 50).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.documents.raster import gs_v0_bands, rasterize, thermal_margin_pt
from kiosk.documents.receipts import render
from kiosk.documents.samples import sample
from kiosk.records import new_token

BASE = "https://lexy.xiqing.example/t/"
WARMUP = 5
RUNS = 60


def _time(fn: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    t0 = time.perf_counter()
    doc = sample("application")
    render(doc, width="80", qr_base_url=BASE)  # registers the font once (~0.2 s)
    print(f"font registration + first render: {(time.perf_counter() - t0) * 1000:.0f} ms")

    def pdf_once() -> bytes:
        # A fresh token each time, as at the kiosk: the QR is encoded anew for every receipt.
        return render(replace(doc, token=new_token()), width="80", qr_base_url=BASE)

    _time(pdf_once, WARMUP)
    pdf_ms = _time(pdf_once, RUNS)
    pdf = pdf_once()
    margin = thermal_margin_pt("80")

    def raster_once() -> int:
        (page,) = rasterize(pdf, 576, margin_pt=margin)
        return sum(len(b) for b in gs_v0_bands(page))

    _time(raster_once, WARMUP)
    raster_ms = _time(raster_once, RUNS)
    (page,) = rasterize(pdf, 576, margin_pt=margin)
    wire = raster_once()

    def p95(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=20)[-1]

    print(f"receipt PDF: {len(pdf)} bytes; median {statistics.median(pdf_ms):.1f} ms, "
          f"p95 {p95(pdf_ms):.1f} ms over {RUNS} runs")
    print(f"raster: {page.width}x{page.height} dots, {wire} bytes of GS v 0; median "
          f"{statistics.median(raster_ms):.1f} ms, p95 {p95(raster_ms):.1f} ms")
    print(f"on the wire: {wire * 10 / 115200:.1f} s at 115200 baud, "
          f"{wire * 10 / 9600:.0f} s at 9600 baud")
    print(json.dumps({"pdf_median_ms": round(statistics.median(pdf_ms), 2),
                      "raster_median_ms": round(statistics.median(raster_ms), 2)}))


if __name__ == "__main__":
    main()
