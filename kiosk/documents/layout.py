"""A small measure-then-draw layout engine for receipts and guides on reportlab.

Why not platypus: a thermal receipt's page height must be known before the canvas exists
(the roll has no fixed page), QR codes must sit on the printer's dot grid, and Chinese
wraps per character with a few punctuation rules. Content is added to a :class:`Flow` as
items whose heights are measured at once; :func:`render_pdf` then sizes the page (or
paginates A4) and draws them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kiosk.documents import qr as qrmod
from kiosk.documents.fonts import cjk_font
from kiosk.documents.privacy import check_text

WIDTHS = ("80", "58", "a4")

# A line may not start with these (closing punctuation), so the previous character moves
# down with them; a line may not end with the opening ones.
_NO_LINE_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%·…—～")
_NO_LINE_END = set("（《「『【〈“‘([{")
_BREAKABLE_LATIN = set("/-_")


@dataclass(frozen=True)
class PageSpec:
    """Paper geometry and type sizes for one paper width (sizes chosen for elderly readers)."""

    width: str
    page_w: float  # pt, the paper width
    margin_x: float  # pt each side; the printable band is what lies between
    margin_top: float
    margin_bottom: float
    dots: int  # printer dots across the printable band (0 for A4: no dot grid)
    qr_module: float  # pt; a whole number of dots on thermal paper
    body: float
    small: float
    title: float
    big: float
    page_h: float | None  # fixed page height (A4); None = the page grows to fit

    @property
    def content_w(self) -> float:
        return self.page_w - 2 * self.margin_x

    @property
    def dot(self) -> float:
        """One printer dot in pt (a tiny positive pitch on A4 so snapping is harmless)."""
        return self.content_w / self.dots if self.dots else 0.01

    @property
    def thermal(self) -> bool:
        return self.page_h is None

    @classmethod
    def for_width(cls, width: str, dots: int | None = None) -> PageSpec:
        """``"80"`` (72 mm printable, 576 dots), ``"58"`` (48 mm, 384 dots) or ``"a4"``.

        ``dots`` overrides the printer's dot count across the printable band (512 on a 180
        dpi 80 mm printer); QR modules stay whole dots of that printer.
        """
        if width == "80":
            d = dots or 576
            dot = 72 * mm / d
            return cls("80", 80 * mm, 4 * mm, 3 * mm, 6 * mm, d,
                       max(3, round(0.75 * mm / dot)) * dot, 12, 10, 18, 16, None)
        if width == "58":
            d = dots or 384
            dot = 48 * mm / d
            return cls("58", 58 * mm, 5 * mm, 3 * mm, 6 * mm, d,
                       max(3, round(0.625 * mm / dot)) * dot, 10.5, 9, 15, 13, None)
        if width == "a4":
            # 18 dots at 600 dpi (9 at 300) per module keeps laser printers on whole dots.
            return cls("a4", 210 * mm, 20 * mm, 18 * mm, 18 * mm, 0, 18 / 600 * 72,
                       13, 10.5, 22, 18, 297 * mm)
        raise ValueError(f"paper width must be one of {', '.join(WIDTHS)}, got {width!r}")


class Metrics:
    """Character widths of the receipt font, read straight from its width table (fast)."""

    def __init__(self, font: str) -> None:
        face = pdfmetrics.getFont(font).face
        self.font = font
        self._widths: dict[int, float] = face.charWidths
        self._default = float(face.defaultWidth)
        self.ascent = face.ascent / 1000
        self.descent = -face.descent / 1000

    def char(self, ch: str, size: float) -> float:
        return self._widths.get(ord(ch), self._default) * size / 1000

    def text(self, s: str, size: float) -> float:
        w = self._widths
        d = self._default
        return sum(w.get(ord(c), d) for c in s) * size / 1000


def _tokens(text: str) -> list[str]:
    """Split into wrap units: each CJK character alone, Latin/digit runs kept together
    (a run may still break after a space, slash or hyphen)."""
    out: list[str] = []
    buf = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            buf += ch
            if ch in _BREAKABLE_LATIN:
                out.append(buf)
                buf = ""
            continue
        if buf:
            out.append(buf)
            buf = ""
        out.append(ch)
    if buf:
        out.append(buf)
    return out


def wrap(text: str, metrics: Metrics, size: float, width: float) -> list[str]:
    """Wrap to ``width``; never clips: an over-long Latin run is broken per character."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(_wrap_para(para, metrics, size, width))
    return lines or [""]


