"""The phone entry on its own: each typical mistake gets its own plain sentence, and only a
valid 11-digit mainland mobile number is accepted."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.identity import valid_mobile
from ui.widgets.phone_entry import PhoneEntry, grouped, phone_problem


@pytest.mark.parametrize(("digits", "words"), [
    ("", "还没有输入"),
    ("0228765432", "以数字1开头"),
    ("12", "第二位"),
    ("1281234567", "第二位"),
    ("138123", "还差5位"),
    ("1381234567", "还差1位"),
])
def test_each_mistake_has_its_own_message(digits: str, words: str) -> None:
    problem = phone_problem(digits)
    assert problem is not None and words in problem


@pytest.mark.parametrize("digits", ["13812345678", "19900001111", "15022223333"])
def test_valid_numbers_pass_the_same_rule_as_the_core(digits: str) -> None:
    assert phone_problem(digits) is None and valid_mobile(digits)


def test_grouped_for_reading_back() -> None:
    assert grouped("13812345678") == "138 1234 5678"
    assert grouped("1381") == "138 1"
    assert grouped("") == ""


def test_the_keypad_types_checks_and_accepts(qtbot: QtBot) -> None:
    entry = PhoneEntry("下一步")
    qtbot.addWidget(entry)
    accepted: list[str] = []
    entry.accepted.connect(accepted.append)
    entry.type_digits("138")
    assert entry.display.text() == "138" and "还差8位" in entry.message.text()
    entry.press("下一步")
    assert not accepted and "还差8位" in entry.error
    entry.keypad.buttons["删除"]._last_click = 0.0
    entry.press("删除")
    assert entry.digits() == "13" and entry.error == ""  # typing again clears the error
    entry.type_digits("812345678")
    assert entry.display.text() == "138 1234 5678" and "已输满11位" in entry.message.text()
    entry.type_digits("9")
    assert entry.digits() == "13812345678" and "只有11位" in entry.error
    entry.keypad.buttons["下一步"]._last_click = 0.0
    entry.press("下一步")
    assert accepted == ["13812345678"]
    entry.set_digits("138-1234 5678x")  # put back from elsewhere: digits only
    assert entry.digits() == "13812345678"
    entry.clear()
    assert entry.digits() == "" and "请点" in entry.display.text()
