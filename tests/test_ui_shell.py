"""The kiosk shell through the real window: home, navigation, idle wipe, 退出, admin entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from ui_support import Card, read_card

from kiosk.session import Resident
from ui.launch import KioskUi

RESIDENT = Resident(id_number="120111197403150318", name="李秀兰", card_type="resident",
                    gender="female", birth_date=date(1974, 3, 15), key="k1")
CARD = Card(id_number=RESIDENT.id_number, name=RESIDENT.name, gender="女",
            birth_date=RESIDENT.birth_date, address="天津市西青区杨柳青镇")
EXPIRED = replace(CARD, valid_to=date(2020, 1, 1), expired=True)


def _tap(qtbot: QtBot, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))


def test_home_screen(kiosk_ui: KioskUi) -> None:
    window = kiosk_ui.window
    home = window.home_screen
    assert window.current is home
    assert "请将身份证放在读卡区" in home.all_text()
    assert home.tile_titles() == ["找工作", "政策补贴", "求职登记", "呼叫就业红娘", "办事指南",
                                  "我的申请"]
    assert window.header.station.text() == window.services.config.station.name
    assert "星期" in window.header.clock.text()
    assert window.header.net.text()
    assert not window.nav.back.isVisible() and not window.nav.exit.isVisible()
    for tile in home.tiles.values():
        assert tile.height() >= 96 and tile.width() >= 96


def test_every_screen_has_back_and_home(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    for key in ["jobs", "policies", "register", "callback", "guide"]:
        _tap(qtbot, window.home_screen.tiles[key])
        assert window.current.name == key
        assert window.nav.back.isVisible() and window.nav.home.isVisible()
        window.nav.back._last_click = 0.0
        _tap(qtbot, window.nav.back)
        assert window.current is window.home_screen


def test_card_greets_with_masked_name_and_exit_wipes(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    read_card(kiosk_ui, qtbot, CARD)
    text = window.home_screen.all_text()
    assert "您好，李*兰" in text
    assert "120111********0318" in text
    assert "120111197403150318" not in text and "李秀兰" not in text
    assert window.nav.exit.isVisible()
    _tap(qtbot, window.nav.exit)
    assert not window.services.session.identified
    assert "李*兰" not in window.home_screen.all_text()
    assert "请将身份证放在读卡区" in window.home_screen.all_text()


def test_expired_card_is_refused(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    kiosk_ui.bridge.on_card_read(EXPIRED)
    qtbot.waitUntil(window.message_box.isVisible, timeout=2000)
    assert "过期" in window.message_box.title.text()
    assert not window.services.session.identified


def test_idle_timeout_counts_down_then_wipes(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    window.idle_ms = 200  # instead of 60 s
    window.countdown.set_tick_ms(20)  # instead of 1 s
    read_card(kiosk_ui, qtbot, CARD)
    window.show_screen("jobs")
    with qtbot.waitSignal(window.session_wiped, timeout=5000):
        qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
        assert "还需要更多时间吗" in window.countdown.title.text()
    assert not window.services.session.identified
    assert window.current is window.home_screen
    assert "李*兰" not in window.home_screen.all_text()


def test_countdown_continue_keeps_the_session(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    read_card(kiosk_ui, qtbot, CARD)
    window.countdown.start(10)
    _tap(qtbot, window.countdown.more)
    assert not window.countdown.isVisible()
    assert window.services.session.identified


def _open_pin_pad(window: Any, qtbot: QtBot) -> None:
    for _ in range(5):
        qtbot.mouseClick(window.header.station, Qt.MouseButton.LeftButton)
    assert window.current.name == "pin"


def _enter(pin_screen: Any, qtbot: QtBot, digits: str) -> None:
    for d in digits:
        pin_screen.keypad.buttons[d]._last_click = 0.0
        pin_screen.keypad.press(d)
    pin_screen.keypad.buttons["登录"]._last_click = 0.0
    pin_screen.keypad.press("登录")


def test_five_taps_pin_admin_and_back(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    _open_pin_pad(window, qtbot)
    pin = window.screens["pin"]
    with qtbot.waitSignal(window.admin_entered, timeout=5000):
        _enter(pin, qtbot, "123456")
    assert window.in_admin and window.current.name == "admin"
    assert "出厂密码" in window.screens["admin"].warning.text()
    with qtbot.waitSignal(window.admin_left, timeout=2000):
        _tap(qtbot, window.screens["admin"].exit_button)
    assert not window.in_admin and window.current is window.home_screen


def test_wrong_pins_lock_the_pad(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    _open_pin_pad(window, qtbot)
    pin = window.screens["pin"]
    for i in range(5):
        _enter(pin, qtbot, "999999")
        qtbot.waitUntil(lambda: not pin._busy, timeout=5000)
        if i < 4:
            assert f"还可以再试 {4 - i} 次" in pin.status.text()
    assert "已锁定" in pin.status.text()
    _enter(pin, qtbot, "123456")  # the right PIN is refused while locked
    qtbot.waitUntil(lambda: not pin._busy, timeout=5000)
    assert "已锁定" in pin.status.text() and not window.in_admin


def test_admin_idle_timeout_leaves_admin(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    window.admin_idle_ms = 100
    window.enter_admin()
    with qtbot.waitSignal(window.admin_left, timeout=3000):
        pass
    assert not window.in_admin


def test_window_cannot_be_closed_by_a_resident(kiosk_ui: KioskUi) -> None:
    window = kiosk_ui.window
    assert not window.close()
    assert window.isVisible()


def test_elder_mode_scales_text(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    before = window.home_screen.greeting.font().pixelSize()
    _tap(qtbot, window.nav.elder)
    kiosk_ui.app.processEvents()
    after = window.home_screen.greeting.font().pixelSize()
    assert after >= round(before * 1.25)


def test_unhandled_exception_shows_calm_notice_and_goes_home(kiosk_ui: KioskUi, qtbot: QtBot,
                                                             caplog: Any) -> None:
    from ui.crash import make_crash_handler

    window = kiosk_ui.window
    read_card(kiosk_ui, qtbot, CARD)
    window.show_screen("jobs")
    handler = make_crash_handler(window)
    try:
        raise RuntimeError("boom in a slot 120111197403150318")
    except RuntimeError as exc:
        handler(RuntimeError, exc, exc.__traceback__)
    assert window.message_box.isVisible()
    assert window.message_box.title.text() == "服务暂时中断"
    assert window.current is window.home_screen
    assert not window.services.session.identified
    assert window.interruptions == 1
    assert "unhandled exception" in caplog.text


def test_touches_keep_the_session_alive(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    """Activity anywhere restarts the idle timer: a resident who keeps tapping is not wiped."""
    window = kiosk_ui.window
    window.idle_ms = 1500  # six times the gap between taps: a loaded machine stays inside it
    read_card(kiosk_ui, qtbot, CARD)
    window.show_screen("guide")
    for _ in range(10):  # 10 × 250 ms = 2.5 s of activity, well over the timeout
        qtbot.wait(250)
        qtbot.mouseClick(window.current, Qt.MouseButton.LeftButton)
        assert not window.countdown.isVisible()
    assert window.services.session.identified
    with qtbot.waitSignal(window.session_wiped, timeout=5000):
        window.countdown.set_tick_ms(10)  # now walk away


def test_ops_deliver_results_that_finish_before_run_returns(kiosk_ui: KioskUi,
                                                            qtbot: QtBot) -> None:
    """An op already done when run() attaches its callback must still reach .success()."""
    got: list[int] = []
    for i in range(300):
        kiosk_ui.ops.run(lambda i=i: i).success(got.append)
    qtbot.waitUntil(lambda: len(got) == 300, timeout=10_000)
    assert got == list(range(300))
