"""Asking a resident for a few words of Chinese: a field and the pinyin keyboard in a panel.

A screen calls :func:`ask_text` (or ``overlay.ask``) and connects to the request's
``accepted(str)`` / ``cancelled()``::

    request = ask_text(self, "请输入要找的工作", self.keyword)
    request.accepted.connect(self._search)

The panel covers the whole window (a frameless kiosk cannot show a separate window safely),
so nothing behind it can be tapped by mistake. The candidate index is built once, off the GUI
thread, the first time the panel opens; letters can be typed meanwhile.

Privacy: what a resident typed and picked (the text, the letters, the words ranked first
because they picked them) lives here only until :meth:`TextEntryOverlay.clear_personal`,
which the launcher connects to the window's ``session_wiped`` (退出, idle timeout, new card).

The panel is built once per window, not again when the resident switches language: its words
are set again (:meth:`TextEntryOverlay.retranslate`) each time it opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from kiosk.input.pinyin import PinyinEngine, RecentWords
from ui.ops import KioskOps
from ui.screens.base import label
from ui.widgets.buttons import KioskButton
from ui.widgets.overlay import Overlay
from ui.widgets.pinyin_keyboard import PinyinKeyboard

log = logging.getLogger(__name__)
PLACEHOLDER = N_("请用下面的键盘输入")  # shown as tr(PLACEHOLDER)


class TextRequest(QObject):
    """One question to the resident: exactly one of the two signals is emitted (none when
    the session ends first: the screen asking is cleared then anyway)."""

    accepted = Signal(str)
    cancelled = Signal()


class TextEntryOverlay(Overlay):
    """The panel. One per window; screens reach it through :func:`ask_text`."""

    def __init__(self, parent: QWidget, ops: KioskOps,
                 engine_factory: Callable[[], PinyinEngine], *,
                 landscape: bool | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self._ops = ops
        self._engine_factory = engine_factory
        self._engine: PinyinEngine | None = None
        self._loading = False
        self._request: TextRequest | None = None
        self.recent = RecentWords()
        if landscape is None:
            landscape = parent.width() > parent.height() if parent.width() else False
        self.landscape = landscape
        # the panel needs most of the window: thin margins instead of the dialog's roomy ones
        outer = self.layout()
        assert outer is not None
        outer.setContentsMargins(24, 24, 24, 24)
        self.body.setContentsMargins(24, 24, 24, 24)
        self.body.setSpacing(16)

        self.title = label("", "Heading")
        self.field_frame = QFrame()
        self.field_frame.setObjectName("Card")
        box = QVBoxLayout(self.field_frame)
        box.setContentsMargins(24, 12, 24, 12)
        self.field = label(tr(PLACEHOLDER), "Body")
        box.addWidget(self.field)
        self.cancel = KioskButton(tr("取消"), role="nav")
        self.keyboard = PinyinKeyboard(self.recent, landscape=landscape)
        header = QHBoxLayout()
        header.setSpacing(16)
        if landscape:  # one row: the question, the field, 取消 — the keys need the height
            header.addWidget(self.title, 2)
            header.addWidget(self.field_frame, 5)
            header.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignTop)
            self.body.addLayout(header)
        else:
            header.addWidget(self.title, 1)
            header.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignTop)
            self.body.addLayout(header)
            self.body.addWidget(self.field_frame)
        self.body.addWidget(self.keyboard)
        self.keyboard.changed.connect(self._show_text)
        self.keyboard.accepted.connect(self._on_accepted)
        self.cancel.clicked.connect(self._on_cancel)

    # -- asking ---------------------------------------------------------------------------
    def ask(self, title: str, initial: str = "") -> TextRequest:
        """Open the panel with ``initial`` in the field; the answer comes on the request."""
        if self._request is not None:
            self._request.deleteLater()
        self._request = TextRequest(self)
        self.retranslate()
        self.title.setText(title)
        self.keyboard.reset(initial)
        self._ensure_engine()
        self.open()
        return self._request

    def retranslate(self) -> None:
        """The panel's own words in the current language (it outlives a language switch)."""
        self.cancel.setText(tr("取消"))
        self.keyboard.retranslate()

    @property
    def request(self) -> TextRequest | None:
        return self._request

    def _ensure_engine(self) -> None:
        if self._engine is not None or self._loading:
            self.keyboard.set_engine(self._engine)
            return
        self._loading = True

        def ready(engine: Any) -> None:
            self._loading = False
            self._engine = engine
            self.keyboard.set_engine(engine)

        def failed(exc: BaseException) -> None:
            self._loading = False
            log.error("pinyin candidates unavailable: %s", exc)

        self._ops.run(self._engine_factory).success(ready).failure(failed)

    def set_engine(self, engine: PinyinEngine) -> None:
        """Hand over a ready engine (tests, or a launcher that built it earlier)."""
        self._engine = engine
        self.keyboard.set_engine(engine)

    # -- answers --------------------------------------------------------------------------
    def _show_text(self) -> None:
        text = self.keyboard.display_text()
        self.field.setText(text if text else tr(PLACEHOLDER))

    def _on_accepted(self, text: str) -> None:
        request, self._request = self._request, None
        self.hide()
        self.keyboard.reset()
        if request is not None:
            request.accepted.emit(text.strip())
            request.deleteLater()

    def _on_cancel(self) -> None:
        request, self._request = self._request, None
        self.hide()
        self.keyboard.reset()
        if request is not None:
            request.cancelled.emit()
            request.deleteLater()

    def clear_personal(self) -> None:
        """Forget everything typed and picked: the next resident starts from nothing."""
        if self._request is not None:
            self._request.deleteLater()
            self._request = None
        self.hide()
        self.keyboard.reset()
        self.recent.clear()
        self.field.setText(tr(PLACEHOLDER))


def ask_text(widget: QWidget, title: str, initial: str = "") -> TextRequest:
    """Ask through the window's :class:`TextEntryOverlay` (built by ui/launch.py)."""
    overlay = widget.window().findChild(TextEntryOverlay)
    if overlay is None:
        raise RuntimeError("this window has no text entry panel (see ui/launch.py)")
    return overlay.ask(title, initial)
