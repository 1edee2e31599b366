"""What residents submit about activities: event registrations, course sign-ups and mentor
requests (issue 11).

Like the other submissions (records.py) each row is written with its outbox record in one
transaction and keeps only the pseudonymous ``resident_key`` and a masked name; the full ID
number and phone travel in the outbox body to the enrolled server. The UNIQUE constraints are
what refuses a second sign-up, so two taps racing each other cannot both get through.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.models.base import Base
from kiosk.store.models.records import _Submitted

COURSE_STATUSES = ("enrolled", "waitlist")


class EventRegistration(_Submitted, Base):
    """我要参加: one resident registered for one event (招聘会, 春风行动 ...)."""

    __tablename__ = "event_registration"
    resident_key: Mapped[str] = mapped_column(String(32), index=True)
    name_masked: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(100))
    event_title: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # local wall time, as published
    place: Mapped[str] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("resident_key", "event_id",
                                       name="uq_event_registration_once"),)


class CourseSignup(_Submitted, Base):
    """报名 a training course; ``status`` is ``waitlist`` when the course was full."""

    __tablename__ = "course_signup"
    resident_key: Mapped[str] = mapped_column(String(32), index=True)
    name_masked: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    course_id: Mapped[str] = mapped_column(String(100), index=True)
    course_title: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # enrolled | waitlist
    __table_args__ = (UniqueConstraint("resident_key", "course_id",
                                       name="uq_course_signup_once"),
                      CheckConstraint("status IN ('enrolled', 'waitlist')", name="status"))


class MentorRequest(_Submitted, Base):
    """预约导师: the station arranges a meeting with a mentor of the 创业导师库."""

    __tablename__ = "mentor_request"
    resident_key: Mapped[str] = mapped_column(String(32), index=True)
    name_masked: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    mentor_id: Mapped[str] = mapped_column(String(100))
    mentor_name: Mapped[str] = mapped_column(String(40))
    topic: Mapped[str] = mapped_column(String(100), default="")
    preferred_time: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(20), default="new")  # new/arranged/done
