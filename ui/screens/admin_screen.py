"""Admin mode's dashboard: is the station working, and what fixes it.

One traffic light per device or service (kiosk.station_status), each with its cause in plain
words and the one action that fixes it; the callback queue's count with its overdue ones;
the ways to the other admin screens; and the way out. The version and the factory-PIN
warning stay here, where staff land after the PIN pad.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.station_status import StationHealth
from kiosk.version import build_info
from ui.ops import KioskOps
from ui.screens.admin_widgets import AdminPage
from ui.screens.base import Navigator, label
from ui.widgets.buttons import KioskButton
from ui.widgets.scroll import touch_scroll_area
from ui.widgets.traffic_light import TrafficLight

PAGES = (("admin_callbacks", "呼叫—指派"), ("admin_figures", "数据统计"),
         ("admin_settings", "站点设置"), ("admin_maintenance", "设备维护"))


class AdminScreen(AdminPage):
    name = "admin"
    title = "站点管理"
    exit_requested = Signal()
    #: a traffic light's fixing action was tapped (its key, see kiosk.station_status)
    action_requested = Signal(str)
    refresh_requested = Signal()

    def __init__(self, nav: Navigator, ops: KioskOps, *, station: str,
                 factory_pin: Callable[[], bool],
                 callbacks_summary: Callable[[], tuple[int, int]] | None = None,
                 demo_cards: list[tuple[str, Callable[[], None]]] | None = None,
                 landscape: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(nav, ops, parent)
        self._factory_pin = factory_pin
        self._callbacks_summary = callbacks_summary
        self.demo_cards: list[tuple[str, Callable[[], None]]] = []
        inner = QWidget()
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 16, 0)
        body.setSpacing(20)
        # version + build date + commit: what the district asks when a kiosk misbehaves
        self.info = label(f"{station} · 软件版本 {build_info().label()}", "Hint")
        self.warning = label("", "ErrorText")
        self.warning.hide()
        body.addWidget(self.info)
        body.addWidget(self.warning)
        self.checked = label("正在检查设备…", "Hint")
        body.addWidget(self.checked)
        grid = QGridLayout()
        grid.setSpacing(16)
        self.lights: dict[str, TrafficLight] = {}
        columns = 2 if landscape else 1
        for i, key in enumerate(("reader", "printer", "network", "queue", "disk", "clock")):
            light = TrafficLight()
            light.action_requested.connect(self.action_requested)
            grid.addWidget(light, i // columns, i % columns)
            self.lights[key] = light
            light.hide()
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        body.addLayout(grid)
        self.callbacks_line = label("", "Body")
        body.addWidget(self.callbacks_line)
        body.addStretch(1)
        self.content.addWidget(touch_scroll_area(inner), 1)
        buttons = QGridLayout()
        buttons.setSpacing(16)
        self.page_buttons: dict[str, KioskButton] = {}
        per_row = 5 if landscape else 3
        for i, (page, text) in enumerate(PAGES):
            button = KioskButton(text)
            button.clicked.connect(lambda _=False, p=page: self.nav.show_screen(p))
            buttons.addWidget(button, i // per_row, i % per_row)
            self.page_buttons[page] = button
        self.exit_button = KioskButton("退出管理模式", role="primary")
        self.exit_button.clicked.connect(self.exit_requested)
        n = len(PAGES)
        buttons.addWidget(self.exit_button, n // per_row, n % per_row, 1, per_row - n % per_row)
        self.content.addLayout(buttons)
        self.set_demo_cards(demo_cards or [])

    def set_demo_cards(self, cards: list[tuple[str, Callable[[], None]]]) -> None:
        """Actions that put a demo card on the simulated reader (shown under 设备维护)."""
        self.demo_cards = list(cards)

    def on_enter(self, **kwargs: Any) -> None:
        factory = self._factory_pin()
        self.warning.setText("仍在使用出厂密码 123456，请在「站点设置」里修改管理密码"
                             if factory else "")
        self.warning.setVisible(factory)
        self.refresh_requested.emit()
        if self._callbacks_summary is not None:
            self.run(self._callbacks_summary, self._show_callbacks)

    def set_health(self, health: StationHealth) -> None:
        for item in health.items:
            light = self.lights[item.key]
            light.set_item(item)
            light.show()
        local = health.checked_at.astimezone()
        self.checked.setText(f"设备状态（{local:%H:%M:%S} 检查）")

    def _show_callbacks(self, summary: tuple[int, int]) -> None:
        waiting, overdue = summary
        self.callbacks_line.setObjectName("ErrorText" if overdue else "Body")
        self.callbacks_line.style().unpolish(self.callbacks_line)
        self.callbacks_line.style().polish(self.callbacks_line)
        text = f"呼叫—指派：{waiting} 条等待处理" if waiting else "呼叫—指派：没有等待处理的请求"
        if overdue:
            text += f"，其中 ▲ {overdue} 条超时"
        self.callbacks_line.setText(text)

    def all_text(self) -> str:
        return " ".join([self.warning.text(), *(light.text() for light in self.lights.values()),
                         self.callbacks_line.text()])
