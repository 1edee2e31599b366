"""招聘会活动: this month's job fairs by day, kind and place; one fair in full; 我要参加.

The list is the district's events that have not ended (past ones disappear by themselves),
grouped by day. A strip of days with their number of events (今天 · 明天 · 12月3日 周三 · 2场…)
answers "what is on when"; 类型 and 街镇 open a picker of at most six chips a page, and 在地图上找
shows the events per town on the map from 找工作. The detail names the organiser and the
employers taking part with their jobs, each one tap from its 岗位详情; 我要参加 registers the
resident (card, phone, confirmation, slip with a reminder QR).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.model import EVENT_KINDS, Event, Submitted
from kiosk.activities.slips import event_slip
from kiosk.activities.submissions import register_event
from kiosk.app import Services
from kiosk.i18n import N_, tr
from kiosk.jobs.search import JobSummary
from kiosk.jobs.towns import load_towns, resolve_town, town_label
from kiosk.session import Resident
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.activity_flow import ActivityDetailScreen, ActivityFlowScreen, ActivityScreen
from ui.screens.base import Navigator, Screen, is_wide, label
from ui.widgets.activity_cards import (
    CardList,
    ItemCard,
    employer_jobs_card,
    fields_card,
    mark_chosen,
    text_card,
)
from ui.widgets.activity_text import day_text, short_day, time_range, vocab
from ui.widgets.buttons import KioskButton
from ui.widgets.chip_grid import PagedChips
from ui.widgets.flow import FlowLayout
from ui.widgets.job_filters import ANY, ANY_TEXT, ChoiceOverlay, FilterSpec
from ui.widgets.scroll import TouchScrollArea
from ui.widgets.town_map_view import TownMapView

log = logging.getLogger(__name__)

ALL_DAYS = "all"
FRESH_S = 60.0  # a list younger than this is kept when coming back to it
CONTROLS_WIDTH = 760  # landscape: the column of choices beside the list
EVENTS_UNIT = N_("{n}场活动")  # a town's count on the map
EVENT_CONSENT = N_("点“确认报名”后，您的姓名、身份证号和手机号码将提交给活动主办单位和西青区"
                    "就业服务机构，仅用于这次活动的签到和通知。")


def event_url(base_url: str, event_id: str) -> str:
    """What an event's QR opens on the phone (configurable base, like the jobs' QR)."""
    return f"{base_url}event/{event_id}"


def kind_spec() -> FilterSpec:
    return FilterSpec("kind", tr("类型"), ((ANY, tr(ANY_TEXT)),
                                          *((k, tr(k)) for k in EVENT_KINDS)), tr("选择活动类型"))


def town_spec() -> FilterSpec:
    return FilterSpec("town", tr("街镇"), ((ANY, tr(ANY_TEXT)),
                                          *((t.code, t.name) for t in load_towns())),
                      tr("选择街镇"))


def day_options(events: Sequence[Event], today: date) -> list[tuple[str, str]]:
    """全部日期, then each day with events and how many (an event over days counts on each)."""
    counts: dict[date, int] = {}
    for event in events:
        d = max(event.starts_at.date(), today)
        while d <= event.ends_at.date():
            counts[d] = counts.get(d, 0) + 1
            d = date.fromordinal(d.toordinal() + 1)
    return [(ALL_DAYS, tr("全部日期"))] + [
        (d.isoformat(), tr("{day} · {n}场").format(day=short_day(d, today), n=n))
        for d, n in sorted(counts.items())]


DAY_COLUMNS = 2
DAY_PAGE = 4  # two rows of two: a day's chip (11月30日 · 2场) fits half the column in 长辈模式


def on_day(event: Event, day: date) -> bool:
    return event.starts_at.date() <= day <= event.ends_at.date()


class EventsScreen(ActivityScreen):
    name = "events"
    title = N_("招聘会活动")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.kind = ANY
        self.town = ANY
        self.day = ALL_DAYS
        self.events: list[Event] = []
        self._loaded_for: tuple[str, str] | None = None
        self._loaded_at = -FRESH_S

        self.days = PagedChips([(ALL_DAYS, tr("全部日期"))], exclusive=True,
                               columns=DAY_COLUMNS, page_size=DAY_PAGE)
        self.days.set_selected([ALL_DAYS])
        self.days.changed.connect(self._day_chosen)
        self.kind_button = KioskButton("")
        self.kind_button.clicked.connect(lambda: self._open_filter(kind_spec()))
        self.town_button = KioskButton("")
        self.town_button.clicked.connect(lambda: self._open_filter(town_spec()))
        self.map_button = KioskButton(tr("在地图上找"))
        self.map_button.clicked.connect(self.open_map)
        self.clear_button = KioskButton(tr("清除条件"))
        self.clear_button.clicked.connect(self.clear_filters)
        filters = QWidget()
        flow = FlowLayout(filters)
        for button in (self.kind_button, self.town_button, self.map_button):
            flow.addWidget(button)
        self.count_label = label("", "Body")
        self._controls = QWidget()
        controls = QVBoxLayout(self._controls)
        controls.setContentsMargins(0, 0, 12, 0)
        controls.setSpacing(16)
        days_head = QHBoxLayout()  # the days' pager beside the words: one row less
        days_head.setSpacing(16)
        days_head.addWidget(label(tr("按日期看"), "Hint"), 1)
        days_head.addWidget(self.days.take_pager())
        controls.addLayout(days_head)
        controls.addWidget(self.days)
        controls.addSpacing(8)
        controls.addWidget(filters)
        count_row = QHBoxLayout()
        count_row.setSpacing(16)
        count_row.addWidget(self.count_label, 1)
        count_row.addWidget(self.clear_button)
        controls.addLayout(count_row)
        controls.addStretch(1)
        self._controls_area = TouchScrollArea(self._controls)
        self._controls_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list = CardList()
        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._body.setSpacing(24)
        self._body.addWidget(self._controls_area)
        self._body.addWidget(self.list, 1)
        self.content.addLayout(self._body, 1)
        self.picker = ChoiceOverlay(self)
        self._landscape: bool | None = None
        self._sized = False
        self._configured_landscape = services.config.display.orientation == "landscape"
        self._sync_controls()

    # -- entering --------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``town``: show that town's events (from the map); otherwise the list as it was,
        fetched afresh (an event may have ended meanwhile)."""
        self.picker.close_picker()
        town = kwargs.get("town")
        if town is not None:
            self.town = str(town)
        fresh = time.monotonic() - self._loaded_at < FRESH_S
        if town is None and fresh and self._loaded_for == (self.kind, self.town):
            return  # back from an event: the list as it was, scrolled where it was
        self._load()

    def _load(self) -> None:
        self.list.show_status(tr("正在查找…"))
        kind, town = self.kind or None, self.town or None
        catalogue = self._catalogue

        def done(events: list[Event]) -> None:
            self.events = events
            self._loaded_for = (self.kind, self.town)
            self._loaded_at = time.monotonic()
            self._show()

        def failed(_exc: BaseException) -> None:
            self.list.clear()
            self.list.show_status(tr("活动信息暂时无法读取，请稍后再试，或咨询服务站工作人员。"),
                                  "ErrorText")

        self.fetch(lambda: catalogue.events(kind=kind, town=town), done, failed, "events")

    def _show(self) -> None:
        today = self._catalogue.today()
        options = day_options(self.events, today)
        if self.day not in dict(options):
            self.day = ALL_DAYS
        self.days.blockSignals(True)
        if self.days.options != options:
            self.days.set_options(options)
        self.days.set_selected([self.day])
        self.days.chip(self.day)  # its page
        self.days.blockSignals(False)
        self._sync_controls()
        shown = self.shown_events()
        self.list.clear()
        self.count_label.setText(tr("共 {n} 场活动").format(n=len(shown)))
        if not shown:
            self.list.show_status(tr("没有找到符合条件的活动。可以少选几个条件，或点“清除条件”"
                                     "看看全部活动。"))
            return
        self.list.show_status("")
        wide = bool(self._landscape)
        heading = None
        for event in shown:
            first = max(event.starts_at.date(), today)
            if self.day == ALL_DAYS and first != heading:
                heading = first
                self.list.add_heading(day_text(first, today))
            self.list.add(self._card(event, today, wide))

    def _card(self, event: Event, today: date, wide: bool) -> ItemCard:
        employers = len(event.employers)
        hints = [tr("{employers}家单位参加 · 约{positions}个岗位").format(
            employers=employers, positions=event.positions)] if employers else []
        code = None if event.online_url else resolve_town(event.town)
        place = tr("{place}（{town}）").format(place=event.place, town=town_label(code)) \
            if code else event.place
        return ItemCard(event.title, tags=[(vocab(event.kind), "OkText")],
                        lines=[time_range(event.starts_at, event.ends_at, today), place],
                        hints=hints, on_open=partial(self.open_event, event.id), wide=wide)

    def shown_events(self) -> list[Event]:
        if self.day == ALL_DAYS:
            return list(self.events)
        day = date.fromisoformat(self.day)
        return [e for e in self.events if on_day(e, day)]

    # -- choosing --------------------------------------------------------------------------
    def _day_chosen(self) -> None:
        self.day = self.days.value() or ALL_DAYS
        self._show()

    def _open_filter(self, spec: FilterSpec) -> None:
        current = self.kind if spec.key == "kind" else self.town

        def picked(value: str) -> None:
            if spec.key == "kind":
                self.kind = value
            else:
                self.town = value
            self._sync_controls()
            self._load()

        extra = (tr("在地图上选"), self.open_map) if spec.key == "town" else None
        self.picker.ask(spec, current, picked, extra=extra)

    def set_town(self, town: str) -> None:
        """The map's answer (the list is fetched when the screen shows again)."""
        self.town = town
        self._sync_controls()

    def clear_filters(self) -> None:
        self.kind = self.town = ANY
        self.day = ALL_DAYS
        self._sync_controls()
        self._load()

    def open_map(self) -> None:
        self.nav.show_screen("events_map", kind=self.kind, town=self.town)

    def open_event(self, event_id: str) -> None:
        self.nav.show_screen("event_detail", item_id=event_id)

    def _sync_controls(self) -> None:
        self.kind_button.setText(tr("类型：{value}").format(value=tr(self.kind or ANY_TEXT)))
        self.town_button.setText(tr("街镇：{value}").format(
            value=town_label(self.town) if self.town else tr(ANY_TEXT)))
        mark_chosen(self.kind_button, bool(self.kind))
        mark_chosen(self.town_button, bool(self.town))
        self.clear_button.setVisible(bool(self.kind or self.town or self.day != ALL_DAYS))
        self._arrange()

    def step_back(self) -> bool:
        return self.picker.dismiss()

    def clear_personal(self) -> None:
        """What someone looked for is nobody else's business."""
        super().clear_personal()
        self.picker.close_picker()
        self.kind = self.town = ANY
        self.day = ALL_DAYS
        self.events = []
        self._loaded_for = None
        self.list.clear()
        self.count_label.setText("")
        self._sync_controls()

    # -- layout ----------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sized = True
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._arrange)

    def _arrange(self) -> None:
        """Landscape: the choices in a column beside the list. Portrait: above it, as tall
        as they need."""
        landscape = is_wide(self) if self._sized else self._configured_landscape
        area = self._controls_area
        if landscape != self._landscape:
            self._landscape = landscape
            self._body.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                                    else QBoxLayout.Direction.TopToBottom)
            self._body.setStretch(0, 0)
            self._body.setStretch(1, 1)
            area.setMinimumWidth(CONTROLS_WIDTH if landscape else 0)
            area.setMaximumWidth(CONTROLS_WIDTH if landscape else 16_777_215)
            if self.events:
                self._show()
        area.hug_content(None if landscape else self.content_width() - 12)  # 12: its margin

    # -- screenshots -----------------------------------------------------------------------
    def screenshot_states(self) -> Iterator[str]:
        """The list, a picker, one day; then it opens the first event for the detail."""
        yield "list"
        self._open_filter(kind_spec())
        yield "picker"
        self.picker.close_picker()
        days = [v for v, _ in day_options(self.events, self._catalogue.today())
                if v != ALL_DAYS]
        if days:
            self.days.set_selected([days[0]])
            yield "day"
        first = self.shown_events()[0].id if self.shown_events() else ""
        self.days.set_selected([ALL_DAYS])
        if first:
            self.open_event(first)


