"""A deterministic, realistic demo catalogue of Xiqing jobs of any size.

The same (count, seed, today) always gives the same catalogue, so demos, tests and benchmarks
can rebuild it anywhere without shipping a data file; dates are relative to ``today`` so a
catalogue generated today is live today. Records are in the import format of
docs/data-formats.md, each job carrying its employer.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from kiosk.jobs import generator_data as d
from kiosk.jobs.towns import towns_by_code

DEFAULT_SEED = 20220621  # the day the 乐业西青 plan was issued
FORMAT = "lexy-jobs"
FORMAT_VERSION = 1


def generate(count: int, seed: int = DEFAULT_SEED, today: date | None = None
             ) -> list[dict[str, Any]]:
    """``count`` job records (each with an ``employer`` object), live on ``today``."""
    if count < 0:
        raise ValueError("count must not be negative")
    return _Generator(seed, today or date.today()).jobs(count)


def generate_catalogue(count: int, seed: int = DEFAULT_SEED, today: date | None = None
                       ) -> dict[str, Any]:
    """The file form: a header plus the jobs, as ``kiosk jobs generate`` writes it."""
    today = today or date.today()
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "seed": seed,
            "generated_for": today.isoformat(), "jobs": generate(count, seed, today)}


def _r100(x: float) -> int:
    return round(x / 100.0) * 100


class _Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.version = today.toordinal()
        self.towns = towns_by_code()
        self.used_names: set[str] = set()
        self.communities: dict[str, dict[str, Any]] = {}

    # -- employers -----------------------------------------------------------------------
    def employers(self, n: int) -> list[dict[str, Any]]:
        rng = self.rng
        sectors = list(d.SECTOR_WEIGHTS)
        weights = list(d.SECTOR_WEIGHTS.values())
        out = []
        for j in range(n):
            if j < len(d.COVERAGE):
                sector, town = d.COVERAGE[j]
            else:
                sector = rng.choices(sectors, weights)[0]
                affinity = d.SECTOR_TOWNS.get(sector, {})
                town = rng.choices(d.TOWN_CODES,
                                   [affinity.get(t, 1) for t in d.TOWN_CODES])[0]
            out.append(self._employer(j, sector, town))
        return out

    def _employer(self, j: int, sector: str, town: str) -> dict[str, Any]:
        rng = self.rng
        town_full = self.towns[town].full_name
        roads, areas = d.TOWN_PLACES[town]
        road = rng.choice(roads)
        address = f"天津市西青区{town_full}{road}{rng.randint(1, 388)}号"
        if sector == "community_service":
            # a town has a handful of 居委会, and each posts several 公益性岗位: reuse them
            name = f"{town_full}{rng.choice(d.COMMUNITIES)}社区居民委员会"
            if name in self.communities:
                return self.communities[name]
            business = "承担社区服务和公益性岗位的日常管理，优先安置辖区就业困难人员"
        else:
            suffix, business = rng.choice(d.EMPLOYER_KINDS[sector])
            if suffix == "幼儿园":
                name = self._unique(lambda brand: f"天津市西青区{brand}幼儿园")
            elif suffix == "农民专业合作社":
                place = self.towns[town].name[:-1]  # 辛口镇 → 辛口
                name = self._unique(lambda brand: f"天津市西青区{place}{brand}农民专业合作社")
            else:
                name = self._unique(lambda brand: f"天津{brand}{suffix}")
        intro = rng.choice(d.INTROS).format(name=name, town=town_full, area=rng.choice(areas),
                                            road=road, business=business)
        employer = {"id": f"demo-{self.seed}-e{j:05d}", "name": name, "industry": sector,
                    "town": town, "address": address, "intro": intro, "version": self.version}
        if sector == "community_service":
            self.communities[name] = employer
        return employer

    def _unique(self, make: Callable[[str], str]) -> str:
        """A company name no other employer has: a few draws of a brand word, then of two
        brand words, then a branch number (large catalogues run out of short names)."""
        rng = self.rng
        name = ""
        for attempt in range(12):
            brand = rng.choice(d.BRANDS)
            if attempt >= 4:
                brand += rng.choice([b for b in d.BRANDS if b != brand])
            name = make(brand)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        n = 2
        while f"{name}第{n}分公司" in self.used_names:
            n += 1
        name = f"{name}第{n}分公司"
        self.used_names.add(name)
        return name

    # -- jobs ----------------------------------------------------------------------------
    def jobs(self, count: int) -> list[dict[str, Any]]:
        n_emp = max(min(count, len(d.COVERAGE)), count // 8)
        employers = self.employers(n_emp)
        rng = self.rng
        out = []
        for i in range(count):
            # every employer posts at least one job; a few post many, most a handful
            employer = employers[i] if i < n_emp else employers[int(n_emp * rng.random() ** 1.6)]
            out.append(self._job(i, employer))
        return out

    def _job(self, i: int, employer: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        sector, town = employer["industry"], employer["town"]
        choices = [t for t in d.TITLES[sector] if not t.towns or town in t.towns]
        tpl = rng.choice(choices)
        job_type = rng.choices([t for t, _ in tpl.types], [w for _, w in tpl.types])[0]
        salary_min, salary_max = self._salary(tpl, job_type)
        age_min, age_max = self._age(tpl, job_type)
        headcount = self._headcount(sector, job_type)
        skills = [s for s in tpl.skills if rng.random() < 0.8] or [tpl.skills[0]]
        hours = rng.choice(d.HOURS.get(job_type) or d.HOURS[d.SECTOR_HOURS[sector]])
        posted = self.today - timedelta(days=min(60, int(rng.expovariate(1 / 12))))
        expires = self.today + timedelta(days=rng.randint(3, 90))
        return {
            "id": f"demo-{self.seed}-{i:06d}",
            "version": self.version,
            "title": tpl.title,
            "employer": employer,
            "industry": sector,
            "job_type": job_type,
            "town": town,
            "address": employer["address"],
            "salary_min": salary_min,
            "salary_max": salary_max,
            "education_min": tpl.education,
            "age_min": age_min,
            "age_max": age_max,
            "headcount": headcount,
            "skills": skills,
            "benefits": self._benefits(job_type),
            "work_hours": hours,
            "description": self._description(tpl, job_type, employer, headcount, age_min,
                                             age_max, hours),
            "posted_on": posted.isoformat(),
            "expires_on": expires.isoformat(),
            "contact": {"name": rng.choice(d.SURNAMES) + rng.choice(("女士", "先生")),
                        "phone": rng.choice(d.PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"},
        }

    def _salary(self, tpl: d.TitleTemplate, job_type: str) -> tuple[int | None, int | None]:
        rng = self.rng
        a, b = tpl.salary
        if job_type == "parttime":
            lo = _r100(a * rng.uniform(0.35, 0.5))
            return lo, lo + _r100(rng.uniform(500, 1500))
        if job_type == "internship":
            lo = _r100(rng.uniform(2400, 2800))
            return lo, max(lo + 300, _r100(min(a * 0.8, 4500)))
        if job_type == "flexible":
            lo = _r100(rng.uniform(a, (a + b) / 2))
            return lo, max(lo + 500, _r100(b * rng.uniform(1.0, 1.3)))
        if job_type == "public_welfare":
            lo = _r100(rng.uniform(a, (a + b) / 2))
            return lo, max(lo, _r100(rng.uniform(lo + 200, b)))
        if tpl.education in ("college", "bachelor") and rng.random() < 0.04:
            return None, None  # 面议
        lo = _r100(rng.uniform(a, a + (b - a) * 0.5))
        hi = _r100(min(b, lo + rng.uniform(800, max(1000, (b - a) * 0.8))))
        return lo, max(hi, lo + 500)

    def _age(self, tpl: d.TitleTemplate, job_type: str) -> tuple[int | None, int | None]:
        rng = self.rng
        if job_type == "internship":
            return 16 if tpl.education in ("none", "junior", "senior") else 18, 30
        if job_type != "public_welfare" and rng.random() < 0.12:
            return None, None  # 年龄不限
        lo, hi = tpl.age
        return lo + rng.choice((0, 0, 0, 2)), hi - rng.choice((0, 0, 5))

    def _headcount(self, sector: str, job_type: str) -> int:
        rng = self.rng
        if job_type in ("flexible",) or sector in ("manufacturing", "logistics_platform"):
            return rng.choice((2, 3, 5, 5, 8, 10, 10, 15, 20, 30, 50))
        return rng.choice((1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10))

    def _benefits(self, job_type: str) -> list[str]:
        rng = self.rng
        picked: list[str] = []
        if job_type in d.BENEFITS_BY_TYPE:
            pool = d.BENEFITS_BY_TYPE[job_type]
            picked = rng.sample(pool, k=min(len(pool), rng.randint(2, 3)))
        if job_type in ("fulltime", "internship", "flexible"):
            extra = rng.sample(d.BENEFITS_COMMON, k=rng.randint(2, 5))
            if job_type == "fulltime" and not {"五险一金", "五险"} & set(extra):
                extra.insert(0, rng.choice(("五险一金", "五险")))
            if "五险一金" in extra and "五险" in extra:
                extra.remove("五险")
            picked += [b for b in extra if b not in picked]
        return picked

    def _description(self, tpl: d.TitleTemplate, job_type: str, employer: dict[str, Any],
                     n: int, age_min: int | None, age_max: int | None, hours: str) -> str:
        rng = self.rng
        recruit = rng.choice(d.RECRUIT[job_type]).format(title=tpl.title, n=n)
        n_duties = min(len(tpl.duties), rng.randint(2, 3))
        duties = [tpl.duties[k] for k in sorted(rng.sample(range(len(tpl.duties)), n_duties))]
        age = f"年龄{age_min}-{age_max}周岁" if age_min and age_max else "年龄不限"
        reqs = [d.EDU_PHRASE[tpl.education], age, *tpl.reqs]
        lines = [
            employer["intro"] + recruit,
            "岗位职责：" + "；".join(f"{k + 1}. {x}" for k, x in enumerate(duties)) + "。",
            "任职要求：" + "，".join(reqs) + "。",
            f"工作时间：{hours}。",
        ]
        return "\n".join(lines)
