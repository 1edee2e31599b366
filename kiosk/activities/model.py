"""What the activities screens show: events, live-stream hiring, courses, the 创业 libraries and
announcements, as plain frozen data (no database rows, no Qt).

Times are naive local wall time (Asia/Shanghai), as the district publishes them and as a
resident reads them off a poster; dates are ``datetime.date``. The JSON form of each entity
(the sync streams' format) is read and written by :mod:`kiosk.activities.formats`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk.i18n import N_
from kiosk.jobs.errors import SubmissionError

# Vocabulary: the values stored and synced are these Chinese words; screens show tr(word).
EVENT_KINDS = (N_("招聘会"), N_("春风行动"), N_("民营企业招聘月"), N_("百日千万网络招聘"),
               N_("校园招聘"), N_("10+N专场"))
COURSE_KINDS = (N_("创业培训"), N_("职业技能培训"))
RISKS = (N_("低"), N_("中"), N_("高"))

# Catalogue streams (kiosk.sync.protocol.STREAMS) and the record kinds pushed to the server.
EVENTS, LIVE, COURSES, PROJECTS, MENTORS, ANNOUNCEMENTS = (
    "events", "live_sessions", "courses", "projects", "mentors", "announcements")
ACTIVITY_STREAMS = (EVENTS, LIVE, COURSES, PROJECTS, MENTORS, ANNOUNCEMENTS)
EVENT_REGISTRATION, COURSE_SIGNUP, MENTOR_REQUEST = (
    "event_registration", "course_signup", "mentor_request")
RECORD_KINDS = (EVENT_REGISTRATION, COURSE_SIGNUP, MENTOR_REQUEST)

# Screen names an attract-loop item opens (the UI registers screens under these names).
SCREEN_EVENT, SCREEN_LIVE, SCREEN_ANNOUNCEMENT = "event_detail", "live", "announcement_detail"


@dataclass(frozen=True)
class EventEmployer:
    """An employer taking part in an event: how many people it hires and which jobs."""

    name: str
    industry: str
    positions: int
    job_ids: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """A job fair or hiring campaign day (招聘会, 春风行动, 校园招聘 ...)."""

    id: str
    kind: str  # one of EVENT_KINDS
    title: str
    starts_at: datetime
    ends_at: datetime
    town: str  # a kiosk.jobs.towns name, e.g. 杨柳青镇 (the map finds it)
    place: str  # 西青区人力资源市场
    address: str
    organiser: str
    description: str
    employers: tuple[EventEmployer, ...]
    online_url: str = ""  # 百日千万网络招聘 and other online events

    @property
    def positions(self) -> int:
        return sum(e.positions for e in self.employers)

    @property
    def job_ids(self) -> tuple[str, ...]:
        return tuple(j for e in self.employers for j in e.job_ids)


@dataclass(frozen=True)
class LiveSession:
    """西青人社 直播带岗: a live-stream hiring session with the employers and jobs it shows."""

    id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    host: str
    stream_url: str  # what the QR opens on the resident's phone
    employers: tuple[str, ...]
    job_ids: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    """A training class. ``seats_taken`` is the server's count; see
    ``ActivityCatalogue.seats_left`` for what the kiosk adds to it."""

    id: str
    kind: str  # one of COURSE_KINDS
    title: str
    brand: str  # 马兰花 for the national entrepreneurship-training brand, else ""
    starts_on: date
    ends_on: date
    schedule: str  # 周一至周五 9:00-16:00
    town: str
    place: str
    seats: int
    seats_taken: int
    policy_id: str  # a policy of the bundled pack (training subsidy), or ""
    who_may_join: str
    description: str
    fee: str  # 免费（政府补贴）


@dataclass(frozen=True)
class Project:
    """创业项目库: a small (小而美) business idea with what it takes."""

    id: str
    title: str
    industry: str
    investment_min: int  # 元
    investment_max: int
    risk: str  # one of RISKS
    skills: tuple[str, ...]
    description: str
    payback: str  # 预计回本周期


@dataclass(frozen=True)
class Mentor:
    """创业导师库: a mentor residents can ask the station to book."""

    id: str
    name: str
    field: str
    title: str
    experience_years: int
    bio: str
    availability: str
    town: str


@dataclass(frozen=True)
class Announcement:
    """A district notice or policy news item; an urgent one takes the attract loop."""

    id: str
    title: str
    body: str
    published_on: date
    expires_on: date | None
    urgent: bool
    source: str


@dataclass(frozen=True)
class AttractItem:
    """One card of the home screen's attract loop and the screen a tap opens."""

    kind: str  # announcement | event | live
    title: str
    subtitle: str
    target: str  # screen name (SCREEN_*)
    target_id: str
    urgent: bool


@dataclass(frozen=True)
class Submitted:
    """What a sign-up / registration / mentor request returns to the screen."""

    kind: str  # one of RECORD_KINDS
    number: str
    token: str
    created_at: datetime
    waitlisted: bool = False


class AlreadyDone(SubmissionError):  # noqa: N818 (name fixed by the activities contract)
    """Signing up twice for the same event or course; ``message`` is for the resident."""

    default_message = N_("您已经报名过了，不需要重复报名。请按回执上的时间参加。")


class ActivityUnavailable(SubmissionError):  # noqa: N818
    """The event has ended or the course is over (or was withdrawn) since the list showed."""

    default_message = N_("这项活动已经结束或取消了，请看看其他活动。")