class EventsMapScreen(ActivityScreen):
    """在地图上找活动: the events per town; one tap shows that town's events."""

    name = "events_map"
    title = N_("在地图上找活动")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, on_town: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self._on_town = on_town
        self.kind = ""
        self.view = TownMapView(
            tr("数字是各街镇的活动场数。点一下您想去的街镇，就能看到那里的活动。"),
            unit=EVENTS_UNIT, landscape=services.config.display.orientation == "landscape")
        self.content.addWidget(self.view, 1)
        self.status, self.hint, self.map, self.note = (
            self.view.status, self.view.hint, self.view.map, self.view.note)
        self.map.town_tapped.connect(self._tapped)

    def on_enter(self, **kwargs: Any) -> None:
        """``kind``: count only that kind of event; ``town``: the town chosen now."""
        self.kind = str(kwargs.get("kind") or "")
        self.map.set_selected(str(kwargs.get("town") or "") or None)
        self.map.set_counts(None)
        self.status.setText(tr("正在统计…"))
        kind, catalogue = self.kind or None, self._catalogue

        def work() -> dict[str, int]:
            counts = {t.code: 0 for t in load_towns()}
            for event in catalogue.events(kind=kind):
                code = resolve_town(event.town)
                if code in counts:
                    counts[code] += 1
            return counts

        def done(counts: dict[str, int]) -> None:
            self.map.set_counts(counts)
            self.status.setText(tr("共 {n} 场活动").format(n=sum(counts.values())))

        def failed(_exc: BaseException) -> None:
            self.status.setText(tr("活动数暂时统计不出来"))

        self.fetch(work, done, failed, "event counts")

    def _tapped(self, town: str) -> None:
        self._on_town(town)
        self.nav.back()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.view.arrange(is_wide(self))

    def clear_personal(self) -> None:
        super().clear_personal()
        self.map.set_selected(None)
        self.map.set_counts(None)


