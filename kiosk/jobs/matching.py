"""Recommending jobs to a registered seeker, with the reasons shown beside each one.

Hard limits first: a job whose age or education requirement the person does not meet is never
recommended (showing it would only disappoint). Everything else is scored by how many of the
seeker's wishes it meets, and every point comes with a reason in plain Chinese, so the screen
can say *why* (离您家近：杨柳青镇, 薪资符合期望...). Reasons and refusals are in the resident's
language when they are made (kiosk.i18n); town names stay Chinese.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from kiosk.i18n import N_, tr
from kiosk.jobs.errors import ValidationError
from kiosk.jobs.search import SUMMARY_SQL, JobSummary, summary_from_row, tune_connection
from kiosk.jobs.towns import distance_km, town_label, towns_by_code
from kiosk.jobs.vocab import (
    EDUCATION,
    INDUSTRIES,
    JOB_TYPES,
    education_rank,
    industry_label,
    job_type_label,
)

NEAR_KM = 8.0  # a neighbouring town still counts as 离家近 within this distance
CANDIDATES = 3000  # newest matching jobs scored per request (bounds the work at 100k jobs)
MAX_SALARY = 100_000


MAX_SKILLS = 12
MAX_SKILL_LEN = 20


@dataclass(frozen=True)
class SeekerPreferences:
    """What a seeker registered (求职登记). Empty tuples mean "any"."""

    job_types: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()  # where they would like to work
    home_town: str | None = None  # where they live
    expected_salary: int | None = None  # 元/月
    education: str | None = None  # highest level reached (vocab.EDUCATION code)
    # For the matchmaker; matching does not read these (yet). Skills are the chips' Chinese
    # words; ``startup`` is 创业意向, the resident's entry in the 创业 talent library.
    skills: tuple[str, ...] = ()
    startup: bool = False

    def validate(self) -> None:
        """Raise ValidationError (field + Chinese message) for anything out of vocabulary."""
        for field, vocab, message in (("job_types", JOB_TYPES, N_("请重新选择工作类型。")),
                                      ("industries", INDUSTRIES, N_("请重新选择行业。")),
                                      ("towns", towns_by_code(), N_("请重新选择街镇。"))):
            unknown = [v for v in getattr(self, field) if v not in vocab]
            if unknown:
                raise ValidationError(field, tr(message), f"unknown {field}: {unknown}")
        if self.home_town is not None and self.home_town not in towns_by_code():
            raise ValidationError("home_town", tr("请重新选择您居住的街镇。"),
                                  f"unknown home_town {self.home_town!r}")
        if self.expected_salary is not None and not 0 <= self.expected_salary <= MAX_SALARY:
            raise ValidationError("expected_salary",
                                  tr("期望月薪请填写0到{max}之间的数字。").format(max=MAX_SALARY))
        if self.education is not None and self.education not in EDUCATION:
            raise ValidationError("education", tr("请重新选择学历。"),
                                  f"unknown education {self.education!r}")
        if len(self.skills) > MAX_SKILLS or any(
                not isinstance(v, str) or not 0 < len(v) <= MAX_SKILL_LEN for v in self.skills):
            raise ValidationError("skills", tr("请重新选择技能。"),
                                  f"skills must be ≤ {MAX_SKILLS} words of ≤ {MAX_SKILL_LEN}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SeekerPreferences:
        return cls(job_types=tuple(data.get("job_types") or ()),
                   industries=tuple(data.get("industries") or ()),
                   towns=tuple(data.get("towns") or ()),
                   home_town=data.get("home_town"),
                   expected_salary=data.get("expected_salary"),
                   education=data.get("education"),
                   skills=tuple(data.get("skills") or ()),
                   startup=bool(data.get("startup", False)))

    @classmethod
    def from_json(cls, text_: str) -> SeekerPreferences:
        return cls.from_dict(json.loads(text_ or "{}"))


class Recommendation(NamedTuple):
    job: JobSummary
    score: float
    reasons: list[str]


def recommend(session: Session, prefs: SeekerPreferences, age: int | None, limit: int = 20,
              today: date | None = None) -> list[Recommendation]:
    """The best live jobs for this seeker, best first, each with its reasons."""
    today = today or date.today()
    where = ["j.deleted = 0", "j.expires_on >= :today"]
    params: dict[str, Any] = {"today": today.isoformat(), "n": CANDIDATES}
    if age is not None:  # hard limits: never recommend what the person cannot apply for
        where.append("(j.age_min IS NULL OR j.age_min <= :age) "
                     "AND (j.age_max IS NULL OR j.age_max >= :age)")
        params["age"] = age
    if prefs.education is not None:
        allowed = [c for c in EDUCATION if education_rank(c) <= education_rank(prefs.education)]
        where.append(f"j.education_min IN ({', '.join(f':edu{i}' for i in range(len(allowed)))})")
        params.update({f"edu{i}": c for i, c in enumerate(allowed)})
    nearby = _nearby(prefs)
    wishes = []
    for column, values in (("industry", prefs.industries), ("job_type", prefs.job_types),
                           ("town", (*prefs.towns, *nearby))):
        if values:
            marks = [f":{column}{i}" for i in range(len(values))]
            wishes.append(f"j.{column} IN ({', '.join(marks)})")
            params.update({m[1:]: v for m, v in zip(marks, values, strict=True)})
    if wishes:
        where.append("(" + " OR ".join(wishes) + ")")
    tune_connection(session)
    sql = (f"SELECT {SUMMARY_SQL}, j.age_min, j.age_max FROM job j WHERE {' AND '.join(where)} "
           "ORDER BY j.posted_on DESC, j.seq DESC LIMIT :n")
    scored = []
    for row in session.execute(text(sql), params):
        job = summary_from_row(row)
        score, reasons = _score(job, row[-2], row[-1], prefs, age, today, nearby)
        scored.append(Recommendation(job, score, reasons))
    scored.sort(key=lambda r: (-r.score, -r.job.posted_on.toordinal(), r.job.id))
    return scored[:limit]


def _nearby(prefs: SeekerPreferences) -> dict[str, float]:
    """Towns within NEAR_KM of home, with their distance (home itself at 0)."""
    if not prefs.home_town:
        return {}
    return {t: d for t in towns_by_code()
            if (d := distance_km(prefs.home_town, t)) <= NEAR_KM}


def _score(job: JobSummary, age_min: int | None, age_max: int | None,
           prefs: SeekerPreferences, age: int | None, today: date,
           nearby: dict[str, float]) -> tuple[float, list[str]]:
    score = 0.0
    reasons: list[str] = []
    if prefs.home_town and job.town == prefs.home_town:
        score += 30
        reasons.append(tr("离您家近：{town}").format(town=town_label(job.town)))
    elif job.town in prefs.towns:
        score += 25
        reasons.append(tr("在您想去的{town}").format(town=town_label(job.town)))
    elif job.town in nearby:
        score += 15
        reasons.append(tr("离您家近：{town}（约{km}公里）").format(
            town=town_label(job.town), km=f"{nearby[job.town]:.0f}"))
    if job.industry in prefs.industries:
        score += 20
        reasons.append(tr("行业对口：{industry}").format(
            industry=industry_label(job.industry, translate=True)))
    if job.job_type in prefs.job_types:
        score += 15
        reasons.append(tr("工作类型相符：{job_type}").format(
            job_type=job_type_label(job.job_type, translate=True)))
    if prefs.expected_salary and job.salary_max is not None \
            and job.salary_max >= prefs.expected_salary:
        score += 20
        reasons.append(tr("薪资符合期望"))
    if prefs.education is not None:
        score += 5
        reasons.append(tr("学历要求相符"))
    if age is not None and (age_min is not None or age_max is not None):
        score += 5
        reasons.append(tr("年龄要求相符"))
    if (today - job.posted_on).days <= 3:
        score += 5
        reasons.append(tr("新发布"))
    return score, reasons
