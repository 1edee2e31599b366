"""The one CJK font receipts use, registered with reportlab as an embedded TrueType subset.

Why a shipped TrueType font and never a CID font (``STSong-Light``): a CID font is not
embedded, so the PDF depends on the viewer machine — without poppler-data whole lines vanish,
without a CJK system font Chinese turns into boxes. WQY Micro Hei is TrueType-outlined (Noto
CJK is CFF, which reportlab cannot embed) and Apache-2.0.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDFont
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.paths import resource

FONT_NAME = "WQYMicroHei"
FONT_FILE = ("fonts", "wqy-microhei.ttc")

# reportlab's font registry is process-wide; the lock only stops two worker threads from
# parsing the 5 MB file twice on first use.
_register_lock = threading.Lock()


class FontError(RuntimeError):
    """The receipt font is missing, unusable, or a non-embedded CID font slipped in."""


def cjk_font() -> str:
    """Register the shipped CJK font once (about 0.2 s) and return its reportlab name."""
    with _register_lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            path = resource(*FONT_FILE)
            try:
                font = TTFont(FONT_NAME, str(path), subfontIndex=0)
            except Exception as exc:  # missing file, truncated TTC, CFF outlines...
                raise FontError(f"receipt font {path} cannot be used: {exc}") from exc
            pdfmetrics.registerFont(font)
    assert_no_cid_fonts()
    return FONT_NAME


def assert_no_cid_fonts() -> None:
    """Refuse to render while any CID font is registered: its PDFs would not embed it."""
    for name in pdfmetrics.getRegisteredFontNames():
        if isinstance(pdfmetrics.getFont(name), CIDFont):
            raise FontError(f"a non-embedded CID font is registered ({name}); receipts must "
                            f"use the embedded {FONT_NAME} only")
