"""Slips printed after an activities submission: 活动报名回执, 培训报名回执 (or 候补), 导师预约回执.

Plain data in the style of kiosk/documents/model.py, laying themselves out with the receipt
helpers (kiosk.documents.receipts.render calls ``build``), so ``services.render_document``
prints them like any other receipt. Personal data arrives masked; the renderer refuses a full
ID or mobile number anyway. The QR opens the submission on the resident's phone — for an event
that is the reminder: time, place and what to bring, on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import ModuleType
from typing import TYPE_CHECKING, ClassVar

from kiosk.activities.model import Course, Event, Mentor, Submitted
from kiosk.documents.model import Station
from kiosk.identity import mask_phone
from kiosk.session import Resident

if TYPE_CHECKING:
    from kiosk.documents.layout import Flow


def _r() -> ModuleType:
    """The receipt helpers, imported when a slip is laid out: they load reportlab (~0.1 s),
    which a screen that merely builds a slip object should not pay for at start-up."""
    from kiosk.documents import receipts

    return receipts


def when(dt: datetime) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"


def _span(a: datetime, b: datetime) -> str:
    if a.date() == b.date():
        return f"{when(a)}-{b:%H:%M}"
    return f"{when(a)} 至 {when(b)}"


def _days(a: date, b: date) -> str:
    first = f"{a.year}年{a.month}月{a.day}日"
    return first if a == b else f"{first} 至 {b.month}月{b.day}日"


@dataclass(frozen=True)
class EventSlip:
    """活动报名回执: the resident registered for a job fair or another event."""

    kind: ClassVar[str] = "event_registration"
    title: ClassVar[str] = "活动报名回执"
    number: str
    name_masked: str
    event_title: str
    event_kind: str
    starts_at: datetime
    ends_at: datetime
    place: str
    address: str
    organiser: str
    station: Station
    registered_at: datetime
    token: str
    phone_masked: str = ""
    online_url: str = ""

    def build(self, flow: Flow, base_url: str) -> None:
        r = _r()
        r._header(flow, self.title, self.station)
        r._number(flow, "报名编号", self.number)
        rows = [("报名人", self.name_masked)]
        if self.phone_masked:
            rows.append(("联系电话", self.phone_masked))
        rows += [("活动名称", self.event_title), ("活动类型", self.event_kind),
                 ("活动时间", _span(self.starts_at, self.ends_at)), ("活动地点", self.place)]
        if self.address:
            rows.append(("详细地址", self.address))
        if self.organiser:
            rows.append(("主办单位", self.organiser))
        rows.append(("报名时间", when(self.registered_at)))
        flow.fields(rows)
        flow.rule()
        flow.heading("参加提醒")
        flow.bullets(["请按时到场，携带身份证和个人简历（可多带几份）。",
                      "现场可凭本回执到服务台咨询岗位。",
                      *(["本活动也可在网上参加，扫码查看网址。"] if self.online_url else [])])
        r._qr(flow, base_url, self.token, "手机扫码查看活动详情，设置提醒")
        r._footer(flow, self.station, self.registered_at)


@dataclass(frozen=True)
class CourseSlip:
    """培训报名回执; when the course was full, the resident is on the waiting list (候补)."""

    kind: ClassVar[str] = "course_signup"
    title: ClassVar[str] = "培训报名回执"
    number: str
    name_masked: str
    course_title: str
    course_kind: str
    brand: str
    starts_on: date
    ends_on: date
    schedule: str
    place: str
    fee: str
    waitlisted: bool
    station: Station
    signed_at: datetime
    token: str
    phone_masked: str = ""

    def build(self, flow: Flow, base_url: str) -> None:
        r = _r()
        r._header(flow, self.title, self.station)
        r._number(flow, "候补编号" if self.waitlisted else "报名编号", self.number)
        if self.waitlisted:
            flow.text("候补名单", size=flow.spec.big, bold=True, align="center")
        rows = [("报名人", self.name_masked)]
        if self.phone_masked:
            rows.append(("联系电话", self.phone_masked))
        name = f"{self.brand}{self.course_title}" if self.brand and \
            self.brand not in self.course_title else self.course_title
        rows += [("培训课程", name), ("培训类别", self.course_kind),
                 ("培训日期", _days(self.starts_on, self.ends_on))]
        if self.schedule:
            rows.append(("上课时间", self.schedule))
        rows.append(("培训地点", self.place))
        if self.fee:
            rows.append(("费用", self.fee))
        rows += [("状态", "候补中" if self.waitlisted else "已报名"),
                 ("报名时间", when(self.signed_at))]
        flow.fields(rows)
        flow.rule()
        flow.heading("下一步")
        if self.waitlisted:
            flow.text("本期课程名额已满，您已进入候补名单。有学员退出时，工作人员会按候补顺序"
                      "电话通知您；也可报名下一期。")
        else:
            flow.text("开课前工作人员会电话与您确认。请带身份证按时参加，培训合格可按规定申请"
                      "培训补贴。")
        r._qr(flow, base_url, self.token, "手机扫码查看课程和报名状态")
        r._footer(flow, self.station, self.signed_at)


@dataclass(frozen=True)
class MentorSlip:
    """导师预约回执: the station will arrange a meeting with a 创业导师."""

    kind: ClassVar[str] = "mentor_request"
    title: ClassVar[str] = "导师预约回执"
    number: str
    name_masked: str
    mentor_name: str
    mentor_field: str
    topic: str
    preferred_time: str
    station: Station
    requested_at: datetime
    token: str
    phone_masked: str = ""

    def build(self, flow: Flow, base_url: str) -> None:
        r = _r()
        r._header(flow, self.title, self.station)
        r._number(flow, "预约编号", self.number)
        rows = [("预约人", self.name_masked)]
        if self.phone_masked:
            rows.append(("联系电话", self.phone_masked))
        rows += [("创业导师", self.mentor_name), ("擅长领域", self.mentor_field),
                 ("咨询事项", self.topic or "创业咨询"),
                 ("方便时间", self.preferred_time or "工作时间均可"),
                 ("预约时间", when(self.requested_at))]
        flow.fields(rows)
        flow.rule()
        flow.text("服务站将在3个工作日内与您电话联系，约定与导师见面的时间和地点。"
                  "可提前准备好您的创业想法或经营中遇到的问题。")
        r._qr(flow, base_url, self.token, "手机扫码查看预约进度")
        r._footer(flow, self.station, self.requested_at)


def _masked(phone: str) -> str:
    return mask_phone(phone) if phone else ""


def event_slip(submitted: Submitted, resident: Resident, event: Event, station: Station,
               phone: str = "") -> EventSlip:
    return EventSlip(number=submitted.number, name_masked=resident.name_masked,
                     event_title=event.title, event_kind=event.kind, starts_at=event.starts_at,
                     ends_at=event.ends_at, place=event.place, address=event.address,
                     organiser=event.organiser, station=station,
                     registered_at=submitted.created_at, token=submitted.token,
                     phone_masked=_masked(phone), online_url=event.online_url)


def course_slip(submitted: Submitted, resident: Resident, course: Course, station: Station,
                phone: str = "") -> CourseSlip:
    return CourseSlip(number=submitted.number, name_masked=resident.name_masked,
                      course_title=course.title, course_kind=course.kind, brand=course.brand,
                      starts_on=course.starts_on, ends_on=course.ends_on,
                      schedule=course.schedule, place=course.place, fee=course.fee,
                      waitlisted=submitted.waitlisted, station=station,
                      signed_at=submitted.created_at, token=submitted.token,
                      phone_masked=_masked(phone))


def mentor_slip(submitted: Submitted, resident: Resident, mentor: Mentor, station: Station,
                phone: str = "", topic: str = "", preferred_time: str = "") -> MentorSlip:
    return MentorSlip(number=submitted.number, name_masked=resident.name_masked,
                      mentor_name=mentor.name, mentor_field=mentor.field, topic=topic,
                      preferred_time=preferred_time, station=station,
                      requested_at=submitted.created_at, token=submitted.token,
                      phone_masked=_masked(phone))