def _wrap_para(text: str, metrics: Metrics, size: float, width: float) -> list[str]:
    if not text:
        return [""]
    lines: list[str] = []
    line: list[str] = []
    line_w = 0.0
    for tok in _tokens(text):
        tw = metrics.text(tok, size)
        if line_w + tw <= width + 0.01:
            line.append(tok)
            line_w += tw
            continue
        if tok.isspace():  # a space at a break vanishes
            lines.append("".join(line).rstrip())
            line, line_w = [], 0.0
            continue
        if tok[0] in _NO_LINE_START and len(line) > 1:
            # Take the previous unit down with the punctuation (and any punctuation
            # before it, as in 名”。), so no line starts with a closing mark.
            carried = [tok]
            while len(line) > 1 and (carried[0][0] in _NO_LINE_START):
                carried.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = carried
            line_w = metrics.text("".join(carried), size)
            continue
        if line and line[-1] in _NO_LINE_END:
            opener = line.pop()
            if line:
                lines.append("".join(line).rstrip())
            line = [opener]
            line_w = metrics.text(opener, size)
        elif line:
            lines.append("".join(line).rstrip())
            line, line_w = [], 0.0
        if tw > width:  # an unbreakable run longer than a line: break per character
            for ch in tok:
                cw = metrics.char(ch, size)
                if line and line_w + cw > width + 0.01:
                    lines.append("".join(line))
                    line, line_w = [], 0.0
                line.append(ch)
                line_w += cw
        else:
            line.append(tok)
            line_w += tw
    if line:
        lines.append("".join(line).rstrip())
    return lines


def leading(size: float) -> float:
    return size * 1.42


@dataclass
class Item:
    """One unsplittable piece of a page: its height and how to draw it at a top y."""

    height: float
    draw: Callable[[Canvas, float], None]  # (canvas, y of the item's top edge in pt)
    keep_with_next: bool = False
    on_dot_grid: bool = False  # start on a whole printer dot (QR codes)


def _draw_line(c: Canvas, font: str, x: float, baseline: float, text: str, size: float,
               bold: bool) -> None:
    t = c.beginText(x, baseline)
    t.setFont(font, size)
    if not bold:
        t.textOut(text)
        c.drawText(t)
        return
    # The font has one weight; fill+stroke thickens strokes like a bold face. The render
    # mode outlives the text object, so it lives inside a saved graphics state.
    c.saveState()
    c.setLineWidth(size * 0.03)
    t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


