"""呼叫—指派 on the real window: the queue, a step recorded by taps, and privacy on leaving."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from test_admin_support import tap

from kiosk.store.models import CallbackRequest, OutboxRecord
from ui.launch import KioskUi


def _seed(db: Any) -> None:
    now = datetime.now(UTC)
    with db.write() as s:
        s.add(CallbackRequest(id="old", number="HJ-1", token="t1", name_masked="张*",
                              phone="13988887777", topic="社保补贴", preferred_time="下午",
                              created_at=now - timedelta(days=2)))
        s.add(CallbackRequest(id="new", number="HJ-2", token="t2", name_masked="王*明",
                              phone="13812345678", topic="找保洁工作", created_at=now))


def _texts(widget: Any) -> str:
    return " ".join(w.text() for w in widget.findChildren(QLabel) if w.isVisible())


def test_queue_shows_overdue_and_records_a_call(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    db = window.services.db
    _seed(db)
    window.enter_admin()
    dashboard: Any = window.screens["admin"]
    qtbot.waitUntil(lambda: "2 条等待处理" in dashboard.callbacks_line.text(), timeout=5000)
    assert "1 条超时" in dashboard.callbacks_line.text()
    tap(qtbot, dashboard.page_buttons["admin_callbacks"])
    screen: Any = window.current
    assert screen.name == "admin_callbacks"
    qtbot.waitUntil(lambda: len(screen.items) == 2, timeout=5000)
    assert [i.number for i in screen.items] == ["HJ-1", "HJ-2"]  # overdue first
    text = _texts(screen)
    assert "电话 13988887777" in text and "▲ 超时：当天没有联系" in text
    assert "共 2 条，其中 ▲ 1 条超时" in screen.summary.text()

    first_card = screen._rows.itemAt(0).widget()
    called = next(b for b in first_card.findChildren(type(screen.confirm_button))
                  if b.text() == "已拨打")
    tap(qtbot, called)
    assert screen.pages.currentIndex() == 1 and "记录：已拨打" in screen.step_title.text()
    tap(qtbot, screen.notes.chips["无人接听"])
    tap(qtbot, screen.notes.chips["稍后再联系"])
    assert "备注：无人接听；稍后再联系" in screen.confirmation.text()
    assert "张*（HJ-1）已拨打" in screen.confirmation.text()
    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 0 and len(screen.items) == 2
                    and screen.items[0].state == "called", timeout=5000)
    with db.read() as s:
        row = s.get(CallbackRequest, "old")
        body = json.loads(s.scalars(select(OutboxRecord.body).where(
            OutboxRecord.kind == "callback_update")).one())
    assert row is not None and row.state == "called" and "无人接听；稍后再联系" in row.note
    assert body["callback_id"] == "old" and body["to"] == "called"
    assert "▲ 超时：当天没有联系" not in _texts(screen)  # contacted now (late, but contacted)

    # 已推荐岗位 closes it: it leaves the open queue for the 已推荐岗位 list.
    second = screen._rows.itemAt(0).widget()
    done = next(b for b in second.findChildren(type(screen.confirm_button))
                if b.text() == "已推荐岗位")
    tap(qtbot, done)
    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: len(screen.items) == 1, timeout=5000)
    tap(qtbot, screen.filter.chips["done"])
    qtbot.waitUntil(lambda: [i.number for i in screen.items] == ["HJ-1"], timeout=5000)

    # Leaving admin mode takes the phone numbers off the screen.
    window.leave_admin()
    assert "13988887777" not in _texts(screen) and not screen.items


def test_a_refused_step_keeps_the_note_page(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    window = kiosk_ui.window
    db = window.services.db
    _seed(db)
    window.enter_admin()
    window.show_screen("admin_callbacks")
    screen: Any = window.current
    qtbot.waitUntil(lambda: len(screen.items) == 2, timeout=5000)
    screen.choose(screen.items[0], "reached")
    with db.write() as s:  # meanwhile someone else finished it
        row = s.get(CallbackRequest, "old")
        assert row is not None
        row.state = "done"
    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: "已办结" in screen.step_error.text(), timeout=5000)
    assert screen.pages.currentIndex() == 1
