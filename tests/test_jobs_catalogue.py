"""Storing the catalogue: versioned upserts, deletions, expiry, validation and both indexes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kiosk.jobs.catalogue import (
    CatalogueFormatError,
    catalogue_version,
    delete_jobs,
    live_count,
    purge_expired,
    rebuild_search_index,
    upsert_employers,
    upsert_jobs,
    validate_job_record,
)
from kiosk.jobs.demo import ensure_demo_catalogue
from kiosk.jobs.search import JobNotFoundError, JobQuery, count, get_job, search
from kiosk.store.engine import Database
from kiosk.store.models import Employer, Job

TODAY = date(2026, 5, 1)


def job(id_: str, title: str = "保洁员", version: int = 1, **over: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": id_, "version": version, "title": title,
        "employer": {"id": "e1", "name": "天津华盛物业服务有限公司", "version": 1,
                     "town": "yangliuqing", "intro": "负责小区物业管理。"},
        "industry": "business", "job_type": "fulltime", "town": "yangliuqing",
        "address": "天津市西青区杨柳青镇柳口路1号", "salary_min": 3500, "salary_max": 4500,
        "education_min": "none", "age_min": 30, "age_max": 60, "headcount": 2,
        "skills": ["清洁保洁"], "benefits": ["五险", "免费工作餐"], "work_hours": "做六休一",
        "description": "负责楼道和公共区域的清洁。",
        "posted_on": (TODAY - timedelta(days=2)).isoformat(),
        "expires_on": (TODAY + timedelta(days=30)).isoformat(),
        "contact": {"name": "王女士", "phone": "13812345678"},
    }
    record.update(over)
    return record


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "k.db").open()
    yield database
    database.close()


def ids(db: Database, q: JobQuery, today: date = TODAY) -> list[str]:
    with db.read() as s:
        return [j.id for j in search(s, q, 0, 100, today)]


def test_migration_creates_tables_indexes_and_triggers(db: Database) -> None:
    with db.read() as s:
        names = set(s.execute(text("SELECT name FROM sqlite_master")).scalars())
    assert {"job", "employer", "job_fts", "job_grams", "job_fts_ai", "job_fts_ad", "job_fts_au",
            "ix_job_live", "ix_job_live_posted", "ix_job_live_town", "ix_job_live_salary"} <= names


def test_import_then_reimport_changes_nothing(db: Database) -> None:
    records = [job("j1"), job("j2", "保安员"), job("j3", "货车司机")]
    with db.write() as s:
        assert upsert_jobs(s, records) == 3
    with db.write() as s:
        assert upsert_jobs(s, records) == 0
    with db.read() as s:
        assert live_count(s, TODAY) == 3
        assert s.get_one(Employer, "e1").name == "天津华盛物业服务有限公司"
        assert catalogue_version(s)[0] == 1
        stored = s.query(Job).filter_by(id="j1").one()
        assert stored.title_initials == "bjy"
        assert stored.skills == "清洁保洁" and stored.benefits == "五险、免费工作餐"


def test_only_a_newer_version_updates_and_the_indexes_follow(db: Database) -> None:
    with db.write() as s:
        upsert_jobs(s, [job("j1", "保洁员", version=2)])
    with db.write() as s:  # older: ignored
        assert upsert_jobs(s, [job("j1", "月嫂", version=1)]) == 0
    assert ids(db, JobQuery(text="保洁")) == ["j1"]
    with db.write() as s:  # newer: applied, old words gone from both indexes
        assert upsert_jobs(s, [job("j1", "母婴护理员", version=3,
                                   description="照护新生儿。", skills=["新生儿护理"])]) == 1
    assert ids(db, JobQuery(text="保洁")) == []  # 2-character (gram) index
    assert ids(db, JobQuery(text="保洁员")) == []  # trigram index
    assert ids(db, JobQuery(text="护理")) == ["j1"]
    assert ids(db, JobQuery(text="母婴护理")) == ["j1"]
    assert ids(db, JobQuery(text="myhly")) == ["j1"]  # new initials
    with db.read() as s:
        assert s.execute(text("INSERT INTO job_fts(job_fts, rank) VALUES('integrity-check', 1)"))
        assert s.execute(text("INSERT INTO job_grams(job_grams, rank) "
                              "VALUES('integrity-check', 0)"))


def test_duplicate_ids_in_one_batch_keep_the_newest(db: Database) -> None:
    with db.write() as s:
        assert upsert_jobs(s, [job("j1", "保安员", version=1), job("j1", "保洁员", version=4),
                               job("j1", "司机", version=2)]) == 1
        assert s.query(Job).filter_by(id="j1").one().title == "保洁员"


def test_deletion_hides_at_once_and_purge_removes_rows_and_index_entries(db: Database) -> None:
    with db.write() as s:
        upsert_jobs(s, [job("j1"), job("j2", "保安员"), job("j3", "保洁组长"),
                        job("old", "保洁领班", expires_on=(TODAY - timedelta(days=1)).isoformat(),
                            posted_on=(TODAY - timedelta(days=40)).isoformat())])
    with db.write() as s:
        assert delete_jobs(s, ["j2", "nope"]) == 1
        assert upsert_jobs(s, [{"id": "j3", "version": 5, "deleted": True}]) == 1
        assert upsert_jobs(s, [{"id": "never-seen", "version": 1, "deleted": True}]) == 0
    assert ids(db, JobQuery()) == ["j1"]
    with db.read() as s:
        assert count(s, JobQuery(text="保洁"), TODAY) == 1
    with db.write() as s:
        assert purge_expired(s, TODAY) == 3  # j2, j3 (deleted) and old (expired)
    with db.read() as s:
        assert [r for (r,) in s.execute(text("SELECT id FROM job"))] == ["j1"]
        assert s.execute(text("SELECT count(*) FROM job_fts WHERE job_fts MATCH '\"保洁领班\"'")
                         ).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM job_grams WHERE job_grams MATCH '\"领班\"'")
                         ).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM job_grams WHERE job_grams MATCH '\"保洁\"'")
                         ).scalar() == 1
        s.execute(text("INSERT INTO job_fts(job_fts, rank) VALUES('integrity-check', 1)"))


def test_expired_jobs_disappear_by_themselves(db: Database) -> None:
    with db.write() as s:
        upsert_jobs(s, [job("today", expires_on=TODAY.isoformat()),
                        job("yesterday", expires_on=(TODAY - timedelta(days=1)).isoformat(),
                            posted_on=(TODAY - timedelta(days=9)).isoformat())])
    assert ids(db, JobQuery(text="保洁")) == ["today"]
    assert ids(db, JobQuery()) == ["today"]
    assert ids(db, JobQuery(), today=TODAY + timedelta(days=1)) == []
    with db.read() as s:
        assert get_job(s, "today", TODAY).title == "保洁员"
        with pytest.raises(JobNotFoundError):
            get_job(s, "yesterday", TODAY)
        assert live_count(s, TODAY) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"title": ""}, "title"),
    ({"town": "北京市朝阳区"}, "town"),
    ({"industry": "mining"}, "industry"),
    ({"job_type": "gig"}, "job_type"),
    ({"salary_min": 9000, "salary_max": 5000}, "salary_min"),
    ({"posted_on": "2026/05/01"}, "posted_on"),
    ({"expires_on": "2026-01-01"}, "expires_on"),
    ({"version": "3"}, "version"),
    ({"age_min": 3}, "age_min"),
    ({"skills": 5}, "skills"),
])
def test_bad_records_are_refused_with_record_and_field(db: Database, change: dict[str, Any],
                                                       field: str) -> None:
    with pytest.raises(CatalogueFormatError) as err, db.write() as s:
        upsert_jobs(s, [job("good"), job("bad", **change)])
    assert err.value.field == field
    assert "bad" in str(err.value) and field in str(err.value)
    with db.read() as s:  # one bad record, nothing stored
        assert live_count(s, TODAY) == 0


def test_labels_and_codes_are_both_accepted() -> None:
    row = validate_job_record(job("j", town="杨柳青镇", industry="商务服务", job_type="兼职",
                                  education_min="高中/中专"))
    assert (row["town"], row["industry"], row["job_type"], row["education_min"]) == \
        ("yangliuqing", "business", "parttime", "senior")
    flat = job("k", employer_id="e9", employer_name="天津某某有限公司")
    del flat["employer"]
    assert validate_job_record(flat)["employer_name"] == "天津某某有限公司"


def test_employers_are_versioned_too(db: Database) -> None:
    with db.write() as s:
        assert upsert_employers(s, [{"id": "e1", "version": 2, "name": "天津甲有限公司"}]) == 1
        assert upsert_employers(s, [{"id": "e1", "version": 1, "name": "天津乙有限公司"}]) == 0
        assert upsert_employers(s, [{"id": "e1", "version": 3, "name": "天津丙有限公司"}]) == 1
        assert s.get_one(Employer, "e1").name == "天津丙有限公司"


def test_rebuilding_the_indexes_keeps_search_working(db: Database) -> None:
    with db.write() as s:
        upsert_jobs(s, [job("j1"), job("j2", "货车司机")])
    with db.write() as s:
        assert rebuild_search_index(s) == 2
    assert ids(db, JobQuery(text="司机")) == ["j2"]
    assert ids(db, JobQuery(text="货车司机")) == ["j2"]


def test_demo_catalogue_is_made_once(db: Database) -> None:
    assert ensure_demo_catalogue(db, count=120, seed=4, today=TODAY) == 120
    assert ensure_demo_catalogue(db, count=120, seed=4, today=TODAY) == 0
    with db.read() as s:
        assert live_count(s, TODAY) == 120
    # months later the demo jobs have expired: the same jobs come back with new dates
    later = TODAY + timedelta(days=200)
    assert ensure_demo_catalogue(db, count=120, seed=4, today=later) == 120
    with db.read() as s:
        assert live_count(s, later) == 120
        assert s.execute(text("SELECT count(*) FROM job")).scalar() == 120
