"""The pinyin keyboard and the text entry panel, driven by taps on the real window."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.input.pinyin import PinyinEngine
from ui.audit import audit
from ui.launch import build_ui
from ui.qt_app import apply_theme
from ui.widgets.buttons import KioskButton
from ui.widgets.text_entry import TextEntryOverlay, ask_text

WORDS = [("保洁", ["bao", "jie"], 5.0), ("北京", ["bei", "jing"], 2.0),
         ("保洁员", ["bao", "jie", "yuan"], 3.0), ("张", ["zhang"], 1.0), ("三", ["san"], 1.0)]


def tap(qtbot: QtBot, button: KioskButton) -> None:
    from PySide6.QtCore import Qt

    button._last_click = 0.0
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def panel(ui: Any) -> TextEntryOverlay:
    overlay = ui.extras["text_entry"]
    overlay.set_engine(PinyinEngine(WORDS))
    return overlay


def test_type_bj_and_tap_the_candidate(qtbot: QtBot, kiosk_ui: Any) -> None:
    overlay = panel(kiosk_ui)
    request = ask_text(kiosk_ui.window.home_screen, "请输入要找的工作")
    keyboard = overlay.keyboard
    tap(qtbot, keyboard.keys["b"])
    tap(qtbot, keyboard.keys["j"])
    assert keyboard.candidates()[:2] == ["保洁", "北京"]
    tap(qtbot, keyboard.candidate_buttons[0])
    assert overlay.field.text() == "保洁"
    with qtbot.waitSignal(request.accepted, timeout=2000) as got:
        tap(qtbot, keyboard.ok)
    assert got.args == ["保洁"]
    assert not overlay.isVisible()


def test_delete_clear_digits_and_cancel(qtbot: QtBot, kiosk_ui: Any) -> None:
    overlay = panel(kiosk_ui)
    request = overlay.ask("请输入", "西青")
    keyboard = overlay.keyboard
    tap(qtbot, keyboard.keys["z"])
    tap(qtbot, keyboard.backspace)  # the letter goes first
    assert keyboard.text == "西青" and keyboard.letters == ""
    tap(qtbot, keyboard.backspace)
    assert keyboard.text == "西"
    tap(qtbot, keyboard.mode_key)
    tap(qtbot, keyboard.digit_keys["8"])
    assert overlay.field.text() == "西8"
    tap(qtbot, keyboard.clear_key)
    assert keyboard.text == ""
    with qtbot.waitSignal(request.cancelled, timeout=2000):
        tap(qtbot, overlay.cancel)


def test_syllable_by_syllable_and_recent_words_wiped(qtbot: QtBot, kiosk_ui: Any) -> None:
    overlay = panel(kiosk_ui)
    overlay.ask("姓名")
    keyboard = overlay.keyboard
    for letter in "zhangsan":
        tap(qtbot, keyboard.keys[letter])
    keyboard.pick("张")
    assert keyboard.letters == "san"
    keyboard.pick("三")
    assert keyboard.text == "张三"
    overlay.ask("找工作")
    for letter in "bj":
        tap(qtbot, keyboard.keys[letter])
    keyboard.pick("北京")
    assert "北京" in overlay.recent.counts()
    overlay.ask("找工作")
    for letter in "bj":
        tap(qtbot, keyboard.keys[letter])
    assert keyboard.candidates()[0] == "北京"  # this resident picked it: first now
    kiosk_ui.window.end_session()  # 退出: the next resident starts from nothing
    assert not overlay.isVisible() and overlay.request is None
    assert len(overlay.recent) == 0 and keyboard.text == "" and keyboard.letters == ""
    overlay.ask("找工作")
    for letter in "bj":
        tap(qtbot, keyboard.keys[letter])
    assert keyboard.candidates()[0] == "保洁"


def test_the_engine_is_built_in_the_background(qtbot: QtBot, kiosk_ui: Any) -> None:
    overlay: TextEntryOverlay = kiosk_ui.extras["text_entry"]
    overlay.ask("找工作")
    tap(qtbot, overlay.keyboard.keys["b"])
    qtbot.waitUntil(lambda: overlay.keyboard.engine is not None, timeout=30_000)
    tap(qtbot, overlay.keyboard.keys["j"])
    assert "保洁" in overlay.keyboard.candidates()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "large-text"])
def test_keyboard_passes_the_audit(qtbot: QtBot, make_services: Any, orientation: str,
                                   elder: bool) -> None:
    services = make_services(f'[display]\norientation = "{orientation}"\n')
    ui = build_ui(services, speech_engine="mock")
    try:
        apply_theme(ui.app, elder)
        ui.window.show()
        overlay = panel(ui)
        overlay.ask("请输入要找的工作")
        for letter in "bj":
            overlay.keyboard.type_letter(letter)
        for mode in ("letters", "digits"):
            ui.app.processEvents()
            found = [str(f) for f in audit(ui.window)]
            assert not found, f"{mode}: {found}"
            assert ui.window.size() == ui.window.minimumSize()
            overlay.keyboard.toggle_digits()
    finally:
        apply_theme(ui.app, False)
        ui.close()
        ui.window.deleteLater()
