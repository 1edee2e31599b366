"""A calm placeholder for a service this kiosk build does not offer yet."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.i18n import tr
from ui.screens.base import Navigator, Screen, label


class PendingScreen(Screen):
    """Tells the resident where to get the service instead (the station desk).

    ``title`` may be the Chinese message id or already translated; ``station_hint`` comes
    translated (it holds the station's name and address)."""

    def __init__(self, nav: Navigator, name: str, title: str, station_hint: str,
                 parent: QWidget | None = None) -> None:
        self.name = name
        self.title = title
        super().__init__(nav, parent)
        self.content.addWidget(label(tr("本机暂未开通此项自助服务。"), "Heading"))
        self.content.addWidget(label(tr("请到服务台咨询工作人员，或点「呼叫就业红娘」留下电话。")
                                     + f"\n{station_hint}", "Body"))
        self.content.addStretch(1)

    def on_enter(self, **kwargs: Any) -> None:
        pass
