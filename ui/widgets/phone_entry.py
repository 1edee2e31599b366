"""Typing a mobile number on the big numeric keypad, checked before anything is sent.

Residents get the number wrong in a few typical ways — a digit short, a digit too many, a
landline or a typo in the prefix — and each gets its own plain sentence instead of a generic
"格式错误", so they know exactly what to fix. The rule is the core's
(:func:`kiosk.identity.valid_mobile`: 11 digits starting 13–19); the core checks again on
submission, this only saves the resident a round trip.

The messages are in the resident's language (kiosk.i18n); the keypad's keys are still named
by their Chinese words (``press("下一步")``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from kiosk.identity import valid_mobile
from ui.screens.base import label, set_role
from ui.widgets.keypad import NumericKeypad

PHONE_DIGITS = 11
RULE_TEXT = N_("请输入11位手机号码（以13至19开头）。")  # these are shown through tr()
PLACEHOLDER = N_("请点下方数字键输入")


def phone_problem(digits: str) -> str | None:
    """What is wrong with ``digits`` as a mainland mobile number, in plain words (the
    resident's language); None when it is a valid number."""
    if not digits:
        return tr("还没有输入手机号码。请输入11位手机号码（以13至19开头）。")
    if not digits.startswith("1"):
        return tr("手机号码以数字1开头，请检查后重新输入。座机号码不能接收回电提醒，请留手机号码。")
    if len(digits) >= 2 and digits[1] not in "3456789":
        return tr("手机号码的第二位是3到9中的一个数字，请检查后重新输入。")
    if len(digits) < PHONE_DIGITS:
        return tr("手机号码是11位，您输入了{typed}位，还差{missing}位。").format(
            typed=len(digits), missing=PHONE_DIGITS - len(digits))
    if not valid_mobile(digits):
        return tr(RULE_TEXT)
    return None


def grouped(digits: str) -> str:
    """138 1234 5678: easier to read back than eleven digits in a row."""
    return " ".join(p for p in (digits[:3], digits[3:7], digits[7:11]) if p)


class PhoneEntry(QWidget):
    """The number as typed (in groups), a message line and the keypad.

    ``accepted`` carries the digits when the confirm key is pressed on a valid number; an
    invalid one shows :func:`phone_problem` instead and keeps what was typed so the resident
    only corrects it. ``landscape`` puts the keypad beside the number instead of below it,
    with ``header`` (the step's question, say) above the number: on a 1080 px tall screen the
    keypad needs the full height, so nothing else can sit above it.
    """

    accepted = Signal(str)

    def __init__(self, confirm_text: str = N_("下一步"), *, landscape: bool = False,
                 header: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits = ""
        self._confirm_text = confirm_text
        self.display_frame = QFrame()
        self.display_frame.setObjectName("Card")
        box = QVBoxLayout(self.display_frame)
        box.setContentsMargins(28, 16, 28, 16)
        self.display = label("", "Heading", align=Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.display)
        self.message = label("", "Hint")
        self.keypad = NumericKeypad(confirm_text)
        self.keypad.setMaximumWidth(720)
        self.keypad.digit.connect(self._on_digit)
        self.keypad.backspace.connect(self._on_backspace)
        self.keypad.confirm.connect(self._on_confirm)

        pad = QHBoxLayout()
        pad.addStretch(1)
        pad.addWidget(self.keypad, 4)
        pad.addStretch(1)
        layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(20)
        if landscape:  # the number on the left, the keypad beside it
            layout.setDirection(QBoxLayout.Direction.LeftToRight)
            layout.setSpacing(40)
            left = QVBoxLayout()
            left.setSpacing(20)
            if header is not None:
                left.addWidget(header)
            left.addWidget(self.display_frame)
            left.addWidget(self.message)
            left.addStretch(1)
            right = QVBoxLayout()
            right.addLayout(pad)
            right.addStretch(1)
            layout.addLayout(left, 3)  # wide: the question and messages stay on few lines
            layout.addLayout(right, 2)
        else:
            if header is not None:
                layout.addWidget(header)
            layout.addWidget(self.display_frame)
            layout.addWidget(self.message)
            layout.addLayout(pad)
            layout.addStretch(1)
        self._show_hint()
        self._refresh()

    # -- what the resident typed -----------------------------------------------------------
    def digits(self) -> str:
        return self._digits

    def set_digits(self, digits: str) -> None:
        """Put a number back (returning to this step keeps it); non-digits are dropped."""
        self._digits = "".join(ch for ch in digits if ch.isdigit())[:PHONE_DIGITS]
        self._show_hint()
        self._refresh()

    def clear(self) -> None:
        self.set_digits("")

    def press(self, key: str) -> None:
        """Tests and the self-test type the way a finger would."""
        self.keypad.press(key)

    def type_digits(self, digits: str) -> None:
        for ch in digits:
            self.keypad.buttons[ch]._last_click = 0.0  # one finger, many different keys
            self.keypad.press(ch)

    # -- keys -------------------------------------------------------------------------------
    def _on_digit(self, digit: str) -> None:
        if len(self._digits) >= PHONE_DIGITS:
            self._show_error(tr("手机号码只有{n}位，已经输满了。输错了请点“删除”。").format(
                n=PHONE_DIGITS))
            return
        self._digits += digit
        self._show_hint()
        self._refresh()

    def _on_backspace(self) -> None:
        self._digits = self._digits[:-1]
        self._show_hint()
        self._refresh()

    def _on_confirm(self) -> None:
        problem = phone_problem(self._digits)
        if problem:
            self._show_error(problem)
            return
        self._show_hint()
        self.accepted.emit(self._digits)

    # -- showing ------------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.display.setText(grouped(self._digits) if self._digits else tr(PLACEHOLDER))

    def _show_hint(self) -> None:
        left = PHONE_DIGITS - len(self._digits)
        if left == PHONE_DIGITS:
            text = tr(RULE_TEXT)
        elif left:
            text = tr("已输入{typed}位，还差{left}位。").format(typed=len(self._digits), left=left)
        else:
            text = tr("已输满11位，请核对无误后点“{button}”。").format(
                button=tr(self._confirm_text))
        self._set_message(text, "Hint")

    def _show_error(self, text: str) -> None:
        self._set_message(text, "ErrorText")

    def _set_message(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)

    @property
    def error(self) -> str:
        """The message shown now when it is an error ("" otherwise)."""
        return self.message.text() if self.message.objectName() == "ErrorText" else ""
