"""呼叫就业红娘 through the real window, with and without a card: the number on the keypad,
time and topic chips, the confirmation, row + outbox + printed slip, the same-day promise,
and forgetting the number as soon as the screen is left."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pytestqt.qtbot import QtBot
from test_ui_register_support import ID_NUMBER, PHONE, RESIDENT, TODAY, tap, tap_back, type_phone
from ui_support import fixed_today, identify, outbox, pdf_text, rows, texts, wait_receipt

from kiosk.store.models import CallbackRequest, UsageEvent
from ui.launch import KioskUi
from ui.screens.callback_screen import STEP_KEYS, CallbackScreen, time_options, time_text

_fixed_today = fixed_today(TODAY)


def open_callback(ui: KioskUi, qtbot: QtBot) -> CallbackScreen:
    tap(qtbot, ui.window.home_screen.tiles["callback"])
    screen = ui.window.screens["callback"]
    assert isinstance(screen, CallbackScreen) and ui.window.current is screen
    return screen


def step(screen: CallbackScreen) -> str:
    return STEP_KEYS[screen._step]


def call(qtbot: QtBot, screen: CallbackScreen) -> None:
    """Number, 随时, 找工作 + 培训, up to the confirmation."""
    assert step(screen) == "phone" and screen.phone.digits() == ""  # nothing prefilled
    type_phone(qtbot, screen.phone, PHONE)
    assert step(screen) == "time"
    tap(qtbot, screen.times.chip("any"))
    tap(qtbot, screen.next_button)
    assert step(screen) == "topic"
    tap(qtbot, screen.topics.chip("找工作"))
    tap(qtbot, screen.topics.chip("培训"))
    tap(qtbot, screen.next_button)
    assert step(screen) == "confirm"


def test_without_a_card_writes_the_request_and_prints_the_slip(
        make_ui: Callable[..., KioskUi], qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    screen = open_callback(ui, qtbot)
    assert "当天" in texts(screen)  # the promise, before anything is asked
    call(qtbot, screen)
    shown = texts(screen)
    for expected in ("138 1234 5678", "随时", "找工作、培训", "只用于给您回电"):
        assert expected in shown, expected
    assert "称呼" not in shown
    assert screen.next_button.text() == "确认呼叫"
    assert rows(ui, CallbackRequest) == []

    tap(qtbot, screen.next_button)
    overlay = wait_receipt(qtbot, ui)
    [row] = rows(ui, CallbackRequest)
    [record] = outbox(ui, "callback_request")
    assert row.resident_key is None and row.name_masked == "" and row.phone == PHONE
    assert (row.preferred_time, row.topic, row.state) == ("随时", "找工作、培训", "new")
    body = json.loads(record.body)
    assert body["resident"] is None and body["phone"] == PHONE and body["number"] == row.number
    assert row.number in overlay.text.text()
    [printed] = (tmp_path / "printed").glob("*.pdf")
    slip = pdf_text(printed)
    for expected in ("呼叫回执", row.number, "138****5678", "找工作、培训", "随时"):
        assert expected in slip, expected
    assert PHONE not in slip

    tap(qtbot, overlay.ok)
    assert step(screen) == "done"
    done = texts(screen)
    assert "当天" in done and "3天内" in done and row.number in done
    assert "5678" in done and PHONE not in done
    with ui.window.services.db.read() as s:  # counted nothing personal
        details = [e.detail for e in s.query(UsageEvent).all()]
    assert not any("5678" in d for d in details)
    tap(qtbot, screen.home_button)
    assert ui.window.current is ui.window.home_screen


def test_with_a_card_the_request_carries_the_resident(make_ui: Callable[..., KioskUi],
                                                      qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_callback(ui, qtbot)
    call(qtbot, screen)
    shown = texts(screen)
    assert "称呼" in shown and "李*兰" in shown and "李秀兰" not in shown
    assert ID_NUMBER not in shown
    tap(qtbot, screen.next_button)
    wait_receipt(qtbot, ui)
    [row] = rows(ui, CallbackRequest)
    [record] = outbox(ui, "callback_request")
    assert row.resident_key == RESIDENT.key and row.name_masked == "李*兰"
    assert json.loads(record.body)["resident"]["id_number"] == ID_NUMBER


def test_bad_numbers_are_refused_and_back_keeps_the_choices(make_ui: Callable[..., KioskUi],
                                                           qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_callback(ui, qtbot)
    type_phone(qtbot, screen.phone, "23812345678")
    assert step(screen) == "phone" and "以数字1开头" in screen.phone.error
    for _ in range(11):
        tap(qtbot, screen.phone.keypad.buttons["删除"])
    type_phone(qtbot, screen.phone, "1381234567")
    assert step(screen) == "phone" and "还差1位" in screen.phone.error
    type_phone(qtbot, screen.phone, "8")
    assert step(screen) == "time"
    tap(qtbot, screen.times.chip("tomorrow_pm"))
    tap(qtbot, screen.next_button)
    tap(qtbot, screen.topics.chip("政策补贴"))
    tap_back(qtbot, ui)
    assert ui.window.current is screen and step(screen) == "time"
    assert screen.times.selected() == ["tomorrow_pm"]
    tap_back(qtbot, ui)
    assert step(screen) == "phone" and screen.phone.digits() == PHONE
    tap(qtbot, screen.phone.keypad.buttons["下一步"])
    tap(qtbot, screen.next_button)
    assert screen.topics.selected() == ["政策补贴"]
    assert rows(ui, CallbackRequest) == []


def test_the_number_is_forgotten_when_the_screen_is_left(make_ui: Callable[..., KioskUi],
                                                         qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_callback(ui, qtbot)
    type_phone(qtbot, screen.phone, PHONE)
    tap(qtbot, ui.window.nav.home)  # 首页 without a card: nobody to wipe, yet it forgets
    assert screen.phone.digits() == "" and screen._phone == ""
    assert "5678" not in "\n".join(w.text() for w in screen.findChildren(type(screen.hint)))
    screen = open_callback(ui, qtbot)
    assert step(screen) == "phone" and screen.phone.digits() == ""

    identify(ui, RESIDENT)  # with a card, 退出 wipes the half-finished request too
    tap(qtbot, ui.window.nav.home)
    screen = open_callback(ui, qtbot)
    call(qtbot, screen)
    tap(qtbot, ui.window.nav.exit)
    assert screen._phone == "" and not screen.topics.selected() and step(screen) == "phone"
    assert "李*兰" not in "\n".join(w.text() for w in screen.findChildren(type(screen.hint)))


def test_times_offered_are_still_ahead_and_dated() -> None:
    morning = datetime(2026, 11, 26, 9, 30)
    afternoon = datetime(2026, 11, 26, 14, 0)
    evening = datetime(2026, 11, 26, 19, 0)
    assert [k for k, _ in time_options(morning)] == ["today_am", "today_pm", "tomorrow_am",
                                                     "tomorrow_pm", "any"]
    assert next(k for k, _ in time_options(afternoon)) == "today_pm"
    assert [k for k, _ in time_options(evening)] == ["tomorrow_am", "tomorrow_pm", "any"]
    assert time_text("today_pm", afternoon) == "今天下午（11月26日）"
    assert time_text("tomorrow_am", datetime(2026, 11, 30, 18, 0)) == "明天上午（12月1日）"
    assert time_text(None, morning) == time_text("any", morning) == "随时"
