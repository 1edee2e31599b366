"""Activities end to end with the reference server over loopback HTTP: imported on the server
with `kiosk-central`, pulled by the kiosk, shown by the catalogue; sign-ups pushed through the
outbox reach the server exactly once; a malformed entity is refused and the last good copy
kept."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from central import streams
from central.activities import take_course_places
from central.cli import main as central_cli
from central.db import Store
from central.models import Entity, Received
from central.server import ServerThread
from central.testing import (
    assert_exactly_once,
    enrolled_kiosk,
    fresh_pg_database,
    running_central,
    sync_engine,
)
from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.submissions import register_event, request_mentor, signup_course
from kiosk.jobs.catalogue import upsert_jobs
from kiosk.jobs.generator import generate
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord, SyncEntity
from kiosk.sync.engine import SyncEngine
from kiosk.sync.pull import Puller

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 8, 30)
RESIDENT = Resident(id_number="120111197403150032", name="王建国", card_type="resident",
                    gender="male", birth_date=date(1974, 3, 15), key="c" * 32)
STATION = "XQ-YLQ-01"


@pytest.fixture(autouse=True)
def _kiosk_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kiosk's today (its daily purge of expired jobs reads it) is the data's."""
    monkeypatch.setenv("KIOSK_TODAY", TODAY.isoformat())


PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "")


@pytest.fixture
def central(tmp_path: Path, request: pytest.FixtureRequest
            ) -> Iterator[tuple[Store, ServerThread]]:
    """The reference server on SQLite, or on PostgreSQL where a test asks for it
    (``indirect`` parametrize) and a server is available."""
    if getattr(request, "param", "sqlite") == "postgresql":
        if not PG_URL:
            pytest.skip("KIOSK_TEST_PG_URL not set (scripts/pg-test-server.sh starts one)")
        with fresh_pg_database(PG_URL) as url, \
                running_central(tmp_path / "central", url=url) as pair:
            yield pair
        return
    with running_central(tmp_path / "central") as pair:
        yield pair


@pytest.fixture
def kiosk(central: tuple[Store, ServerThread], kiosk_home: Path) -> Iterator[Database]:
    store, server = central
    db, _ = enrolled_kiosk(store, server.url, kiosk_home)
    yield db
    db.close()


@pytest.fixture
def engine(kiosk: Database, kiosk_home: Path) -> Iterator[SyncEngine]:
    eng = sync_engine(kiosk, kiosk_home)
    yield eng
    eng.stop()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("activities-demo")
    assert central_cli(["activities", "demo", "--out", str(out), "--today",
                        TODAY.isoformat()]) == 0
    return out


def cli(store: Store, *argv: str) -> int:
    return central_cli([*argv, "--db", store.url])


def catalogue(db: Database) -> ActivityCatalogue:
    return ActivityCatalogue(db, lambda: TODAY, now=lambda: NOW)


