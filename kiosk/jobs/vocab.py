"""The catalogue's fixed vocabularies: sectors, job types and education levels.

Codes are stable ASCII keys (they travel in sync pages and import files and are stored in the
database); labels are what residents read. Sectors follow the 乐业西青 plan (2022) §三.1: the
manufacturing chains, the producer services (研发与信息技术服务, 商务服务), the consumer services
(文化旅游, 文化教育, 养老健康, 新零售), 现代都市农业, 数字经济 and, from §3 and §9, 物流与平台
经济 and the 公益性岗位/社区服务 jobs the plan has the district create.
"""

from __future__ import annotations

from datetime import date

INDUSTRIES: dict[str, str] = {
    "manufacturing": "制造业产业链",
    "rnd_it": "研发与信息技术服务",
    "business": "商务服务",
    "culture_tourism": "文化旅游",
    "culture_education": "文化教育",
    "elderly_health": "养老健康",
    "new_retail": "新零售",
    "urban_agriculture": "现代都市农业",
    "digital_economy": "数字经济",
    "logistics_platform": "物流与平台经济",
    "community_service": "社区与公共服务",
}

JOB_TYPES: dict[str, str] = {
    "fulltime": "全职",
    "parttime": "兼职",
    "flexible": "灵活就业",
    "internship": "就业见习",
    "public_welfare": "公益性岗位",
}

# Ordered from lowest to highest: a job's minimum is met by any level at or above it.
EDUCATION: dict[str, str] = {
    "none": "学历不限",
    "junior": "初中",
    "senior": "高中/中专",
    "college": "大专",
    "bachelor": "本科",
    "master": "硕士及以上",
}
_EDU_RANK = {code: rank for rank, code in enumerate(EDUCATION)}


def education_rank(code: str) -> int:
    """Position of ``code`` in the ladder; raises KeyError for an unknown code."""
    return _EDU_RANK[code]


def industry_label(code: str) -> str:
    return INDUSTRIES.get(code, code)


def job_type_label(code: str) -> str:
    return JOB_TYPES.get(code, code)


def education_label(code: str) -> str:
    return EDUCATION.get(code, code)


def salary_text(salary_min: int | None, salary_max: int | None) -> str:
    """``4500-6500元/月``; 面议 when the employer gave no figure."""
    if salary_min and salary_max and salary_max != salary_min:
        return f"{salary_min}-{salary_max}元/月"
    if salary_min and salary_max:
        return f"{salary_min}元/月"
    if salary_min:
        return f"{salary_min}元/月起"
    if salary_max:
        return f"最高{salary_max}元/月"
    return "面议"


def age_text(age_min: int | None, age_max: int | None) -> str:
    if age_min and age_max:
        return f"{age_min}-{age_max}岁"
    if age_min:
        return f"{age_min}岁以上"
    if age_max:
        return f"{age_max}岁以下"
    return "年龄不限"


def posted_text(posted_on: date, today: date) -> str:
    """今天 / 昨天 / 3天前 / 5月8日 — how fresh a vacancy is, the way residents say it."""
    days = (today - posted_on).days
    if days <= 0:
        return "今天"
    if days == 1:
        return "昨天"
    if days < 30:
        return f"{days}天前"
    return f"{posted_on.month}月{posted_on.day}日"
