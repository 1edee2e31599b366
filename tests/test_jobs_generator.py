"""The demo catalogue: deterministic, realistic, valid in its own import format."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest

from kiosk.jobs import generator_data
from kiosk.jobs.catalogue import validate_job_record
from kiosk.jobs.generator import generate, generate_catalogue
from kiosk.jobs.towns import distance_km, load_towns, resolve_town, towns_by_code
from kiosk.jobs.vocab import INDUSTRIES, JOB_TYPES

TODAY = date(2026, 5, 1)


@pytest.fixture(scope="module")
def jobs() -> list[dict]:
    return generate(1500, seed=11, today=TODAY)


def test_same_seed_same_catalogue_other_seed_other_catalogue() -> None:
    a = generate(300, seed=5, today=TODAY)
    assert a == generate(300, seed=5, today=TODAY)
    assert a != generate(300, seed=6, today=TODAY)
    assert len(a) == 300
    assert len({j["id"] for j in a}) == 300


def test_every_sector_town_and_job_type_is_present(jobs: list[dict]) -> None:
    assert {j["industry"] for j in jobs} == set(INDUSTRIES)
    assert {j["town"] for j in jobs} == set(towns_by_code())
    assert {j["job_type"] for j in jobs} == set(JOB_TYPES)
    # even a tiny catalogue shows every sector and every town
    small = generate(11, seed=1, today=TODAY)
    assert {j["industry"] for j in small} == set(INDUSTRIES)
    assert {j["town"] for j in small} == set(towns_by_code())


def test_salaries_are_plausible_for_sector_and_type(jobs: list[dict]) -> None:
    paid = [j for j in jobs if j["salary_min"] is not None]
    assert len(paid) > 0.95 * len(jobs)  # a few 面议, not many
    for j in paid:
        assert 1000 <= j["salary_min"] <= j["salary_max"] <= 20000, j
        assert j["salary_min"] % 100 == 0 and j["salary_max"] % 100 == 0
        if j["job_type"] == "public_welfare":
            assert j["salary_max"] <= 4600, j
        if j["job_type"] == "parttime":
            assert j["salary_max"] <= 6500, j
        if j["job_type"] == "internship":
            assert 2400 <= j["salary_min"] <= 2800, j
    by_title: dict[str, list[int]] = {}
    for j in paid:
        if j["job_type"] == "fulltime":
            by_title.setdefault(j["title"], []).append(j["salary_max"])
    # engineers earn more than cleaners
    assert min(by_title["软件测试工程师"]) > max(by_title["保洁员"])


def test_dates_are_relative_to_today(jobs: list[dict]) -> None:
    for j in jobs:
        posted, expires = date.fromisoformat(j["posted_on"]), date.fromisoformat(j["expires_on"])
        assert TODAY - timedelta(days=60) <= posted <= TODAY < expires
    later = generate(50, seed=11, today=TODAY + timedelta(days=100))
    assert all(date.fromisoformat(j["expires_on"]) > TODAY + timedelta(days=100) for j in later)


def test_wording_is_realistic(jobs: list[dict]) -> None:
    titles = Counter(j["title"] for j in jobs)
    for expected in ("汽车零部件装配工", "数控车床操作工", "仓储分拣员", "养老护理员",
                     "幼儿园保育员", "软件测试工程师", "电商客服", "网约配送员",
                     "设施农业技术员", "保洁员", "保安员", "社区网格员"):
        assert titles[expected] > 0, expected
    for j in jobs:
        d = j["description"]
        assert "岗位职责" in d and "任职要求" in d and j["title"] in d
        assert "lorem" not in d.lower()
        name = j["employer"]["name"]
        assert name.endswith(("有限公司", "幼儿园", "居民委员会", "合作社", "护理院", "学校",
                              "中心", "分公司")), name
        assert j["address"].startswith("天津市西青区")
        assert towns_by_code()[j["town"]].full_name in j["address"]
        assert len(j["contact"]["phone"]) == 11
    public = [j for j in jobs if j["job_type"] == "public_welfare"]
    assert all("公益性岗位" in j["description"] for j in public)
    internships = [j for j in jobs if j["job_type"] == "internship"]
    assert all("见习" in j["description"] for j in internships)


def test_local_specialities_stay_in_their_towns(jobs: list[dict]) -> None:
    for j in generate(3000, seed=2, today=TODAY):
        if j["title"] == "沙窝萝卜种植员":
            assert j["town"] == "xinkou"
        if j["title"] == "年画绘制学徒":
            assert j["town"] == "yangliuqing"
    agri = [j for j in jobs if j["industry"] == "urban_agriculture"]
    assert not [j for j in agri if towns_by_code()[j["town"]].kind == "street"]


def test_records_are_valid_import_records_and_json(jobs: list[dict]) -> None:
    for j in jobs[:300]:
        row = validate_job_record(j)
        assert row["title_initials"]
    text = json.dumps(generate_catalogue(20, seed=3, today=TODAY), ensure_ascii=False)
    data = json.loads(text)
    assert data["format"] == "lexy-jobs" and len(data["jobs"]) == 20


def test_templates_cover_every_sector() -> None:
    assert set(generator_data.TITLES) == set(INDUSTRIES)
    for sector, titles in generator_data.TITLES.items():
        assert len(titles) >= 8, sector
        for t in titles:
            assert all(code in JOB_TYPES for code, _ in t.types), t.title


def test_towns_map_is_complete_and_schematic() -> None:
    towns = load_towns()
    names = {t.name for t in towns}
    for expected in ("杨柳青镇", "中北镇", "精武镇", "大寺镇", "王稳庄镇", "辛口镇", "张家窝镇",
                     "西营门街", "李七庄街", "赤龙南街", "津门湖街"):
        assert expected in names
    codes = {t.name: t.nbs_code for t in towns}
    assert codes["杨柳青镇"] == "120111101" and codes["西营门街"] == "120111001"
    assert codes["津门湖街"] is None  # unconfirmed in the reference: left empty, not invented
    for t in towns:
        assert len(t.outline) >= 3
        assert 38.8 < t.lat < 39.3 and 116.8 < t.lon < 117.4
    assert 5 < distance_km("yangliuqing", "zhongbei") < 10
    assert distance_km("xinkou", "jinmenhu") > distance_km("xinkou", "yangliuqing")
    assert resolve_town("杨柳青") == "yangliuqing"
    assert resolve_town("西营门街道") == "xiyingmen"
    assert resolve_town("120111105") == "dasi"
    assert resolve_town("北京") is None
