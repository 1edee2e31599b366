"""A traffic light for one device or service: shape + colour + word, cause, and one fix.

The state is never told by colour alone: each state has its own shape (● ▲ ✖ ?) and its
word (正常 / 注意 / 故障 / 未知), for colour-blind staff and for a screen in full sun. The
shape is painted (not a glyph) so it looks the same in every font, and scales with the text
size the theme gives the widget, so 长辈模式 enlarges it too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.station_status import FAULT, OK, WARN, HealthItem
from ui.theme.tokens import CARD, ERROR_INK, INK_SOFT, OK_INK, WARN_BG, WARN_INK
from ui.widgets.buttons import KioskButton


class LightSymbol(QWidget):
    """Green disc, amber triangle, red square with a cross, grey ring with "?"."""

    def __init__(self, state: str = "unknown", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_state(self, state: str) -> None:
        self.state = state
        self.update()

    def sizeHint(self) -> QSize:
        side = round(self.fontMetrics().height() * 1.3)
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()  # 长辈模式 changed the text size: grow with it
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        box = QRectF((self.width() - side) / 2 + 2, (self.height() - side) / 2 + 2,
                     side - 4, side - 4)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        stroke = max(2.0, side / 12)
        if self.state == OK:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(OK_INK))
            p.drawEllipse(box)
        elif self.state == WARN:
            p.setPen(QPen(QColor(WARN_INK), stroke))
            p.setBrush(QColor(WARN_BG))
            p.drawPolygon(QPolygonF([QPointF(box.center().x(), box.top()),
                                     QPointF(box.right(), box.bottom()),
                                     QPointF(box.left(), box.bottom())]))
            self._glyph(p, "!", QColor(WARN_INK), box.adjusted(0, side * 0.2, 0, 0))
        elif self.state == FAULT:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(ERROR_INK))
            p.drawRoundedRect(box, side / 8, side / 8)
            pen = QPen(QColor(CARD), stroke * 1.4)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            inner = box.adjusted(side * 0.28, side * 0.28, -side * 0.28, -side * 0.28)
            p.drawLine(inner.topLeft(), inner.bottomRight())
            p.drawLine(inner.topRight(), inner.bottomLeft())
        else:
            p.setPen(QPen(QColor(INK_SOFT), stroke))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(box.adjusted(stroke / 2, stroke / 2, -stroke / 2, -stroke / 2))
            self._glyph(p, "?", QColor(INK_SOFT), box)
        p.end()

    def _glyph(self, p: QPainter, text: str, colour: QColor, box: QRectF) -> None:
        font = self.font()
        font.setBold(True)
        p.setFont(font)
        p.setPen(colour)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class TrafficLight(QFrame):
    """One card of the dashboard; :attr:`action_requested` carries the item's action key."""

    action_requested = Signal(str)

    def __init__(self, item: HealthItem | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.key = ""
        self.action = ""
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(20)
        self.symbol = LightSymbol()
        text = QVBoxLayout()
        text.setSpacing(4)
        self.title = QLabel()
        self.title.setObjectName("Body")
        self.title.setWordWrap(True)
        self.cause = QLabel()
        self.cause.setObjectName("Hint")
        self.cause.setWordWrap(True)
        text.addWidget(self.title)
        text.addWidget(self.cause)
        self.button = KioskButton("")
        self.button.clicked.connect(lambda: self.action_requested.emit(self.action))
        outer.addWidget(self.symbol, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(text, 1)
        outer.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        if item is not None:
            self.set_item(item)

    def set_item(self, item: HealthItem) -> None:
        self.key = item.key
        self.action = item.action
        self.symbol.set_state(item.state)
        self.title.setText(f"{item.title}：{item.state_word}")
        word_role = {OK: "OkText", FAULT: "ErrorText"}.get(item.state, "Body")
        if self.title.objectName() != word_role:
            self.title.setObjectName(word_role)
            self.title.style().unpolish(self.title)
            self.title.style().polish(self.title)
        self.cause.setText(item.cause)
        self.button.setText(item.action_label)
        self.button.setVisible(bool(item.action))
        self.setAccessibleName(f"{item.symbol} {item.title} {item.state_word} {item.cause}")

    def text(self) -> str:
        """What the card says, with its symbol as text (for the self-test and tests)."""
        return self.accessibleName()
