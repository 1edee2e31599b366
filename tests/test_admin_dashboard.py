"""The admin dashboard on the real window: device faults, paper out, offline, backlog, banner,
and admin sessions that time out and are logged."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update
from test_admin_support import admin_screen, tap

from drivers.printer.simulator import PrinterSimulator
from kiosk.store.models import AuditEntry, OutboxRecord
from kiosk.store.outbox import enqueue
from ui.launch import KioskUi, build_ui

UiFactory = Callable[..., tuple[KioskUi, Any]]


@pytest.fixture
def admin_ui(make_services: Any, qtbot: QtBot) -> Iterator[UiFactory]:
    """Build the kiosk (optionally with its devices started) and close it afterwards."""
    made: list[KioskUi] = []

    def factory(toml: str = "", *, reader: str = "none") -> tuple[KioskUi, Any]:
        from kiosk.devices import start_devices

        services = make_services(toml, reader=reader)
        ui = build_ui(services)
        made.append(ui)
        devices = start_devices(services, ui.bridge)
        admin_screen(ui.window).set_demo_cards(devices.demo_card_actions())
        ui.window.show()
        return ui, devices

    yield factory
    for ui in made:
        ui.close()
        ui.window.deleteLater()


def _enter_admin(ui: KioskUi, qtbot: QtBot) -> Any:
    window = ui.window
    monitor = ui.extras["admin"].monitor
    with qtbot.waitSignal(monitor.updated, timeout=10_000):
        window.enter_admin()
    return window.screens["admin"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dashboard_lists_every_device_with_its_fix(admin_ui: UiFactory, qtbot: QtBot) -> None:
    ui, _ = admin_ui()
    dashboard = _enter_admin(ui, qtbot)
    assert set(dashboard.lights) == {"reader", "printer", "network", "queue", "disk", "clock"}
    assert all(light.isVisible() for light in dashboard.lights.values())
    assert "出厂密码" in dashboard.warning.text()
    network = dashboard.lights["network"]
    assert "未登记到中心服务器" in network.cause.text() and "▲" in network.text()
    assert network.button.text() == "登记到服务器"
    tap(qtbot, network.button)  # offline kiosk: the fix is enrolling
    assert ui.window.current.name == "admin_settings"
    assert admin_screen(ui.window, "admin_settings").pages.currentIndex() == 3
    for light in dashboard.lights.values():
        assert light.height() >= 96 or not light.button.isVisible()
        if light.button.isVisible():
            assert light.button.height() >= 96


def test_unplugged_reader_turns_red_and_recovers(admin_ui: UiFactory, qtbot: QtBot) -> None:
    ui, devices = admin_ui(reader="simulated")
    dashboard = _enter_admin(ui, qtbot)
    reader = dashboard.lights["reader"]
    assert "正常" in reader.title.text()
    devices.simulator.unplug()
    qtbot.waitUntil(lambda: "故障" in reader.title.text(), timeout=10_000)
    assert "✖" in reader.text() and reader.title.objectName() == "ErrorText"
    assert reader.cause.text() and reader.button.text() == "测试读卡"
    assert not ui.window.banner.isVisible()  # the printer still works: residents are served
    devices.simulator.replug()
    qtbot.waitUntil(lambda: "正常" in reader.title.text(), timeout=10_000)


def test_reader_and_printer_down_shows_the_banner(admin_ui: UiFactory, qtbot: QtBot) -> None:
    ui, devices = admin_ui(f'[printer]\nbackend = "escpos-tcp"\nhost = "127.0.0.1"\n'
                           f'tcp_port = {_free_port()}\nstatus_timeout_s = 0.2\n',
                           reader="simulated")
    window = ui.window
    monitor = ui.extras["admin"].monitor
    with qtbot.waitSignal(monitor.updated, timeout=10_000):
        monitor.refresh()
    assert monitor.health.get("printer").state == "fault"
    assert not window.banner.isVisible()
    devices.simulator.unplug()
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    assert "设备维护中" in window.banner.text() and "读卡器和打印机" in window.banner.text()
    devices.simulator.replug()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=10_000)


def test_paper_out_on_the_dashboard_and_the_test_page(admin_ui: UiFactory,
                                                      qtbot: QtBot) -> None:
    sim = PrinterSimulator("tcp", paper="out")
    sim.start()
    try:
        ui, _ = admin_ui(f'[printer]\nbackend = "escpos-tcp"\nhost = "127.0.0.1"\n'
                         f'tcp_port = {sim.port}\nstatus_timeout_s = 0.3\n')
        dashboard = _enter_admin(ui, qtbot)
        printer = dashboard.lights["printer"]
        assert "缺纸" in printer.cause.text() and "故障" in printer.title.text()
        tap(qtbot, printer.button)
        maintenance: Any = ui.window.current
        assert maintenance.name == "admin_maintenance" and maintenance.tab == "printer"
        qtbot.waitUntil(lambda: "没有打印" in maintenance.print_result.text(), timeout=10_000)
        assert "缺纸" in maintenance.print_result.text()
        sim.set_paper("ok")
        tap(qtbot, maintenance.test_button)
        qtbot.waitUntil(lambda: "已打印" in maintenance.print_result.text(), timeout=15_000)
        assert sim.wait_for_cut(10)
    finally:
        sim.stop()


def test_queue_backlog_is_amber_then_rejected_is_red(admin_ui: UiFactory, qtbot: QtBot) -> None:
    ui, _ = admin_ui()
    db = ui.window.services.db
    with db.write() as s:
        ids = [enqueue(s, "application", {"n": i}).id for i in range(300)]
        s.execute(update(OutboxRecord).where(OutboxRecord.id == ids[0]).values(
            created_local=datetime.now(UTC) - timedelta(hours=50)))
    dashboard = _enter_admin(ui, qtbot)
    queue = dashboard.lights["queue"]
    assert "注意" in queue.title.text() and "▲" in queue.text()
    assert "超过 24 小时" in queue.cause.text() and "2 天" in queue.cause.text()
    with db.write() as s:
        s.execute(update(OutboxRecord).where(OutboxRecord.id.in_(ids[:4])).values(
            state="conflict", last_error="conflict: different body"))
    monitor = ui.extras["admin"].monitor
    with qtbot.waitSignal(monitor.updated, timeout=10_000):
        monitor.refresh()
    assert "故障" in queue.title.text() and "4 条记录被中心服务器退回" in queue.cause.text()
    tap(qtbot, queue.button)
    maintenance: Any = ui.window.current
    assert maintenance.tab == "sync"
    qtbot.waitUntil(lambda: "共 4 条" in maintenance.problems_text.text(), timeout=5000)
    assert "共 4 条" in maintenance.problems_text.text()
    assert [p.state for p in maintenance.problems] == ["conflict"] * 4
    tap(qtbot, maintenance.requeue_button)
    qtbot.waitUntil(lambda: "已重新排队 4 条" in maintenance.sync_result.text(), timeout=5000)
    with db.read() as s:
        assert set(s.scalars(select(OutboxRecord.state))) == {"pending"}


def test_admin_idle_timeout_logs_the_exit(admin_ui: UiFactory, qtbot: QtBot) -> None:
    ui, _ = admin_ui()
    window = ui.window
    window.admin_idle_ms = 300  # instead of 3 minutes
    for _ in range(5):
        qtbot.mouseClick(window.header.station, Qt.MouseButton.LeftButton)
    pin: Any = window.screens["pin"]
    for d in "123456":
        pin.keypad.buttons[d]._last_click = 0.0
        pin.keypad.press(d)
    with qtbot.waitSignal(window.admin_entered, timeout=5000):
        pin.keypad.buttons["登录"]._last_click = 0.0
        pin.keypad.press("登录")
    with qtbot.waitSignal(window.admin_left, timeout=5000):
        pass
    assert not window.in_admin and window.current is window.home_screen
    db = window.services.db

    def sent() -> list[dict[str, Any]]:
        with db.read() as s:
            return [json.loads(b) for b in s.scalars(select(OutboxRecord.body).where(
                OutboxRecord.kind == "audit").order_by(OutboxRecord.local_seq))]

    qtbot.waitUntil(lambda: len(sent()) == 2, timeout=5000)
    assert [b["action"] for b in sent()] == ["admin_login", "admin_logout"]
    assert sent()[1]["detail"] == {"reason": "idle"}
    with db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.at)))
    assert actions == ["admin_login", "admin_logout"]
