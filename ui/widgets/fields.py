"""Label / value rows, the way confirmations and details show what will be sent."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from ui.screens.base import label


def fields_grid(rows: Sequence[tuple[str, str]], pairs_per_row: int = 1, *,
                spacing: int = 12) -> QWidget:
    """Names in one column, values wrapping beside them; on a wide screen ``pairs_per_row``
    puts several pairs side by side (filled row by row)."""
    widget = QWidget()
    grid = QGridLayout(widget)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(spacing)
    for i, (name, value) in enumerate(rows):
        row, column = divmod(i, pairs_per_row)
        grid.addWidget(label(name, "Hint", wrap=False), row, column * 2,
                       Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label(value), row, column * 2 + 1)
    for column in range(pairs_per_row):
        grid.setColumnStretch(column * 2 + 1, 1)
    return widget
