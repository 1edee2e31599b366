"""A mobile number typed on large keys, checked before it is accepted.

Used by 报名 when no phone is on file. The keys re-flow: three columns (the familiar phone
pad) when there is height to spare, six columns in two rows on a landscape panel, where four
rows of large keys would not fit under the step indicator in 长辈模式 (the message then stands
beside the number instead of above it). The number is shown
grouped (138 0013 8000) so it is easy to check against the resident's own phone.

Keys are named by their Chinese words (``keys["删除"]``, ``keys[confirm_key]``: tests and
callers press them by name); what they show is translated (kiosk.i18n).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import N_, tr
from kiosk.identity import valid_mobile
from ui.screens.base import set_role
from ui.widgets.buttons import KioskButton
from ui.widgets.phone_entry import grouped

DIGITS = 11
BAD_NUMBER = N_("请输入11位手机号码（以13至19开头）。")
DELETE = N_("删除")
ASK = N_("留个手机号，方便就业红娘联系您（只用于这次报名）。")


class PhoneEntry(QWidget):
    """``submitted(number)`` once a valid number is confirmed; ``skipped`` for 不留电话."""

    submitted = Signal(str)
    skipped = Signal()

    def __init__(self, *, confirm_text: str = N_("下一步"), skip_text: str = N_("不留电话"),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = ""
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.display = QLabel()
        self.display.setObjectName("Heading")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.skip = KioskButton(tr(skip_text))
        self.skip.clicked.connect(self.skipped)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.display, 1)
        row.addWidget(self.skip)
        # the message above the number (phone pad), or beside it (two rows of keys)
        self._top = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._top.setSpacing(20)
        self._top.addWidget(self.message, 1)
        self._top.addLayout(row, 1)
        self.keys: dict[str, KioskButton] = {}
        self.confirm_key = confirm_text
        for key in [*"1234567890", DELETE, confirm_text]:
            button = KioskButton(tr(key), role="primary" if key == confirm_text else "key")
            button.setMinimumHeight(104)
            if key.isdigit():
                button.clicked.connect(lambda _=False, k=key: self._digit(k))
            elif key == DELETE:
                button.clicked.connect(self._backspace)
            else:
                button.clicked.connect(self._confirm)
            self.keys[key] = button
        self._grid = QGridLayout()
        self._grid.setSpacing(20)
        self.columns = 0
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(20)
        box.addLayout(self._top)
        box.addLayout(self._grid)
        self.set_columns(3)
        self.clear()

    def set_columns(self, columns: int) -> None:
        """3: a phone pad (1-9, 删除 0 确定); 6: two rows for a short landscape screen."""
        if columns == self.columns:
            return
        self.columns = columns
        self._top.setDirection(QBoxLayout.Direction.TopToBottom if columns == 3
                               else QBoxLayout.Direction.LeftToRight)
        while self._grid.count():
            self._grid.takeAt(0)
        order = ([*"123456789", DELETE, "0", self.confirm_key] if columns == 3 else
                 [*"12345", DELETE, *"67890", self.confirm_key])
        for i, key in enumerate(order):
            self._grid.addWidget(self.keys[key], i // columns, i % columns)

    def press(self, key: str) -> None:
        """Tests drive the pad the way a finger would."""
        self.keys[key].click()

    def type_number(self, number: str) -> None:
        for digit in number:
            self.press(digit)

    def clear(self) -> None:
        self.number = ""
        self._say(tr(ASK), error=False)
        self._refresh()

    def _digit(self, digit: str) -> None:
        if len(self.number) < DIGITS:
            self.number += digit
        self._say(tr(ASK), error=False)
        self._refresh()

    def _backspace(self) -> None:
        self.number = self.number[:-1]
        self._refresh()

    def _confirm(self) -> None:
        if not valid_mobile(self.number):
            self._say(tr(BAD_NUMBER), error=True)
            return
        self.submitted.emit(self.number)

    def _refresh(self) -> None:
        self.display.setText(grouped(self.number) or "_ _ _  _ _ _ _  _ _ _ _")

    def _say(self, text: str, *, error: bool) -> None:
        set_role(self.message, "ErrorText" if error else "Body")
        self.message.setText(text)
