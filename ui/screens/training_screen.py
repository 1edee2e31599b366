"""技能培训: courses (马兰花 创业培训, 职业技能培训) with dates, place, seats and who may join.

For an identified resident the course page also shows the training subsidy decision — the
eligibility engine's answer for the course's policy, on the same card the policy screens use
(为什么 / 一键申报 lead into that journey). A full course offers the waiting list instead of
refusing: the resident is called when a seat frees up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.model import COURSE_KINDS, Course, Submitted
from kiosk.activities.slips import course_slip
from kiosk.activities.submissions import signup_course
from kiosk.app import Services
from kiosk.eligibility import Decision
from kiosk.eligibility.apply import CLOSED_STATUSES, list_applications
from kiosk.eligibility.engine import evaluate_policy, make_context
from kiosk.i18n import N_, tr
from kiosk.jobs.towns import resolve_town, town_label
from kiosk.session import Resident
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.activity_flow import (
    ActivityDetailScreen,
    ActivityFlowScreen,
    ActivityListScreen,
)
from ui.screens.base import Navigator, Screen, label
from ui.widgets.activity_cards import ItemCard, card_frame, fields_card, text_card
from ui.widgets.activity_text import date_range, seats_text, vocab
from ui.widgets.buttons import KioskButton
from ui.widgets.chips import ChipGroup
from ui.widgets.policy_card import PolicyCard

log = logging.getLogger(__name__)

ALL = "all"
COURSE_CONSENT = N_("点“{submit}”后，您的姓名、身份证号和手机号码将提交给培训机构和西青区"
                     "就业服务机构，用于报名、开课通知和培训补贴审核。")


def course_url(base_url: str, course_id: str) -> str:
    return f"{base_url}course/{course_id}"


def course_heading(course: Course) -> str:
    return f"【{course.brand}】{course.title}" if course.brand and course.brand not in \
        course.title else course.title


def place_text(course: Course) -> str:
    code = resolve_town(course.town) if course.town else None
    return tr("{place}（{town}）").format(place=course.place, town=town_label(code)) if code \
        else course.place


def kind_and_seats(offer: CourseOffer) -> str:
    """创业培训 · 还剩 5 个名额（共 30 个）: the tag of a course's card."""
    return f"{vocab(offer.course.kind)} · {seats_text(offer.seats_left, offer.course.seats)}"


@dataclass(frozen=True)
class CourseOffer:
    """A course as the kiosk sees it now: with the seats left counting local sign-ups."""

    course: Course
    seats_left: int

    @property
    def title(self) -> str:
        return self.course.title

    @property
    def full(self) -> bool:
        return self.seats_left <= 0


@dataclass(frozen=True)
class Subsidy:
    """The training subsidy decision for the resident at the kiosk (worker result)."""

    decision: Decision
    open_number: str | None


def subsidy_for(services: Services, resident: Resident, policy_id: str, on: date
                ) -> Subsidy | None:
    """Worker thread: decide the course's policy for ``resident`` with the facts known now
    (card, 人社 records, their own answers) — the engine the policy screens use."""
    pack = services.policies.current
    policy = next((p for p in pack.policies if p.id == policy_id), None)
    if policy is None:
        return None
    facts, sources = services.session.all_facts()
    decision = evaluate_policy(policy, make_context(pack, facts, sources, on), pack.version)
    number = next((a.number for a in list_applications(services.db, resident.key)
                   if a.policy_id == policy_id and a.status not in CLOSED_STATUSES), None)
    return Subsidy(decision, number)


