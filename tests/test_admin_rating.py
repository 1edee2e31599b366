"""The satisfaction tap after 退出 (anonymous, optional, never in the next person's way) and the
visits counted for the figures."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kiosk.ratings import store_rating
from kiosk.store.models import OutboxRecord, Rating, UsageEvent
from ui.launch import KioskUi


class _Card:
    """The attributes of a driver card record that the window reads."""

    id_number = "120111197403150318"
    name = "李秀兰"
    card_type = "resident"
    gender = "女"
    birth_date = date(1974, 3, 15)
    address = "天津市西青区杨柳青镇"
    valid_to = None

    def is_expired(self, on: date) -> bool:
        return False


def _tap(qtbot: QtBot, widget: Any) -> None:
    widget._last_click = 0.0
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))


def _identify(ui: KioskUi, qtbot: QtBot) -> None:
    ui.bridge.on_card_read(_Card())
    qtbot.waitUntil(lambda: ui.window.services.session.identified, timeout=3000)


def _count(ui: KioskUi, model: Any, *where: Any) -> int:
    with ui.window.services.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_exit_offers_an_anonymous_rating(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    rating = kiosk_ui.extras["admin"].rating
    _identify(kiosk_ui, qtbot)
    _tap(qtbot, window.nav.exit)
    assert rating.isVisible() and "满意吗" in rating.title.text()
    assert not window.services.session.identified  # the session already ended under it
    assert [b.text() for b in rating.buttons.values()] == ["满意", "一般", "不满意"]
    assert all(b.height() >= 96 for b in rating.buttons.values())
    rating.show_ms = 100_000
    _tap(qtbot, rating.buttons[3])
    assert "谢谢" in rating.title.text()
    qtbot.waitUntil(lambda: _count(kiosk_ui, Rating) == 1, timeout=3000)
    qtbot.waitUntil(lambda: not rating.isVisible(), timeout=5000)
    with window.services.db.read() as s:
        row = s.scalars(select(Rating)).one()
        body = json.loads(s.scalars(select(OutboxRecord.body).where(
            OutboxRecord.kind == "rating")).one())
    assert row.score == 3 and row.at.minute == 0 and row.at.second == 0
    assert set(body) == {"id", "score", "hour"}  # nothing about the person


def test_rating_goes_away_by_itself_or_for_the_next_person(kiosk_ui: KioskUi,
                                                           qtbot: QtBot) -> None:
    window = kiosk_ui.window
    rating = kiosk_ui.extras["admin"].rating
    rating.show_ms = 150
    _identify(kiosk_ui, qtbot)
    _tap(qtbot, window.nav.exit)
    assert rating.isVisible()
    qtbot.waitUntil(lambda: not rating.isVisible(), timeout=3000)
    rating.show_ms = 100_000
    _identify(kiosk_ui, qtbot)
    _tap(qtbot, window.nav.exit)
    assert rating.isVisible()
    _identify(kiosk_ui, qtbot)  # the next resident puts a card on
    assert not rating.isVisible()
    _tap(qtbot, window.nav.exit)
    assert rating.isVisible()
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))  # tap beside it
    assert not rating.isVisible()
    assert _count(kiosk_ui, Rating) == 0


def test_no_rating_after_an_idle_timeout(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    window.idle_ms = 150
    window.countdown.set_tick_ms(10)
    _identify(kiosk_ui, qtbot)
    window.show_screen("my_applications")
    with qtbot.waitSignal(window.session_wiped, timeout=5000):
        pass
    assert not kiosk_ui.extras["admin"].rating.isVisible()


def test_visits_are_counted_once_per_person(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window

    def visits() -> int:
        return _count(kiosk_ui, UsageEvent, UsageEvent.kind == "visit")

    _identify(kiosk_ui, qtbot)
    window.show_screen("my_applications")
    window.back()
    qtbot.waitUntil(lambda: visits() == 1, timeout=3000)
    _tap(qtbot, window.nav.exit)  # gone; the next person browses without a card
    _tap(qtbot, window.home_screen.tiles["guide"])
    qtbot.waitUntil(lambda: visits() == 2, timeout=3000)
    window.enter_admin()
    window.show_screen("admin_figures")
    window.leave_admin()
    flushed: list[object] = []
    kiosk_ui.ops.run(lambda: None).success(flushed.append)  # after any count still queued
    qtbot.waitUntil(lambda: bool(flushed), timeout=3000)
    assert visits() == 2  # staff are not visitors


def test_bad_score_is_refused(make_services: Any) -> None:
    services = make_services()
    with pytest.raises(ValueError, match="rating score"):
        store_rating(services.db, 5)
    with services.db.read() as s:
        assert s.scalars(select(OutboxRecord)).all() == []
