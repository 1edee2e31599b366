"""地图找工作: Xiqing's towns on a schematic map, each with its number of open jobs.

The numbers follow what the resident has chosen on 找工作 (保洁 jobs per town, say), so the
map answers "where is there work of my kind". One tap on a town shows that town's jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.app import Services, today
from kiosk.i18n import N_, tr
from kiosk.jobs.search import JobQuery, popular_chips, town_counts
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label
from ui.widgets.job_ops import start
from ui.widgets.xiqing_map import SCHEMATIC_NOTE, XiqingMap

log = logging.getLogger(__name__)

TEXT_COLUMN = 460  # landscape: the width of the words beside the map


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
        self.status = label("", "Heading", wrap=False)  # short (共 N 个岗位): never re-flows
        self.hint = label(tr("点一下您想去的街镇，就能看到那里的岗位。"), "Body")
        self.map = XiqingMap()
        self.map.town_tapped.connect(self._tapped)
        self.note = label(tr(SCHEMATIC_NOTE), "Hint")
        # Portrait: the words above the map. Landscape: in a column at its left, so the map
        # has the whole height for its labels.
        self._texts = QWidget()
        texts = QVBoxLayout(self._texts)
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(16)
        for widget in (self.status, self.hint, self.note):
            texts.addWidget(widget)
        texts.addStretch(1)
        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._body.setSpacing(24)
        self._body.addWidget(self._texts)
        self._body.addWidget(self.map, 1)
        self.content.addLayout(self._body, 1)
        self._landscape: bool | None = None
        self._arrange(services.config.display.orientation == "landscape")

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
        self._arrange(self.width() > self.height() * 1.2)

    def _arrange(self, landscape: bool) -> None:
        if landscape == self._landscape:
            return
        self._landscape = landscape
        self._body.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                                else QBoxLayout.Direction.TopToBottom)
        self._texts.setMaximumWidth(TEXT_COLUMN if landscape else 16_777_215)
        self._texts.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
                                  if landscape else QSizePolicy.Policy.Maximum)

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