class TrainingScreen(ActivityListScreen):
    name = "training"
    title = N_("技能培训")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.offers: list[CourseOffer] = []
        self.kinds = ChipGroup([(ALL, tr("全部课程")), *((k, tr(k)) for k in COURSE_KINDS)],
                               exclusive=True, allow_none=False)
        self.kinds.set_selected([ALL])
        self.kinds.changed.connect(self._load)
        self.content.addWidget(self.kinds)
        self.content.addWidget(self.list, 1)

    def on_enter(self, **kwargs: Any) -> None:
        self._load()

    def _load(self) -> None:
        kind = self.kinds.value()
        catalogue = self._catalogue

        def work() -> list[CourseOffer]:
            courses = catalogue.courses(kind=None if kind in (None, ALL) else kind)
            return [CourseOffer(c, catalogue.seats_left(c)) for c in courses]

        def done(offers: list[CourseOffer]) -> None:
            self.offers = offers
            self.show_list()

        self.load(work, done, "courses", N_("课程信息暂时无法读取，请稍后再试。"))

    def show_list(self) -> None:
        offers = self.offers
        self.list.clear()
        if not offers:
            self.list.show_status(tr("近期没有这类课程，请过些天再来看看，或咨询服务站工作人员。"))
            return
        self.list.show_status(tr("共 {n} 个课程").format(n=len(offers)))
        for offer in offers:
            course = offer.course
            self.list.add(ItemCard(
                course_heading(course),
                tags=[(kind_and_seats(offer), "ErrorText" if offer.full else "OkText")],
                lines=[f"{date_range(course.starts_on, course.ends_on)} · {course.schedule}",
                       place_text(course)],
                hints=[tr("谁可以参加：{who}").format(who=course.who_may_join),
                       tr("费用：{fee}").format(fee=course.fee)],
                on_open=partial(self.open_course, course.id),
                wide=self._wide))

    def open_course(self, course_id: str) -> None:
        self.nav.show_screen("course_detail", item_id=course_id)

    def clear_personal(self) -> None:
        super().clear_personal()
        self.kinds.set_selected([ALL])

    def screenshot_states(self) -> Iterator[str]:
        """The first full course (the waiting list) is the one the detail shows."""
        if not self.offers:
            return
        full = next((o for o in self.offers if o.full), self.offers[0])
        self.nav.show_screen("course_detail", item_id=full.course.id)
        yield from ()


class CourseDetailScreen(ActivityDetailScreen):
    """A course; for an identified resident also the training subsidy decided for them."""

    name = "course_detail"
    title = N_("课程详情")
    nothing_text = N_("请先在“技能培训”中选一个课程。")
    gone_text = N_("这个课程已经结束或取消了，请看看其他课程。")
    failed_text = N_("课程信息暂时无法打开，请稍后再试。")
    qr_caption = N_("手机扫码\n保存课程信息")
    reload_on_enter = True  # seats change, and the resident may have read their card since
    for_resident = True  # the subsidy decision is about the person at the kiosk

    signup_button: KioskButton

    def make_buttons(self) -> list[KioskButton]:
        self.signup_button = KioskButton(tr("我要报名"), role="primary")
        self.signup_button.clicked.connect(self._sign_up)
        return [self.signup_button]

    @property
    def offer(self) -> CourseOffer | None:
        return self.current[0] if self.current else None

    @property
    def subsidy(self) -> Subsidy | None:
        return self.current[1] if self.current else None

    def read(self, item_id: str) -> tuple[CourseOffer, Subsidy | None] | None:
        services, catalogue = self._services, self._catalogue
        resident = services.session.resident
        course = catalogue.course(item_id)
        if course is None or course.ends_on < catalogue.today():
            return None
        subsidy = (subsidy_for(services, resident, course.policy_id, catalogue.today())
                   if resident is not None and course.policy_id else None)
        return CourseOffer(course, catalogue.seats_left(course)), subsidy

    def present(self, found: tuple[CourseOffer, Subsidy | None]) -> None:
        offer, subsidy = found
        course = offer.course
        rows = self.body.list
        rows.add(text_card(course_heading(course), tag=kind_and_seats(offer),
                           tag_role="ErrorText" if offer.full else "OkText"))
        rows.add(fields_card(tr("课程安排"), [
            (tr("日期"), date_range(course.starts_on, course.ends_on)),
            (tr("上课时间"), course.schedule), (tr("地点"), place_text(course)),
            (tr("名额"), tr("{seats}人，还剩{left}个").format(seats=course.seats,
                                                         left=max(0, offer.seats_left))),
            (tr("费用"), course.fee)]))
        rows.add(text_card(tr("谁可以参加"), course.who_may_join))
        if course.description:
            rows.add(text_card(tr("课程介绍"), course.description))
        if course.policy_id:
            self._add_subsidy(course, subsidy)
        self.body.set_qr(course_url(self._services.config.receipts.qr_base_url, course.id))
        self.signup_button.setText(tr("加入候补名单") if offer.full else tr("我要报名"))

    def _add_subsidy(self, course: Course, subsidy: Subsidy | None) -> None:
        rows = self.body.list
        rows.add_heading(tr("培训补贴"))
        if subsidy is None:
            policy = next((p for p in self._services.policies.current.policies
                           if p.id == course.policy_id), None)
            name = policy.name if policy else tr("培训补贴")
            frame, box = card_frame()
            box.addWidget(label(tr("参加这个课程可以申请“{name}”。").format(name=name)))
            box.addWidget(label(tr("读身份证后，本机会为您核对能不能享受。"), "Hint"))
            rows.add(frame)
            return
        rows.add(PolicyCard(subsidy.decision,
                            on_why=lambda p: self.nav.show_screen("policy_detail", policy=p),
                            on_apply=lambda p: self.nav.show_screen("apply", policy=p),
                            open_number=subsidy.open_number))

    def _sign_up(self) -> None:
        if self.offer is not None:
            self.nav.show_screen("course_signup", item_id=self.offer.course.id)

    def screenshot_states(self) -> Iterator[str]:
        if self.offer is None:
            return
        self.body.list.to_end()
        yield "subsidy"
        self.body.list.area.verticalScrollBar().setValue(0)
        self._sign_up()


