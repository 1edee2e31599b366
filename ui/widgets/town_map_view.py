"""Xiqing's towns on the schematic map with a count on each, and the words that go with it.

在地图上找工作 and 在地图上找活动 show the same page: a status line (共 N 个…), a hint on
what the numbers mean, the map, and the note that it is schematic. Portrait puts the words
above the map; landscape puts them in a column at its left, so the map has the whole
height for its labels.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label
from ui.widgets.xiqing_map import JOBS_UNIT, SCHEMATIC_NOTE, XiqingMap

TEXT_COLUMN = 460  # landscape: the width of the words beside the map


class TownMapView(QWidget):
    """``hint``: what the numbers mean (in the resident's language); ``unit``: the words of
    a town's count (a Chinese msgid with ``{n}``, as :class:`XiqingMap` takes it);
    ``landscape``: the layout to start in (:meth:`arrange` when the screen turns)."""

    def __init__(self, hint: str, *, unit: str = JOBS_UNIT, landscape: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = label("", "Heading", wrap=False)  # short (共 N 个岗位): never re-flows
        self.hint = label(hint, "Body")
        self.map = XiqingMap(unit=unit)
        self.note = label(tr(SCHEMATIC_NOTE), "Hint")
        self._texts = QWidget()
        texts = QVBoxLayout(self._texts)
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(16)
        for widget in (self.status, self.hint, self.note):
            texts.addWidget(widget)
        texts.addStretch(1)
        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.setSpacing(24)
        self._body.addWidget(self._texts)
        self._body.addWidget(self.map, 1)
        self._landscape: bool | None = None
        self.arrange(landscape)

    def arrange(self, landscape: bool) -> None:
        if landscape == self._landscape:
            return
        self._landscape = landscape
        self._body.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                                else QBoxLayout.Direction.TopToBottom)
        self._texts.setMaximumWidth(TEXT_COLUMN if landscape else 16_777_215)
        self._texts.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
                                  if landscape else QSizePolicy.Policy.Maximum)
