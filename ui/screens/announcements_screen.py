"""通知公告: the district's notices and policy news, urgent ones first, each in large type.

The list shows what is published and not expired (the catalogue decides); an urgent notice
is marked 紧急 in words as well as colour. The detail is the whole text in body size, in a
scrolling page, with a QR to keep it on the phone. The notices themselves are content and
stay as published (Chinese); the words around them follow the resident's language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.model import Announcement
from kiosk.app import Services
from kiosk.i18n import N_, tr
from ui.ops import KioskOps
from ui.screens.activity_flow import ActivityDetailScreen, ActivityListScreen
from ui.screens.base import Navigator, Screen, label
from ui.widgets.activity_cards import ItemCard, card_frame
from ui.widgets.activity_text import full_date, shorten

log = logging.getLogger(__name__)

URGENT = N_("【紧急】请留意")


def notice_url(base_url: str, announcement_id: str) -> str:
    return f"{base_url}notice/{announcement_id}"


def byline(a: Announcement) -> str:
    parts = [p for p in (a.source, tr("{date}发布").format(date=full_date(a.published_on)))
             if p]
    if a.expires_on is not None:
        parts.append(tr("有效期至{date}").format(date=full_date(a.expires_on)))
    return " · ".join(parts)


class AnnouncementsScreen(ActivityListScreen):
    name = "announcements"
    title = N_("通知公告")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.notices: list[Announcement] = []
        self.content.addWidget(self.list, 1)

    def on_enter(self, **kwargs: Any) -> None:
        def done(notices: list[Announcement]) -> None:
            self.notices = notices
            self.show_list()

        self.load(self._catalogue.announcements, done, "announcements",
                  N_("通知暂时无法读取，请稍后再试。"))

    def show_list(self) -> None:
        self.list.clear()
        if not self.notices:
            self.list.show_status(tr("现在没有新的通知。"))
            return
        self.list.show_status("")
        for a in self.notices:
            tags = [(tr(URGENT), "ErrorText")] if a.urgent else []
            self.list.add(ItemCard(a.title, tags=tags, lines=[shorten(a.body, 48)],
                                   hints=[byline(a)], button=tr("查看全文"),
                                   on_open=partial(self.open_notice, a.id),
                                   wide=self._wide))

    def open_notice(self, notice_id: str) -> None:
        self.nav.show_screen("announcement_detail", item_id=notice_id)

    def screenshot_states(self) -> Iterator[str]:
        if self.notices:
            self.nav.show_screen("announcement_detail", item_id=self.notices[0].id)
        yield from ()


class AnnouncementDetailScreen(ActivityDetailScreen):
    name = "announcement_detail"
    title = N_("通知公告")
    nothing_text = N_("请先在“通知公告”中选一条通知。")
    gone_text = N_("这条通知已经撤下了。")
    failed_text = N_("通知暂时无法打开，请稍后再试。")
    qr_caption = N_("手机扫码\n保存这条通知")

    @property
    def notice(self) -> Announcement | None:
        notice: Announcement | None = self.current
        return notice

    def read(self, item_id: str) -> Announcement | None:
        notice: Announcement | None = self._catalogue.announcement(item_id)
        return notice

    def present(self, found: Announcement) -> None:
        a = found
        frame, box = card_frame()
        if a.urgent:
            box.addWidget(label(tr(URGENT), "ErrorText"))
        box.addWidget(label(a.title, "Heading"))
        box.addWidget(label(byline(a), "Hint"))
        for paragraph in (p.strip() for p in a.body.split("\n")):
            if paragraph:
                box.addWidget(label(paragraph))
        self.body.list.add(frame)
        self.body.set_qr(notice_url(self._services.config.receipts.qr_base_url, a.id))


def announcement_screens(nav: Navigator, services: Services, ops: KioskOps,
                         catalogue: ActivityCatalogue) -> list[Screen]:
    return [AnnouncementsScreen(nav, services, ops, catalogue),
            AnnouncementDetailScreen(nav, services, ops, catalogue)]