class CourseSignupScreen(ActivityFlowScreen):
    name = "course_signup"
    title = N_("培训报名")
    detail_screen = "course_detail"
    print_kind = "course_signup"
    submit_text = N_("确认报名")

    def load(self, item_id: str) -> CourseOffer | None:
        course = self._catalogue.course(item_id)
        if course is None:
            return None
        return CourseOffer(course, self._catalogue.seats_left(course))

    def can_start(self, item: Any) -> bool:
        offer: CourseOffer = item
        self.submit_text = N_("确认加入候补") if offer.full else N_("确认报名")
        self.lead_text = N_("候补") if offer.full else N_("报名")
        return offer.course.ends_on >= self._catalogue.today()

    def refusal(self, item: Any) -> tuple[str, str]:
        return tr("这个课程已经结束了"), tr("请看看其他课程。")

    def nothing_text(self) -> str:
        return tr("请先在“技能培训”中选一个课程")

    def phone_reason(self) -> str:
        return tr("用于通知您开课时间（候补的有空位时通知您），只用于这次报名。")

    def summary_heading(self) -> str:
        offer: CourseOffer | None = self.item
        return tr("加入候补名单") if offer is not None and offer.full else tr("报名课程")

    def item_rows(self, item: Any) -> Sequence[tuple[str, str]]:
        offer: CourseOffer = item
        course = offer.course
        rows = [(tr("课程"), course_heading(course)),
                (tr("日期"), date_range(course.starts_on, course.ends_on)),
                (tr("地点"), course.place), (tr("费用"), course.fee)]
        if offer.full:
            rows.append((tr("名额"), tr("已满，您将排在候补名单上，有空位时电话通知您")))
        return rows

    def consent_text(self) -> str:
        return tr(COURSE_CONSENT).format(submit=tr(self.submit_text))

    def submit(self, resident: Resident, phone: str, item: Any, choices: dict[str, str]
               ) -> Submitted:
        offer: CourseOffer = item
        # seats are counted again at the moment of the sign-up: one may have gone meanwhile
        seats = self._catalogue.seats_left(offer.course)
        return signup_course(self._services.db, resident, offer.course, phone,
                             self._services.config.station.code, seats,
                             today=self._catalogue.today())

    def slip(self, submitted: Submitted, resident: Resident, item: Any, phone: str,
             choices: dict[str, str]) -> Any:
        offer: CourseOffer = item
        return course_slip(submitted, resident, offer.course, self._services.station,
                           phone=phone)

    def done_texts(self, submitted: Submitted, item: Any) -> tuple[str, str]:
        offer: CourseOffer = item
        if submitted.waitlisted:
            return (tr("已加入候补名单"),
                    tr("“{course}”的名额已满，您已排在候补名单上。有人退出时，工作人员会按顺序"
                       "电话通知您。").format(course=offer.course.title))
        return (tr("报名成功"),
                tr("您已报名“{course}”。开课前工作人员会电话通知您，请于{dates}按时参加，"
                   "带上身份证和回执。").format(
                       course=offer.course.title,
                       dates=date_range(offer.course.starts_on, offer.course.ends_on)))


def training_screens(nav: Navigator, services: Services, ops: KioskOps, receipts: ReceiptFlow,
                     catalogue: ActivityCatalogue) -> list[Screen]:
    return [TrainingScreen(nav, services, ops, catalogue),
            CourseDetailScreen(nav, services, ops, catalogue),
            CourseSignupScreen(nav, services, ops, receipts, catalogue)]
