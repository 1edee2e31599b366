"""Touch buttons: large, with a visible pressed state and protection against double taps."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

DOUBLE_TAP_MS = 500


class KioskButton(QPushButton):
    """A QPushButton that ignores a second tap within :data:`DOUBLE_TAP_MS`.

    Elderly users often tap twice; the second tap must not submit twice or skip a screen.
    ``role`` selects the QSS variant (primary, nav, danger, key, chip).
    """

    def __init__(self, text: str, role: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        if role:
            self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._last_click = 0.0

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        now = time.monotonic()
        if (now - self._last_click) * 1000 < DOUBLE_TAP_MS:
            self.setDown(False)
            event.accept()
            return
        self._last_click = now
        super().mouseReleaseEvent(event)
