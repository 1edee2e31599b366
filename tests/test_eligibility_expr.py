"""The condition language: three-valued logic, null semantics, checks at load time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiosk.eligibility.expr import UNKNOWN, Context, ExprError, Scope, compile_expression
from kiosk.eligibility.facts import FACTS
from kiosk.eligibility.params import UNAVAILABLE, DatedValue, Parameter

ON = date(2026, 11, 26)
T, F, U = True, False, UNKNOWN

LIMIT = Parameter("limit", "a limit", "", (DatedValue(date(2025, 1, 1), 12, "ref"),
                                           DatedValue(date(2027, 1, 1), None, "ended")))
SHARED = {
    "working_age_min": Parameter("working_age_min", "", "", (DatedValue(date(1995, 1, 1), 16),)),
    "retirement_age_months_male": Parameter("m", "", "", (DatedValue(date(1900, 1, 1), 720),)),
    "retirement_age_months_female": Parameter("f", "", "",
                                              (DatedValue(date(1900, 1, 1), 600),)),
}


def scope(**definitions: str) -> Scope:
    return Scope(FACTS, {"limit": LIMIT, **SHARED}, definitions,
                 frozenset({"difficulty-recognition", "startup-subsidy"}))


def run(source: str, facts: dict[str, Any], *, declared: tuple[str, ...] = (),
        on: date = ON, **definitions: str) -> tuple[Any, bool, frozenset[str]]:
    compiled = compile_expression(source, scope(**definitions))
    return compiled.fn(Context(facts, frozenset(declared), on, SHARED))


def value(source: str, facts: dict[str, Any], **kw: Any) -> Any:
    return run(source, facts, **kw)[0]


def fact_of(v: Any) -> dict[str, Any]:
    """``hukou_tianjin`` set to v, or absent for UNKNOWN."""
    return {} if v is UNKNOWN else {"hukou_tianjin": v}


def both(a: Any, b: Any) -> dict[str, Any]:
    facts = fact_of(a)
    if b is not UNKNOWN:
        facts["disabled"] = b
    return facts


KLEENE = [  # a, b, a and b, a or b
    (T, T, T, T), (T, F, F, T), (T, U, U, T),
    (F, T, F, T), (F, F, F, F), (F, U, F, U),
    (U, T, U, T), (U, F, F, U), (U, U, U, U),
]


@pytest.mark.parametrize(("a", "b", "conj", "disj"), KLEENE)
def test_kleene_and_or(a: Any, b: Any, conj: Any, disj: Any) -> None:
    facts = both(a, b)
    assert value("hukou_tianjin and disabled", facts) is conj
    assert value("hukou_tianjin or disabled", facts) is disj


@pytest.mark.parametrize(("a", "negated"), [(T, F), (F, T), (U, U), (None, T)])
def test_not(a: Any, negated: Any) -> None:
    assert value("not hukou_tianjin", fact_of(a)) is negated


def test_unknown_names_the_missing_facts() -> None:
    result = run("hukou_tianjin and (disabled or veteran)", {"hukou_tianjin": True})
    assert result == (U, False, frozenset({"disabled", "veteran"}))
    # a decisive false elsewhere makes the unknowns irrelevant
    assert run("hukou_tianjin and disabled", {"hukou_tianjin": False})[2] == frozenset()


@pytest.mark.parametrize(("source", "facts", "expected"), [
    ("unemployment_registered_on == null", {"unemployment_registered_on": None}, T),
    ("unemployment_registered_on != null", {"unemployment_registered_on": None}, F),
    ("unemployment_registered_on == null", {}, U),
    ("months_since(unemployment_registered_on) >= 12", {"unemployment_registered_on": None},
     F),
    ("months_since(unemployment_registered_on) < 12", {"unemployment_registered_on": None},
     F),  # null satisfies no comparison, in either direction
    ("months_since(unemployment_registered_on) >= 12",
     {"unemployment_registered_on": date(2025, 11, 26)}, T),
    ("employment_status in ['unemployed', 'flexible']", {"employment_status": None}, F),
    ("employment_status in ['unemployed', 'flexible']", {"employment_status": "flexible"}, T),
    ("'4050' in difficulty_categories", {"difficulty_categories": None}, F),
    ("'4050' in difficulty_categories", {"difficulty_categories": frozenset({"4050"})}, T),
    ("has_any(difficulty_categories, ['4050', 'disabled'])",
     {"difficulty_categories": frozenset({"disabled"})}, T),
    ("has_all(difficulty_categories, ['4050', 'disabled'])",
     {"difficulty_categories": frozenset({"disabled"})}, F),
    ("count(received) >= 1", {"received": frozenset()}, F),
    ("ui_contribution_months + 6 >= 12", {"ui_contribution_months": 6}, T),
    ("-ui_contribution_months < 0", {"ui_contribution_months": 6}, T),
    ("today >= date(year(graduation_date) - 1, 7, 1)",
     {"graduation_date": date(2027, 6, 30)}, T),
    ("months_between(graduation_date, business_registered_on) == 8",
     {"graduation_date": date(2024, 6, 30), "business_registered_on": date(2025, 3, 1)}, T),
    ("days_until(graduation_date) == 1", {"graduation_date": date(2026, 11, 27)}, T),
    ("years_since(birth_date) == age", {"birth_date": date(1976, 2, 29)}, T),
    ("ui_contribution_months >= limit", {"ui_contribution_months": 12}, T),
])
def test_expressions(source: str, facts: dict[str, Any], expected: Any) -> None:
    assert value(source, facts) is expected


def test_parameter_past_its_end_is_unknown_not_reused() -> None:
    result = run("ui_contribution_months >= limit", {"ui_contribution_months": 12},
                 on=date(2027, 1, 1))
    assert result == (U, False, frozenset({"parameter:limit"}))
    assert LIMIT.value_on(date(2024, 12, 31)) is UNAVAILABLE  # before the first value
    assert LIMIT.value_on(date(2026, 12, 31)) == 12


def test_derived_facts_wait_for_their_base_facts() -> None:
    assert run("age >= 40", {})[2] == frozenset({"birth_date"})
    assert run("working_age", {"birth_date": date(1974, 1, 1)})[2] == frozenset({"gender"})


@pytest.mark.parametrize(("declared", "expected"), [
    ((), False),
    (("hukou_tianjin",), False),  # the central 'disabled' alone makes the 'or' true
    (("hukou_tianjin", "disabled"), True),
])
def test_or_prefers_support_that_was_not_declared(declared: tuple[str, ...],
                                                  expected: bool) -> None:
    facts = {"hukou_tianjin": True, "disabled": True}
    assert run("hukou_tianjin or disabled", facts, declared=declared)[1] is expected


def test_and_is_declared_when_any_part_is() -> None:
    facts = {"hukou_tianjin": True, "disabled": True}
    assert run("hukou_tianjin and disabled", facts, declared=("disabled",))[1] is True


def test_definitions_expand_and_report_facts() -> None:
    compiled = compile_expression("grad and hukou_tianjin", scope(
        grad="education_level in ['bachelor'] and full_time_graduate"))
    assert compiled.facts == {"education_level", "full_time_graduate", "hukou_tianjin"}


@pytest.mark.parametrize(("source", "message", "column"), [
    ("hukuo_tianjin", "unknown name 'hukuo_tianjin' (did you mean 'hukou_tianjin'?)", 1),
    ("employment_status == 'unemplyed'", "'unemplyed' is not a possible value", 19),
    ("education_level in ['bachelor', 'phd']", "'phd' not possible values", 17),
    ("has_any(difficulty_categories, ['4051'])", "'4051' not possible values", 32),
    ("'no-such-policy' in received", "'no-such-policy' is not a possible value", 18),
    ("age >= '40'", "'>=' compares numbers with numbers", 5),
    ("birth_date >= 3", "'>=' compares numbers with numbers", 12),
    ("age and hukou_tianjin", "'and' needs a bool value, not num", 1),
    ("months_since(age)", "months_since() needs a date value", 14),
    ("date(2026, 2, 30)", "date(): day is out of range", 1),
    ("shoe_size(3)", "unknown function 'shoe_size'", 1),
    ("age >= ", "unexpected end of condition", 8),
    ("(age >= 40", "expected ')'", 11),
    ("age >= 40 40", "unexpected '40'", 11),
    ("age # 40", "unexpected character '#'", 5),
    ("", "empty condition", 1),
    ("age in [birth_date]", "a list may hold only literal values", 9),
])
def test_errors_name_the_problem_and_column(source: str, message: str, column: int) -> None:
    with pytest.raises(ExprError) as info:
        compile_expression(source, scope())
    assert message in str(info.value)
    assert info.value.column == column


def test_circular_definitions_are_refused() -> None:
    with pytest.raises(ExprError, match="circle: a -> b -> a"):
        compile_expression("a", scope(a="b", b="a"))
