"""The engine on the shipped pack: tables of facts -> status per policy, beyond the YAML
scenarios, plus likely/declared, amounts over dated parameters and the decision format."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from kiosk.eligibility import Decision, RulePack, Status, evaluate, load_pack
from kiosk.paths import resource

ON = date(2026, 11, 26)
E, X, N = Status.ELIGIBLE, Status.INELIGIBLE, Status.NEEDS_INFO  # X: ineligible

# A 45-year-old woman, registered unemployed in Xiqing; everything known, nothing special.
BASE: dict[str, Any] = {
    "gender": "female", "birth_date": "1981-03-15", "card_type": "resident",
    "hukou_region_code": "120111", "hukou_tianjin": True, "hukou_rural": False,
    "owns_contracted_farmland": False, "employment_status": "unemployed",
    "unemployment_registered_on": "2026-03-01", "pes_contact_quarters_last_year": 2,
    "ui_contribution_months": 60, "flexible_employment_registered_on": None,
    "difficulty_certified_on": None, "difficulty_categories": None,
    "zero_employment_household": False, "low_income_household": False,
    "single_parent": False, "major_illness_dependant": False, "disabled": False,
    "veteran": False, "education_level": "senior_high", "full_time_graduate": False,
    "graduation_date": None, "school_in_tianjin": False, "business_registered_on": None,
    "business_employees_insured": 0, "completed_entrepreneurship_training_on": None,
    "received": [], "able_to_work": True, "willing_to_work": True,
    "wants_to_start_business": False,
}
GRADUATE = {**BASE, "gender": "male", "birth_date": "2003-05-10",
            "unemployment_registered_on": None, "education_level": "bachelor",
            "full_time_graduate": True, "graduation_date": "2025-06-30",
            "school_in_tianjin": True}
FOUNDER = {**BASE, "gender": "male", "birth_date": "1996-08-01",
           "employment_status": "self_employed", "unemployment_registered_on": "2025-01-10",
           "business_registered_on": "2025-09-01", "business_employees_insured": 2,
           "wants_to_start_business": True}
UNSET = object()


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(resource("policies"))


def decide(pack: RulePack, policy: str, facts: dict[str, Any], on: date = ON,
           sources: dict[str, str] | None = None) -> Decision:
    facts = {k: v for k, v in facts.items() if v is not UNSET}
    by_id = {d.policy: d for d in evaluate(pack, facts, sources or {}, on)}
    return by_id[policy]


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


DIFFICULTY = [
    ("base 4050 woman", with_(BASE), E, []),
    ("not Tianjin hukou", with_(BASE, hukou_tianjin=False), X, []),
    ("hukou unknown", with_(BASE, hukou_tianjin=UNSET), N, ["hukou_tianjin"]),
    ("woman turns 40 today", with_(BASE, birth_date="1986-11-26"), E, []),
    ("woman 40 tomorrow", with_(BASE, birth_date="1986-11-27"), X, []),
    ("man of 49", with_(BASE, gender="male", birth_date="1977-01-01"), X, []),
    ("man of 50", with_(BASE, gender="male", birth_date="1976-11-26"), E, []),
    ("gender unknown, 45: 4050 depends on it", with_(BASE, gender=UNSET), N, ["gender"]),
    ("UI months unknown", with_(BASE, ui_contribution_months=UNSET), N,
     ["ui_contribution_months"]),
    ("UI 5 months", with_(BASE, ui_contribution_months=5), X, []),
    ("farmland unknown", with_(BASE, owns_contracted_farmland=UNSET), N,
     ["owns_contracted_farmland"]),
    ("farmland unknown, low income settles it", with_(
        BASE, owns_contracted_farmland=UNSET, low_income_household=True), E, []),
    ("farmland null = none", with_(BASE, owns_contracted_farmland=None), E, []),
    ("single parent null = not", with_(BASE, birth_date="1990-01-01", single_parent=None),
     X, []),
    ("long-term: 12 months exactly, 4 quarters", with_(
        BASE, birth_date="1990-01-01", unemployment_registered_on="2025-11-26",
        pes_contact_quarters_last_year=4), E, []),
    ("long-term: one day short", with_(
        BASE, birth_date="1990-01-01", unemployment_registered_on="2025-11-27",
        pes_contact_quarters_last_year=4), X, []),
    ("long-term: 3 quarters only", with_(
        BASE, birth_date="1990-01-01", unemployment_registered_on="2024-01-01",
        pes_contact_quarters_last_year=3), X, []),
    ("employed", with_(BASE, employment_status="employed"), X, []),
    ("registration unknown", with_(BASE, unemployment_registered_on=UNSET), N,
     ["unemployment_registered_on"]),
    ("already certified", with_(BASE, difficulty_certified_on="2024-01-01"), X, []),
    ("received unknown", with_(BASE, received=UNSET), N, ["received"]),
    ("received null = nothing", with_(BASE, received=None), E, []),
]


@pytest.mark.parametrize(("facts", "status", "missing"),
                         [c[1:] for c in DIFFICULTY], ids=[c[0] for c in DIFFICULTY])
def test_difficulty_recognition(pack: RulePack, facts: dict[str, Any], status: Status,
                                missing: list[str]) -> None:
    d = decide(pack, "difficulty-recognition", facts)
    assert (d.status, sorted(d.missing)) == (status, missing)


CERTIFIED_FLEX = with_(BASE, employment_status="flexible",
                       difficulty_certified_on="2025-03-01",
                       flexible_employment_registered_on="2025-04-01")
FLEXIBLE = [
    ("zero-employment household: 75%", with_(
        CERTIFIED_FLEX, difficulty_categories=["zero_employment_household"]), E, "75%"),
    ("4050: 50%", with_(CERTIFIED_FLEX, difficulty_categories=["4050"]), E, "50%"),
    ("both: the higher rate", with_(
        CERTIFIED_FLEX, difficulty_categories=["4050", "low_income_household"]), E, "75%"),
    ("long-term unemployed only", with_(
        CERTIFIED_FLEX, difficulty_categories=["long_term_unemployed"]), X, "以审核结果为准"),
    ("categories unknown", with_(CERTIFIED_FLEX, difficulty_categories=UNSET), N,
     "以审核结果为准"),
    ("employed now", with_(CERTIFIED_FLEX, difficulty_categories=["4050"],
                           employment_status="employed"), X, "50%"),
    ("never registered flexible", with_(CERTIFIED_FLEX, difficulty_categories=["4050"],
                                        flexible_employment_registered_on=None), X, "50%"),
]


@pytest.mark.parametrize(("facts", "status", "in_text"),
                         [c[1:] for c in FLEXIBLE], ids=[c[0] for c in FLEXIBLE])
def test_flexible_insurance_subsidy(pack: RulePack, facts: dict[str, Any], status: Status,
                                    in_text: str) -> None:
    d = decide(pack, "flexible-insurance-subsidy", facts)
    assert d.status == status
    assert d.amount is None  # no confirmed currency figure for this subsidy
    assert in_text in d.amount_text


@pytest.mark.parametrize(("birth", "gender", "on", "status"), [
    # men born Jan-Apr 1965 retire at 60 years 1 month (the 2025 reform's first step)
    ("1965-03-10", "male", date(2025, 4, 9), E),
    ("1965-03-10", "male", date(2025, 4, 10), X),
    ("1964-12-31", "male", date(2024, 12, 30), E),  # before the reform: 60
    ("1964-12-31", "male", date(2024, 12, 31), X),
    ("1976-09-01", "male", date(2039, 8, 31), E),  # fully phased in: 63
    ("1976-09-01", "male", date(2039, 9, 1), X),
    # women (worker table, originally 50): +1 month per 2 birth months from 1975
    ("1975-06-15", "female", date(2025, 9, 14), E),  # 50 years 3 months
    ("1975-06-15", "female", date(2025, 9, 15), X),
    ("1984-11-01", "female", date(2039, 10, 31), E),  # 55
    ("1984-11-01", "female", date(2039, 11, 1), X),
    ("2010-11-27", "male", date(2026, 11, 26), X),  # 15
    ("2010-11-26", "male", date(2026, 11, 26), E),  # 16 today
])
def test_working_age_for_unemployment_registration(pack: RulePack, birth: str, gender: str,
                                                    on: date, status: Status) -> None:
    facts = with_(GRADUATE, birth_date=birth, gender=gender)
    assert decide(pack, "unemployment-registration", facts, on).status == status


@pytest.mark.parametrize(("birth", "gender", "status", "missing"), [
    ("1990-01-01", UNSET, E, []),  # 36: working age whatever the gender
    ("1950-01-01", UNSET, X, []),  # 76: past it whatever the gender
    ("1974-01-01", UNSET, N, ["gender"]),  # 52: a man is, a woman is not
    (UNSET, "male", N, ["birth_date"]),
])
def test_working_age_with_unknowns(pack: RulePack, birth: object, gender: object,
                                   status: Status, missing: list[str]) -> None:
    facts = with_(GRADUATE, birth_date=birth, gender=gender)
    d = decide(pack, "unemployment-registration", facts)
    assert (d.status, list(d.missing)) == (status, missing)


@pytest.mark.parametrize(("registered", "on", "status"), [
    ("2025-11-26", date(2026, 11, 25), X),  # 11 months: not yet a full year
    ("2025-11-26", date(2026, 11, 26), E),
    ("2025-11-26", date(2027, 11, 25), E),  # 23 months: still within 2 years
    ("2025-11-26", date(2027, 11, 26), X),  # second anniversary: too late
    ("2025-01-31", date(2026, 1, 31), E),
])
def test_startup_subsidy_month_spans(pack: RulePack, registered: str, on: date,
                                     status: Status) -> None:
    facts = with_(FOUNDER, business_registered_on=registered,
                  unemployment_registered_on="2024-01-01")
    assert decide(pack, "startup-subsidy", facts, on).status == status


@pytest.mark.parametrize(("graduation", "status_now", "on", "status"), [
    ("2027-06-30", "student", date(2026, 6, 30), X),  # before the final academic year
    ("2027-06-30", "student", date(2026, 7, 1), E),
    ("2027-06-30", "student", date(2027, 6, 30), E),
    ("2027-06-30", "unemployed", date(2027, 7, 1), E),  # left school, not employed
    ("2025-06-30", "unemployed", date(2027, 6, 29), E),
    ("2025-06-30", "unemployed", date(2027, 6, 30), X),  # two years after leaving
    ("2025-06-30", "employed", date(2026, 1, 1), X),
])
def test_graduate_internship_windows(pack: RulePack, graduation: str, status_now: str,
                                     on: date, status: Status) -> None:
    facts = with_(GRADUATE, graduation_date=graduation, employment_status=status_now)
    assert decide(pack, "graduate-internship", facts, on).status == status


def test_training_amount_is_the_plans_500_from_its_date(pack: RulePack) -> None:
    facts = with_(FOUNDER)
    now = decide(pack, "entrepreneurship-training", facts)
    assert (now.status, now.amount) == (E, 500)
    assert "500元" in now.amount_text
    before = decide(pack, "entrepreneurship-training",
                    with_(facts, business_registered_on="2021-09-01"), date(2022, 6, 20))
    assert (before.status, before.amount, before.amount_text) == (E, None, "以审核结果为准")


def test_loan_limit_ends_with_the_2020_rules(pack: RulePack) -> None:
    facts = with_(FOUNDER, unemployment_registered_on="2021-01-10",
                  business_registered_on="2021-09-01")
    last_day = decide(pack, "startup-guarantee-loan", facts, date(2023, 3, 31))
    assert last_day.amount == 300000
    ended = decide(pack, "startup-guarantee-loan", facts, date(2023, 4, 1))
    assert (ended.status, ended.amount, ended.amount_text) == (E, None, "以审核结果为准")


def test_ineligible_decisions_carry_no_amount(pack: RulePack) -> None:
    d = decide(pack, "entrepreneurship-training", with_(BASE))
    assert (d.status, d.amount) == (X, None)


def test_lapsed_parameter_refers_to_staff(pack: RulePack) -> None:
    d = decide(pack, "graduate-assistance", with_(GRADUATE, graduation_date="2021-06-30"),
               date(2022, 1, 10))
    assert (d.status, d.refer_to_staff, d.missing) == (N, True, ())
    assert any("请咨询工作人员" in r.text for r in d.reasons)


@pytest.mark.parametrize(("declared", "likely"), [
    ([], False),
    (["able_to_work"], True),  # eligibility rests on it
    (["zero_employment_household"], False),  # 4050 settles the category without it
    (["gender", "birth_date"], True),
])
def test_likely_when_resting_on_declared_facts(pack: RulePack, declared: list[str],
                                               likely: bool) -> None:
    facts = with_(BASE, zero_employment_household=True)
    d = decide(pack, "difficulty-recognition", facts,
               sources={k: "declared" for k in declared})
    assert (d.status, d.likely) == (E, likely)


def test_ineligible_is_likely_only_if_every_failing_reason_is_declared(pack: RulePack
                                                                       ) -> None:
    facts = with_(BASE, hukou_tianjin=False, able_to_work=False)
    one = decide(pack, "difficulty-recognition", facts, sources={"able_to_work": "declared"})
    assert (one.status, one.likely) == (X, False)  # the central hukou record suffices
    both = decide(pack, "difficulty-recognition", facts,
                  sources={"able_to_work": "declared", "hukou_tianjin": "declared"})
    assert (both.status, both.likely) == (X, True)


def test_no_facts_at_all_never_crashes(pack: RulePack) -> None:
    decisions = evaluate(pack, {}, {}, ON)
    assert len(decisions) == len(pack.policies)
    assert {d.status for d in decisions} == {N}
    assert all(d.missing for d in decisions)


def test_ill_typed_facts_become_unknown(pack: RulePack, caplog: pytest.LogCaptureFixture
                                       ) -> None:
    facts = with_(BASE, hukou_tianjin="yes", birth_date="1981-02-30", shoe_size=42)
    d = decide(pack, "difficulty-recognition", facts)
    assert d.status == N
    assert set(d.missing) >= {"hukou_tianjin", "birth_date"}
    assert "hukou_tianjin" in caplog.text and "1981-02-30" not in caplog.text


def test_decision_json_follows_the_contract(pack: RulePack) -> None:
    d = decide(pack, "difficulty-recognition", with_(BASE, able_to_work=UNSET))
    data = json.loads(json.dumps(d.to_json(), ensure_ascii=False))
    assert list(data)[:8] == ["policy", "status", "likely", "amount", "reasons", "missing",
                              "rule_pack", "decided_on"]
    assert data["status"] == "needs_info" and data["missing"] == ["able_to_work"]
    assert data["rule_pack"] == pack.version and data["decided_on"] == "2026-11-26"
    unknown = [r for r in data["reasons"] if r["result"] is None]
    assert unknown == [{"condition": "able_to_work", "result": None,
                        "facts": ["able_to_work"], "text": "待确认：有劳动能力"}]
    for key in ("name", "summary", "mode", "materials", "where", "amount_text"):
        assert data[key]
    assert Decision.from_json(data) == d


def test_group_reasons_explain_with_the_deciding_children(pack: RulePack) -> None:
    met = decide(pack, "difficulty-recognition", with_(BASE, disabled=True))
    children = [r.condition for r in met.reasons if r.condition.startswith("category.")]
    assert children == ["category.age_4050", "category.disabled"]
    unmet = decide(pack, "difficulty-recognition", with_(BASE, birth_date="1990-01-01"))
    reasons = [r for r in unmet.reasons if r.condition.startswith("category.")]
    assert len(reasons) == 8 and not any(r.result for r in reasons)
