"""Pieces the admin screens share: the page base class, cards, and tap-to-type tiles.

Staff have no keyboard, so text is entered by tapping: letter and digit tiles for addresses
and enrollment codes; Chinese names go through the residents' pinyin panel
(ui/widgets/text_entry.py), with word tiles (the district's towns, "社区", "就业红娘服务站"…)
as the fallback for a window built without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label
from ui.theme.tokens import MIN_TARGET_PX
from ui.widgets.buttons import KioskButton
from ui.widgets.flow import FlowLayout
from ui.widgets.scroll import touch_scroll_area

T = TypeVar("T")

LATIN_KEYS = (*"abcdefghijklmnopqrstuvwxyz0123456789", ".", ":", "/", "-", "_")
URL_SHORTCUTS = ("https://", "http://", ".cn", ".gov.cn", ":8443")
CODE_KEYS = (*"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", "-")
#: word tiles for station and community names; the district's towns are added at run time
NAME_WORDS = ("西青区", "就业红娘服务站", "服务站", "社区", "村", "街道", "镇", "党群服务中心",
              "东", "西", "南", "北", "中", "新", "第一", "第二", "第三")


class AdminPage(Screen):
    """An admin screen: staff only, reached from the dashboard, work done off the GUI
    thread with results dropped when admin mode has ended meanwhile."""

    admin_only = True

    def __init__(self, nav: Navigator, ops: KioskOps, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._ops = ops
        self._pending = 0

    @property
    def loading(self) -> bool:
        """True while background work for this page runs (screenshots wait for it)."""
        return self._pending > 0

    def _in_admin(self) -> bool:
        return bool(getattr(self.nav, "in_admin", True))

    def run(self, op: Callable[[], T], done: Callable[[T], None],
            failed: Callable[[BaseException], None] | None = None) -> None:
        self._pending += 1

        def ok(value: T) -> None:
            self._pending -= 1
            if self._in_admin():
                done(value)

        def bad(exc: BaseException) -> None:
            self._pending -= 1
            if self._in_admin():
                (failed or self._failed)(exc)

        self._ops.run(op).success(ok).failure(bad)

    def _failed(self, exc: BaseException) -> None:
        self.nav.message("没有完成", f"{exc}")


def add_parts(box: QVBoxLayout, parts: Sequence[QWidget | QLayout]) -> None:
    """Widgets and layouts (a row of buttons, say) top to bottom, in order."""
    for part in parts:
        if isinstance(part, QLayout):
            box.addLayout(part)
        else:
            box.addWidget(part)


def card(*widgets: QWidget | QLayout) -> QFrame:
    """A white card holding ``widgets`` top to bottom."""
    frame = QFrame()
    frame.setObjectName("Card")
    box = QVBoxLayout(frame)
    box.setContentsMargins(28, 20, 28, 20)
    box.setSpacing(16)
    add_parts(box, widgets)
    return frame


def scrolling_page(parts: Sequence[QWidget | QLayout], buttons: QLayout) -> QWidget:
    """A step page: ``parts`` scroll (a 1080-pixel-high panel in 长辈模式 cannot hold them
    all), the buttons that finish the step stay in reach below them."""
    inner = QWidget()
    body = QVBoxLayout(inner)
    body.setContentsMargins(0, 0, 16, 0)
    body.setSpacing(20)
    add_parts(body, parts)
    body.addStretch(1)
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(20)
    box.addWidget(touch_scroll_area(inner), 1)
    box.addLayout(buttons)
    return page


def button_row(*buttons: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(20)
    for b in buttons:
        row.addWidget(b)
    return row


class TokenKeyboard(QWidget):
    """Taps append tokens (letters, or whole words) to a text; 删除 takes one character
    back, 清空 empties it. ``changed`` carries the new text."""

    changed = Signal(str)

    def __init__(self, tokens: Sequence[str], *, role: str = "chip",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.max_length = 200
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        keys = QWidget()
        self._flow = FlowLayout(keys)
        self.keys: dict[str, KioskButton] = {}
        for token in tokens:
            self._add_key(token, role)
        outer.addWidget(keys)
        self.delete = KioskButton("删除")
        self.clear = KioskButton("清空")
        self.delete.clicked.connect(lambda: self.set_text(self.text[:-1]))
        self.clear.clicked.connect(lambda: self.set_text(""))
        row = button_row(self.delete, self.clear)
        row.addStretch(1)
        outer.addLayout(row)

    def _add_key(self, token: str, role: str) -> None:
        if token in self.keys:
            return
        button = KioskButton(token, role=role)
        button.setMinimumWidth(MIN_TARGET_PX)  # a one-letter chip would be narrower
        button.clicked.connect(lambda _=False, t=token: self.type(t))
        self._flow.addWidget(button)
        self.keys[token] = button

    def add_tokens(self, tokens: Sequence[str], role: str = "chip") -> None:
        for token in tokens:
            self._add_key(token, role)

    def type(self, token: str) -> None:
        self.set_text(self.text + token)

    def set_text(self, text: str) -> None:
        self.text = text[: self.max_length]
        self.changed.emit(self.text)


def value_label(text: str = "") -> QLabel:
    """The value being edited, large and boxed like the resident card prompt."""
    widget = label(text, "Heading", align=Qt.AlignmentFlag.AlignCenter)
    widget.setMinimumHeight(90)
    return widget
