"""The side of a detail page: a QR code that takes the page to the resident's phone, and the
page's actions.

岗位详情 and every activities detail page (活动, 直播, 课程, 项目, 导师, 公告) read the same way:
in landscape the QR and the actions stand in a column at the right of the text; in portrait
they make a band at the foot, the QR at its left and the actions beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from ui.screens.base import label
from ui.widgets.buttons import KioskButton
from ui.widgets.qr import QrWidget

QR_PX = 240
QR_PX_LANDSCAPE = 200  # still 5 cm across on a 21.5" panel: phones read it at arm's length


class DetailSide(QWidget):
    """The QR with its caption above ``buttons`` (stacked, at the foot of the column)."""

    def __init__(self, buttons: Sequence[KioskButton], *, qr_caption: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.qr = QrWidget(size_px=QR_PX)
        self.qr_caption = label(qr_caption, "Hint", align=Qt.AlignmentFlag.AlignCenter)
        self.buttons = list(buttons)
        self._box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(20)
        qr_column = QVBoxLayout()
        qr_column.setSpacing(8)
        qr_column.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_column.addWidget(self.qr_caption)
        actions = QVBoxLayout()
        actions.setSpacing(20)
        actions.addStretch(1)
        for button in self.buttons:
            actions.addWidget(button)
        self._box.addLayout(qr_column)
        self._box.addLayout(actions, 1)

    def arrange(self, landscape: bool) -> None:
        """Landscape: a column (QR above the actions). Portrait: a band (QR beside them)."""
        self._box.setDirection(QBoxLayout.Direction.TopToBottom if landscape
                               else QBoxLayout.Direction.LeftToRight)
        size = QR_PX_LANDSCAPE if landscape else QR_PX
        self.qr.setFixedSize(size, size)
