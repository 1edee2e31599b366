"""Admin mode entry screen (the full station dashboard comes with the admin issue).

It proves the way in and out works: staff see the version and the factory-PIN warning, can
place a demo card on the simulated reader, and leave admin mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import __version__
from ui.screens.base import Navigator, Screen, label
from ui.widgets.buttons import KioskButton


class AdminScreen(Screen):
    name = "admin"
    title = "站点管理"
    exit_requested = Signal()

    def __init__(self, nav: Navigator, *, station: str, factory_pin: Callable[[], bool],
                 demo_cards: list[tuple[str, Callable[[], None]]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._factory_pin = factory_pin
        self.info = label(f"{station}\n软件版本 {__version__}", "Body")
        self.warning = label("", "ErrorText")
        self.content.addWidget(self.info)
        self.content.addWidget(self.warning)
        self.demo_box = QVBoxLayout()
        self.demo_box.setSpacing(16)
        self.content.addLayout(self.demo_box)
        self.demo_buttons: list[KioskButton] = []
        self.set_demo_cards(demo_cards or [])
        self.content.addStretch(1)
        self.exit_button = KioskButton("退出管理模式", role="primary")
        self.exit_button.clicked.connect(self.exit_requested)
        self.content.addWidget(self.exit_button)

    def set_demo_cards(self, cards: list[tuple[str, Callable[[], None]]]) -> None:
        """Buttons that put a demo card on the simulated reader (demo kiosks only)."""
        for button in self.demo_buttons:
            button.deleteLater()
        self.demo_buttons.clear()
        if not cards:
            return
        if not self.demo_box.count():
            self.demo_box.addWidget(label("演示：把一张演示身份证放到模拟读卡器上", "Heading"))
        for title, place in cards:
            button = KioskButton(title)
            button.clicked.connect(lambda _=False, p=place: p())
            self.demo_box.addWidget(button)
            self.demo_buttons.append(button)

    def on_enter(self, **kwargs: Any) -> None:
        self.warning.setText("仍在使用出厂密码，请尽快修改（kiosk admin set-pin）"
                             if self._factory_pin() else "")