class EventDetailScreen(ActivityDetailScreen):
    name = "event_detail"
    title = N_("活动详情")
    nothing_text = N_("请先在“招聘会活动”中点一场活动。")
    gone_text = N_("这场活动已经结束或取消了，请看看其他活动。")
    failed_text = N_("活动信息暂时无法打开，请稍后再试，或咨询服务站工作人员。")
    qr_caption = N_("手机扫码\n保存活动信息")

    join_button: KioskButton

    def make_buttons(self) -> list[KioskButton]:
        self.join_button = KioskButton(tr("我要参加"), role="primary")
        self.join_button.clicked.connect(self._join)
        return [self.join_button]

    @property
    def shown_event(self) -> Event | None:
        return self.current[0] if self.current else None

    def read(self, item_id: str) -> tuple[Event, dict[str, JobSummary]] | None:
        catalogue = self._catalogue
        event = catalogue.event(item_id)
        if event is None or event.ends_at <= catalogue.now():
            return None
        return event, {j.id: j for j in catalogue.jobs_for(event.job_ids)}

    def present(self, found: tuple[Event, dict[str, JobSummary]]) -> None:
        event, jobs = found
        today = self._catalogue.today()
        rows = self.body.list
        when = time_range(event.starts_at, event.ends_at, today)
        rows.add(text_card(event.title, tag=f"{vocab(event.kind)} · {when}"))
        where = [(tr("时间"), when), (tr("地点"), event.place)]
        if event.address:
            where.append((tr("地址"), event.address))
        code = resolve_town(event.town)
        if code:
            where.append((tr("所在街镇"), town_label(code)))
        where.append((tr("主办单位"), event.organiser))
        if event.online_url:
            where.append((tr("线上参加"), tr("扫右侧二维码，在手机上参加")))
        rows.add(fields_card(tr("时间地点"), where))
        if event.description:
            rows.add(text_card(tr("活动介绍"), event.description))
        if event.employers:
            rows.add_heading(tr("参加单位（{n}家，约{positions}个岗位）").format(
                n=len(event.employers), positions=event.positions))
        for employer in event.employers:
            # the industry is a jobs vocabulary word (kiosk.jobs.vocab), when it is one
            detail = tr("{industry} · 招聘约{n}人").format(industry=vocab(employer.industry),
                                                       n=employer.positions)
            rows.add(employer_jobs_card(employer.name, detail,
                                        [jobs[j] for j in employer.job_ids if j in jobs],
                                        self.open_job))
        if event.online_url:
            self.body.set_qr(event.online_url, tr("手机扫码\n线上参加"))
        else:
            self.body.set_qr(event_url(self._services.config.receipts.qr_base_url, event.id),
                             tr(self.qr_caption))

    def open_job(self, job_id: str) -> None:
        self.nav.show_screen("job_detail", job_id=job_id)

    def _join(self) -> None:
        if self.shown_event is not None:
            self.nav.show_screen("event_signup", item_id=self.shown_event.id)

    def screenshot_states(self) -> Iterator[str]:
        """The foot of the page (the employers); it hands 我要参加 the event on screen."""
        if self.shown_event is None:
            return
        self.body.list.to_end()
        yield "employers"
        self.body.list.area.verticalScrollBar().setValue(0)
        self._join()


