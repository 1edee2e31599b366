"""Taking widgets off a screen for good.

A removed widget moves at once into a hidden bin under its window (so nothing of a wiped
session stays in the screen's widget tree) and Qt deletes it at the next turn of the event
loop. The tempting ``setParent(None)`` instead makes the widget a hidden top-level window owned
by its Python wrapper: if that wrapper is then dropped by Python's cycle collector on a worker
thread, the QWidget is destroyed off the GUI thread, and until the deferred delete runs every
application restyle (长辈模式) re-polishes it as a window of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QWidget

BIN_NAME = "discarded"


def discard(widget: QWidget) -> None:
    """Off the screen now, deleted by Qt at the next turn of the event loop (not at once: the
    widget may be the one whose signal is being handled)."""
    top = widget.window()
    if top is not widget:
        bin_ = top.findChild(QWidget, BIN_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
        if bin_ is None:
            bin_ = QWidget(top)
            bin_.setObjectName(BIN_NAME)
            bin_.hide()
        widget.setParent(bin_)  # hidden with it; still owned by Qt
    widget.hide()
    widget.deleteLater()


def clear_layout(layout: QLayout, keep: int = 0) -> None:
    """Remove all but the last ``keep`` items; their widgets (and nested layouts' widgets)
    leave the screen at once."""
    while layout.count() > keep:
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            discard(widget)
        elif (inner := item.layout()) is not None:
            clear_layout(inner)
