"""What residents submit about activities: 我要参加 (event), 报名 / 候补 (course) and 预约导师.

Each writes its business row and its outbox record in ONE ``db.write()`` transaction, like
kiosk.jobs.submissions: the screen says 已提交 only when both exist. A second sign-up for the
same event or course is refused by the table's UNIQUE constraint (so two racing taps cannot
both pass) and reported as :class:`AlreadyDone`. A full course is not an error: the resident
goes on the waiting list and the slip says 候补.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.activities.model import (
    COURSE_SIGNUP,
    EVENT_REGISTRATION,
    MENTOR_REQUEST,
    ActivityUnavailable,
    AlreadyDone,
    Course,
    Event,
    Mentor,
    Submitted,
)
from kiosk.clock import today as kiosk_today
from kiosk.i18n import N_, tr
from kiosk.identity import mask_name
from kiosk.jobs.errors import ValidationError
from kiosk.jobs.submissions import MAX_PREFERRED_TIME, MAX_TOPIC, checked_phone, resident_body
from kiosk.jobs.vocab import date_text
from kiosk.my_records import MyRecord
from kiosk.records import new_number, new_token
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import CourseSignup, EventRegistration, MentorRequest
from kiosk.store.outbox import enqueue

# 我的申请's words (catalogue message ids: the screen shows them through tr)
COURSE_STATUS = {"enrolled": N_("已报名，开课前会电话通知您"),
                 "waitlist": N_("候补中，有空位时电话通知您")}
MENTOR_STATE = {"new": N_("等待服务站安排"), "arranged": N_("已安排见面"), "done": N_("已完成")}
DEFAULT_TOPIC = N_("创业咨询")


def register_event(db: Database, resident: Resident, event: Event, phone: str,
                   station_code: str, now: datetime | None = None) -> Submitted:
    """我要参加: register for an event that has not ended (by ``now``, default the kiosk's
    clock: KIOSK_TODAY moves the date, the time of day is the wall clock's)."""
    phone = checked_phone(phone)
    key = _key(resident)
    if event.ends_at <= (now or datetime.combine(kiosk_today(), datetime.now().time())):
        raise ActivityUnavailable(detail=f"event {event.id} has ended")
    try:
        with db.write() as s:
            row = EventRegistration(
                number=new_number(EVENT_REGISTRATION, station_code), token=new_token(),
                resident_key=key, name_masked=mask_name(resident.name), phone=phone,
                event_id=event.id, event_title=event.title[:100], starts_at=event.starts_at,
                place=event.place[:100])
            s.add(row)
            s.flush()  # the UNIQUE constraint speaks here, before anything is queued
            enqueue(s, EVENT_REGISTRATION, {
                **_common(row, station_code),
                "event": {"id": event.id, "kind": event.kind, "title": event.title,
                          "starts_at": event.starts_at.isoformat(timespec="minutes"),
                          "place": event.place, "town": event.town},
                "resident": resident_body(resident),
                "phone": phone,
            })
    except IntegrityError as exc:
        if "event_registration.resident_key" in str(exc.orig):
            raise AlreadyDone(detail=f"event {event.id} already registered") from None
        raise
    return _submitted(EVENT_REGISTRATION, row)


def signup_course(db: Database, resident: Resident, course: Course, phone: str,
                  station_code: str, seats_left: int, today: date | None = None) -> Submitted:
    """报名 a course; with ``seats_left`` ≤ 0 (ActivityCatalogue.seats_left) the resident is
    put on the waiting list instead (``waitlisted=True``). ``today`` defaults to the kiosk's
    (kiosk.clock, which KIOSK_TODAY moves)."""
    phone = checked_phone(phone)
    key = _key(resident)
    if course.ends_on < (today or kiosk_today()):
        raise ActivityUnavailable(detail=f"course {course.id} is over")
    status = "enrolled" if seats_left > 0 else "waitlist"
    try:
        with db.write() as s:
            row = CourseSignup(
                number=new_number(COURSE_SIGNUP, station_code), token=new_token(),
                resident_key=key, name_masked=mask_name(resident.name), phone=phone,
                course_id=course.id, course_title=course.title[:100],
                starts_on=course.starts_on, status=status)
            s.add(row)
            s.flush()
            enqueue(s, COURSE_SIGNUP, {
                **_common(row, station_code),
                "course": {"id": course.id, "kind": course.kind, "title": course.title,
                           "brand": course.brand, "starts_on": course.starts_on.isoformat(),
                           "policy_id": course.policy_id},
                "status": status,
                "seats_left_seen": max(0, seats_left),
                "resident": resident_body(resident),
                "phone": phone,
            })
    except IntegrityError as exc:
        if "course_signup.resident_key" in str(exc.orig):
            raise AlreadyDone(tr("您已经报名过这个课程了，开课前工作人员会电话通知您。"),
                              detail=f"course {course.id} already signed up") from None
        raise
    return _submitted(COURSE_SIGNUP, row, waitlisted=status == "waitlist")


def request_mentor(db: Database, resident: Resident, mentor: Mentor, phone: str, topic: str,
                   preferred_time: str, station_code: str) -> Submitted:
    """预约导师: the station calls the resident to arrange a meeting with the mentor. Asking
    the same mentor again is allowed (a new question deserves a new meeting)."""
    phone = checked_phone(phone)
    key = _key(resident)
    topic, preferred_time = topic.strip(), preferred_time.strip()
    if len(preferred_time) > MAX_PREFERRED_TIME:
        raise ValidationError("preferred_time", tr("方便的时间请写得简短一些。"))
    if len(topic) > MAX_TOPIC:
        raise ValidationError("topic", tr("想咨询的事情请控制在{n}字以内。").format(n=MAX_TOPIC))
    with db.write() as s:
        row = MentorRequest(
            number=new_number(MENTOR_REQUEST, station_code), token=new_token(), resident_key=key,
            name_masked=mask_name(resident.name), phone=phone, mentor_id=mentor.id,
            mentor_name=mentor.name[:40], topic=topic, preferred_time=preferred_time,
            state="new")
        s.add(row)
        s.flush()
        enqueue(s, MENTOR_REQUEST, {
            **_common(row, station_code),
            "mentor": {"id": mentor.id, "name": mentor.name, "field": mentor.field},
            "topic": topic,
            "preferred_time": preferred_time,
            "resident": resident_body(resident),
            "phone": phone,
        })
    return _submitted(MENTOR_REQUEST, row)


def my_activities(db: Database, resident_key: str) -> list[MyRecord]:
    """This resident's activity records for 我的申请, newest first (the same MyRecord as
    kiosk.my_records, so the screen can merge both lists). Kinds and states are catalogue
    message ids the screen translates; the texts made here from a record's details are in the
    resident's language already (the screen's tr() leaves them as they are)."""
    out: list[MyRecord] = []
    with db.read() as s:
        for e in s.scalars(select(EventRegistration)
                           .where(EventRegistration.resident_key == resident_key)):
            out.append(MyRecord(N_("活动报名"), e.number, e.event_title,
                                tr("已报名，{date} {time} 在{place}").format(
                                    date=date_text(e.starts_at.date(), year=False),
                                    time=f"{e.starts_at:%H:%M}", place=e.place),
                                e.created_at))
        for c in s.scalars(select(CourseSignup).where(CourseSignup.resident_key == resident_key)):
            out.append(MyRecord(N_("培训报名"), c.number, c.course_title,
                                COURSE_STATUS.get(c.status, c.status), c.created_at))
        for m in s.scalars(select(MentorRequest)
                           .where(MentorRequest.resident_key == resident_key)):
            out.append(MyRecord(N_("预约导师"), m.number,
                                tr("{mentor}（{topic}）").format(
                                    mentor=m.mentor_name, topic=topic_words(m.topic)),
                                MENTOR_STATE.get(m.state, m.state), m.created_at))
    out.sort(key=lambda r: r.created_at, reverse=True)
    return out


def topic_words(topic: str) -> str:
    """A stored topic (the kiosk's Chinese chip words, joined with 、) in the resident's
    language; words the catalogue does not know stay as they are."""
    words = [tr(w) for w in (topic or DEFAULT_TOPIC).split("、") if w]
    return tr("、").join(words)


def _key(resident: Resident) -> str:
    if not resident.key:  # a programming error: the composition root always sets it
        raise ValueError("resident has no resident_key")
    return resident.key


def _common(row: EventRegistration | CourseSignup | MentorRequest, station_code: str
            ) -> dict[str, Any]:
    return {"record_id": row.id, "number": row.number, "token": row.token,
            "station_code": station_code, "created_at": row.created_at.isoformat()}


def _submitted(kind: str, row: EventRegistration | CourseSignup | MentorRequest,
               waitlisted: bool = False) -> Submitted:
    created = row.created_at
    if created.tzinfo is not None:  # stored as UTC; the screen and slip show local time
        created = created.astimezone().replace(tzinfo=None)
    return Submitted(kind=kind, number=row.number, token=row.token, created_at=created,
                     waitlisted=waitlisted)

