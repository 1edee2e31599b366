"""Staff PIN pad: the only way into admin mode, reached by five taps on the station name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.admin_auth import AdminAuth, PinResult
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label
from ui.widgets.keypad import NumericKeypad

MAX_DIGITS = 8


class PinScreen(Screen):
    name = "pin"
    title = "工作人员登录"
    accepted = Signal()

    def __init__(self, nav: Navigator, admin: AdminAuth, ops: KioskOps, *,
                 landscape: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._admin = admin
        self._ops = ops
        self._pin = ""
        self._busy = False
        self.prompt = label("请输入管理密码", "Heading", align=Qt.AlignmentFlag.AlignCenter)
        self.dots = label("", "PinDots", align=Qt.AlignmentFlag.AlignCenter)
        self.dots.setMinimumHeight(90)
        self.status = label("", "ErrorText", align=Qt.AlignmentFlag.AlignCenter)
        self.keypad = NumericKeypad("登录")
        # Landscape has about 780 px between header and nav bar: the pad goes beside the prompt.
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(self.prompt)
        text.addWidget(self.dots)
        text.addWidget(self.status)
        text.addStretch(1)
        if landscape:
            row = QHBoxLayout()
            row.setSpacing(48)
            row.addLayout(text, 1)
            row.addWidget(self.keypad, 1)
            self.content.addLayout(row, 1)
        else:
            self.content.addLayout(text)
            self.content.addWidget(self.keypad)
            self.content.addStretch(1)
        self.keypad.digit.connect(self._on_digit)
        self.keypad.backspace.connect(self._on_backspace)
        self.keypad.confirm.connect(self._on_confirm)

    def on_enter(self, **kwargs: Any) -> None:
        self._pin = ""
        self._refresh()
        locked = self._admin.locked_for()
        self.status.setText(self._locked_text(locked) if locked else "")

    @staticmethod
    def _locked_text(seconds: int) -> str:
        minutes = max(1, (seconds + 59) // 60)
        return f"密码错误次数过多，已锁定，请 {minutes} 分钟后再试"

    def _refresh(self) -> None:
        self.dots.setText("●" * len(self._pin) or " ")

    def _on_digit(self, digit: str) -> None:
        if len(self._pin) < MAX_DIGITS:
            self._pin += digit
            self._refresh()

    def _on_backspace(self) -> None:
        self._pin = self._pin[:-1]
        self._refresh()

    def _on_confirm(self) -> None:
        if self._busy or not self._pin:
            return
        self._busy = True
        pin, self._pin = self._pin, ""
        self._refresh()
        self.status.setText("正在验证…")
        self._ops.run(lambda: self._admin.check(pin)).success(self._on_result).failure(
            self._on_error)

    def _on_result(self, result: PinResult) -> None:
        self._busy = False
        if result.ok:
            self.status.setText("")
            self.accepted.emit()
        elif result.locked_for_s:
            self.status.setText(self._locked_text(result.locked_for_s))
        else:
            self.status.setText(f"密码不正确，还可以再试 {result.tries_left} 次")

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        self.status.setText("暂时无法验证，请稍后再试")

    def clear_personal(self) -> None:
        self._pin = ""
        self._refresh()
