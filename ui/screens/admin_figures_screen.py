"""数据统计: what the station did today, this week and this month, and 导出到U盘.

Figures come from kiosk.figures (counted on the worker thread); charts are QPainter bar
charts with the numbers written on them. The export writes one CSV (UTF-8 with BOM, which
Excel needs for Chinese) to a USB drive that staff pick from the drives found mounted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.callbacks import RECOMMEND_DAYS
from kiosk.config import KioskConfig
from kiosk.figures import (
    EVENT_KINDS,
    PERIOD_LABELS,
    PERIODS,
    REMOVABLE_ROOTS,
    Figures,
    compute_figures,
    export_figures,
    removable_mounts,
)
from kiosk.ratings import SCORES
from kiosk.store.engine import Database
from ui.ops import KioskOps
from ui.screens.admin_widgets import AdminPage, button_row, card
from ui.screens.base import Navigator, label
from ui.widgets.buttons import KioskButton
from ui.widgets.charts import BarChart, TrendChart
from ui.widgets.chips import ChipGroup
from ui.widgets.discard import clear_layout
from ui.widgets.flow import FlowLayout
from ui.widgets.scroll import touch_scroll_area
from ui.widgets.xiqing_map import XiqingMap

#: the seekers' map needs room for its callouts: a full card in portrait, half the panel
#: width in landscape (by orientation: False, True)
SEEKER_MAP_PX = {False: 720, True: 560}


class AdminFiguresScreen(AdminPage):
    name = "admin_figures"
    title = "数据统计"

    def __init__(self, nav: Navigator, db: Database, config: KioskConfig, ops: KioskOps, *,
                 export_roots: Sequence[Path] = REMOVABLE_ROOTS, landscape: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, ops, parent)
        self._db = db
        self._config = config
        self._export_roots = tuple(export_roots)
        self.figures: Figures | None = None
        self.period = ChipGroup([(p, PERIOD_LABELS[p]) for p in PERIODS], exclusive=True,
                                allow_none=False)
        self.period.set_selected(["today"])
        self.period.changed.connect(self.reload)
        self.content.addWidget(self.period)
        inner = QWidget()
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 16, 0)
        body.setSpacing(20)
        self.range_label = label("", "Hint")
        self.totals = BarChart()
        self.trend_title = label("到访人次", "Heading")
        self.trend = TrendChart()
        self.callbacks_text = label("", "Body")
        self.satisfaction = BarChart()
        self.satisfaction_text = label("", "Body")
        self.policies = BarChart()
        # where job seekers registered (the town they live in), on the residents' map
        self.seeker_map = XiqingMap({}, unit="人")
        self.seeker_map.setMinimumHeight(SEEKER_MAP_PX[landscape])
        self.seeker_map_text = label("", "Hint")
        self.policies_empty = label("还没有政策申请", "Hint")
        # 导出到U盘
        self.export_button = KioskButton("导出到U盘", role="primary")
        self.export_button.clicked.connect(self.find_drives)
        self.export_status = label("把统计表（CSV，Excel 可打开）存到U盘。", "Hint")
        drives = QWidget()
        self._drives = FlowLayout(drives)
        cards = [
            card(label("服务量", "Heading"), self.totals),
            card(self.trend_title, self.trend),
            card(label("求职登记分布（按居住街镇）", "Heading"), self.seeker_map_text,
                 self.seeker_map),
            card(label("呼叫—指派", "Heading"), self.callbacks_text),
            card(label("满意度（匿名评价）", "Heading"), self.satisfaction,
                 self.satisfaction_text),
            card(label("政策申请（按政策）", "Heading"), self.policies, self.policies_empty),
            card(label("导出", "Heading"), self.export_status, drives,
                 button_row(self.export_button)),
        ]
        body.addWidget(self.range_label)
        grid = QGridLayout()  # two columns side by side on a landscape panel
        grid.setSpacing(20)
        columns = 2 if landscape else 1
        for i, part in enumerate(cards):
            grid.addWidget(part, i // columns, i % columns, Qt.AlignmentFlag.AlignTop)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        body.addLayout(grid)
        body.addStretch(1)
        self.content.addWidget(touch_scroll_area(inner), 1)

    def on_enter(self, **kwargs: Any) -> None:
        clear_layout(self._drives)
        self.reload()

    def reload(self) -> None:
        period = self.period.value() or "today"
        db = self._db
        self.range_label.setText("正在统计…")
        self.run(lambda: compute_figures(db, period), self.show_figures)

    def show_figures(self, f: Figures) -> None:
        self.figures = f
        span = f"{f.first_day}" if f.first_day == f.last_day else f"{f.first_day} 至 {f.last_day}"
        self.range_label.setText(f"{f.label}：{span}")
        self.totals.set_data([
            *((text, f.events.get(kind, 0)) for kind, text in EVENT_KINDS.items()),
            ("岗位报名", f.signups), ("求职登记", f.registrations),
            ("其中想创业", f.startup_registrations), ("政策申请", f.applications),
            ("呼叫红娘", f.callbacks)])
        self.seeker_map.set_counts(dict(f.registrations_by_town))
        self.seeker_map_text.setText(
            f"{f.label}共 {f.registrations} 人登记；地图上是各街镇登记的人数。" if f.registrations
            else f"{f.label}还没有求职登记。")
        by_hour = f.period == "today"
        self.trend_title.setText("到访人次（按小时）" if by_hour else "到访人次（按天）")
        self.trend.set_line(f.period == "month")
        self.trend.set_data([((f"{i}时" if by_hour else f"{day.month}/{day.day}"), n)
                             for i, (day, n) in enumerate(f.daily_visits)])
        if f.callbacks:
            self.callbacks_text.setText(
                f"共 {f.callbacks} 条呼叫；当天联系 {f.callbacks_contacted_same_day} 条"
                f"（{_percent(f.callbacks_contacted_same_day, f.callbacks)}）；"
                f"{RECOMMEND_DAYS} 日内推荐岗位 {f.callbacks_recommended_in_time} 条"
                f"（{_percent(f.callbacks_recommended_in_time, f.callbacks)}）")
        else:
            self.callbacks_text.setText("这段时间没有呼叫红娘的请求")
        self.satisfaction.set_data([(SCORES[s], f.ratings.get(s, 0))
                                    for s in sorted(SCORES, reverse=True)])
        self.satisfaction_text.setText(
            f"共 {f.rated} 人评价，满意率 {f.satisfied_percent}%" if f.rated else "还没有人评价")
        self.policies.set_data(list(f.applications_by_policy))
        self.policies.setVisible(bool(f.applications_by_policy))
        self.policies_empty.setVisible(not f.applications_by_policy)

    # -- export ----------------------------------------------------------------------------
    def find_drives(self) -> None:
        self.export_status.setText("正在查找U盘…")
        roots = self._export_roots
        self.run(lambda: removable_mounts(roots), self._offer_drives)

    def _offer_drives(self, drives: list[Path]) -> None:
        clear_layout(self._drives)
        if not drives:
            self.export_status.setText("没有找到U盘。请插入U盘，等几秒后再点「导出到U盘」。")
            return
        if len(drives) == 1:
            self.export_to(drives[0])
            return
        self.export_status.setText("找到多个U盘，请选择要存到哪一个：")
        for drive in drives:
            button = KioskButton(drive.name, role="chip")
            button.clicked.connect(lambda _=False, d=drive: self.export_to(d))
            self._drives.addWidget(button)

    def export_to(self, folder: Path) -> None:
        clear_layout(self._drives)
        self.export_status.setText(f"正在导出到 {folder.name}…")
        db, station = self._db, self._config.station
        self.run(lambda: export_figures(db, folder, station.code, station.name),
                 lambda path: self.export_status.setText(
                     f"已导出：{path.name}\n（U盘 {folder.name}，可以拔下U盘了）"),
                 lambda exc: self.export_status.setText(
                     f"没有导出成功：U盘可能已拔出或写保护。（{exc}）"))

    def screenshot_states(self) -> Iterator[str]:
        for period in ("week", "month"):
            self.period.set_selected([period])
            yield period
        self.period.set_selected(["today"])


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"
