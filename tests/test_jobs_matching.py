"""Recommendations: hard limits on age and education, scores with reasons in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.jobs.catalogue import upsert_jobs
from kiosk.jobs.errors import ValidationError
from kiosk.jobs.generator import generate
from kiosk.jobs.matching import SeekerPreferences, recommend
from kiosk.store.engine import Database

TODAY = date(2026, 5, 1)


def job(id_: str, **over: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": id_, "version": 1, "title": "物业管理员", "employer_id": "e",
        "employer_name": "天津华盛物业服务有限公司", "industry": "business", "job_type": "fulltime",
        "town": "yangliuqing", "salary_min": 4500, "salary_max": 6000, "education_min": "senior",
        "age_min": 22, "age_max": 50, "posted_on": (TODAY - timedelta(days=10)).isoformat(),
        "expires_on": (TODAY + timedelta(days=30)).isoformat(), "description": "负责小区物业服务。",
    }
    record.update(over)
    return record


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "k.db").open()
    with database.write() as s:
        upsert_jobs(s, [
            job("home"),  # at home, in the wished industry, pays enough
            job("near", town="zhongbei", salary_max=5500, posted_on=TODAY.isoformat()),
            job("wished-town", town="dasi", industry="new_retail", salary_min=3500,
                salary_max=4000),
            job("far", town="wangwenzhuang", industry="logistics_platform",
                job_type="flexible", salary_max=9000, age_min=None, age_max=None),
            job("too-old", age_min=18, age_max=35),  # the seeker is 45
            job("too-learned", education_min="bachelor"),  # the seeker finished 高中
            job("no-limits", town="jinmenhu", industry="digital_economy", education_min="none",
                job_type="parttime",
                age_min=None, age_max=None, salary_min=None, salary_max=None),
            job("expired", expires_on=(TODAY - timedelta(days=1)).isoformat()),
        ])
    yield database
    database.close()


PREFS = SeekerPreferences(job_types=("fulltime",), industries=("business",), towns=("dasi",),
                          home_town="yangliuqing", expected_salary=5000, education="senior")


def test_best_first_with_reasons(db: Database) -> None:
    with db.read() as s:
        recs = recommend(s, PREFS, age=45, limit=10, today=TODAY)
    order = [r.job.id for r in recs]
    assert order[0] == "home"
    home = recs[0]
    assert home.reasons[:5] == ["离您家近：杨柳青镇", "行业对口：商务服务", "工作类型相符：全职",
                                "薪资符合期望", "学历要求相符"]
    assert "年龄要求相符" in home.reasons
    near = next(r for r in recs if r.job.id == "near")
    assert near.reasons[0].startswith("离您家近：中北镇（约")
    assert "新发布" in near.reasons
    wished = next(r for r in recs if r.job.id == "wished-town")
    assert wished.reasons[0] == "在您想去的大寺镇"
    assert "薪资符合期望" not in wished.reasons
    assert home.score > near.score > 0
    scores = [r.score for r in recs]
    assert scores == sorted(scores, reverse=True)


def test_limits_the_person_does_not_meet_exclude_the_job(db: Database) -> None:
    with db.read() as s:
        ids = {r.job.id for r in recommend(s, PREFS, age=45, limit=50, today=TODAY)}
        assert "too-old" not in ids and "too-learned" not in ids and "expired" not in ids
        young = {r.job.id for r in recommend(s, PREFS, age=30, limit=50, today=TODAY)}
        assert "too-old" in young
        graduate = SeekerPreferences(**{**PREFS.to_dict(), "education": "master"})
        assert "too-learned" in {r.job.id for r in recommend(s, graduate, 45, 50, TODAY)}
        # unknown age or education: nothing can be ruled out on it, and no reason claims it
        unknown = SeekerPreferences(home_town="yangliuqing")
        recs = recommend(s, unknown, None, 50, TODAY)
        assert {"too-old", "too-learned"} <= {r.job.id for r in recs}
        assert not any("年龄要求相符" in r.reasons or "学历要求相符" in r.reasons for r in recs)


def test_wishes_narrow_the_candidates_and_no_wishes_mean_anything(db: Database) -> None:
    with db.read() as s:
        ids = {r.job.id for r in recommend(s, PREFS, 45, 50, TODAY)}
        assert "no-limits" not in ids  # neither industry, type nor town wished for
        anything = {r.job.id for r in recommend(s, SeekerPreferences(), 45, 50, TODAY)}
        assert {"no-limits", "far"} <= anything


def test_preferences_are_validated_and_round_trip() -> None:
    assert SeekerPreferences.from_json(PREFS.to_json()) == PREFS
    PREFS.validate()
    for bad, field in ((SeekerPreferences(job_types=("gig",)), "job_types"),
                       (SeekerPreferences(towns=("beijing",)), "towns"),
                       (SeekerPreferences(home_town="x"), "home_town"),
                       (SeekerPreferences(expected_salary=-1), "expected_salary"),
                       (SeekerPreferences(education="phd"), "education")):
        with pytest.raises(ValidationError) as err:
            bad.validate()
        assert err.value.field == field
        assert any("\u4e00" <= c <= "\u9fff" for c in err.value.message)  # plain Chinese


def test_recommending_from_a_large_catalogue_stays_bounded(tmp_path: Path) -> None:
    db = Database(tmp_path / "big.db").open()
    try:
        with db.write() as s:
            upsert_jobs(s, generate(1500, seed=3, today=TODAY))
        prefs = SeekerPreferences(job_types=("fulltime", "parttime"),
                                  industries=("elderly_health",), home_town="jingwu",
                                  expected_salary=5000, education="junior")
        with db.read() as s:
            recs = recommend(s, prefs, age=50, limit=20, today=TODAY)
        assert len(recs) == 20
        for r in recs:
            assert r.job.education_min in ("none", "junior")
            assert r.reasons
    finally:
        db.close()