class EventSignupScreen(ActivityFlowScreen):
    name = "event_signup"
    title = N_("我要参加")
    detail_screen = "event_detail"
    print_kind = "event_registration"
    submit_text = N_("确认报名")
    lead_text = N_("参加")

    def load(self, item_id: str) -> Event | None:
        event: Event | None = self._catalogue.event(item_id)
        return event

    def can_start(self, item: Any) -> bool:
        return bool(item.ends_at > self._catalogue.now())

    def refusal(self, item: Any) -> tuple[str, str]:
        return tr("这场活动已经结束了"), tr("请看看其他活动。")

    def nothing_text(self) -> str:
        return tr("请先在“招聘会活动”中选一场活动")

    def phone_reason(self) -> str:
        return tr("用于活动前提醒您时间地点，只用于这次报名。")

    def summary_heading(self) -> str:
        return tr("报名参加")

    def item_rows(self, item: Any) -> Sequence[tuple[str, str]]:
        event: Event = item
        return [(tr("活动"), event.title),
                (tr("时间"), time_range(event.starts_at, event.ends_at, self._catalogue.today())),
                (tr("地点"), event.place), (tr("主办单位"), event.organiser)]

    def consent_text(self) -> str:
        return tr(EVENT_CONSENT)

    def submit(self, resident: Resident, phone: str, item: Any, choices: dict[str, str]
               ) -> Submitted:
        return register_event(self._services.db, resident, item, phone,
                              self._services.config.station.code, now=self._catalogue.now())

    def slip(self, submitted: Submitted, resident: Resident, item: Any, phone: str,
             choices: dict[str, str]) -> Any:
        return event_slip(submitted, resident, item, self._services.station, phone=phone)

    def done_texts(self, submitted: Submitted, item: Any) -> tuple[str, str]:
        event: Event = item
        return (tr("报名成功"),
                tr("您已报名参加“{event}”。\n请于{time}到{place}参加，带上身份证和回执。"
                   "回执上的二维码可以在手机上保存活动信息。").format(
                       event=event.title, place=event.place,
                       time=time_range(event.starts_at, event.ends_at,
                                       self._catalogue.today())))


def event_screens(nav: Navigator, services: Services, ops: KioskOps, receipts: ReceiptFlow,
                  catalogue: ActivityCatalogue) -> list[Screen]:
    events = EventsScreen(nav, services, ops, catalogue)
    return [events,
            EventsMapScreen(nav, services, ops, catalogue, on_town=events.set_town),
            EventDetailScreen(nav, services, ops, catalogue),
            EventSignupScreen(nav, services, ops, receipts, catalogue)]
