"""PDF → 1-bit raster exactly as wide as the printer's dot row, and ESC/POS ``GS v 0`` bands.

Raster printing sidesteps everything that goes wrong with Chinese on receipt printers (code
pages, GB18030 vs Big5, missing fonts): the printer only sees dots. The thermal PDF's page
is the paper width; only the printable band between the side margins is rendered, scaled so
that it is exactly ``dots`` wide, which keeps QR modules on whole dots.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

# PDFium is not thread-safe; the print worker and a preview must not render at once.
_pdfium_lock = threading.Lock()

_BLACK_BELOW = 160  # grey level under which a pixel prints (anti-aliased edges count dark)
_LUT = [255 if v < _BLACK_BELOW else 0 for v in range(256)]


@dataclass(frozen=True)
class Raster:
    """One page as packed 1-bit rows, MSB first, 1 = a printed (black) dot."""

    width: int  # dots
    height: int  # rows
    data: bytes

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8

    def to_image(self) -> Image.Image:
        """As a PIL 1-bit image (black on white) for previews and tests."""
        img = Image.frombytes("1", (self.width, self.height), self.data)
        return img.point(lambda v: 0 if v else 255, "1")

    @classmethod
    def from_image(cls, img: Image.Image) -> Raster:
        grey = img.convert("L") if img.mode != "L" else img
        return cls(grey.width, grey.height, grey.point(_LUT, "1").tobytes())


def _flatten(img: Image.Image) -> Image.Image:
    """Composite on white: transparent pixels must print as paper, not as black."""
    if img.mode in ("RGBA", "LA", "BGRA"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    return img.convert("L") if img.mode != "L" else img


def rasterize(pdf: bytes | Path, dots: int, *, margin_pt: float = 0.0) -> list[Raster]:
    """Every page of ``pdf`` as a raster exactly ``dots`` wide.

    ``margin_pt`` is cut from each side first (the paper's unprintable edges; see
    :func:`thermal_margin_pt`).
    """
    if dots < 8:
        raise ValueError(f"dots must be at least 8, got {dots}")
    source = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    pages: list[Raster] = []
    with _pdfium_lock:
        doc = pdfium.PdfDocument(source)
        try:
            for page in doc:
                try:
                    band = page.get_width() - 2 * margin_pt
                    if band <= 0:
                        raise ValueError(f"margin {margin_pt} pt leaves nothing to print")
                    # pypdfium2 sizes the bitmap with ceil(size * scale) and stretches the
                    # page to fill it, so a float error of 1e-6 above a whole dot adds a
                    # column and skews every QR module; a hair less scale avoids that.
                    scale = dots / band * (1 - 1e-5)
                    # Render the whole page and cut the margins here (PDFium's own crop
                    # rounds the same way).
                    bitmap = page.render(scale=scale, grayscale=True,
                                         fill_color=(255, 255, 255, 255))
                    img = _flatten(bitmap.to_pil())
                finally:
                    page.close()
                left = round(margin_pt * scale)
                img = img.crop((left, 0, left + dots, img.height))  # pads with black
                if left + dots > bitmap.width:
                    white = Image.new("L", (dots, img.height), 255)
                    white.paste(img.crop((0, 0, bitmap.width - left, img.height)), (0, 0))
                    img = white
                pages.append(Raster.from_image(img))
        finally:
            doc.close()
    return pages


def thermal_margin_pt(width: str) -> float:
    """The side margin of this project's thermal PDFs (0 for A4 and unknown widths)."""
    from kiosk.documents.layout import PageSpec

    if width not in ("80", "58"):
        return 0.0
    return PageSpec.for_width(width).margin_x


def gs_v0_bands(raster: Raster, *, band_lines: int = 128) -> Iterator[bytes]:
    """The raster as ``GS v 0`` commands of at most ``band_lines`` rows each.

    Bands keep each command small: printers with small input buffers and long receipts
    (Odoo #47635 "long receipts garbled") are fine with 24-255 rows at a time.
    """
    if not 1 <= band_lines <= 2047:
        raise ValueError("band_lines must be 1-2047")
    xb = raster.row_bytes
    for top in range(0, raster.height, band_lines):
        rows = min(band_lines, raster.height - top)
        header = b"\x1dv0\x00" + bytes((xb & 0xFF, xb >> 8, rows & 0xFF, rows >> 8))
        yield header + raster.data[top * xb:(top + rows) * xb]


def page_size_pt(pdf: bytes | Path) -> tuple[float, float]:
    """Width and height of the first page in pt (for the spooler's media size)."""
    source = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    with _pdfium_lock:
        doc = pdfium.PdfDocument(source)
        try:
            w, h = doc.get_page_size(0)
        finally:
            doc.close()
    return float(w), float(h)
