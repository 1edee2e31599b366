"""地图找工作: Xiqing's towns on a schematic map, each with its number of open jobs.

The numbers follow what the resident has chosen on 找工作 (保洁 jobs per town, say), so the
map answers "where is there work of my kind". One tap on a town shows that town's jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.app import Services, today
from kiosk.i18n import N_, tr
from kiosk.jobs.search import JobQuery, popular_chips, town_counts
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, is_wide
from ui.widgets.job_ops import start
from ui.widgets.town_map_view import TownMapView

log = logging.getLogger(__name__)

class JobMapScreen(Screen):
    name = "job_map"
    title = N_("在地图上找工作")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 on_town: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._on_town = on_town
        self._generation = 0
        self.loading = False
        self.query = JobQuery()
        self.view = TownMapView(tr("点一下您想去的街镇，就能看到那里的岗位。"),
                                landscape=services.config.display.orientation == "landscape")
        self.content.addWidget(self.view, 1)
        self.status, self.hint, self.map, self.note = (
            self.view.status, self.view.hint, self.view.map, self.view.note)
        self.map.town_tapped.connect(self._tapped)

    def on_enter(self, **kwargs: Any) -> None:
        """``query``: the search whose jobs are counted per town; ``town``: the town chosen
        now (marked on the map)."""
        query = kwargs.get("query")
        self.query = query if isinstance(query, JobQuery) else JobQuery()
        self.map.set_selected(kwargs.get("town") or None)
        self.map.set_counts(None)
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.status.setText(tr("正在统计…"))
        if self.query.text:  # a popular chip's word is shown as its chip says it
            chip = self.query.text in {c.label for c in popular_chips()}
            self.hint.setText(tr("数字是各街镇“{text}”岗位的数量。点一下您想去的街镇，"
                                 "就能看到那里的岗位。").format(
                text=tr(self.query.text) if chip else self.query.text))
        else:
            self.hint.setText(tr("数字是各街镇岗位的数量。点一下您想去的街镇，"
                                 "就能看到那里的岗位。"))
        db, query_now, day = self._services.db, self.query, today()

        def work() -> dict[str, int]:
            with db.read() as session:
                return town_counts(session, query_now, day)

        def done(counts: dict[str, int]) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.map.set_counts(counts)
            self.status.setText(tr("共 {n} 个岗位").format(n=sum(counts.values())))

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            log.error("town counts failed", exc_info=exc)
            self.loading = False
            self.status.setText(tr("岗位数暂时统计不出来"))

        start(self._ops, work, done, failed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.view.arrange(is_wide(self))

    def _tapped(self, town: str) -> None:
        self._on_town(town)
        self.nav.back()

    def clear_personal(self) -> None:
        self._generation += 1
        self.loading = False
        self.query = JobQuery()
        self.map.set_selected(None)
        self.map.set_counts(None)

    def screenshot_states(self) -> Iterator[str]:
        yield "counts"
