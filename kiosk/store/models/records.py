"""What residents submit at the kiosk, and the print journal.

Every business row here is written together with its outbox record (see
:mod:`kiosk.store.outbox`). Residents are found again by ``resident_key`` (an HMAC of the ID
number), so lists like 我的申请 need no ID-number index; the full number travels only inside
the outbox body, to the enrolled server.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.models.base import Base, new_id, utcnow


class _Submitted:
    """Columns every resident submission has: ids, the printed number and the QR token."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Application(_Submitted, Base):
    """一键申报: one policy applied for by one resident, with the decision it rested on."""

    __tablename__ = "application"
    resident_key: Mapped[str] = mapped_column(String(32), index=True)
    name_masked: Mapped[str] = mapped_column(String(40))
    id_masked: Mapped[str] = mapped_column(String(24))
    policy_id: Mapped[str] = mapped_column(String(60))
    policy_name: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(Text)  # JSON snapshot of the decision shown
    rule_pack: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    status_text: Mapped[str] = mapped_column(Text, default="")
    status_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                               nullable=True)


class JobSignup(_Submitted, Base):
    """报名: interest in one job, with consent to pass contact details to the employer."""

    __tablename__ = "job_signup"
    resident_key: Mapped[str] = mapped_column(String(32), index=True)
    job_id: Mapped[str] = mapped_column(String(40))
    job_title: Mapped[str] = mapped_column(String(100))
    employer_name: Mapped[str] = mapped_column(String(100))
    consent: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (UniqueConstraint("resident_key", "job_id", name="uq_job_signup_once"),)


class SeekerRegistration(_Submitted, Base):
    """求职登记: what the resident is looking for; the newest one per resident counts."""

    __tablename__ = "seeker_registration"
    resident_key: Mapped[str] = mapped_column(String(32), index=True)
    name_masked: Mapped[str] = mapped_column(String(40))
    town: Mapped[str] = mapped_column(String(40), default="")
    preferences: Mapped[str] = mapped_column(Text)  # JSON: types, industries, towns, salary...
    phone: Mapped[str] = mapped_column(String(20))


class CallbackRequest(_Submitted, Base):
    """呼叫就业红娘: a resident asks the station's matchmaker to call them back."""

    __tablename__ = "callback_request"
    resident_key: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    name_masked: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(20))
    preferred_time: Mapped[str] = mapped_column(String(40), default="")
    topic: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(20), default="new")  # new/called/reached/done
    note: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Rating(Base):
    """Anonymous end-of-session satisfaction (满意/一般/不满意)."""

    __tablename__ = "rating"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    score: Mapped[int] = mapped_column(Integer)  # 3 满意, 2 一般, 1 不满意


class PrintJob(Base):
    """The print journal: every document printed (or meant to be), for 补打 and audit."""

    __tablename__ = "print_job"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    doc_kind: Mapped[str] = mapped_column(String(30))
    ref_number: Mapped[str] = mapped_column(String(40), default="")
    pdf_path: Mapped[str] = mapped_column(Text)
    printer: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued/printed/failed
    error: Mapped[str] = mapped_column(Text, default="")
    printed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reprint_of: Mapped[str | None] = mapped_column(ForeignKey("print_job.id"), nullable=True)
