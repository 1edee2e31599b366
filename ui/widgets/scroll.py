"""Scrolling by finger: kinetic scrolling on any scroll area or list view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QScroller, QWidget


def enable_touch_scroll(area: QAbstractScrollArea) -> None:
    """Drag with one finger (delivered as a left-button press on most kiosk touch screens)."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)


class TouchScrollArea(QScrollArea):
    """A scroll area whose content keeps the height its wrapped text needs.

    QScrollArea sizes a resizable widget from its minimum size hint, which for word-wrapped
    labels is a single line: cards added later get squashed instead of scrolling. Here the
    content's minimum height follows ``heightForWidth`` at the viewport's width whenever the
    viewport or the content's layout changes.
    """

    def __init__(self, inner: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setWidget(inner)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner.installEventFilter(self)
        enable_touch_scroll(self)

    def _fit(self) -> None:
        inner = self.widget()
        layout = inner.layout() if inner is not None else None
        if inner is None or layout is None:
            return
        width = self.viewport().width()
        needed = (layout.heightForWidth(width) if layout.hasHeightForWidth()
                  else layout.sizeHint().height())
        if needed > 0 and inner.minimumHeight() != needed:
            inner.setMinimumHeight(needed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


def touch_scroll_area(inner: QWidget) -> QScrollArea:
    return TouchScrollArea(inner)
