"""The big coloured service tiles of the home screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.buttons import KioskButton


class Tile(KioskButton):
    """A tile: a bold title and one line that says what it is for, on a dark fill."""

    activated = Signal(str)

    def __init__(self, key: str, title: str, subtitle: str, colour: str,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.key = key
        self.setObjectName("Tile")
        self.setStyleSheet(f"#Tile {{ background: {colour}; }}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(8)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("TileTitle")
        self.title_label.setWordWrap(True)
        self.sub_label = QLabel(subtitle)
        self.sub_label.setObjectName("TileSub")
        self.sub_label.setWordWrap(True)
        for label in (self.title_label, self.sub_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.sub_label)
        layout.addStretch(1)
        self.setAccessibleName(title)
        self.clicked.connect(lambda: self.activated.emit(self.key))

    def set_texts(self, title: str, subtitle: str) -> None:
        self.title_label.setText(title)
        self.sub_label.setText(subtitle)
        self.setAccessibleName(title)
