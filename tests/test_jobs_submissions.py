"""Resident submissions: business row and outbox record together or not at all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kiosk.identity import resident_key
from kiosk.jobs.catalogue import upsert_jobs
from kiosk.jobs.errors import AlreadySignedUp, ConsentRequired, JobUnavailable, ValidationError
from kiosk.jobs.matching import SeekerPreferences
from kiosk.jobs.submissions import (
    latest_registration,
    my_signups,
    register_seeker,
    request_callback,
    sign_up,
)
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import CallbackRequest, JobSignup, OutboxRecord, SeekerRegistration

TODAY = date.today()
ID_NUMBER = "11010519491231002X"  # the standard's own example (GB 11643 Appendix)
RESIDENT = Resident(id_number=ID_NUMBER, name="张三丰", card_type="resident", gender="female",
                    birth_date=date(1949, 12, 31), key=resident_key(ID_NUMBER, b"secret"))


def job(id_: str, title: str, **over: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": id_, "version": 1, "title": title, "employer_id": "e1",
        "employer_name": "天津华盛物业服务有限公司", "industry": "business", "job_type": "fulltime",
        "town": "yangliuqing", "posted_on": (TODAY - timedelta(days=1)).isoformat(),
        "expires_on": (TODAY + timedelta(days=20)).isoformat(),
    }
    record.update(over)
    return record


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "k.db").open()
    with database.write() as s:
        upsert_jobs(s, [job("j1", "保洁员"), job("j2", "保安员"),
                        job("gone", "司机", posted_on=(TODAY - timedelta(days=40)).isoformat(),
                            expires_on=(TODAY - timedelta(days=1)).isoformat())])
    yield database
    database.close()


def outbox(db: Database) -> list[OutboxRecord]:
    with db.read() as s:
        return list(s.execute(select(OutboxRecord).order_by(OutboxRecord.local_seq)).scalars())


def rows(db: Database, model: type) -> list:
    with db.read() as s:
        return list(s.execute(select(model)).scalars())


def test_sign_up_writes_the_row_and_its_outbox_record(db: Database) -> None:
    signup = sign_up(db, RESIDENT, "j1", consent=True, station_code="YLQ01")
    assert signup.number.startswith("BM-YLQ01-")
    assert (signup.job_title, signup.employer_name, signup.consent) == \
        ("保洁员", "天津华盛物业服务有限公司", True)
    [stored] = rows(db, JobSignup)
    assert stored.resident_key == RESIDENT.key and ID_NUMBER not in repr(vars(stored))
    [record] = outbox(db)
    assert record.kind == "job_signup" and record.state == "pending"
    body = json.loads(record.body)
    assert body["record_id"] == signup.id and body["number"] == signup.number
    assert body["job"]["id"] == "j1" and body["consent"] is True and body["consent_text"]
    assert body["resident"]["id_number"] == ID_NUMBER  # only the enrolled server sees it
    assert body["station_code"] == "YLQ01"


def test_no_consent_no_sign_up(db: Database) -> None:
    with pytest.raises(ConsentRequired) as err:
        sign_up(db, RESIDENT, "j1", consent=False, station_code="YLQ01")
    assert "同意" in err.value.message
    assert rows(db, JobSignup) == [] and outbox(db) == []


def test_signing_up_twice_is_refused_kindly(db: Database) -> None:
    sign_up(db, RESIDENT, "j1", True, "YLQ01")
    with pytest.raises(AlreadySignedUp) as err:
        sign_up(db, RESIDENT, "j1", True, "YLQ01")
    assert "已经报名" in err.value.message
    assert len(rows(db, JobSignup)) == 1 and len(outbox(db)) == 1
    sign_up(db, RESIDENT, "j2", True, "YLQ01")  # another job is fine
    assert [s.job_id for s in my_signups(db, RESIDENT.key)] == ["j2", "j1"]
    other = Resident(id_number="440524188001010014", name="李四", card_type="resident",
                     gender="male", birth_date=date(1880, 1, 1),
                     key=resident_key("440524188001010014", b"secret"))
    sign_up(db, other, "j1", True, "YLQ01")  # and another person for the same job
    assert len(rows(db, JobSignup)) == 3


def test_a_job_that_is_gone_cannot_be_signed_up_for(db: Database) -> None:
    for job_id in ("gone", "never"):
        with pytest.raises(JobUnavailable):
            sign_up(db, RESIDENT, job_id, True, "YLQ01")
    assert rows(db, JobSignup) == [] and outbox(db) == []


def test_a_failing_outbox_write_rolls_back_the_business_row(db: Database) -> None:
    with db.write() as s:  # a real SQLite failure at the outbox insert (like a full disk)
        s.execute(text("CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox "
                       "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"))
    for attempt in (
        lambda: sign_up(db, RESIDENT, "j1", True, "YLQ01"),
        lambda: register_seeker(db, RESIDENT, SeekerPreferences(), "13812345678", "YLQ01"),
        lambda: request_callback(db, None, "13812345678", "上午", "找工作", "YLQ01"),
    ):
        with pytest.raises(Exception, match="simulated failure"):
            attempt()
    assert rows(db, JobSignup) == [] and rows(db, SeekerRegistration) == []
    assert rows(db, CallbackRequest) == [] and outbox(db) == []
    with db.write() as s:
        s.execute(text("DROP TRIGGER outbox_fails"))
    sign_up(db, RESIDENT, "j1", True, "YLQ01")  # nothing was half-done: it works now
    assert len(rows(db, JobSignup)) == 1 and len(outbox(db)) == 1


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "12812345678", "abc", "",
                                   "138123456789"])
def test_phone_numbers_are_checked(db: Database, phone: str) -> None:
    with pytest.raises(ValidationError) as err:
        register_seeker(db, RESIDENT, SeekerPreferences(), phone, "YLQ01")
    assert err.value.field == "phone" and "手机号码" in err.value.message
    with pytest.raises(ValidationError):
        request_callback(db, RESIDENT, phone, "", "", "YLQ01")
    assert outbox(db) == []


def test_registration_keeps_preferences_and_the_newest_counts(db: Database) -> None:
    prefs = SeekerPreferences(job_types=("fulltime",), industries=("business",),
                              towns=("dasi",), home_town="yangliuqing", expected_salary=5000,
                              education="senior")
    first = register_seeker(db, RESIDENT, prefs, "138 1234 5678", "YLQ01")
    assert first.phone == "13812345678" and first.name_masked == "张*丰"
    assert first.town == "yangliuqing"
    newer = register_seeker(db, RESIDENT, SeekerPreferences(towns=("jingwu",)), "13912345678",
                            "YLQ01")
    latest = latest_registration(db, RESIDENT.key)
    assert latest is not None and latest.id == newer.id and latest.town == "jingwu"
    assert SeekerPreferences.from_json(first.preferences) == prefs
    assert latest_registration(db, "nobody") is None
    bodies = [json.loads(r.body) for r in outbox(db)]
    assert [r.kind for r in outbox(db)] == ["seeker_registration"] * 2
    assert bodies[0]["preferences"]["expected_salary"] == 5000
    assert bodies[0]["phone"] == "13812345678"
    assert bodies[0]["resident"]["id_number"] == ID_NUMBER
    with pytest.raises(ValidationError) as err:
        register_seeker(db, RESIDENT, SeekerPreferences(industries=("x",)), "13812345678", "S")
    assert err.value.field == "industries"


def test_callback_requests_with_and_without_identification(db: Database) -> None:
    anonymous = request_callback(db, None, "13812345678", "工作日上午", "想找附近的保洁工作",
                                 "YLQ01")
    assert anonymous.resident_key is None and anonymous.name_masked == ""
    assert anonymous.number.startswith("HJ-") and anonymous.state == "new"
    known = request_callback(db, RESIDENT, "13912345678", "", "", "YLQ01")
    assert known.resident_key == RESIDENT.key and known.name_masked == "张*丰"
    bodies = [json.loads(r.body) for r in outbox(db)]
    assert bodies[0]["resident"] is None and bodies[0]["topic"] == "想找附近的保洁工作"
    assert bodies[1]["resident"]["name"] == "张三丰"
    with pytest.raises(ValidationError) as err:
        request_callback(db, None, "13812345678", "", "很" * 101, "YLQ01")
    assert err.value.field == "topic"
    with pytest.raises(ValidationError) as err:
        request_callback(db, None, "13812345678", "随时" * 30, "", "YLQ01")
    assert err.value.field == "preferred_time"
    assert len(outbox(db)) == 2


def test_skills_and_startup_intent_travel_with_the_registration(db: Database) -> None:
    """创业意向 is the resident's entry in the 创业 talent library; skills are for the
    matchmaker. Both are stored, sent, and read back; over-long skills are refused."""
    prefs = SeekerPreferences(job_types=("parttime",), skills=("叉车", "电脑操作"), startup=True)
    row = register_seeker(db, RESIDENT, prefs, "13812345678", "YLQ01")
    assert SeekerPreferences.from_json(row.preferences) == prefs
    [record] = outbox(db)
    sent = json.loads(record.body)["preferences"]
    assert sent["startup"] is True and sent["skills"] == ["叉车", "电脑操作"]
    assert SeekerPreferences.from_dict({"job_types": ["fulltime"]}).startup is False  # older
    for bad in (("很" * 21,), tuple(f"技能{i}" for i in range(13)), ("",)):
        with pytest.raises(ValidationError) as err:
            register_seeker(db, RESIDENT, SeekerPreferences(skills=bad), "13812345678", "YLQ01")
        assert err.value.field == "skills"
