"""直播带岗: 西青人社's live-stream hiring, today and the coming week, watched on the phone.

The kiosk does not play the stream (no sound in a service hall, no waiting at the screen):
each session's page shows a large QR that opens the stream on the resident's phone, and the
jobs the session features, each one tap from its 岗位详情 (where 报名 is). The attract loop
opens a session directly (``item_id``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.model import LiveSession
from kiosk.app import Services
from kiosk.i18n import N_, tr
from kiosk.jobs.search import JobSummary
from ui.ops import KioskOps
from ui.screens.activity_flow import ActivityDetailScreen, ActivityListScreen
from ui.screens.base import Navigator, Screen, label
from ui.widgets.activity_cards import ItemCard, employer_jobs_card, fields_card, text_card
from ui.widgets.activity_text import clock, day_text, shorten, time_range

log = logging.getLogger(__name__)


def on_air(session: LiveSession, now: datetime) -> bool:
    return session.starts_at <= now < session.ends_at


def employers_text(session: LiveSession) -> str:
    return tr("、").join(session.employers)


class LiveScreen(ActivityListScreen):
    """The list; with ``item_id`` (from the attract loop) it opens that session at once."""

    name = "live"
    title = N_("直播带岗")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.sessions: list[LiveSession] = []
        self._today: list[LiveSession] = []
        self._now = datetime.min
        self.intro = label(tr("西青人社每个工作日直播招聘。点“看直播”，用手机扫码就能观看，"
                              "直播里的岗位也可以在本机报名。"), "Hint")
        self.content.addWidget(self.intro)
        self.content.addWidget(self.list, 1)

    def on_enter(self, **kwargs: Any) -> None:
        item_id = str(kwargs.get("item_id") or "")
        if item_id:  # the attract loop: straight to the session (返回 comes to the list)
            self.nav.show_screen("live_detail", item_id=item_id)
        catalogue = self._catalogue

        def work() -> tuple[list[LiveSession], list[LiveSession], datetime]:
            return catalogue.live_today(), catalogue.live_upcoming(), catalogue.now()

        def done(result: tuple[list[LiveSession], list[LiveSession], datetime]) -> None:
            today, upcoming, self._now = result
            self._today = today
            self.sessions = today + upcoming
            self.show_list()

        self.load(work, done, "live sessions", N_("直播信息暂时无法读取，请稍后再试。"))

    def show_list(self) -> None:
        self.list.clear()
        if not self.sessions:
            self.list.show_status(tr("近期没有直播安排，请过几天再来看看。"))
            return
        now = self._now
        self.list.show_status("")
        self.list.add_heading(tr("今天的直播") if self._today else tr("今天没有直播了"))
        heading = None
        for session in self.sessions:
            day = session.starts_at.date()
            if day != now.date() and day != heading:
                heading = day
                self.list.add_heading(day_text(day, now.date()))
            self.list.add(self._card(session, now))

    def _card(self, session: LiveSession, now: datetime) -> ItemCard:
        tags = [(tr("正在直播"), "OkText")] if on_air(session, now) else []
        when = tr("{start}—{end} · 主持：{host}").format(
            start=clock(session.starts_at), end=clock(session.ends_at), host=session.host)
        hints = [shorten(tr("参加单位：{names}").format(names=employers_text(session)), 60)] \
            if session.employers else []
        return ItemCard(session.title, tags=tags, lines=[when], hints=hints,
                        button=tr("看直播"), on_open=partial(self.open_session, session.id),
                        wide=self._wide)

    def open_session(self, session_id: str) -> None:
        self.nav.show_screen("live_detail", item_id=session_id)

    def screenshot_states(self) -> Iterator[str]:
        """Opens the first session for the detail screen, the walk's next stop."""
        if self.sessions:
            self.nav.show_screen("live_detail", item_id=self.sessions[0].id)
        yield from ()


class LiveDetailScreen(ActivityDetailScreen):
    name = "live_detail"
    title = N_("直播带岗")
    nothing_text = N_("请先在“直播带岗”中选一场直播。")
    gone_text = N_("这场直播已经结束了，请看看其他场次。")
    failed_text = N_("直播信息暂时无法打开，请稍后再试。")
    qr_caption = N_("手机扫码\n观看直播")

    @property
    def session(self) -> LiveSession | None:
        return self.current[0] if self.current else None

    def read(self, item_id: str) -> tuple[LiveSession, list[JobSummary], datetime] | None:
        catalogue = self._catalogue
        session, now = catalogue.live(item_id), catalogue.now()
        if session is None or session.ends_at <= now:
            return None
        return session, catalogue.jobs_for(session.job_ids), now

    def present(self, found: tuple[LiveSession, list[JobSummary], datetime]) -> None:
        session, jobs, now = found
        rows = self.body.list
        tag = tr("正在直播，扫码马上就能看") if on_air(session, now) else \
            tr("{time} 开播，到时扫码观看").format(time=clock(session.starts_at))
        rows.add(text_card(session.title, tag=tag))
        info = [(tr("时间"), time_range(session.starts_at, session.ends_at, now.date())),
                (tr("主持"), session.host)]
        if session.employers:
            info.append((tr("参加单位"), employers_text(session)))
        rows.add(fields_card(tr("直播信息"), info))
        if jobs:
            rows.add_heading(tr("直播中的岗位（{n}个）").format(n=len(jobs)))
            rows.add(label(tr("点岗位看详情，可以在本机报名。"), "Hint"))
            by_employer: dict[str, list[JobSummary]] = {}
            for job in jobs:
                by_employer.setdefault(job.employer_name, []).append(job)
            for employer, featured in by_employer.items():  # each employer's jobs together
                rows.add(employer_jobs_card(employer, featured[0].town_label, featured,
                                            self.open_job, role="Body"))
        self.body.set_qr(session.stream_url)

    def open_job(self, job_id: str) -> None:
        self.nav.show_screen("job_detail", job_id=job_id)

    def screenshot_states(self) -> Iterator[str]:
        if self.session is None:
            return
        self.body.list.to_end()
        yield "jobs"
        self.body.list.area.verticalScrollBar().setValue(0)


def live_screens(nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue) -> list[Screen]:
    return [LiveScreen(nav, services, ops, catalogue),
            LiveDetailScreen(nav, services, ops, catalogue)]
