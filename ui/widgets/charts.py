"""Charts for the station figures, drawn with QPainter (no QtCharts, no web view).

Both charts take their text size and text colour from the theme (the widget's font and
palette, set by the QSS through the object name), so 长辈模式 enlarges them like any label;
their height follows the text size, so nothing is clipped. Every bar carries its number as
text: the chart is read, not estimated.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme.tokens import LINE, PRIMARY


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Body")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.rows: list[tuple[str, float]] = []

    def set_data(self, rows: Sequence[tuple[str, float]]) -> None:
        self.rows = [(str(label), float(value)) for label, value in rows]
        self.updateGeometry()
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
        super().changeEvent(event)

    def _ink(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    @staticmethod
    def _number(value: float) -> str:
        return f"{value:.0f}" if value == int(value) else f"{value:.1f}"

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class BarChart(_Chart):
    """Horizontal bars, one row each: label · bar · number."""

    def _row_height(self) -> int:
        return round(self.fontMetrics().height() * 1.5)

    def sizeHint(self) -> QSize:
        return QSize(400, max(1, len(self.rows)) * self._row_height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.rows:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        row_h = self._row_height()
        label_w = min(max(fm.horizontalAdvance(label) for label, _ in self.rows) + 16,
                      int(self.width() * 0.45))
        number_w = max(fm.horizontalAdvance(self._number(v)) for _, v in self.rows) + 16
        bar_w = max(1, self.width() - label_w - number_w)
        top = max(v for _, v in self.rows) or 1.0
        ink = self._ink()
        for i, (label, value) in enumerate(self.rows):
            y = i * row_h
            p.setPen(ink)
            text_box = QRectF(0, y, label_w - 16, row_h)
            p.drawText(text_box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       fm.elidedText(label, Qt.TextElideMode.ElideMiddle, label_w - 16))
            length = bar_w * value / top
            p.fillRect(QRectF(label_w, y + row_h * 0.2, max(length, 2), row_h * 0.6),
                       QColor(PRIMARY if value else LINE))
            p.drawText(QRectF(label_w + length + 8, y, number_w, row_h),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       self._number(value))
        p.end()


class TrendChart(_Chart):
    """A series over time (visits per day or per hour) as columns, or as a line for long
    series; the largest value and a few time labels are written on it."""

    def __init__(self, parent: QWidget | None = None, *, line: bool = False) -> None:
        super().__init__(parent)
        self.line = line

    def set_line(self, line: bool) -> None:
        self.line = line
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().height() * 7)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.rows:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        text_h = fm.height()
        top_value = max(v for _, v in self.rows)
        plot = QRectF(0, text_h * 1.2, self.width(), self.height() - text_h * 2.6)
        ink = self._ink()
        p.setPen(QPen(QColor(LINE), 2))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        n = len(self.rows)
        step = plot.width() / n
        scale = plot.height() / (top_value or 1.0)
        points = []
        for i, (_, value) in enumerate(self.rows):
            height = value * scale
            x = plot.left() + i * step
            if self.line:
                points.append((x + step / 2, plot.bottom() - height))
            else:
                p.fillRect(QRectF(x + step * 0.15, plot.bottom() - height, step * 0.7,
                                  max(height, 1)), QColor(PRIMARY))
        if self.line and points:
            p.setPen(QPen(QColor(PRIMARY), max(3.0, text_h / 8)))
            for (x1, y1), (x2, y2) in itertools.pairwise(points):
                p.drawLine(round(x1), round(y1), round(x2), round(y2))
        p.setPen(ink)
        p.drawText(QRectF(0, 0, self.width(), text_h * 1.1),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   f"最多 {self._number(top_value)}")
        # Time labels: every k-th (k as small as lets them sit side by side), skipping one
        # that would still touch the one before it after being kept inside the chart.
        widest = max(fm.horizontalAdvance(label) for label, _ in self.rows) + 24
        every = max(1, int(widest // step) + 1)
        last_right = float("-inf")
        for i, (label, _) in enumerate(self.rows):
            if i % every:
                continue
            x = plot.left() + i * step + step / 2
            box = QRectF(x - widest / 2, plot.bottom() + text_h * 0.2, widest, text_h * 1.2)
            box.moveLeft(min(max(box.left(), 0), self.width() - widest))
            if box.left() < last_right:
                continue
            last_right = box.right()
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        p.end()