@dataclass
class Flow:
    """Builder for one document: every text goes through the privacy guard as it is added."""

    spec: PageSpec
    title_text: str = ""
    font: str = field(default_factory=cjk_font)
    items: list[Item] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.metrics = Metrics(self.font)
        check_text(self.title_text)

    # -- text ------------------------------------------------------------------------------
    def _baseline(self, top: float, size: float) -> float:
        lead = leading(size)
        pad = (lead - (self.metrics.ascent + self.metrics.descent) * size) / 2
        return top - pad - self.metrics.ascent * size

    def text(self, text: str, *, size: float | None = None, bold: bool = False,
             align: str = "left", indent: float = 0.0, first_prefix: str = "",
             keep_with_next: bool = False) -> Flow:
        """A paragraph, wrapped; ``first_prefix`` ("1. ", "· ") hangs left of the indent."""
        check_text(text)
        size = size or self.spec.body
        prefix_w = self.metrics.text(first_prefix, size) if first_prefix else 0.0
        avail = self.spec.content_w - indent - prefix_w
        lines = wrap(text, self.metrics, size, avail)
        x0 = self.spec.margin_x + indent
        for i, line in enumerate(lines):
            prefix = first_prefix if i == 0 else ""
            self._line(line, size, bold, align, x0, prefix, prefix_w, avail,
                       keep_with_next or (i < len(lines) - 1 and len(lines) <= 3))
        return self

    def _line(self, line: str, size: float, bold: bool, align: str, x0: float, prefix: str,
              prefix_w: float, avail: float, keep: bool) -> None:
        width = self.metrics.text(line, size)
        if align == "center":
            x = x0 + prefix_w + (avail - width) / 2
        elif align == "right":
            x = x0 + prefix_w + avail - width
        else:
            x = x0 + prefix_w
        font = self.font

        def draw(c: Canvas, top: float) -> None:
            base = self._baseline(top, size)
            if prefix:
                _draw_line(c, font, x0, base, prefix, size, bold)
            _draw_line(c, font, x, base, line, size, bold)

        self.items.append(Item(leading(size), draw, keep_with_next=keep))

    def title(self, text: str) -> Flow:
        self.text(text, size=self.spec.title, bold=True, align="center", keep_with_next=True)
        return self.space(self.spec.body * 0.3)

    def heading(self, text: str) -> Flow:
        self.space(self.spec.body * 0.4)
        return self.text(text, size=self.spec.body, bold=True, keep_with_next=True)

    def big(self, text: str, *, min_size: float | None = None) -> Flow:
        """One prominent line (a number), shrunk to fit the width rather than wrapped."""
        check_text(text)
        size = self.spec.big
        floor = min_size or self.spec.body
        while size > floor and self.metrics.text(text, size) > self.spec.content_w:
            size -= 0.5
        return self.text(text, size=size, bold=True, align="center")

    def bullets(self, items: Iterable[str], *, numbered: bool = False,
                size: float | None = None) -> Flow:
        size = size or self.spec.body
        for i, item in enumerate(items, 1):
            self.text(item, size=size, first_prefix=f"{i}. " if numbered else "· ")
        return self

    def fields(self, rows: Sequence[tuple[str, str]], *, size: float | None = None) -> Flow:
        """Label/value rows: labels in one column, values wrapping with a hanging indent."""
        size = size or self.spec.body
        rows = [(check_text(label), check_text(value)) for label, value in rows]
        content = self.spec.content_w
        label_w = max((self.metrics.text(label + "：", size) for label, _ in rows), default=0)
        label_w = min(label_w, content * 0.42)
        value_w = content - label_w
        lead = leading(size)
        font = self.font
        x_label = self.spec.margin_x
        x_value = x_label + label_w
        for label, value in rows:
            label_lines = wrap(label + "：", self.metrics, size, label_w)
            value_lines = wrap(value, self.metrics, size, value_w)
            n = max(len(label_lines), len(value_lines))

            def draw(c: Canvas, top: float, ll: list[str] = label_lines,
                     vl: list[str] = value_lines) -> None:
                for i, s in enumerate(ll):
                    _draw_line(c, font, x_label, self._baseline(top - i * lead, size), s,
                               size, True)
                for i, s in enumerate(vl):
                    _draw_line(c, font, x_value, self._baseline(top - i * lead, size), s,
                               size, False)

            self.items.append(Item(n * lead + size * 0.15, draw))
        return self

    # -- graphics --------------------------------------------------------------------------
    def space(self, height: float) -> Flow:
        self.items.append(Item(height, lambda c, top: None))
        return self

    def rule(self, *, dashed: bool = True) -> Flow:
        gap = self.spec.body * 0.45
        x0 = self.spec.margin_x
        x1 = x0 + self.spec.content_w

        def draw(c: Canvas, top: float) -> None:
            c.saveState()
            c.setLineWidth(0.8)
            if dashed:
                c.setDash(3, 2)
            c.line(x0, top - gap, x1, top - gap)
            c.restoreState()

        self.items.append(Item(2 * gap, draw))
        return self

    def qr(self, url: str, caption: str = "") -> Flow:
        """A QR code centred on the dot grid, quiet zone included, caption below."""
        check_text(url)
        symbol = qrmod.encode(url)
        module = self.spec.qr_module
        side_modules = symbol.size + 2 * qrmod.QUIET_MODULES
        side = side_modules * module
        dot = self.spec.dot
        if self.spec.dots:
            free_dots = self.spec.dots - round(side / dot)
            x = self.spec.margin_x + max(0, free_dots // 2) * dot
        else:
            x = self.spec.margin_x + (self.spec.content_w - side) / 2
        origin = x + qrmod.QUIET_MODULES * module

        def draw(c: Canvas, top: float) -> None:
            y_top = top - qrmod.QUIET_MODULES * module
            path = c.beginPath()
            for col, row, w, h in symbol.rects:
                path.rect(origin + col * module, y_top - (row + h) * module, w * module,
                          h * module)
            c.drawPath(path, stroke=0, fill=1)

        self.items.append(Item(side, draw, on_dot_grid=True))
        if caption:
            self.text(caption, size=self.spec.small, align="center")
        return self


def _paginate(spec: PageSpec, items: list[Item]) -> list[list[tuple[float, Item]]]:
    """Place items top-down (y measured from the page top); A4 breaks into pages."""
    pages: list[list[tuple[float, Item]]] = [[]]
    y = spec.margin_top
    limit = (spec.page_h - spec.margin_bottom - spec.small * 2) if spec.page_h else math.inf
    for i, item in enumerate(items):
        if item.on_dot_grid:
            y = math.ceil(round(y / spec.dot, 6)) * spec.dot
        need = item.height
        j = i
        while items[j].keep_with_next and j + 1 < len(items) and need < limit / 3:
            j += 1
            need += items[j].height
        if y + need > limit and pages[-1]:
            pages.append([])
            y = spec.margin_top
        pages[-1].append((y, item))
        y += item.height
    return pages


def render_pdf(flow: Flow, *, subject: str = "") -> bytes:
    """Draw the flow; thermal pages grow to fit, A4 paginates with page numbers."""
    spec = flow.spec
    pages = _paginate(spec, flow.items)
    if spec.page_h is None:
        content_bottom = spec.margin_top
        if pages[0]:
            last_y, last = pages[0][-1]
            content_bottom = last_y + last.height
        page_h = math.ceil(round((content_bottom + spec.margin_bottom) / spec.dot, 6)) * spec.dot
    else:
        page_h = spec.page_h
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(spec.page_w, page_h), initialFontName=flow.font,
               initialFontSize=spec.body, pageCompression=1)
    c.setTitle(flow.title_text)
    c.setSubject(check_text(subject))
    c.setCreator("乐业西青 kiosk")
    for n, page in enumerate(pages, 1):
        c.setFont(flow.font, spec.body)
        for y, item in page:
            item.draw(c, page_h - y)
        if spec.page_h is not None and len(pages) > 1:
            label = f"第 {n} 页 / 共 {len(pages)} 页"
            c.setFont(flow.font, spec.small)
            c.drawCentredString(spec.page_w / 2, spec.margin_bottom * 0.6, label)
        c.showPage()
    c.save()
    return buf.getvalue()
