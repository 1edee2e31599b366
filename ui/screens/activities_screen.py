"""招聘活动 · 培训 · 创业: the hub of what the station offers beyond jobs and subsidies.

Five big tiles — 招聘会活动, 直播带岗, 技能培训, 创业服务, 通知公告 — each saying how much there
is (本月 12 场 · 今天 2 场), so a resident sees at a glance where something is on. The home
screen reaches it through its 招聘活动 · 培训 · 创业 button and its attract loop.

:func:`activity_screens` is the one entry the composition root calls: it builds every screen
of the activities journey on one shared :class:`~kiosk.activities.catalogue.ActivityCatalogue`
and connects the home screen's attract loop to it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.app import Services, today
from kiosk.i18n import N_, tr
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.activity_flow import ActivityScreen
from ui.screens.announcements_screen import announcement_screens
from ui.screens.base import Navigator, Screen, is_wide, label
from ui.screens.entrepreneur_screen import entrepreneur_screens
from ui.screens.events_screen import event_screens
from ui.screens.live_screen import live_screens
from ui.screens.training_screen import training_screens
from ui.theme.tokens import TILE_COLOURS
from ui.widgets.tile import Tile

log = logging.getLogger(__name__)

#: (screen, title, what it is for) — the subtitle is replaced by the counts once known;
#: Chinese, shown through tr
HUB_TILES = (
    ("events", N_("招聘会活动"), N_("招聘会 · 春风行动 · 校园招聘")),
    ("live", N_("直播带岗"), N_("每个工作日 · 手机扫码看直播")),
    ("training", N_("技能培训"), N_("马兰花创业培训 · 职业技能培训")),
    ("entrepreneur", N_("创业服务"), N_("创业项目 · 创业导师")),
    ("announcements", N_("通知公告"), N_("区里的通知和政策新闻")),
)


@dataclass(frozen=True)
class HubCounts:
    events_all: int
    events_today: int
    live_today: int
    live_week: int
    courses: int
    open_courses: int
    projects: int
    mentors: int
    announcements: int
    urgent: int


def hub_counts(catalogue: ActivityCatalogue) -> HubCounts:
    """Worker thread: how much each tile leads to."""
    day = catalogue.today()
    events = catalogue.events()
    courses = catalogue.courses()
    notices = catalogue.announcements()
    return HubCounts(
        events_all=len(events),
        events_today=sum(1 for e in events if e.starts_at.date() <= day <= e.ends_at.date()),
        live_today=len(catalogue.live_today()),
        live_week=len(catalogue.live_upcoming()),
        courses=len(courses),
        open_courses=sum(1 for c in courses if catalogue.seats_left(c) > 0),
        projects=len(catalogue.projects()),
        mentors=len(catalogue.mentors()),
        announcements=len(notices),
        urgent=sum(1 for a in notices if a.urgent),
    )


def hub_subtitles(c: HubCounts) -> dict[str, str]:
    """Each tile's counts, in the resident's language."""
    events = tr("近期 {n} 场 · 今天 {today} 场") if c.events_today else tr("近期 {n} 场")
    live = tr("今天 {n} 场 · 手机扫码看") if c.live_today else tr("近7天 {n} 场 · 手机扫码看")
    notices = tr("{n} 条 · {urgent} 条紧急") if c.urgent else tr("{n} 条")
    return {
        "events": events.format(n=c.events_all, today=c.events_today),
        "live": live.format(n=c.live_today or c.live_week),
        "training": tr("{n} 个课程 · {open} 个可报名").format(n=c.courses, open=c.open_courses),
        "entrepreneur": tr("{projects} 个项目 · {mentors} 位导师").format(
            projects=c.projects, mentors=c.mentors),
        "announcements": notices.format(n=c.announcements, urgent=c.urgent),
    }


class ActivitiesScreen(ActivityScreen):
    name = "activities"
    title = N_("招聘活动 · 培训 · 创业")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.intro = label(tr("点一下您想看的内容。不用身份证也可以看；报名时再放身份证。"),
                           "Hint")
        self.content.addWidget(self.intro)
        self._grid = QGridLayout()
        self._grid.setSpacing(24)
        self.tiles: dict[str, Tile] = {}
        for i, (key, title, sub) in enumerate(HUB_TILES):
            tile = Tile(key, tr(title), tr(sub), TILE_COLOURS[i % len(TILE_COLOURS)])
            tile.activated.connect(self.nav.show_screen)
            self.tiles[key] = tile
        self.content.addLayout(self._grid, 1)
        self._columns = 0
        self._place(3 if services.config.display.orientation == "landscape" else 2)

    def _place(self, columns: int) -> None:
        """Portrait: two columns, 通知公告 across the foot. Landscape: three and two."""
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self._grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles.values()):
            last = i == len(self.tiles) - 1
            span = columns - (len(self.tiles) - 1) % columns if last else 1
            self._grid.addWidget(tile, i // columns, i % columns, 1, span)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(3 if is_wide(self) else 2)

    def on_enter(self, **kwargs: Any) -> None:
        """The counts afresh; the tiles keep what they said until they arrive (or for good,
        when they cannot be counted)."""
        catalogue = self._catalogue

        def done(counts: HubCounts) -> None:
            for key, text in hub_subtitles(counts).items():
                self.tiles[key].sub_label.setText(text)

        self.fetch(lambda: hub_counts(catalogue), done, lambda _exc: None, "hub counts")

    def screenshot_states(self) -> Iterator[str]:
        yield from ()


def activity_screens(window: Any, services: Services, ops: KioskOps, receipts: ReceiptFlow
                     ) -> list[Screen]:
    """Every screen of the activities journey, and the home screen's attract loop wired to
    the same catalogue; the composition root adds the screens to the window."""
    catalogue = ActivityCatalogue(services.db, today)
    home = getattr(window, "home_screen", None)
    if home is not None and hasattr(home, "attract"):
        home.attract.set_opener(lambda target, item_id: window.show_screen(target,
                                                                           item_id=item_id))
        # the catalogue's clock, not the wall clock: KIOSK_TODAY moves both the same way
        home.attract.set_source(ops, lambda _now: catalogue.attract_items(catalogue.now()))
    return [ActivitiesScreen(window, services, ops, catalogue),
            *event_screens(window, services, ops, receipts, catalogue),
            *live_screens(window, services, ops, catalogue),
            *training_screens(window, services, ops, receipts, catalogue),
            *entrepreneur_screens(window, services, ops, receipts, catalogue),
            *announcement_screens(window, services, ops, catalogue)]
