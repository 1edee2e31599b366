"""The questionnaire planner: ask what still decides something, biggest effect first."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiosk.eligibility import RulePack, Status, evaluate, load_pack, next_question
from kiosk.eligibility.questions import question_for
from kiosk.paths import resource

ON = date(2026, 11, 26)
CARD = {"name": "测试", "gender": "female", "birth_date": "1981-03-15",
        "card_type": "resident"}
CARD_SOURCES = dict.fromkeys(CARD, "card")

# What the simulated resident would answer, fact by fact.
TRUTH: dict[str, Any] = {
    "employment_status": "unemployed", "hukou_tianjin": True, "able_to_work": True,
    "willing_to_work": True, "wants_to_start_business": False,
    "unemployment_registered_on": "2026-08-26", "difficulty_certified_on": None,
    "ui_contribution_months": 12, "pes_contact_quarters_last_year": 2,
    "owns_contracted_farmland": False, "hukou_rural": False,
    "zero_employment_household": False, "low_income_household": False,
    "single_parent": False, "major_illness_dependant": False, "disabled": False,
    "veteran": False, "education_level": "senior_high", "full_time_graduate": False,
    "graduation_date": None, "school_in_tianjin": False, "business_registered_on": None,
    "business_employees_insured": 0, "completed_entrepreneurship_training_on": None,
    "flexible_employment_registered_on": None, "received": [],
    "difficulty_categories": [],
}


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(resource("policies"))


def choose(question: Any, truth: Any) -> tuple[int, ...]:
    """The option index(es) matching ``truth`` (first option when none matches exactly)."""
    if question.multiple:
        return tuple(i for i, o in enumerate(question.options)
                     if set(o.value) <= set(truth or []))
    for i, option in enumerate(question.options):
        if option.value == truth:
            return (i,)
    return (0,)


def test_a_whole_visit_ends_with_every_policy_decided(pack: RulePack) -> None:
    facts, sources = dict(CARD), dict(CARD_SOURCES)
    asked: list[str] = []
    while (question := next_question(pack, facts, sources, ON)) is not None:
        assert question.fact not in asked, f"asked {question.fact} twice"
        assert len(asked) < 25, asked
        asked.append(question.fact)
        answer = question.answer(*choose(question, TRUTH[question.fact]))
        facts.update(answer)
        sources.update(dict.fromkeys(answer, "declared"))
    decisions = evaluate(pack, facts, sources, ON)
    assert all(d.status is not Status.NEEDS_INFO for d in decisions)
    by_id = {d.policy: d for d in decisions}
    assert by_id["difficulty-recognition"].status is Status.ELIGIBLE
    assert by_id["difficulty-recognition"].likely  # it rests on what she declared
    assert asked[0] == "employment_status"
    assert len(asked) <= 18  # with only the card known: 16 today


def test_largest_effect_first(pack: RulePack) -> None:
    facts = {**CARD, **TRUTH, "gender": "male", "birth_date": "2003-05-10",
             "education_level": "bachelor", "full_time_graduate": True,
             "graduation_date": "2025-06-30", "hukou_tianjin": False,
             "unemployment_registered_on": None}
    del facts["employment_status"]  # decides four policies
    del facts["school_in_tianjin"]  # decides only the internship
    first = next_question(pack, facts, {}, ON)
    assert first is not None and first.fact == "employment_status"
    assert set(first.policies) >= {"unemployment-registration", "graduate-internship",
                                   "graduate-assistance"}
    facts.update(first.answer(0))  # 没有工作
    second = next_question(pack, facts, {}, ON)
    assert second is not None and second.fact == "school_in_tianjin"
    assert second.policies == ("graduate-internship",)


def test_nothing_to_ask_when_all_is_decided(pack: RulePack) -> None:
    assert next_question(pack, {**CARD, **TRUTH}, {}, ON) is None


def test_skipped_facts_are_not_asked_again(pack: RulePack) -> None:
    first = next_question(pack, CARD, CARD_SOURCES, ON)
    assert first is not None
    second = next_question(pack, CARD, CARD_SOURCES, ON, skip=[first.fact])
    assert second is not None and second.fact != first.fact


def test_bool_question_and_answer(pack: RulePack) -> None:
    q = question_for(pack, "hukou_tianjin", ON)
    assert q is not None and [o.label for o in q.options] == ["是", "否"]
    assert q.answer(1) == {"hukou_tianjin": False}
    with pytest.raises(IndexError):
        q.answer(2)
    with pytest.raises(ValueError, match="exactly one"):
        q.answer(0, 1)


def test_when_question_maps_choices_to_approximate_dates(pack: RulePack) -> None:
    q = question_for(pack, "unemployment_registered_on", ON)
    assert q is not None
    values = {o.label: o.value for o in q.options}
    assert values == {"没有办理过": None, "半年以内": "2026-08-26", "半年到一年": "2026-02-26",
                      "一到两年": "2025-05-26", "两年以上": "2024-05-26"}


def test_year_picker_for_graduation(pack: RulePack) -> None:
    q = question_for(pack, "graduation_date", ON)
    assert q is not None and q.kind == "year"
    assert q.options[0].value is None  # 没有上过大专或大学
    years = [o.label for o in q.options[1:]]
    assert years[0] == "2029年" and years[-1] == "2014年"
    assert q.options[1].value == "2029-06-30"


def test_policies_question_takes_several_answers(pack: RulePack) -> None:
    q = question_for(pack, "received", ON)
    assert q is not None and q.multiple
    assert len(q.options) == len(pack.policies)
    assert q.answer() == {"received": []}
    assert q.answer(4, 0) == {"received": ["difficulty-recognition",
                                           "entrepreneurship-training"]}


def test_planner_is_quick_enough_for_a_tap(pack: RulePack) -> None:
    import time

    started = time.perf_counter()
    for _ in range(5):
        next_question(pack, CARD, CARD_SOURCES, ON)
    assert (time.perf_counter() - started) / 5 < 0.2
