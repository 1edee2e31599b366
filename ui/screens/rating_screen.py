"""The optional satisfaction tap after 退出: 满意 / 一般 / 不满意, anonymous, a few seconds.

It is an overlay on the home screen rather than a screen, so the kiosk is already back home
under it: it closes by itself after :data:`SHOW_MS`, on a tap outside it, or as soon as the
next card is read, and so never stands in the next resident's way. It is offered only after
退出 (the person is still there), never after an idle timeout (they have gone).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.ratings import SCORES, store_rating
from kiosk.store.engine import Database
from ui.ops import KioskOps
from ui.widgets.buttons import KioskButton
from ui.widgets.overlay import Overlay

SHOW_MS = 8000
THANKS_MS = 1500


class RatingOverlay(Overlay):
    rated = Signal(int)

    def __init__(self, parent: QWidget, db: Database, ops: KioskOps) -> None:
        super().__init__(parent)
        self._db = db
        self._ops = ops
        self.title = QLabel("您对这次办理满意吗？")
        self.title.setObjectName("Heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.hint = QLabel("点一下就好，不记录您的任何信息")
        self.hint.setObjectName("Hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.buttons: dict[int, KioskButton] = {}
        for score in sorted(SCORES, reverse=True):
            button = KioskButton(SCORES[score], role="primary" if score == 3 else "")
            button.clicked.connect(lambda _=False, s=score: self.choose(s))
            row.addWidget(button)
            self.buttons[score] = button
        self.skip = KioskButton("不评价", role="nav")
        self.skip.clicked.connect(self.dismiss)
        self.body.addWidget(self.title)
        self.body.addWidget(self.hint)
        self.body.addLayout(row)
        self.body.addWidget(self.skip, 0, Qt.AlignmentFlag.AlignCenter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.show_ms = SHOW_MS

    def offer(self) -> None:
        self.title.setText("您对这次办理满意吗？")
        for button in (*self.buttons.values(), self.skip):
            button.show()
        self.hint.show()
        self.open()
        self._timer.start(self.show_ms)

    def choose(self, score: int) -> None:
        db = self._db
        self._ops.run(lambda: store_rating(db, score))
        self.rated.emit(score)
        self.title.setText("谢谢您的评价！")
        for button in (*self.buttons.values(), self.skip):
            button.hide()
        self.hint.hide()
        self._timer.start(THANKS_MS)

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A tap on the dimmed area (not the dialog) means "not now"."""
        if not self.dialog.geometry().contains(event.position().toPoint()):
            self.dismiss()
        super().mousePressEvent(event)
