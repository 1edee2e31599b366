"""The optional satisfaction tap after 退出: 满意 / 一般 / 不满意, anonymous, a few seconds.

It is an overlay on the home screen rather than a screen, so the kiosk is already back home
under it: it closes by itself after :data:`SHOW_MS`, on a tap outside it, or as soon as the
next card is read, and so never stands in the next resident's way. It is offered only after
退出 (the person is still there), never after an idle timeout (they have gone).

It asks in the language the resident was using. By the time it is offered the session wipe
has already switched the kiosk back to Chinese for the next person, so the overlay notes the
language that switch left (the window's ``language_changed``) and speaks that one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk import i18n
from kiosk.i18n import N_
from kiosk.ratings import SCORES, store_rating
from kiosk.store.engine import Database
from ui.ops import KioskOps
from ui.widgets.buttons import KioskButton
from ui.widgets.overlay import Overlay

SHOW_MS = 8000
THANKS_MS = 1500

QUESTION = N_("您对这次办理满意吗？")
HINT = N_("点一下就好，不记录您的任何信息")
THANKS = N_("谢谢您的评价！")
SKIP = N_("不评价")
SCORE_LABELS = {3: N_("满意"), 2: N_("一般"), 1: N_("不满意")}  # kiosk.ratings.SCORES


def translator(code: str) -> Callable[[str], str]:
    """``tr`` for one language, whatever the kiosk's current one is."""
    return partial(i18n.tr_in, code)


class RatingOverlay(Overlay):
    rated = Signal(int)

    def __init__(self, parent: QWidget, db: Database, ops: KioskOps) -> None:
        super().__init__(parent)
        self._db = db
        self._ops = ops
        self._language = i18n.language()  # follows the window's switches
        self._left_in: str | None = None  # the language a wipe has just switched away from
        self._say: Callable[[str], str] = str
        changed = getattr(parent, "language_changed", None)
        if changed is not None:
            changed.connect(self._on_language_changed)
        self.title = QLabel(QUESTION)
        self.title.setObjectName("Heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.hint = QLabel(HINT)
        self.hint.setObjectName("Hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.buttons: dict[int, KioskButton] = {}
        for score in sorted(SCORES, reverse=True):
            button = KioskButton(SCORE_LABELS[score], role="primary" if score == 3 else "")
            button.clicked.connect(lambda _=False, s=score: self.choose(s))
            row.addWidget(button)
            self.buttons[score] = button
        self.skip = KioskButton(SKIP, role="nav")
        self.skip.clicked.connect(self.dismiss)
        self.body.addWidget(self.title)
        self.body.addWidget(self.hint)
        self.body.addLayout(row)
        self.body.addWidget(self.skip, 0, Qt.AlignmentFlag.AlignCenter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.show_ms = SHOW_MS

    def _on_language_changed(self, code: str) -> None:
        previous, self._language = self._language, code
        if code == i18n.SOURCE and previous != i18n.SOURCE:
            # the wipe of 退出 offers the rating in this same turn of the event loop; a
            # resident's own switch back to Chinese is forgotten before anyone taps 退出
            self._left_in = previous
            QTimer.singleShot(0, self._forget_left_in)

    def _forget_left_in(self) -> None:
        self._left_in = None

    def offer(self) -> None:
        self._say = translator(self._left_in or i18n.language())
        say = self._say
        self.title.setText(say(QUESTION))
        self.hint.setText(say(HINT))
        self.skip.setText(say(SKIP))
        for score, button in self.buttons.items():
            button.setText(say(SCORE_LABELS[score]))
        for button in (*self.buttons.values(), self.skip):
            button.show()
        self.hint.show()
        self.open()
        self._timer.start(self.show_ms)

    def choose(self, score: int) -> None:
        db = self._db
        self._ops.run(lambda: store_rating(db, score))
        self.rated.emit(score)
        self.title.setText(self._say(THANKS))
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
