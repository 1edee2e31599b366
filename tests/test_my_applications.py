"""我的申请 lists the identified resident's records, and only theirs."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from kiosk.session import Resident
from kiosk.store.models import CallbackRequest
from ui.launch import KioskUi


def _callback(key: str, number: str) -> CallbackRequest:
    return CallbackRequest(number=number, token=number, resident_key=key, name_masked="李*兰",
                           phone="13812345678", preferred_time="上午", topic="想找保洁工作",
                           state="new", note="")


def test_lists_only_this_residents_records(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    services = window.services
    with services.db.write() as s:
        s.add(_callback("mine", "HJ-1"))
        s.add(_callback("someone-else", "HJ-2"))
    services.session.identify(Resident(id_number="120111197403150318", name="李秀兰",
                                       card_type="resident", gender="female",
                                       birth_date=date(1974, 3, 15), key="mine"))
    window.show_screen("my_applications")
    screen = window.screens["my_applications"]
    qtbot.waitUntil(lambda: "共 1 条" in screen.summary.text(), timeout=3000)
    text = " ".join(w.text() for w in screen.findChildren(type(screen.summary)))
    assert "HJ-1" in text and "HJ-2" not in text
    assert "等待回电" in text
    window.end_session()
    assert "HJ-1" not in " ".join(w.text() for w in screen.findChildren(type(screen.summary))
                                  if not w.isHidden())


def test_needs_a_card(kiosk_ui: KioskUi) -> None:
    window = kiosk_ui.window
    window.show_screen("my_applications")
    assert window.current is window.home_screen
    assert window.message_box.isVisible()
