"""ID numbers, masking and age rules."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.identity import (
    age_on,
    check_character,
    is_valid,
    mask_id,
    mask_name,
    mask_phone,
    resident_key,
    valid_mobile,
)


@pytest.mark.parametrize(
    "number", ["11010519491231002X", "440524188001010014", "932682198501010017",
               "911124198108030024"])
def test_standard_examples_are_valid(number: str) -> None:
    assert is_valid(number)


def test_invalid_check_digit() -> None:
    assert not is_valid("110101199001011234")
    assert check_character("11010119900101123") == "7"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("李秀兰", "李*兰"), ("王五", "王*"), ("欧阳娜娜", "欧**娜"), ("张", "张")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_id_and_phone() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


def test_mobile_validation() -> None:
    assert valid_mobile("13812345678")
    assert not valid_mobile("12812345678")
    assert not valid_mobile("1381234567")


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1974, 3, 15), date(2026, 3, 14), 51),
        (date(1974, 3, 15), date(2026, 3, 15), 52),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        (date(2000, 2, 29), date(2028, 2, 29), 28),
    ],
)
def test_age_birthday_rule(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_resident_key_is_stable_and_secret_dependent() -> None:
    a = resident_key("11010519491231002x", b"s1")
    assert a == resident_key("11010519491231002X", b"s1")
    assert a != resident_key("11010519491231002X", b"s2")
    assert "1101" not in a
