"""English on the home screen: the switch, the rebuilt screens, and Chinese again after."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from test_ui_shell import CARD
from ui_support import read_card, visible_texts

from kiosk.i18n import language
from ui.launch import KioskUi

CJK = re.compile(r"[\u4e00-\u9fff]")


def _tap(qtbot: QtBot, widget: Any) -> None:
    widget._last_click = 0.0
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))


def test_english_on_home_rebuilds_the_screens_and_exit_brings_chinese_back(
        kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    nav = window.nav
    assert nav.language.isVisible() and nav.language.text() == "English"
    jobs_before = window.screens["jobs"]
    _tap(qtbot, nav.language)
    assert language() == "en"
    assert nav.language.text() == "中文"  # the way back, written in its own language
    home = window.home_screen
    assert home.tile_titles()[0] == "Find a job"
    assert home.card_prompt.text() == "Place ID card on reader"
    station = window.services.config.station.name
    chinese = [t for t in visible_texts(window)
               if CJK.search(t) and t not in ("中文", station)]
    # Only content stays Chinese on home: the attract loop's notices and events.
    assert all(home.attract.isAncestorOf(w) for w in window.findChildren(QLabel)
               if w.isVisibleTo(window) and w.text() in chinese), chinese
    assert window.screens["jobs"] is not jobs_before  # built again, in English
    _tap(qtbot, home.tiles["jobs"])
    assert window.current.name == "jobs"
    assert not nav.language.isVisible()  # chosen on home only
    assert nav.back.text() == "Back" and nav.home.text() == "Home"
    window.end_session()  # 退出 / idle: the next person starts in Chinese
    assert language() == "zh"
    assert home.tile_titles()[0] == "找工作" and nav.language.text() == "English"
    assert window.current is home


def test_switching_keeps_the_identified_resident(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    read_card(kiosk_ui, qtbot, CARD)
    _tap(qtbot, window.nav.language)
    assert window.services.session.identified  # switching is not leaving
    assert window.home_screen.greeting.text() == "Hello, 李*兰"
    assert "ID number" in window.home_screen.identity.text()
    _tap(qtbot, window.nav.exit)
    assert not window.services.session.identified and language() == "zh"
    assert window.home_screen.greeting.text().startswith("您好")


def test_replaced_screens_let_go_of_the_session(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    """A screen built again in English must not stay subscribed to the session."""
    window = kiosk_ui.window
    listeners = len(window.services.session._listeners)
    for _ in range(2):
        _tap(qtbot, window.nav.language)
        _tap(qtbot, window.nav.language)
    assert len(window.services.session._listeners) == listeners
