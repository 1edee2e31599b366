"""Pulling the catalogue streams from the real server: snapshot, cursor pages, 410, refusals,
application statuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from central import applications, streams
from central.db import Store
from central.server import ServerThread
from central.testing import enrolled_kiosk, running_central, sync_engine
from kiosk.jobs.catalogue import live_count
from kiosk.jobs.generator import generate
from kiosk.paths import resource
from kiosk.store.engine import Database
from kiosk.store.models import Application, Job, PullCheckpoint, SyncEntity
from kiosk.store.outbox import enqueue
from kiosk.sync.cache import entities, entity
from kiosk.sync.engine import SyncEngine
from kiosk.sync.pull import Puller


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, ServerThread]]:
    with running_central(tmp_path) as pair:
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


def puller(engine: SyncEngine, **kwargs: Any) -> Puller:
    client = engine._ensure_client()
    assert client is not None
    return Puller(engine.db, client, **kwargs)


def pack(pid: str, version: int, good: bool = True) -> dict[str, Any]:
    """The bundled rule pack as the server publishes it; a bad one fails to load."""
    files = {f.name: f.read_text(encoding="utf-8") for f in resource("policies").glob("*.yaml")}
    if not good:
        files["pack.yaml"] = "version: ["
    return {"id": pid, "version": version, "files": files}


def job_ids(db: Database) -> set[str]:
    with db.read() as s:
        return set(s.scalars(select(Job.id).where(Job.deleted.is_(False))))


def test_new_kiosk_takes_a_snapshot_then_pulls_changes(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    jobs = generate(120)
    streams.publish(store, "jobs", jobs)
    streams.publish(store, "announcements", [{"id": "a1", "version": 1, "title": "招聘会"}])
    streams.publish(store, "station_settings", [{"id": "XQ-YLQ-01", "version": 1,
                                                 "hours": "9:00-17:00"}])
    streams.publish(store, "policy_packs", [pack("tianjin-2025", 1)])
    p = puller(engine, snapshot_limit=50, page_limit=40)
    p.pull_all()
    assert job_ids(kiosk) == {j["id"] for j in jobs}
    with kiosk.read() as s:
        cp = s.get(PullCheckpoint, "jobs")
        assert cp is not None and cp.snapshot_done and cp.cursor == str(
            streams.latest_seq(store, "jobs"))
        assert [a["title"] for a in entities(s, "announcements")] == ["招聘会"]
        assert entity(s, "station_settings", "XQ-YLQ-01") == {
            "id": "XQ-YLQ-01", "version": 1, "hours": "9:00-17:00"}
        assert entity(s, "policy_packs", "tianjin-2025") is not None
    # then incremental: one job changed, one deleted, one announcement withdrawn
    changed = dict(jobs[0], version=jobs[0]["version"] + 1, title="新标题")
    streams.publish(store, "jobs", [changed])
    streams.retract(store, "jobs", [jobs[1]["id"]])
    streams.retract(store, "announcements", ["a1"])
    p.pull_all()
    assert job_ids(kiosk) == {j["id"] for j in jobs[1:]} - {jobs[1]["id"]} | {jobs[0]["id"]}
    with kiosk.read() as s:
        assert s.scalar(select(Job.title).where(Job.id == jobs[0]["id"])) == "新标题"
        assert entities(s, "announcements") == []


def test_a_page_applied_twice_changes_nothing(central: tuple[Store, ServerThread],
                                               kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    streams.publish(store, "announcements",
                    [{"id": f"a{i}", "version": 1, "title": f"通知{i}"} for i in range(30)])
    p = puller(engine, streams=["announcements"], page_limit=7)
    p.pull_all()
    streams.publish(store, "announcements", [{"id": "a3", "version": 2, "title": "改"}])
    p.pull_all()
    with kiosk.read() as s:
        before = [(e.id, e.version, e.data) for e in s.scalars(select(SyncEntity))]
    # a kill before the cursor was saved: the kiosk pulls from an old cursor again
    with kiosk.write() as s:
        s.execute(update(PullCheckpoint).values(cursor="0"))
    p.pull_all()
    with kiosk.read() as s:
        after = [(e.id, e.version, e.data) for e in s.scalars(select(SyncEntity))]
    assert before == after
    assert json.loads(str(dict((i, d) for i, _, d in after)["a3"]))["title"] == "改"


def test_interrupted_snapshot_resumes_where_it_stopped(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    jobs = generate(90)
    streams.publish(store, "jobs", jobs)
    calls = [0]

    def after_one_page() -> bool:
        calls[0] += 1
        return calls[0] > 1

    p = puller(engine, streams=["jobs"], snapshot_limit=20)
    p.pull_stream("jobs", should_stop=after_one_page)
    with kiosk.read() as s:
        cp = s.get(PullCheckpoint, "jobs")
        assert cp is not None and not cp.snapshot_done and cp.snapshot_after
    assert 0 < len(job_ids(kiosk)) < 90
    streams.publish(store, "jobs", [dict(jobs[0], version=jobs[0]["version"] + 5,
                                         title="快照期间改的")])
    p.pull_stream("jobs")
    assert job_ids(kiosk) == {j["id"] for j in jobs}
    with kiosk.read() as s:
        assert s.scalar(select(Job.title).where(Job.id == jobs[0]["id"])) == "快照期间改的"


def test_expired_cursor_leads_to_a_snapshot_that_carries_deletions(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    jobs = generate(40)
    streams.publish(store, "jobs", jobs)
    p = puller(engine, streams=["jobs"])
    p.pull_all()
    gone = [j["id"] for j in jobs[:5]]
    streams.retract(store, "jobs", gone)
    streams.publish(store, "jobs", generate(45)[40:])
    streams.compact(store, "jobs", streams.latest_seq(store, "jobs"))  # the log is gone
    p.pull_all()
    assert job_ids(kiosk) == {j["id"] for j in generate(45)} - set(gone)
    with kiosk.read() as s:
        cp = s.get(PullCheckpoint, "jobs")
        assert cp is not None and cp.snapshot_done


def test_bad_policy_pack_is_refused_and_last_good_kept(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    streams.publish(store, "policy_packs", [pack("tj", 1)])
    engine.run_once()
    streams.publish(store, "policy_packs", [pack("tj", 2, good=False)])
    status = engine.run_once()
    assert status.last_error == "server" and "refused" in (status.last_error_detail or "")
    with kiosk.read() as s:
        kept = entity(s, "policy_packs", "tj")
    assert kept is not None and kept["version"] == 1
    streams.publish(store, "policy_packs", [pack("tj", 3)])
    assert engine.run_once().last_error is None  # the good pack clears the refusal
    with kiosk.read() as s:
        assert entity(s, "policy_packs", "tj")["version"] == 3  # type: ignore[index]


def test_one_bad_job_is_refused_the_rest_of_the_page_applied(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    jobs = generate(20)
    jobs[7] = dict(jobs[7], salary_min=9000, salary_max=10)  # fails catalogue validation
    streams.publish(store, "jobs", jobs)
    result = puller(engine, streams=["jobs"]).pull_all()
    assert len(result.refused) == 1 and jobs[7]["id"] in result.refused[0]
    assert job_ids(kiosk) == {j["id"] for i, j in enumerate(jobs) if i != 7}
    with kiosk.read() as s:
        assert live_count(s) == 19


def test_application_status_comes_back_to_the_kiosk(
        central: tuple[Store, ServerThread], kiosk: Database, engine: SyncEngine) -> None:
    store, _ = central
    with kiosk.write() as s:
        app = Application(number="SQ-YLQ01-261126-ABCDE", token="t0k3n", resident_key="k" * 32,
                          name_masked="李*兰", id_masked="120111********002X",
                          policy_id="difficulty-recognition", policy_name="就业困难人员认定",
                          decision="{}", rule_pack="2025.1", status="submitted",
                          status_text="")
        s.add(app)
        s.flush()
        enqueue(s, "application", {"id": app.id, "number": app.number}, record_id=app.id)
    engine.run_once()
    assert applications.set_status(store, app.id, "approved", "已通过，请到窗口领取")
    engine.run_once()
    with kiosk.read() as s:
        row = s.get(Application, app.id)
        assert row is not None and row.status == "approved"
        assert row.status_text == "已通过，请到窗口领取" and row.status_updated_at is not None
        assert s.scalar(select(func.count()).select_from(Application)) == 1
