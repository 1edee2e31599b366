"""PDF -> 1-bit raster at the printer's dot width, and ESC/POS GS v 0 bands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.documents import render
from kiosk.documents.raster import (
    Raster,
    _flatten,
    gs_v0_bands,
    page_size_pt,
    rasterize,
    thermal_margin_pt,
)
from kiosk.documents.samples import SAMPLE_TOKEN, sample

BASE = "https://lexy.xiqing.example/t/"


def _black_runs(row: list[int], start: int, end: int) -> list[tuple[int, int]]:
    runs = []
    x = start
    while x < end:
        if row[x]:
            s = x
            while x < end and row[x]:
                x += 1
            runs.append((s, x - s))
        else:
            x += 1
    return runs


def _rows(img: Image.Image) -> list[list[int]]:
    grey = img.convert("L")
    w, h = grey.size
    px = grey.tobytes()
    return [[1 if v < 128 else 0 for v in px[y * w:(y + 1) * w]] for y in range(h)]


@pytest.mark.parametrize(("width", "dots", "module"), [("80", 576, 6), ("58", 384, 5)])
def test_raster_is_exactly_dots_wide_with_whole_dot_qr_modules(width: str, dots: int,
                                                               module: int) -> None:
    pdf = render(sample("application"), width=width, qr_base_url=BASE)
    (page,) = rasterize(pdf, dots, margin_pt=thermal_margin_pt(width))
    assert page.width == dots
    _, h_pt = page_size_pt(pdf)
    assert abs(page.height - h_pt * dots / (page_size_pt(pdf)[0]
                                            - 2 * thermal_margin_pt(width))) <= 1
    rows = _rows(page.to_image())
    finder = 7 * module
    side = 33 * module  # version 4 at level M for this URL
    # The QR's first row: the top edges of two finder patterns, 7 modules each, 26 apart.
    top, x0 = next((y, s) for y, row in enumerate(rows)
                   for s, n in _black_runs(row, 0, dots)
                   if n == finder and (s + side - finder, finder) in _black_runs(row, 0, dots))
    for y in range(top, top + side):
        for s, n in _black_runs(rows[y], x0, x0 + side):
            assert (s - x0) % module == 0 and n % module == 0, (y, s, n)
        if (y - top) % module:
            assert rows[y][x0:x0 + side] == rows[y - 1][x0:x0 + side], y


@pytest.mark.parametrize("dots", [576, 512, 384])
def test_any_configured_dot_width(dots: int) -> None:
    pdf = render(sample("visit"), width="80", qr_base_url=BASE, dots=dots)
    (page,) = rasterize(pdf, dots, margin_pt=thermal_margin_pt("80"))
    assert page.width == dots
    assert len(page.data) == page.row_bytes * page.height


def test_raster_qr_decodes(tmp_path: Path) -> None:
    zbar = shutil.which("zbarimg")
    if zbar is None:
        pytest.skip("zbarimg is not installed (scripts/setup.sh test installs it)")
    pdf = render(sample("job"), width="58", qr_base_url=BASE)
    (page,) = rasterize(pdf, 384, margin_pt=thermal_margin_pt("58"))
    png = tmp_path / "job.png"
    page.to_image().save(png)
    out = subprocess.run([zbar, "--raw", "-q", str(png)], capture_output=True, text=True,
                         timeout=30).stdout.split()
    assert out == [BASE + SAMPLE_TOKEN]


def test_a4_pages_rasterise_every_page() -> None:
    pdf = render(sample("guide"), width="a4", qr_base_url=BASE)
    pages = rasterize(pdf, 576)
    assert len(pages) == 2 and all(p.width == 576 for p in pages)


def test_transparent_pixels_become_paper_not_ink() -> None:
    img = Image.new("RGBA", (16, 4), (0, 0, 0, 0))
    img.putpixel((3, 1), (0, 0, 0, 255))
    flat = _flatten(img)
    raster = Raster.from_image(flat)
    black = [(x, y) for y in range(4) for x in range(16)
             if raster.to_image().getpixel((x, y)) == 0]
    assert black == [(3, 1)]


def test_gs_v0_bands_headers_and_payload() -> None:
    raster = Raster(width=20, height=300, data=bytes(range(256)) * 3 + bytes(132))
    assert raster.row_bytes == 3 and len(raster.data) == 900
    bands = list(gs_v0_bands(raster, band_lines=128))
    assert [len(b) - 8 for b in bands] == [384, 384, 132]
    assert bands[0][:8] == b"\x1dv0\x00\x03\x00\x80\x00"
    assert bands[2][:8] == b"\x1dv0\x00\x03\x00\x2c\x00"
    assert b"".join(b[8:] for b in bands) == raster.data
    with pytest.raises(ValueError):
        list(gs_v0_bands(raster, band_lines=0))


def test_bad_pdf_and_bad_dots_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="dots"):
        rasterize(b"%PDF-1.4", 4)
    with pytest.raises(Exception, match=r"(?i)pdf|data|format"):
        rasterize(b"not a pdf", 576)
