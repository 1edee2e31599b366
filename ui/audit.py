"""An automatic accessibility audit of what is on screen (适老化 figures from the tokens).

Walks the visible widgets of a window and reports: text below the minimum size, tappable
widgets below the minimum target or closer than the minimum gap, labels whose text does not
fit, and text/background pairs below the contrast minimum (measured on the rendered pixels,
because style sheets decide colours in ways the palette does not show).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from ui.theme.tokens import MIN_CONTRAST, MIN_GAP_PX, MIN_TARGET_PX, MIN_TEXT_PX


@dataclass(frozen=True)
class Finding:
    rule: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.widget}: {self.detail}"


def _describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text().replace("\n", " ")[:24]
    name = widget.objectName() or type(widget).__name__
    return f"{name}({text!r})" if text else name


def _visible(widget: QWidget, root: QWidget) -> bool:
    if not widget.isVisibleTo(root) or widget.width() <= 0 or widget.height() <= 0:
        return False
    return not _visible_rect(widget, root).isEmpty()


def _visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` a person can see: clipped by every ancestor (a scroll area's
    viewport hides what is scrolled away)."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = _luminance(a), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def rendered_contrast(image: QImage) -> float | None:
    """Contrast between the commonest colour (background) and the colour farthest from it
    (the core of the glyphs); None when the image is one flat colour."""
    counts: dict[int, int] = {}
    w, h = image.width(), image.height()
    step = max(1, (w * h) // 40000)
    for i in range(0, w * h, step):
        rgb = image.pixel(i % w, i // w) & 0xFFFFFF
        counts[rgb] = counts.get(rgb, 0) + 1
    if len(counts) < 2:
        return None
    background = QColor(max(counts, key=lambda k: counts[k]))
    return max(contrast(background, QColor(rgb)) for rgb in counts)


def _text_px(widget: QWidget) -> int:
    font = widget.font()
    if font.pixelSize() > 0:
        return font.pixelSize()
    return round(font.pointSizeF() * widget.logicalDpiY() / 72)


def _fits(label: QLabel) -> bool:
    rect = label.contentsRect()
    metrics = label.fontMetrics()
    if not label.text():
        return True
    if label.wordWrap():
        return label.heightForWidth(label.width()) <= label.height() + 1
    widest = max(metrics.horizontalAdvance(line) for line in label.text().split("\n"))
    lines = label.text().count("\n") + 1
    return widest <= rect.width() + 1 and metrics.height() * lines <= rect.height() + 2


def audit(window: QWidget, *, check_contrast: bool = True) -> list[Finding]:
    """Audit what a person can see and touch in ``window`` right now. When an overlay (a
    modal dialog) is open, only the overlay counts: everything behind it is dimmed on purpose
    and cannot be touched."""
    findings: list[Finding] = []
    targets: list[tuple[QWidget, QRect]] = []
    overlays = [w for w in window.findChildren(QWidget)
                if w.objectName() == "Overlay" and w.isVisibleTo(window)]
    root = overlays[-1] if overlays else window
    image = window.grab().toImage() if check_contrast else QImage()
    for widget in root.findChildren(QWidget):
        if not _visible(widget, window):
            continue
        if isinstance(widget, QLabel) and widget.text() and not widget.pixmap():
            px = _text_px(widget)
            if px < MIN_TEXT_PX:
                findings.append(Finding("text-size", _describe(widget), f"{px} px < {MIN_TEXT_PX}"))
            if not _fits(widget):
                findings.append(Finding("clipped", _describe(widget),
                                        f"needs more room than {widget.width()}×{widget.height()}"))
            seen = _rect_in(widget, window)
            # A label scrolled half out of view shows slivers of glyphs (their anti-aliased
            # edges): nothing to read there yet, and no fair measure of contrast.
            if check_contrast and seen.height() >= widget.fontMetrics().height():
                ratio = rendered_contrast(image.copy(seen))
                if ratio is not None and ratio < MIN_CONTRAST:
                    findings.append(Finding("contrast", _describe(widget), f"{ratio:.1f}:1"))
        if isinstance(widget, QAbstractButton | QLineEdit) and widget.isEnabled():
            if isinstance(widget, QAbstractButton) and widget.text():
                px = _text_px(widget)
                if px < MIN_TEXT_PX:
                    findings.append(Finding("text-size", _describe(widget),
                                            f"{px} px < {MIN_TEXT_PX}"))
                metrics = widget.fontMetrics()
                if metrics.horizontalAdvance(widget.text()) > widget.width() - 8:
                    findings.append(Finding("clipped", _describe(widget),
                                            f"text wider than the {widget.width()} px button"))
            if widget.width() < MIN_TARGET_PX or widget.height() < MIN_TARGET_PX:
                findings.append(Finding("target", _describe(widget),
                                        f"{widget.width()}×{widget.height()} < {MIN_TARGET_PX}"))
            targets.append((widget, _rect_in(widget, window)))
    for i, (a, ra) in enumerate(targets):
        for b, rb in targets[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            gap = _gap(ra, rb)
            if gap < MIN_GAP_PX:
                findings.append(Finding("gap", f"{_describe(a)} / {_describe(b)}",
                                        f"{gap} px < {MIN_GAP_PX}"))
    return findings


def _rect_in(widget: QWidget, window: QWidget) -> QRect:
    return _visible_rect(widget, window)


def _gap(a: QRect, b: QRect) -> int:
    """Distance between two rectangles (negative when they overlap)."""
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1)
    if dx < 0 and dy < 0:
        return min(dx, dy)
    return max(dx, dy)
