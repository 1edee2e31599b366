"""站点设置 on the real window: values tapped in, refused with the key's message, applied at
once where possible, written and audited; the PIN changed on the pad; 重启 offered."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from test_admin_support import admin_screen, tap

from kiosk.config import load_config
from kiosk.store.models import OutboxRecord
from ui.launch import KioskUi


@pytest.fixture
def settings(kiosk_ui: KioskUi, qtbot: QtBot) -> Any:
    window = kiosk_ui.window
    window.enter_admin()
    tap(qtbot, admin_screen(window).page_buttons["admin_settings"])
    screen: Any = window.current
    assert screen.name == "admin_settings"
    return screen


def _audits(ui: KioskUi) -> list[dict[str, Any]]:
    with ui.window.services.db.read() as s:
        return [json.loads(b) for b in s.scalars(select(OutboxRecord.body).where(
            OutboxRecord.kind == "audit").order_by(OutboxRecord.local_seq))]


def _saved(screen: Any, qtbot: QtBot) -> None:
    tap(qtbot, screen.save_button)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 0 and screen.result.isVisible(),
                    timeout=5000)


def test_idle_timeout_on_the_keypad_applies_at_once(kiosk_ui: KioskUi, settings: Any,
                                                    qtbot: QtBot) -> None:
    window = kiosk_ui.window
    tap(qtbot, settings.edit_buttons["session.idle_timeout_s"])
    assert settings.pages.currentIndex() == 1 and "现在：60" in settings.editor_now.text()
    settings.keypad.press("9")
    settings.keypad.press("0")
    assert settings.editor_value.text() == "90"
    _saved(settings, qtbot)
    assert "60 → 90" in settings.result.text() and "已生效" in settings.result.text()
    assert window.idle_ms == 90_000 and window.services.config.session.idle_timeout_s == 90
    assert load_config(window.services.dirs.config_file).session.idle_timeout_s == 90
    assert settings.values["session.idle_timeout_s"].text() == "90"
    detail = _audits(kiosk_ui)[-1]["detail"]
    assert detail == {"key": "session.idle_timeout_s", "old": 60, "new": 90}


def test_a_bad_value_is_refused_with_the_keys_message(kiosk_ui: KioskUi, settings: Any,
                                                      qtbot: QtBot) -> None:
    tap(qtbot, settings.edit_buttons["session.idle_timeout_s"])
    settings.keypad.press("5")
    tap(qtbot, settings.save_button)
    qtbot.waitUntil(lambda: bool(settings.editor_error.text()), timeout=5000)
    assert "session.idle_timeout_s: must be between 15 and 900" in settings.editor_error.text()
    assert settings.pages.currentIndex() == 1  # still editing, nothing lost
    assert kiosk_ui.window.idle_ms == 60_000
    assert not kiosk_ui.window.services.dirs.config_file.exists()


def test_station_name_in_pinyin_changes_the_header(kiosk_ui: KioskUi, settings: Any,
                                                   qtbot: QtBot) -> None:
    from kiosk.input.pinyin import build_engine

    panel = kiosk_ui.extras["text_entry"]
    panel.set_engine(build_engine())  # what the panel builds on first use, ready now
    tap(qtbot, settings.edit_buttons["station.name"])
    assert panel.isVisible() and "站点名称" in panel.title.text()
    keyboard = panel.keyboard
    assert keyboard.text == "西青区杨柳青镇就业红娘服务站"  # starts from the current name
    keyboard.clear()
    for letters, word in (("xiqingqu", "西青区"), ("zhongbeizhen", "中北镇"), ("jiuye", "就业")):
        for letter in letters:
            keyboard.type_letter(letter)
        keyboard.pick(word)
    keyboard.confirm()
    assert not panel.isVisible()
    qtbot.waitUntil(lambda: settings.result.isVisible(), timeout=5000)
    assert kiosk_ui.window.header.station.text() == "西青区中北镇就业"
    assert load_config(kiosk_ui.window.services.dirs.config_file).station.name == "西青区中北镇就业"


def test_station_name_from_word_tiles_without_the_pinyin_panel(kiosk_ui: KioskUi,
                                                               settings: Any,
                                                               qtbot: QtBot) -> None:
    kiosk_ui.extras["text_entry"].setParent(None)  # a window built without it
    tap(qtbot, settings.edit_buttons["station.name"])
    keyboard = settings.keyboard
    tap(qtbot, keyboard.clear)
    for word in ("西青区", "中北镇", "就业红娘服务站"):
        tap(qtbot, keyboard.keys[word])
    assert settings.editor_value.text() == "西青区中北镇就业红娘服务站"
    _saved(settings, qtbot)
    assert kiosk_ui.window.header.station.text() == "西青区中北镇就业红娘服务站"
    assert "西青区中北镇" in admin_screen(kiosk_ui.window).info.text()


def test_restart_settings_offer_a_restart(kiosk_ui: KioskUi, settings: Any,
                                          qtbot: QtBot) -> None:
    codes: list[int] = []
    kiosk_ui.extras["admin"].quit_app = codes.append
    tap(qtbot, settings.edit_buttons["reader.baud"])
    tap(qtbot, settings.chips.chips["9600"])
    _saved(settings, qtbot)
    assert "重启程序后生效" in settings.result.text()
    assert settings.restart_button.isVisible()
    tap(qtbot, settings.restart_button)
    assert codes == [75] and kiosk_ui.window.allow_close
    assert load_config(kiosk_ui.window.services.dirs.config_file).reader.baud == 9600

    tap(qtbot, settings.edit_buttons["printer.width"])  # applies at once: next receipt
    tap(qtbot, settings.chips.chips["58"])
    _saved(settings, qtbot)
    assert kiosk_ui.window.services.config.printer.width == "58"


def test_pin_change_on_the_pad(kiosk_ui: KioskUi, settings: Any, qtbot: QtBot) -> None:
    admin = kiosk_ui.window.services.admin
    tap(qtbot, settings.edit_buttons["pin"])
    assert settings.pages.currentIndex() == 2

    def enter(digits: str) -> None:
        for d in digits:
            settings.pin_pad.press(d)
        settings.pin_pad.confirm.emit()

    enter("111111")
    enter("24681357")
    enter("24681357")
    qtbot.waitUntil(lambda: "原密码不正确" in settings.pin_status.text(), timeout=5000)
    assert "●" not in settings.pin_dots.text() and settings.pin_steps.index == 0
    enter("123456")
    assert settings.pin_steps.index == 1 and "新密码" in settings.pin_prompt.text()
    enter("24681357")
    assert settings.pin_pad.buttons["下一步"].text() == "修改密码"
    enter("24681357")
    qtbot.waitUntil(lambda: "管理密码已修改" in settings.result.text(), timeout=10_000)
    assert not admin.uses_factory_pin() and admin.check("24681357").ok
    assert "admin_pin_changed" in [b["action"] for b in _audits(kiosk_ui)]
