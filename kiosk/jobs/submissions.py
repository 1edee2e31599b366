"""What residents submit about jobs: 报名 (sign-up), 求职登记 (registration) and 呼叫就业红娘
(call-back request).

Each writes its business row and its outbox record in ONE ``db.write()`` transaction, so the
screen can say 已提交 only when both exist; if anything fails, neither does. The outbox body
carries what the district server needs to act — including the full ID number and phone, which
go only to the enrolled server — while the local rows keep masked names and the pseudonymous
``resident_key``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.i18n import N_, tr
from kiosk.identity import mask_name, valid_mobile
from kiosk.jobs.errors import AlreadySignedUp, ConsentRequired, JobUnavailable, ValidationError
from kiosk.jobs.matching import SeekerPreferences
from kiosk.records import new_number, new_token
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import CallbackRequest, JobSignup, SeekerRegistration
from kiosk.store.models.jobs import Job
from kiosk.store.outbox import enqueue

# The consent as recorded (Chinese, in the outbox body); the screen shows tr(CONSENT_TEXT).
CONSENT_TEXT = N_("本人同意将姓名、身份证号和联系电话提供给该用人单位及西青区就业服务机构，"
                  "仅用于本次岗位推荐和联系。")
MAX_PREFERRED_TIME = 40
MAX_TOPIC = 100


def sign_up(db: Database, resident: Resident, job_id: str, consent: bool, station_code: str,
            today: date | None = None) -> JobSignup:
    """报名 one job. Refused without consent, for a job that is gone, and (kindly) a second
    time: the UNIQUE(resident_key, job_id) constraint decides, so two taps racing each other
    cannot both get through."""
    if not consent:
        raise ConsentRequired(detail="sign-up without consent")
    key = _key(resident)
    today = today or date.today()
    try:
        with db.write() as s:
            job = s.execute(select(Job).where(Job.id == job_id, Job.deleted.is_(False),
                                              Job.expires_on >= today)).scalar_one_or_none()
            if job is None:
                raise JobUnavailable(detail=f"job {job_id} is not live")
            row = JobSignup(number=new_number("job_signup", station_code), token=new_token(),
                            resident_key=key, job_id=job.id, job_title=job.title,
                            employer_name=job.employer_name, consent=True)
            s.add(row)
            s.flush()  # the UNIQUE constraint speaks here, before anything is queued
            enqueue(s, "job_signup", {
                **_common(row, station_code),
                "job": {"id": job.id, "title": job.title, "employer_id": job.employer_id,
                        "employer_name": job.employer_name, "version": job.version},
                "resident": resident_body(resident),
                "consent": True,
                "consent_text": CONSENT_TEXT,
            })
    except IntegrityError as exc:
        if "job_signup.resident_key" in str(exc.orig):
            raise AlreadySignedUp(detail=f"job {job_id} already signed up") from None
        raise
    return row


def register_seeker(db: Database, resident: Resident, prefs: SeekerPreferences, phone: str,
                    station_code: str) -> SeekerRegistration:
    """求职登记: the newest registration per resident is the one that counts."""
    phone = checked_phone(phone)
    prefs.validate()
    key = _key(resident)
    with db.write() as s:
        row = SeekerRegistration(
            number=new_number("seeker_registration", station_code), token=new_token(),
            resident_key=key, name_masked=mask_name(resident.name),
            town=prefs.home_town or (prefs.towns[0] if prefs.towns else ""),
            preferences=prefs.to_json(), phone=phone)
        s.add(row)
        s.flush()
        enqueue(s, "seeker_registration", {
            **_common(row, station_code),
            "resident": resident_body(resident),
            "phone": phone,
            "preferences": prefs.to_dict(),
        })
    return row


def request_callback(db: Database, resident: Resident | None, phone: str, preferred_time: str,
                     topic: str, station_code: str) -> CallbackRequest:
    """呼叫就业红娘: ask the station's matchmaker to call back (the plan: contact the same day,
    two-way introductions within 3 days). Works without identifying, with a phone number."""
    phone = checked_phone(phone)
    preferred_time, topic = preferred_time.strip(), topic.strip()
    if len(preferred_time) > MAX_PREFERRED_TIME:
        raise ValidationError("preferred_time", tr("方便接电话的时间请写得简短一些。"))
    if len(topic) > MAX_TOPIC:
        raise ValidationError("topic", tr("想咨询的事情请控制在{n}字以内。").format(n=MAX_TOPIC))
    with db.write() as s:
        row = CallbackRequest(
            number=new_number("callback_request", station_code), token=new_token(),
            resident_key=_key(resident) if resident else None,
            name_masked=mask_name(resident.name) if resident else "",
            phone=phone, preferred_time=preferred_time, topic=topic, state="new", note="")
        s.add(row)
        s.flush()
        enqueue(s, "callback_request", {
            **_common(row, station_code),
            "resident": resident_body(resident) if resident else None,
            "phone": phone,
            "preferred_time": preferred_time,
            "topic": topic,
        })
    return row


def latest_registration(db: Database, resident_key: str) -> SeekerRegistration | None:
    with db.read() as s:
        return s.execute(select(SeekerRegistration)
                         .where(SeekerRegistration.resident_key == resident_key)
                         .order_by(SeekerRegistration.created_at.desc())
                         .limit(1)).scalar_one_or_none()


def my_signups(db: Database, resident_key: str) -> list[JobSignup]:
    """我的报名, newest first."""
    with db.read() as s:
        return list(s.execute(select(JobSignup).where(JobSignup.resident_key == resident_key)
                              .order_by(JobSignup.created_at.desc())).scalars())


def _key(resident: Resident) -> str:
    if not resident.key:  # a programming error: the composition root always sets it
        raise ValueError("resident has no resident_key")
    return resident.key


def checked_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if not ch.isspace() and ch != "-")
    if not valid_mobile(digits):
        raise ValidationError("phone", tr("请输入11位手机号码（以13至19开头）。"),
                              "phone is not an 11-digit mainland mobile number")
    return digits


def _common(row: JobSignup | SeekerRegistration | CallbackRequest, station_code: str
            ) -> dict[str, Any]:
    return {"record_id": row.id, "number": row.number, "token": row.token,
            "station_code": station_code, "created_at": row.created_at.isoformat()}


def resident_body(resident: Resident) -> dict[str, Any]:
    """The person as the server needs them (full ID number: outbox → enrolled server only)."""
    return {
        "id_number": resident.id_number,
        "name": resident.name,
        "card_type": resident.card_type,
        "gender": resident.gender,
        "birth_date": resident.birth_date.isoformat() if resident.birth_date else None,
        "resident_key": resident.key,
    }