def test_imported_activities_reach_the_kiosk_catalogue(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine,
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = central
    for word, stream in (("events", "events"), ("live", "live_sessions"),
                         ("courses", "courses"), ("projects", "projects"),
                         ("mentors", "mentors"), ("announcements", "announcements")):
        assert cli(store, word, "import", str(demo_dir / f"{stream}.json")) == 0
    out = capsys.readouterr().out
    assert "events: 15 published, 0 unchanged" in out
    assert "live_sessions: 50 published, 0 unchanged" in out
    with kiosk.write() as s:  # the featured jobs, as the kiosk would have pulled them
        upsert_jobs(s, generate(2000, today=TODAY))
    status = engine.run_once()
    assert status.last_error is None, status.to_dict()
    cat = catalogue(kiosk)
    published = json.loads((demo_dir / "events.json").read_text(encoding="utf-8"))["events"]
    assert {e.id for e in cat.events()} == {e["id"] for e in published}
    assert len(cat.live_today()) == 2 and cat.jobs_for(cat.live_today()[0].job_ids)
    assert len(cat.courses()) == 8 and len(cat.projects()) == 14 and len(cat.mentors()) == 10
    assert cat.attract_items(NOW)[0].urgent
    # a change and a withdrawal on the server arrive with the next pull
    first = dict(published[0], title="改期后的招聘会", version=published[0]["version"] + 1)
    changed = demo_dir.parent / "changed.json"
    changed.write_text(json.dumps([first], ensure_ascii=False), encoding="utf-8")
    assert cli(store, "events", "import", str(changed)) == 0
    assert cli(store, "retract", "events", published[1]["id"]) == 0
    engine.run_once()
    event = cat.event(first["id"])
    assert event is not None and event.title == "改期后的招聘会"
    assert cat.event(published[1]["id"]) is None


def test_a_malformed_entity_is_refused_and_the_last_good_copy_kept(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine,
        demo_dir: Path) -> None:
    store, _ = central
    course = json.loads((demo_dir / "courses.json").read_text(encoding="utf-8"))["courses"][0]
    streams.publish(store, "courses", [course])
    client = engine._ensure_client()
    assert client is not None
    Puller(kiosk, client, streams=["courses"]).pull_all()
    # published behind the import check's back: the kiosk must still refuse it
    streams.publish(store, "courses", [dict(course, seats="很多", version=course["version"] + 1)])
    result = Puller(kiosk, client, streams=["courses"]).pull_all()
    assert len(result.refused) == 1 and "seats" in result.refused[0]
    kept = catalogue(kiosk).course(course["id"])
    assert kept is not None and kept.seats == course["seats"]
    with kiosk.read() as s:
        row = s.get(SyncEntity, ("courses", course["id"]))
        assert row is not None and row.version == course["version"]


def test_the_import_refuses_a_bad_file_whole(central: tuple[Store, ServerThread],
                                              tmp_path: Path, demo_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = central
    events = json.loads((demo_dir / "events.json").read_text(encoding="utf-8"))["events"]
    events[3] = dict(events[3], town="北京市朝阳区")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"events": events}, ensure_ascii=False), encoding="utf-8")
    assert cli(store, "events", "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "record 4" in err and "town" in err
    assert err.count("\n") == 1
    assert streams.latest_seq(store, "events") == 0


def _received(store: Store, kind: str) -> list[Any]:
    with store.read() as s:
        return list(s.scalars(select(Received).where(Received.kind == kind)))


def test_signups_reach_the_server_exactly_once(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine,
        demo_dir: Path) -> None:
    store, _ = central
    for stream in ("events", "courses", "mentors"):
        assert cli(store, stream, "import", str(demo_dir / f"{stream}.json")) == 0
    engine.run_once()
    cat = catalogue(kiosk)
    event = cat.events()[0]
    register_event(kiosk, RESIDENT, event, "13812345678", STATION, now=NOW)
    full = next(c for c in cat.courses() if cat.seats_left(c) == 0)
    signup_course(kiosk, RESIDENT, full, "13812345678", STATION, 0, today=TODAY)
    request_mentor(kiosk, RESIDENT, cat.mentors()[0], "13812345678", "开店", "周二",
                   STATION)
    status = engine.run_once()
    assert status.pending == 0 and status.last_error is None
    for kind in ("event_registration", "course_signup", "mentor_request"):
        rows = _received(store, kind)
        assert len(rows) == 1, kind
    body = json.loads(_received(store, "course_signup")[0].body)
    assert body["status"] == "waitlist" and body["course"]["id"] == full.id
    assert body["resident"]["id_number"] == RESIDENT.id_number
    # the acks were lost: the kiosk pushes everything again and hears "duplicate"
    with kiosk.read() as s:
        receipts = dict(s.execute(select(OutboxRecord.id, OutboxRecord.receipt)).all())
        first = s.scalar(select(OutboxRecord).where(OutboxRecord.kind == "event_registration"))
    assert first is not None
    client = engine._ensure_client()
    assert client is not None
    again = client.push("retry-batch", [{
        "id": first.id, "kind": first.kind, "schema": first.schema_ver,
        "local_seq": first.local_seq, "created_local": first.created_local.isoformat(),
        "sha256": first.sha256, "body": first.body}])
    assert [r["status"] for r in again["results"]] == ["duplicate"]
    with kiosk.write() as s:
        s.execute(update(OutboxRecord).values(state="pending"))
    status = engine.run_once()
    assert status.pending == 0 and status.last_error is None
    with kiosk.read() as s:
        assert dict(s.execute(select(OutboxRecord.id, OutboxRecord.receipt)).all()) == receipts
    assert assert_exactly_once(kiosk, store) == 3
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Received)) == 3


