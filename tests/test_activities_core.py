"""Activities core on real SQLite files: the demo month, the catalogue's filters and clock,
sign-ups with their outbox records, and the printed slips."""

from __future__ import annotations

import json
import logging
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from kiosk.activities import demo, demo_data
from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.formats import PARSERS, dump, parse_event
from kiosk.activities.model import (
    COURSES,
    EVENT_KINDS,
    EVENTS,
    ActivityUnavailable,
    AlreadyDone,
    Course,
)
from kiosk.activities.slips import course_slip, event_slip, mentor_slip
from kiosk.activities.submissions import (
    my_activities,
    register_event,
    request_mentor,
    signup_course,
)
from kiosk.documents.model import Station
from kiosk.documents.receipts import render
from kiosk.jobs.catalogue import delete_jobs
from kiosk.jobs.demo import ensure_demo_catalogue
from kiosk.jobs.errors import ValidationError
from kiosk.session import Resident
from kiosk.store.engine import Database, current_revision, head_revision
from kiosk.store.models import (
    CourseSignup,
    EventRegistration,
    Job,
    KeyValue,
    MentorRequest,
    OutboxRecord,
    SyncEntity,
)

TODAY = date(2026, 3, 10)  # a Tuesday
NOON = datetime(2026, 3, 10, 9, 30)
STATION = "XQ-YLQ-01"
RESIDENT = Resident(id_number="120111197403150032", name="王建国", card_type="resident",
                    gender="male", birth_date=date(1974, 3, 15), key="a" * 32)
OTHER = Resident(id_number="120111198805060021", name="李秀兰", card_type="resident",
                 gender="female", birth_date=date(1988, 5, 6), key="b" * 32)
