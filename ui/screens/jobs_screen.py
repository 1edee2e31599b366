"""找工作: tap a popular search or a few filters, scroll the results, tap a job.

Most residents never type: the popular chips (保洁, 保安, 兼职…) and five filters (街镇, 行业,
类型, 月薪, 发布) cover what they ask the station staff for; 输入关键词 opens the window's
pinyin panel for the rest. Each change searches on the
worker; the list (a lazy model, one painted row per job, never a widget per job) is replaced
when the answer arrives, so the screen never freezes. 离我近 means the resident's own town
when their card address names one, else the station's town.

Coming back from a job's detail keeps the list where it was; 退出 and the idle timeout reset
everything, because what someone searched for is nobody else's business.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QButtonGroup, QVBoxLayout, QWidget

from kiosk.app import Services, today
from kiosk.i18n import N_, tr
from kiosk.jobs.search import CatalogueFeed, JobQuery, JobSummary, popular_chips
from ui.models.job_list_model import JobListModel
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, is_wide, label
from ui.screens.job_detail_screen import JobDetailScreen
from ui.screens.job_map_screen import JobMapScreen
from ui.screens.signup_screen import SignupScreen
from ui.widgets.buttons import KioskButton
from ui.widgets.flow import FlowLayout
from ui.widgets.job_chips import PagedChips
from ui.widgets.job_filters import (
    ANY,
    ANY_TEXT,
    NEAR,
    SORTS,
    ChoiceOverlay,
    FilterSpec,
    filter_specs,
    near_town,
)
from ui.widgets.job_list import JobListView, WorkerJobListModel
from ui.widgets.job_ops import start
from ui.widgets.scroll import TouchScrollArea
from ui.widgets.text_entry import ask_text

log = logging.getLogger(__name__)

PAGE_SIZE = 40
COUNT_ROOM = 888888  # the count label keeps room for 共 888888 个岗位
MAX_KEYWORD = 20  # characters: a job is found by a word or two, not a sentence
FILTER_KEYS = ("town", "industry", "job_type", "salary", "posted")


class JobsScreen(Screen):
    name = "jobs"
    title = N_("找工作")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._generation = 0
        self.loading = False
        self._text = ""
        self._filters: dict[str, str] = dict.fromkeys(FILTER_KEYS, ANY)
        self._near = self._find_near()
        self._specs = {s.key: s for s in filter_specs(self._near)}
        self._shown: JobQuery | None = None
        self._chips = {c.label: c for c in popular_chips()}

        # -- controls: popular searches, filters ---------------------------------------
        # a chip's value is its Chinese word (what is searched for); its text is translated
        self.popular = PagedChips([(c.label, tr(c.label)) for c in popular_chips()],
                                  one_row=True)
        self.popular.changed.connect(self._popular_chosen)
        self.filter_buttons: dict[str, KioskButton] = {}
        filters = QWidget()
        flow = FlowLayout(filters)
        for key in FILTER_KEYS:
            button = KioskButton("")
            button.clicked.connect(lambda _=False, k=key: self.open_filter(k))
            self.filter_buttons[key] = button
            flow.addWidget(button)
            if key == "town":
                self.map_button = KioskButton(tr("在地图上找"))
                self.map_button.clicked.connect(self.open_map)
                flow.addWidget(self.map_button)
        self.keyword_button = KioskButton("")
        self.keyword_button.clicked.connect(self.ask_keyword)
        flow.addWidget(self.keyword_button)
        self.clear_button = KioskButton(tr("清除条件"))
        self.clear_button.clicked.connect(self.clear_filters)
        flow.addWidget(self.clear_button)
        self._controls = QWidget()
        controls = QVBoxLayout(self._controls)
        controls.setContentsMargins(0, 0, 12, 0)
        controls.setSpacing(16)
        controls.addWidget(label(tr("热门岗位，点一下就能找"), "Hint"))
        controls.addWidget(self.popular)
        controls.addSpacing(8)
        controls.addWidget(filters)
        controls.addStretch(1)
        self._controls_area = TouchScrollArea(self._controls)
        self._controls_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # -- results: count and sort, the list -----------------------------------------
        self.count_label = label("", "Body", wrap=False)
        header = QWidget()
        header_flow = FlowLayout(header)
        header_flow.addWidget(self.count_label)
        self._sort_value = "newest"
        self.sort_chips: dict[str, KioskButton] = {}
        group = QButtonGroup(self)  # exclusive: one sort is always on
        for value, text in SORTS:
            chip = KioskButton(tr(text), role="chip")
            chip.setCheckable(True)
            chip.setChecked(value == self._sort_value)
            chip.clicked.connect(lambda _=False, v=value: self.set_sort(v))
            group.addButton(chip)
            header_flow.addWidget(chip)
            self.sort_chips[value] = chip
        self.model = WorkerJobListModel(ops, page_size=PAGE_SIZE, today=today())
        self.model.fetch_failed.connect(self._page_failed)
        self.list = JobListView()
        self.list.setModel(self.model)
        self.list.clicked.connect(self._row_tapped)
        self.empty = label("", "Body")
        self.empty.hide()
        results = QWidget()
        results_box = QVBoxLayout(results)
        results_box.setContentsMargins(0, 0, 0, 0)
        results_box.setSpacing(16)
        results_box.addWidget(header)
        results_box.addWidget(self.empty)
        results_box.addWidget(self.list, 1)

        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._body.setSpacing(24)
        self._body.addWidget(self._controls_area)
        self._body.addWidget(results, 1)
        self.content.addLayout(self._body, 1)
        self.picker = ChoiceOverlay(self)
        self._landscape: bool | None = None
        self._sized = False  # until the window lays us out, go by the configured orientation
        self._configured_landscape = services.config.display.orientation == "landscape"
        self._popular_value = ""
        self._sync_controls()

    # -- entering and leaving ------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``town``: show that town's jobs (from the map); otherwise keep the list as it was,
        searching only when there is none yet or 离我近 now means another town."""
        self.picker.close_picker()
        near = self._find_near()
        if near != self._near:
            self._near = near
            self._specs = {s.key: s for s in filter_specs(near)}
            if not near and (self._filters["town"] == NEAR or self._sort_value == "distance"):
                self._filters["town"] = ANY
                self._sort_value = "newest"
        town = kwargs.get("town")
        if town is not None:
            self._filters["town"] = str(town)
        self._sync_controls()
        if self._query() != self._shown:
            self._search(counted=town is not None)

    def clear_personal(self) -> None:
        self._generation += 1
        self.loading = False
        self.picker.close_picker()
        self._text = ""
        self._filters = dict.fromkeys(FILTER_KEYS, ANY)
        self._shown = None
        self._sort_value = "newest"
        self.model.clear()
        self.count_label.setText("")
        self.empty.hide()
        self.list.show()
        self._sync_controls()

    def _find_near(self) -> str | None:
        resident = self._services.session.resident
        return near_town(resident.card_address if resident else None,
                         self._services.config.station.town)

    # -- what the resident chose ---------------------------------------------------------
    def _query(self) -> JobQuery:
        f = self._filters
        town = self._near if f["town"] == NEAR else (f["town"] or None)
        sort = "newest" if self._sort_value == "distance" and not self._near else self._sort_value
        return JobQuery(
            text=self._text, industry=f["industry"] or None, town=town,
            job_type=f["job_type"] or None,
            salary_floor=int(f["salary"]) if f["salary"] else None,
            posted_within_days=int(f["posted"]) if f["posted"] else None,
            sort=sort, near_town=self._near if sort == "distance" else None)

    def set_sort(self, value: str) -> None:
        if value != self._sort_value:
            self._sort_value = value
            self._changed()
        else:
            self._sync_controls()

    def _popular_chosen(self, value: str) -> None:
        chip = self._chips.get(value)
        if chip is None:  # the lit chip tapped again: drop what it had set
            before = self._chips.get(self._popular_value)
            if before is not None and before.query.job_type:
                self._filters["job_type"] = ANY
            else:
                self._text = ""
        elif chip.query.job_type:
            self._text = ""
            self._filters["job_type"] = chip.query.job_type
        else:
            self._text = chip.query.text
        self._changed()

    def _type_chip(self, job_type: str) -> str | None:
        return next((c.label for c in self._chips.values()
                     if c.query.job_type == job_type and not c.query.text), None)

    def ask_keyword(self) -> None:
        """The one place that asks for typed words: the window's pinyin panel."""
        try:
            request = ask_text(self, tr("请输入要找的工作（例如：保洁、司机、仓库）"), self._text)
        except RuntimeError:  # a window built without the panel: the chips still work
            log.warning("no text entry panel: keyword search unavailable")
            return
        request.accepted.connect(self.set_keyword)

    def set_keyword(self, text: str) -> None:
        self._text = text.strip()[:MAX_KEYWORD]
        self._changed()

    def open_filter(self, key: str) -> None:
        spec = self._specs[key]

        def picked(value: str) -> None:
            self._filters[key] = value
            self._changed()

        extra = (tr("在地图上选"), self.open_map) if key == "town" else None
        self.picker.ask(spec, self._filters[key], picked, extra=extra)

    def set_town(self, town: str) -> None:
        """The map's answer: only that town's jobs (searching starts before the map goes
        back, so the answer is often there when the list shows)."""
        self._filters["town"] = town
        self._changed()

    def clear_filters(self) -> None:
        self._text = ""
        self._filters = dict.fromkeys(FILTER_KEYS, ANY)
        self._changed()

    def open_map(self) -> None:
        query = self._query().replace(town=None)
        if query.sort == "distance":
            query = query.replace(sort="newest", near_town=None)
        self.nav.show_screen("job_map", query=query, town=self._query().town)

    def _changed(self) -> None:
        self._sync_controls()
        self._search(counted=True)

    def _sync_controls(self) -> None:
        """Buttons say what each filter is set to; set ones are filled, and the popular chip
        that matches the search (if any) is lit."""
        for key, button in self.filter_buttons.items():
            spec: FilterSpec = self._specs[key]
            value = self._filters[key]
            text = dict(spec.options).get(value, "")
            if value == NEAR:
                text = tr("离我近")
            button.setText(tr("{name}：{value}").format(name=spec.name,
                                                        value=text or tr(ANY_TEXT)))
            self._set_role(button, "primary" if value else "")
        typed = self._text and self._text not in self._chips
        self.keyword_button.setText(tr("关键词：{text}").format(text=self._text) if typed
                                    else tr("输入关键词"))
        self._set_role(self.keyword_button, "primary" if typed else "")
        chip = self._text if self._text in self._chips else None
        if chip is None and not self._text and self._filters["job_type"]:
            chip = self._type_chip(self._filters["job_type"])
        self.popular.set_value(chip)
        self._popular_value = chip or ""
        self.clear_button.setVisible(bool(self._text or any(self._filters.values())))
        sort = self._query().sort
        for value, button in self.sort_chips.items():
            button.setChecked(value == sort)
        self.sort_chips["distance"].setVisible(bool(self._near))  # near to nothing: no chip
        self._arrange()

    @staticmethod
    def _set_role(button: KioskButton, role: str) -> None:
        """Set filters are filled (their text says what they are set to as well)."""
        if button.property("role") != role:
            button.setProperty("role", role)
            button.style().unpolish(button)
            button.style().polish(button)

    # -- searching -----------------------------------------------------------------------
    def _search(self, *, counted: bool) -> None:
        query = self._query()
        self._shown = query
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.count_label.setText(tr("正在查找…"))
        feed = CatalogueFeed(self._services.db, query, today())
        services = self._services

        # The counter is anonymous: a chip's word may be noted, never what someone typed.
        detail = query.text if query.text in self._chips else ("typed" if query.text else "")

        def work() -> tuple[list[JobSummary], int]:
            first = feed.fetch(0, PAGE_SIZE)
            total = feed.count()
            if counted:
                services.count("search", detail)
            return first, total

        def done(result: tuple[list[JobSummary], int]) -> None:
            if generation != self._generation:
                return  # a newer search (or the resident left) replaced this one
            self.loading = False
            first, total = result
            self.model.show_result(feed, first, total)
            self.list.scrollToTop()
            self.count_label.setText(tr("共 {n} 个岗位").format(n=total))
            self.empty.setVisible(total == 0)
            self.list.setVisible(total > 0)
            if total == 0:
                self.empty.setText(tr("没有找到符合条件的岗位。可以少选几个条件，或点「清除条件」"
                                      "看看全部岗位。"))

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            log.error("job search failed", exc_info=exc)
            self.loading = False
            self._shown = None  # try again next time the screen is shown
            self.count_label.setText(tr("暂时查不到岗位"))
            self.empty.setText(tr("岗位信息暂时无法读取，请稍后再试，或咨询服务站工作人员。"))
            self.empty.show()
            self.list.hide()

        start(self._ops, work, done, failed)

    def _page_failed(self, cause: str) -> None:
        log.warning("more jobs could not be read: %s", cause)
        self.empty.setText(tr("后面的岗位暂时无法读取，请稍后再试。"))
        self.empty.show()

    def step_back(self) -> bool:
        """返回 while a filter picker is open closes the picker."""
        return self.picker.dismiss()

    # -- opening a job -------------------------------------------------------------------
    def _row_tapped(self, index: QModelIndex) -> None:
        job_id = index.data(JobListModel.JobIdRole)
        if job_id:
            self.nav.show_screen("job_detail", job_id=str(job_id))

    # -- layout --------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sized = True
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._arrange)  # 长辈模式: the chips grew

    def _arrange(self) -> None:
        """Landscape: the choices in a column beside the list. Portrait: above it, as tall
        as they need (the list takes the rest)."""
        # Room for the longest count, so the row does not re-flow when the answer comes in.
        metrics = self.count_label.fontMetrics()
        room = tr("共 {n} 个岗位").format(n=COUNT_ROOM)
        self.count_label.setMinimumWidth(metrics.horizontalAdvance(room) + 8)
        landscape = is_wide(self) if self._sized else self._configured_landscape
        area = self._controls_area
        if landscape != self._landscape:
            self._landscape = landscape
            self._body.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                                    else QBoxLayout.Direction.TopToBottom)
            self._body.setStretch(0, 5 if landscape else 0)
            self._body.setStretch(1, 7 if landscape else 1)
        area.hug_content(None if landscape else self.content_width() - 12)  # 12: its margin

    # -- screenshots ---------------------------------------------------------------------
    def screenshot_states(self) -> Iterator[str]:
        """The walk in ui/screenshots.py: results, a filter picker, a filtered list; then it
        leaves the first job open so the detail screen has one to show."""
        yield "results"
        self.open_filter("town")
        yield "picker"
        self.picker.close_picker()
        self._text = "保洁"
        if self._near:
            self._filters["town"] = NEAR
        self.set_sort("salary")  # searches
        yield "filtered"
        job = self.model.job_at(0)
        if job is not None:
            self.nav.show_screen("job_detail", job_id=job.id)


def job_screens(nav: Navigator, services: Services, ops: KioskOps, receipts: ReceiptFlow
                ) -> list[Screen]:
    """找工作 and the screens it leads to: the map, a job's detail, 报名."""
    jobs = JobsScreen(nav, services, ops)
    return [jobs, JobMapScreen(nav, services, ops, on_town=jobs.set_town),
            JobDetailScreen(nav, services, ops, receipts),
            SignupScreen(nav, services, ops, receipts)]