def _course_on_server(store: Store, course_id: str) -> tuple[int, dict[str, Any]]:
    with store.read() as s:
        row = s.execute(select(Entity.version, Entity.data).where(
            Entity.stream == "courses", Entity.id == course_id)).one()
    return row[0], json.loads(row[1])


@pytest.mark.parametrize("central", ["sqlite", pytest.param("postgresql",
                                                               marks=pytest.mark.postgres)],
                         indirect=True)
def test_places_taken_at_a_kiosk_are_counted_and_republished(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine,
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every kiosk shows the seats left after sign-ups anywhere; the operator's next import
    of the course file neither loses that count nor is shadowed by it."""
    store, _ = central
    courses_file = demo_dir / "courses.json"
    assert cli(store, "courses", "import", str(courses_file)) == 0
    engine.run_once()
    cat = catalogue(kiosk)
    course = next(c for c in cat.courses() if cat.seats_left(c) > 1)
    left = cat.seats_left(course)
    version, data = _course_on_server(store, course.id)
    signup_course(kiosk, RESIDENT, course, "13812345678", STATION, left, today=TODAY)
    assert cat.seats_left(course) == left - 1  # counted here before the server knows
    other = Resident(id_number="120111198001010011", name="张三", card_type="resident",
                     gender="male", birth_date=date(1980, 1, 1), key="d" * 32)
    full = next(c for c in cat.courses() if cat.seats_left(c) == 0)
    signup_course(kiosk, other, full, "13900001111", STATION, 0, today=TODAY)  # waiting list
    full_before = _course_on_server(store, full.id)

    status = engine.run_once()  # push, then the pull brings the republished course back
    assert status.pending == 0 and status.last_error is None
    new_version, new_data = _course_on_server(store, course.id)
    assert new_version == version + 1 and new_data["version"] == data["version"]
    assert new_data["seats_taken"] == data["seats_taken"] + 1 and new_data["kiosk_places"] == 1
    assert _course_on_server(store, full.id) == full_before  # a waiting place takes no seat
    pulled = cat.course(course.id)
    assert pulled is not None and pulled.seats_taken == data["seats_taken"] + 1
    assert cat.seats_left(pulled) == left - 1  # the kiosk's own sign-up is not counted twice

    # the same records pushed again (lost acks) count nothing
    with kiosk.write() as s:
        s.execute(update(OutboxRecord).values(state="pending"))
    engine.run_once()
    assert _course_on_server(store, course.id)[0] == new_version

    # the operator re-imports the same file: nothing changes; a newer record keeps the count
    capsys.readouterr()
    assert cli(store, "courses", "import", str(courses_file)) == 0
    assert "courses: 0 published, 8 unchanged" in capsys.readouterr().out
    records = json.loads(courses_file.read_text(encoding="utf-8"))["courses"]
    edited = dict(next(r for r in records if r["id"] == course.id), place="新的上课地点",
                  version=data["version"] + 1)
    changed = tmp_path / "courses-changed.json"
    changed.write_text(json.dumps([edited], ensure_ascii=False), encoding="utf-8")
    assert cli(store, "courses", "import", str(changed)) == 0
    final_version, final = _course_on_server(store, course.id)
    assert final_version > new_version and final["place"] == "新的上课地点"
    assert final["seats_taken"] == edited.get("seats_taken", 0) + 1
    engine.run_once()
    pulled = cat.course(course.id)
    assert pulled is not None and pulled.place == "新的上课地点"
    assert cat.seats_left(pulled) == left - 1

    # two kiosks offline at once gave the last seat of a full course twice: staff see it
    with store.write() as s:
        take_course_places(store, s, {full.id: 1})
    capsys.readouterr()
    assert cli(store, "courses", "places") == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert f"({1} at kiosks)" in lines[course.id] and "超员" not in lines[course.id]
    assert lines[full.id].endswith("超员 1")