PHONE = "13812345678"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo jobs and activities, built once and copied per test
    (the jobs catalogue takes a second to generate)."""
    path = tmp_path_factory.mktemp("template") / "kiosk.sqlite3"
    db = Database(path).open()
    ensure_demo_catalogue(db, today=TODAY)
    demo.ensure_demo_activities(db, TODAY)
    db.close()
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "kiosk.sqlite3"
    shutil.copy(template, path)
    database = Database(path).open()
    yield database
    database.close()


def catalogue(db: Database, now: datetime = NOON) -> ActivityCatalogue:
    return ActivityCatalogue(db, lambda: now.date(), now=lambda: now)


def outbox(db: Database, kind: str) -> list[dict[str, object]]:
    with db.read() as s:
        return [json.loads(b) for b in s.scalars(select(OutboxRecord.body)
                                                 .where(OutboxRecord.kind == kind))]


# -- schema --------------------------------------------------------------------------------

def test_migration_creates_the_three_tables(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    with db.read() as s:
        names = set(s.scalars(select(func.lower(SyncEntity.stream)).distinct()))
    assert {"events", "live_sessions", "courses", "projects", "mentors",
            "announcements"} <= names
    for table in (EventRegistration, CourseSignup, MentorRequest):
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(table)) == 0


# -- demo ----------------------------------------------------------------------------------

def test_demo_month_is_realistic_and_complete(db: Database) -> None:
    cat = catalogue(db)
    events = cat.events()
    assert len(events) >= 12
    assert {e.kind for e in events} == set(EVENT_KINDS)
    assert {e.starts_at.date() for e in events} <= {TODAY + timedelta(days=n)
                                                     for n in range(40)}
    assert any("西青区人力资源市场" in e.place for e in events)
    assert all(e.employers and e.town for e in events)
    with db.read() as s:
        job_ids = set(s.scalars(select(Job.id)))
    featured = {j for e in events for j in e.job_ids}
    assert featured and featured <= job_ids
    # a live session at 10:00 and 15:00 on every working day
    sessions = cat.live_today() + cat.live_upcoming(days=30)
    by_day: dict[date, list[int]] = {}
    for x in sessions:
        by_day.setdefault(x.starts_at.date(), []).append(x.starts_at.hour)
    working = [TODAY + timedelta(days=n) for n in range(31)
               if (TODAY + timedelta(days=n)).weekday() < 5]
    assert all(sorted(by_day[d]) == [10, 15] for d in working)
    assert not any(d.weekday() >= 5 for d in by_day)
    assert {j for x in sessions for j in x.job_ids} <= job_ids
    courses = cat.courses()
    assert len(courses) >= 6
    malanhua = [c for c in courses if c.brand == "马兰花" and c.kind == "创业培训"]
    assert malanhua and any(cat.seats_left(c) == 0 for c in malanhua)
    assert {c.policy_id for c in malanhua} == {"entrepreneurship-training"}
    assert len(cat.projects()) >= 12 and len(cat.mentors()) >= 8
    notices = cat.announcements()
    assert len(notices) >= 6 and notices[0].urgent and sum(a.urgent for a in notices) == 1


def test_demo_is_deterministic_and_regenerated_after_a_week(tmp_path: Path,
                                                            template: Path) -> None:
    def snapshot(path: Path) -> dict[tuple[str, str], str | None]:
        database = Database(path).open()
        with database.read() as s:
            rows = {(e.stream, e.id): e.data for e in s.scalars(select(SyncEntity))}
        database.close()
        return rows

    copy = tmp_path / "copy.sqlite3"
    shutil.copy(template, copy)
    database = Database(copy).open()
    with database.write() as s:  # forget the demo: rebuilding must give the same month
        s.execute(delete(SyncEntity))
        s.delete(s.get(KeyValue, demo.MARKER))
    demo.ensure_demo_activities(database, TODAY)
    database.close()
    assert snapshot(copy) == snapshot(template)

    database = Database(copy).open()
    demo.ensure_demo_activities(database, TODAY + timedelta(days=3))  # still fresh
    with database.read() as s:
        assert s.get(KeyValue, demo.MARKER).value == TODAY.isoformat()  # type: ignore[union-attr]
    later = TODAY + timedelta(days=demo.REFRESH_DAYS)
    demo.ensure_demo_activities(database, later)
    cat = catalogue(database, datetime.combine(later, datetime.min.time()))
    assert cat.events() and min(e.starts_at.date() for e in cat.events()) >= later
    with database.read() as s:  # the old month's entities were replaced, not piled up
        courses = s.scalar(select(func.count()).select_from(SyncEntity)
                           .where(SyncEntity.stream == COURSES))
    assert courses == len(demo_data.COURSES)
    database.close()


def test_second_start_costs_under_5_ms(db: Database) -> None:
    demo.ensure_demo_activities(db, TODAY)  # warm the connection pool
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        demo.ensure_demo_activities(db, TODAY)
        times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.005, times


def test_demo_month_from_generator_records_matches_the_kiosk(db: Database) -> None:
    """`kiosk-central activities demo` builds the month from the generator's records; the
    kiosk builds it from its catalogue table: same jobs, same month."""
    from kiosk.jobs.generator import generate

    month = demo.demo_month(TODAY, demo.job_refs_from_records(generate(2000, today=TODAY)))
    with db.read() as s:
        stored = {(e.stream, e.id): json.loads(e.data or "null")
                  for e in s.scalars(select(SyncEntity))}
    made = {(stream, item["id"]): item for stream, items in month.items() for item in items}
    assert made == stored


# -- catalogue -----------------------------------------------------------------------------

def test_past_events_disappear_and_filters_apply(db: Database) -> None:
    cat = catalogue(db)
    today_events = cat.events(day=TODAY)
    assert today_events and all(e.starts_at.date() <= TODAY for e in today_events)
    evening = catalogue(db, datetime(2026, 3, 10, 20, 0))
    assert not any(e.ends_at.date() == TODAY for e in evening.events())
    assert all(e.kind == "10+N专场" for e in cat.events(kind="10+N专场"))
    by_name = cat.events(town="中北镇")
    assert by_name and by_name == cat.events(town="zhongbei")
    assert all(e.town == "中北镇" for e in by_name)
    days = cat.event_days(TODAY)
    assert days[TODAY] == len(today_events)
    assert all(d.month == TODAY.month for d in days)
    online = cat.events(kind="百日千万网络招聘")[0]
    assert online.online_url.startswith("https://") and days[online.starts_at.date()
                                                             + timedelta(days=1)] >= 1
    assert cat.event(online.id) == online and cat.event("nope") is None


def test_live_today_and_upcoming(db: Database) -> None:
    cat = catalogue(db)
    today = cat.live_today()
    assert [x.starts_at.hour for x in today] == [10, 15]
    after_ten = catalogue(db, datetime(2026, 3, 10, 11, 5)).live_today()
    assert [x.starts_at.hour for x in after_ten] == [15]
    upcoming = cat.live_upcoming(days=7)
    assert upcoming and all(TODAY < x.starts_at.date() <= TODAY + timedelta(days=7)
                            for x in upcoming)
    jobs = cat.jobs_for(today[0].job_ids)
    assert [j.id for j in jobs] == [j for j in today[0].job_ids if j in {x.id for x in jobs}]
    assert jobs and cat.live(today[0].id) == today[0]


def test_jobs_for_leaves_out_closed_jobs(db: Database) -> None:
    cat = catalogue(db)
    ids = list(cat.live_today()[0].job_ids)
    with db.write() as s:
        delete_jobs(s, [ids[0]])  # withdrawn, the way sync withdraws one
    assert [j.id for j in cat.jobs_for([*ids, "no-such-job"])] == ids[1:]


def test_announcements_order_expiry_and_attract_loop(db: Database) -> None:
    cat = catalogue(db)
    notices = cat.announcements()
    rest = [a.published_on for a in notices if not a.urgent]
    assert rest == sorted(rest, reverse=True)
    expiring = next(a for a in notices if a.expires_on is not None and not a.urgent)
    assert expiring.expires_on is not None
    late = catalogue(db, datetime.combine(expiring.expires_on + timedelta(days=1),
                                          datetime.min.time()))
    assert expiring.id not in {a.id for a in late.announcements()}
    items = cat.attract_items(NOON)
    assert items[0].urgent and items[0].kind == "announcement"
    middle = [i.kind for i in items[1:] if i.kind != "announcement"]
    kinds = [i.kind for i in items]
    assert middle and set(middle) == {"event", "live"}
    first_plain = kinds.index("announcement", 1)
    assert all(k == "announcement" for k in kinds[first_plain:])
    live_item = next(i for i in items if i.kind == "live")
    assert live_item.target == "live" and cat.live(live_item.target_id) is not None


def test_a_broken_entity_is_skipped_not_fatal(db: Database,
                                              caplog: pytest.LogCaptureFixture) -> None:
    cat = catalogue(db)
    before = len(cat.events())
    with db.write() as s:
        s.add(SyncEntity(stream=EVENTS, id="bad-1", version=1, deleted=False,
                         data=json.dumps({"id": "bad-1", "kind": "庙会", "title": "x"})))
        s.add(SyncEntity(stream=EVENTS, id="bad-2", version=1, deleted=False, data="{not json"))
    with caplog.at_level(logging.WARNING, logger="kiosk.activities.catalogue"):
        assert len(cat.events()) == before
    assert "bad-1" in caplog.text and "bad-2" in caplog.text


def test_parsers_refuse_malformed_entities_with_the_field_named() -> None:
    good = dump(catalogue_event(), 3)
    assert parse_event(good) == catalogue_event()
    for field, value in (("kind", "庙会"), ("ends_at", "2026-03-10T08:00"), ("town", "北京"),
                         ("starts_at", "明天"), ("online_url", "javascript:x")):
        with pytest.raises(ValueError, match=field):
            parse_event({**good, field: value})
    with pytest.raises(ValueError, match="not a JSON object"):
        PARSERS["courses"]([1, 2])
    with pytest.raises(ValueError, match="investment_max"):
        PARSERS["projects"]({"id": "p", "title": "t", "industry": "餐饮", "investment_min": 9,
                             "investment_max": 1, "risk": "低"})


def catalogue_event() -> object:
    from kiosk.activities.model import Event, EventEmployer

    return Event(id="e1", kind="招聘会", title="测试招聘会", starts_at=datetime(2026, 3, 10, 9),
                 ends_at=datetime(2026, 3, 10, 11), town="杨柳青镇", place="西青区人力资源市场",
                 address="", organiser="西青区就业服务中心", description="",
                 employers=(EventEmployer("天津某公司", "制造业", 5, ("j1",)),))


# -- submissions ---------------------------------------------------------------------------

def test_register_event_writes_row_and_outbox_once(db: Database) -> None:
    cat = catalogue(db)
    event = cat.events()[0]
    done = register_event(db, RESIDENT, event, "138 1234 5678", STATION, now=NOON)
    assert done.number.startswith("HD-YLQ01-") and done.token and not done.waitlisted
    bodies = outbox(db, "event_registration")
    assert len(bodies) == 1
    body = bodies[0]
    assert body["event"]["id"] == event.id and body["phone"] == PHONE  # type: ignore[index]
    assert body["resident"]["id_number"] == RESIDENT.id_number  # type: ignore[index]
    assert body["number"] == done.number
    with pytest.raises(AlreadyDone) as refused:
        register_event(db, RESIDENT, event, PHONE, STATION, now=NOON)
    assert "报名" in refused.value.message
    assert len(outbox(db, "event_registration")) == 1
    register_event(db, OTHER, event, PHONE, STATION, now=NOON)  # someone else may
    with db.read() as s:
        row = s.scalar(select(EventRegistration).where(
            EventRegistration.resident_key == RESIDENT.key))
        assert row is not None and row.name_masked == "王*国" and "1203" not in row.name_masked


def test_bad_phone_or_ended_event_writes_nothing(db: Database) -> None:
    event = catalogue(db).events()[0]
    with pytest.raises(ValidationError) as bad:
        register_event(db, RESIDENT, event, "12345", STATION, now=NOON)
    assert bad.value.field == "phone" and "11位" in bad.value.message
    with pytest.raises(ActivityUnavailable):
        register_event(db, RESIDENT, event, PHONE, STATION, now=event.ends_at)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(EventRegistration)) == 0
        assert s.scalar(select(func.count()).select_from(OutboxRecord)) == 0


def test_course_signup_takes_a_seat_then_the_waiting_list(db: Database) -> None:
    cat = catalogue(db)
    course = next(c for c in cat.courses() if cat.seats_left(c) > 0)
    left = cat.seats_left(course)
    done = signup_course(db, RESIDENT, course, PHONE, STATION, left, today=TODAY)
    assert not done.waitlisted and done.number.startswith("PX-")
    assert cat.seats_left(course) == left - 1
    with pytest.raises(AlreadyDone):
        signup_course(db, RESIDENT, course, PHONE, STATION, left - 1, today=TODAY)
    full = next(c for c in cat.courses() if cat.seats_left(c) == 0)
    waiting = signup_course(db, RESIDENT, full, PHONE, STATION, cat.seats_left(full),
                            today=TODAY)
    assert waiting.waitlisted
    assert cat.seats_left(full) == 0
    statuses = {b["course"]["id"]: b["status"]  # type: ignore[index]
                for b in outbox(db, "course_signup")}
    assert statuses == {course.id: "enrolled", full.id: "waitlist"}


def test_seats_left_counts_only_signups_the_server_cannot_know(db: Database) -> None:
    """A course republished by the server (seats_taken now includes our sign-up) is not
    counted twice."""
    cat = catalogue(db)
    course = next(c for c in cat.courses() if cat.seats_left(c) > 2)
    left = cat.seats_left(course)
    signup_course(db, RESIDENT, course, PHONE, STATION, left, today=TODAY)
    assert cat.seats_left(course) == left - 1
    updated = Course(**{**course.__dict__, "seats_taken": course.seats_taken + 1})
    with db.write() as s:
        row = s.get(SyncEntity, (COURSES, course.id))
        assert row is not None
        row.data = json.dumps(dump(updated, row.version + 1), ensure_ascii=False)
        row.version += 1
        row.updated_at = datetime.now().astimezone()
    assert cat.seats_left(updated) == left - 1


def test_mentor_request_and_my_activities(db: Database) -> None:
    cat = catalogue(db)
    mentor = cat.mentors()[0]
    first = request_mentor(db, RESIDENT, mentor, PHONE, "想开早餐店", "周二下午", STATION)
    request_mentor(db, RESIDENT, mentor, PHONE, "资金怎么筹", "", STATION)  # allowed again
    with pytest.raises(ValidationError):
        request_mentor(db, RESIDENT, mentor, PHONE, "问" * 101, "", STATION)
    assert first.number.startswith("DS-")
    assert len(outbox(db, "mentor_request")) == 2
    register_event(db, RESIDENT, cat.events()[0], PHONE, STATION, now=NOON)
    mine = my_activities(db, RESIDENT.key)
    assert [r.kind for r in mine].count("预约导师") == 2 and "活动报名" in {r.kind for r in mine}
    assert mine == sorted(mine, key=lambda r: r.created_at, reverse=True)
    assert my_activities(db, OTHER.key) == []


# -- slips ---------------------------------------------------------------------------------

def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return re.sub(r"\s+", "", out)


def test_slips_render_with_masked_data_and_waitlist(db: Database, tmp_path: Path) -> None:
    cat = catalogue(db)
    station = Station(name="杨柳青镇就业服务站", address="天津市西青区杨柳青镇新华道",
                      hours="9:00-17:00")
    event = cat.events()[0]
    done = register_event(db, RESIDENT, event, PHONE, STATION, now=NOON)
    text = _pdf_text(render(event_slip(done, RESIDENT, event, station, PHONE), width="80",
                            qr_base_url="https://lexy.xiqing.example/t/"), tmp_path)
    for expected in ("活动报名回执", done.number, "王*国", "138****5678", event.place,
                     "设置提醒"):
        assert expected in text
    assert RESIDENT.id_number not in text and PHONE not in text
    full = next(c for c in cat.courses() if cat.seats_left(c) == 0)
    waiting = signup_course(db, RESIDENT, full, PHONE, STATION, 0, today=TODAY)
    text = _pdf_text(render(course_slip(waiting, RESIDENT, full, station, PHONE), width="58",
                            qr_base_url="https://lexy.xiqing.example/t/"), tmp_path)
    assert "候补" in text and "马兰花" in text
    mentor = cat.mentors()[0]
    asked = request_mentor(db, RESIDENT, mentor, PHONE, "开店", "周二", STATION)
    text = _pdf_text(render(mentor_slip(asked, RESIDENT, mentor, station, PHONE, "开店", "周二"),
                            width="a4", qr_base_url="https://lexy.xiqing.example/t/"), tmp_path)
    assert "导师预约回执" in text and mentor.name in text


def test_submissions_default_to_the_kiosk_clock(db: Database,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """KIOSK_TODAY moves the date the refusals are judged on, as it moves the lists."""
    cat = catalogue(db)
    later = next(e for e in cat.events() if e.starts_at.date() > TODAY + timedelta(days=3))
    monkeypatch.setenv("KIOSK_TODAY", (later.ends_at.date() + timedelta(days=1)).isoformat())
    with pytest.raises(ActivityUnavailable):
        register_event(db, RESIDENT, later, PHONE, STATION)
    course = cat.courses()[0]
    monkeypatch.setenv("KIOSK_TODAY", (course.ends_on + timedelta(days=1)).isoformat())
    with pytest.raises(ActivityUnavailable):
        signup_course(db, RESIDENT, course, PHONE, STATION, 5)
    monkeypatch.setenv("KIOSK_TODAY", TODAY.isoformat())
    assert register_event(db, RESIDENT, later, PHONE, STATION).number
    assert signup_course(db, RESIDENT, course, PHONE, STATION, 5).number
