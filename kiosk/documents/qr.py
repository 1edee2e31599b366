"""QR codes as vector rectangles whose modules are a whole number of printer dots.

Why not reportlab's QrCodeWidget or a PNG: the widget is three times slower to encode, and
any size that is not a whole number of dots gets resampled by the printer into uneven
modules that phones read badly on faded thermal paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_MODULES = 4  # ISO/IEC 18004 quiet zone


@dataclass(frozen=True)
class QrMatrix:
    """The dark modules of one symbol, merged into rectangles (in module units)."""

    size: int  # modules per side, without the quiet zone
    rects: tuple[tuple[int, int, int, int], ...]  # (col, row, width, height), row 0 = top


def encode(data: str) -> QrMatrix:
    """Encode ``data`` at error-correction level M and merge dark runs into rectangles."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    qr.add_data(data)
    qr.make(fit=True)
    matrix: list[list[bool]] = qr.get_matrix()
    return QrMatrix(size=len(matrix), rects=tuple(merge_runs(matrix)))


def merge_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """Horizontal runs of dark modules, stacked vertically while identical runs repeat.

    Fewer, larger rectangles keep the PDF small and avoid hairline seams between modules
    in anti-aliased viewers.
    """
    done: list[tuple[int, int, int, int]] = []
    open_rects: dict[tuple[int, int], tuple[int, int]] = {}  # (col, width) -> (row, height)
    for r, row in enumerate(matrix):
        runs: list[tuple[int, int]] = []
        c = 0
        n = len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((start, c - start))
            else:
                c += 1
        still_open: dict[tuple[int, int], tuple[int, int]] = {}
        for run in runs:
            if run in open_rects:
                top, height = open_rects.pop(run)
                still_open[run] = (top, height + 1)
            else:
                still_open[run] = (r, 1)
        for (col, width), (top, height) in open_rects.items():
            done.append((col, top, width, height))
        open_rects = still_open
    for (col, width), (top, height) in open_rects.items():
        done.append((col, top, width, height))
    return done
