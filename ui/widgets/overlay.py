"""Modal overlays drawn inside the kiosk window (no separate top-level dialogs, which a
frameless full-screen kiosk would let slip behind it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.widgets.buttons import KioskButton


class Overlay(QWidget):
    """A dimmed layer covering its parent, with a centred white dialog."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = parent
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 60, 60, 60)
        outer.addStretch(1)
        self.dialog = QFrame(self)
        self.dialog.setObjectName("Dialog")
        self.body = QVBoxLayout(self.dialog)
        self.body.setContentsMargins(48, 48, 48, 48)
        self.body.setSpacing(28)
        outer.addWidget(self.dialog)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return False

    def open(self) -> None:
        self.setGeometry(self._host.rect())
        self.raise_()
        self.show()


class CountdownOverlay(Overlay):
    """还需要更多时间吗？ — counts down, then :attr:`expired` wipes the session."""

    expired = Signal()
    continued = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel(tr("还需要更多时间吗？"))
        self.title.setObjectName("Heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("Body")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.more = KioskButton(tr("继续办理"), role="primary")
        self.leave = KioskButton(tr("结束并退出"))
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.leave)
        row.addWidget(self.more)
        self.body.addWidget(self.title)
        self.body.addWidget(self.text)
        self.body.addLayout(row)
        self._left = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self.more.clicked.connect(self._on_more)
        self.leave.clicked.connect(self._finish)

    def retranslate(self) -> None:
        self.title.setText(tr("还需要更多时间吗？"))
        self.more.setText(tr("继续办理"))
        self.leave.setText(tr("结束并退出"))

    def start(self, seconds: int) -> None:
        self._left = seconds
        self._show_left()
        self.open()
        self._tick.start()

    def set_tick_ms(self, ms: int) -> None:
        """Tests speed the countdown up instead of waiting ten real seconds."""
        self._tick.setInterval(ms)

    @property
    def running(self) -> bool:
        return self._tick.isActive()

    def _show_left(self) -> None:
        self.text.setText(tr("{n} 秒后将自动退出，并清除您的信息").format(n=self._left))

    def _on_tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._finish()
        else:
            self._show_left()

    def _on_more(self) -> None:
        self._tick.stop()
        self.hide()
        self.continued.emit()

    def _finish(self) -> None:
        self._tick.stop()
        self.hide()
        self.expired.emit()

    def cancel(self) -> None:
        self._tick.stop()
        self.hide()


class MessageOverlay(Overlay):
    """A plain message with one or two buttons."""

    accepted = Signal()
    rejected = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("Heading")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("Body")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ok = KioskButton(tr("好的"), role="primary")
        self.cancel_button = KioskButton(tr("取消"))
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok)
        self.body.addWidget(self.title)
        self.body.addWidget(self.text)
        self.body.addLayout(row)
        self.ok.clicked.connect(self._accept)
        self.cancel_button.clicked.connect(self._reject)

    def retranslate(self) -> None:
        self.ok.setText(tr("好的"))
        self.cancel_button.setText(tr("取消"))

    def show_message(self, title: str, text: str, ok: str | None = None,
                     cancel: str | None = None) -> None:
        """``ok`` defaults to 好的 in the resident's language."""
        self.title.setText(title)
        self.text.setText(text)
        self.ok.setText(ok or tr("好的"))
        self.cancel_button.setVisible(cancel is not None)
        if cancel:
            self.cancel_button.setText(cancel)
        self.open()

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit()

    def _reject(self) -> None:
        self.hide()
        self.rejected.emit()
