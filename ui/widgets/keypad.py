"""A large numeric keypad (PIN, phone numbers): no system keyboard, no pinyin needed.

Keys are named by their Chinese words (``buttons["删除"]``, ``buttons[confirm_text]``): callers
and tests press them by name, whatever the keys show (their words are translated when the pad
is built, kiosk.i18n).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.i18n import N_, tr
from ui.widgets.buttons import KioskButton


class NumericKeypad(QWidget):
    digit = Signal(str)
    backspace = Signal()
    confirm = Signal()

    def __init__(self, confirm_text: str = N_("确定"), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(20)
        self.buttons: dict[str, KioskButton] = {}
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", N_("删除"), "0", confirm_text]
        for i, key in enumerate(keys):
            role = "primary" if key == confirm_text else "key"
            button = KioskButton(tr(key), role=role)
            button.setMinimumHeight(120)
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button
            if key.isdigit():
                button.clicked.connect(lambda _=False, k=key: self.digit.emit(k))
            elif key == "删除":
                button.clicked.connect(self.backspace)
            else:
                button.clicked.connect(self.confirm)

    def press(self, key: str) -> None:
        """Tests and the self-test drive the pad the way a finger would."""
        self.buttons[key].click()
