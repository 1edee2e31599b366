"""The catalogue's fixed vocabularies: sectors, job types and education levels.

Codes are stable ASCII keys (they travel in sync pages and import files and are stored in the
database); labels are what residents read. The labels are Chinese data (records, receipts, the
pinyin word list and the demo data use them as they are); ``translate=True`` gives the
resident's language for a screen (kiosk.i18n). Sectors follow the 乐业西青 plan (2022) §三.1: the
manufacturing chains, the producer services (研发与信息技术服务, 商务服务), the consumer services
(文化旅游, 文化教育, 养老健康, 新零售), 现代都市农业, 数字经济 and, from §3 and §9, 物流与平台
经济 and the 公益性岗位/社区服务 jobs the plan has the district create.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kiosk.i18n import N_, tr

INDUSTRIES: dict[str, str] = {
    "manufacturing": N_("制造业产业链"),
    "rnd_it": N_("研发与信息技术服务"),
    "business": N_("商务服务"),
    "culture_tourism": N_("文化旅游"),
    "culture_education": N_("文化教育"),
    "elderly_health": N_("养老健康"),
    "new_retail": N_("新零售"),
    "urban_agriculture": N_("现代都市农业"),
    "digital_economy": N_("数字经济"),
    "logistics_platform": N_("物流与平台经济"),
    "community_service": N_("社区与公共服务"),
}

JOB_TYPES: dict[str, str] = {
    "fulltime": N_("全职"),
    "parttime": N_("兼职"),
    "flexible": N_("灵活就业"),
    "internship": N_("就业见习"),
    "public_welfare": N_("公益性岗位"),
}

# Ordered from lowest to highest: a job's minimum is met by any level at or above it.
EDUCATION: dict[str, str] = {
    "none": N_("学历不限"),
    "junior": N_("初中"),
    "senior": N_("高中/中专"),
    "college": N_("大专"),
    "bachelor": N_("本科"),
    "master": N_("硕士及以上"),
}
_EDU_RANK = {code: rank for rank, code in enumerate(EDUCATION)}

# Months as dates show them: 11月 in Chinese, Nov in English (see date_text).
MONTHS = (N_("1月"), N_("2月"), N_("3月"), N_("4月"), N_("5月"), N_("6月"), N_("7月"),
          N_("8月"), N_("9月"), N_("10月"), N_("11月"), N_("12月"))


def education_rank(code: str) -> int:
    """Position of ``code`` in the ladder; raises KeyError for an unknown code."""
    return _EDU_RANK[code]


def _as_is(message: str) -> str:
    return message


def _language(translate: bool) -> Callable[[str], str]:
    return tr if translate else _as_is


def industry_label(code: str, *, translate: bool = False) -> str:
    return _language(translate)(INDUSTRIES[code]) if code in INDUSTRIES else code


def job_type_label(code: str, *, translate: bool = False) -> str:
    return _language(translate)(JOB_TYPES[code]) if code in JOB_TYPES else code


def education_label(code: str, *, translate: bool = False) -> str:
    return _language(translate)(EDUCATION[code]) if code in EDUCATION else code


def salary_text(salary_min: int | None, salary_max: int | None, *,
                translate: bool = False) -> str:
    """``4500-6500元/月``; 面议 when the employer gave no figure."""
    t = _language(translate)
    if salary_min and salary_max and salary_max != salary_min:
        return t(N_("{low}-{high}元/月")).format(low=salary_min, high=salary_max)
    if salary_min and salary_max:
        return t(N_("{amount}元/月")).format(amount=salary_min)
    if salary_min:
        return t(N_("{amount}元/月起")).format(amount=salary_min)
    if salary_max:
        return t(N_("最高{amount}元/月")).format(amount=salary_max)
    return t(N_("面议"))


def age_text(age_min: int | None, age_max: int | None, *, translate: bool = False) -> str:
    t = _language(translate)
    if age_min and age_max:
        return t(N_("{low}-{high}岁")).format(low=age_min, high=age_max)
    if age_min:
        return t(N_("{age}岁以上")).format(age=age_min)
    if age_max:
        return t(N_("{age}岁以下")).format(age=age_max)
    return t(N_("年龄不限"))


def posted_text(posted_on: date, today: date) -> str:
    """今天 / 昨天 / 3天前 / 5月8日 — how fresh a vacancy is, the way residents say it (only
    ever shown on screen, so always in the resident's language)."""
    days = (today - posted_on).days
    if days <= 0:
        return tr("今天")
    if days == 1:
        return tr("昨天")
    if days < 30:
        return tr("{days}天前").format(days=days)
    return date_text(posted_on, year=False)


def date_text(day: date, *, year: bool = True) -> str:
    """2026年11月26日 (11月26日 without the year), or 26 Nov 2026 in English: on screen only,
    in the resident's language (the month comes from :data:`MONTHS`)."""
    month = tr(MONTHS[day.month - 1])
    if year:
        # i18n: {month} is a month name from the catalogue (11月 / Nov)
        return tr("{year}年{month}{day}日").format(year=day.year, month=month, day=day.day)
    # i18n: {month} is a month name from the catalogue (11月 / Nov)
    return tr("{month}{day}日").format(month=month, day=day.day)
