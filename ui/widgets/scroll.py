"""Scrolling by finger: kinetic scrolling on any scroll area or list view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QBoxLayout, QScrollArea, QScroller, QWidget

from ui.widgets.discard import clear_layout


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

    def hug_content(self, width: int | None) -> None:
        """Exactly as tall as the content needs at ``width`` (choices above a list that takes
        the rest of the height); None: as tall as the layout around it makes it."""
        if width is None:
            self.setMinimumHeight(0)
            self.setMaximumHeight(16_777_215)
            return
        inner = self.widget()
        layout = inner.layout() if inner is not None else None
        height = layout.totalHeightForWidth(max(1, width)) if layout is not None else 0
        self.setFixedHeight(max(1, height))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


def touch_scroll_area(inner: QWidget) -> QScrollArea:
    return TouchScrollArea(inner)


class ScrollColumn(TouchScrollArea):
    """Rows that scroll: cards, headings and notes top to bottom, ending in a stretch so a
    short page keeps them at the top.

    ``bar_room`` keeps the rows clear of the scroll bar; ``direction`` lets a wide screen
    put the rows side by side (a confirmation's two cards). :meth:`add` puts a row before
    the stretch; :meth:`clear` takes them all off the screen at once.
    """

    def __init__(self, *, spacing: int = 20, bar_room: int = 12,
                 direction: QBoxLayout.Direction = QBoxLayout.Direction.TopToBottom) -> None:
        inner = QWidget()
        rows = QBoxLayout(direction, inner)
        rows.setContentsMargins(0, 0, bar_room, 0)
        rows.setSpacing(spacing)
        rows.addStretch(1)
        super().__init__(inner)
        self.rows = rows

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        self.rows.insertWidget(self.rows.count() - 1, widget, stretch)

    def clear(self) -> None:
        clear_layout(self.rows, keep=1)
