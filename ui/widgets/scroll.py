"""Scrolling by finger: kinetic scrolling on any scroll area or list view."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QScroller, QWidget


def enable_touch_scroll(area: QAbstractScrollArea) -> None:
    """Drag with one finger (delivered as a left-button press on most kiosk touch screens)."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)


def touch_scroll_area(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    enable_touch_scroll(area)
    return area
