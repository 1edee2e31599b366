"""What the 求职登记 / 为您推荐 / 呼叫就业红娘 UI tests share beyond tests/ui_support.py: their
resident, their fixed day, their finger and the phone keypad (no tests here).

The window is the real one on real services (the ``make_ui`` fixture): SQLite in tmp, the demo
job catalogue, and the PDF-folder printer writing real receipts into ``tmp/printed``.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import ui_support
from pytestqt.qtbot import QtBot

from kiosk.identity import check_character
from kiosk.session import Resident
from ui.launch import KioskUi

TODAY = "2026-11-26"
ID17 = "12011119780315002"
ID_NUMBER = ID17 + check_character(ID17)
RESIDENT = Resident(id_number=ID_NUMBER, name="李秀兰", card_type="resident", gender="female",
                    birth_date=date(1978, 3, 15),
                    card_address="天津市西青区杨柳青镇柳口路8号", key="r" * 32)
PHONE = "13812345678"

# These screens' finger: no extra event loop turn before the tap, the scroll gesture kept.
tap = partial(ui_support.tap, settle=False, ungrab="never")


def tap_back(qtbot: QtBot, ui: KioskUi) -> None:
    tap(qtbot, ui.window.nav.back)


def type_phone(qtbot: QtBot, entry: Any, digits: str, *, confirm: bool = True) -> None:
    """Type on the keypad as a finger would, then tap its confirm key."""
    for digit in digits:
        tap(qtbot, entry.keypad.buttons[digit])
    if confirm:
        tap(qtbot, entry.keypad.buttons["下一步"])
