"""我的申请: the identified resident's submissions and where each one stands."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.activities.submissions import my_activities
from kiosk.app import Services
from kiosk.i18n import N_, tr
from kiosk.my_records import MyRecord, list_my_records
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label
from ui.widgets.discard import clear_layout
from ui.widgets.scroll import touch_scroll_area


class MyApplicationsScreen(Screen):
    name = "my_applications"
    title = N_("我的申请")
    needs_identity = True

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self.loading = False
        self.summary = label("", "Body")
        self.content.addWidget(self.summary)
        self._list = QWidget()
        self._rows = QVBoxLayout(self._list)
        self._rows.setSpacing(20)
        self._rows.addStretch(1)
        self.content.addWidget(touch_scroll_area(self._list), 1)

    def on_enter(self, **kwargs: Any) -> None:
        resident = self._services.session.resident
        self.clear_personal()
        if resident is None:
            return
        self.summary.setText(tr("正在查询…"))
        self.loading = True
        key, db = resident.key, self._services.db

        def work() -> list[MyRecord]:
            records = list_my_records(db, key) + my_activities(db, key)  # + 活动/培训/导师
            return sorted(records, key=lambda r: r.created_at, reverse=True)

        self._ops.run(work).success(self._show)

    def _show(self, records: list[MyRecord]) -> None:
        self.loading = False
        if self._services.session.resident is None:
            return  # the resident left while we were looking
        if not records:
            self.summary.setText(tr("您在本机还没有办理记录。"))
            return
        self.summary.setText(tr("共 {n} 条记录").format(n=len(records)))
        for record in records:
            card = QFrame()
            card.setObjectName("Card")
            box = QVBoxLayout(card)
            box.setContentsMargins(28, 20, 28, 20)
            # kind, status and the kiosk's own titles are Chinese message ids (N_): shown
            # through tr(); data (policy names, job titles, staff notes) passes unchanged
            box.addWidget(label(tr("{kind}：{title}").format(kind=tr(record.kind),
                                                             title=tr(record.title)), "Heading"))
            box.addWidget(label(tr("状态：{status}").format(status=tr(record.status)), "Body"))
            box.addWidget(label(tr("编号 {number} · {time}").format(
                number=record.number, time=f"{record.created_at:%Y-%m-%d %H:%M}"), "Hint"))
            self._rows.insertWidget(self._rows.count() - 1, card)

    def clear_personal(self) -> None:
        self.summary.setText("")
        clear_layout(self._rows, keep=1)
