"""Calendar rules: whole months, the 29 February birthday, working age and retirement."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.eligibility.dates import add_months, age_on, months_between


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 15), 1, date(2026, 2, 15)),
    (date(2026, 1, 31), 1, date(2026, 3, 1)),  # no 31 February: rounds up
    (date(2024, 1, 31), 1, date(2024, 3, 1)),  # no 31 February in a leap year either
    (date(2024, 2, 29), 12, date(2025, 3, 1)),  # 29 Feb + 1 year in a common year
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2026, 3, 31), -1, date(2026, 3, 1)),  # 31 February does not exist: rounds up
    (date(2026, 5, 10), -3, date(2026, 2, 10)),
    (date(2026, 12, 5), 1, date(2027, 1, 5)),
    (date(2026, 1, 5), -1, date(2025, 12, 5)),
])
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 1, 15), date(2026, 2, 14), 0),
    (date(2026, 1, 15), date(2026, 2, 15), 1),
    (date(2026, 1, 31), date(2026, 2, 28), 0),
    (date(2026, 1, 31), date(2026, 3, 1), 1),
    (date(2025, 11, 26), date(2026, 11, 25), 11),
    (date(2025, 11, 26), date(2026, 11, 26), 12),  # "满1年" on the anniversary
    (date(2026, 3, 1), date(2026, 3, 1), 0),
    (date(2026, 3, 15), date(2026, 1, 20), -2),  # future date: floor, negative
    (date(2024, 2, 29), date(2025, 2, 28), 11),
    (date(2024, 2, 29), date(2025, 3, 1), 12),
])
def test_months_between(start: date, end: date, expected: int) -> None:
    assert months_between(start, end) == expected


@pytest.mark.parametrize(("birth", "on", "expected"), [
    (date(1976, 2, 29), date(2026, 2, 28), 49),
    (date(1976, 2, 29), date(2026, 3, 1), 50),
    (date(1976, 2, 29), date(2028, 2, 29), 52),
    (date(2000, 11, 26), date(2026, 11, 25), 25),
    (date(2000, 11, 26), date(2026, 11, 26), 26),
])
def test_age_birthday_rule(birth: date, on: date, expected: int) -> None:
    assert age_on(birth, on) == expected
    # the month rule and the age rule never disagree
    assert months_between(birth, on) // 12 == expected
