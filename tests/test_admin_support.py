"""Shared by the admin UI tests (no tests here): tapping a widget the way a finger would."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot


def tap(qtbot: QtBot, widget: Any) -> None:
    """Tap ``widget``, scrolled into view first, past the double-tap guard.

    The offscreen test screen is 800×800, and a touch scroll area's QScroller re-sends its
    delayed press to the widget found at that *screen* point; a target inside a scrollable
    area but off that small screen would get nothing, so it is pressed with click() (the
    same signal a finger's tap ends in) after checking that it can be tapped at all.
    """
    area = widget.parent()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parent()
    if area is not None:
        area.ensureWidgetVisible(widget)
    widget._last_click = 0.0
    on_screen = widget.screen().geometry().contains(widget.mapToGlobal(QPoint(8, 8)))
    if area is not None and not on_screen:
        assert widget.isVisible() and widget.isEnabled()
        widget.click()
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))


def admin_screen(window: Any, name: str = "admin") -> Any:
    """An admin screen with its own attributes visible to the type checker (Any)."""
    return window.screens[name]
