"""设备维护 on the real window: reader test with a demo card, 补打, sync, logs, restart/exit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from test_admin_support import admin_screen, tap

from kiosk.store.models import OutboxRecord, PrintJob
from ui.launch import KioskUi, build_ui

ID_NUMBER = "120111197403150318"


@pytest.fixture
def sim_ui(make_services: Any, qtbot: QtBot) -> Iterator[tuple[KioskUi, Any]]:
    """The kiosk with the simulated card reader running and its demo cards in admin mode."""
    from kiosk.devices import start_devices

    services = make_services(reader="simulated")
    ui = build_ui(services)
    devices = start_devices(services, ui.bridge)
    admin_screen(ui.window).set_demo_cards(devices.demo_card_actions())
    ui.window.show()
    yield ui, devices
    ui.close()
    ui.window.deleteLater()


def _maintenance(ui: KioskUi, qtbot: QtBot) -> Any:
    window = ui.window
    window.enter_admin()
    tap(qtbot, admin_screen(window).page_buttons["admin_maintenance"])
    screen: Any = window.current
    assert screen.name == "admin_maintenance" and screen.tab == "reader"
    return screen


def test_demo_card_tests_the_reader_without_a_session(sim_ui: tuple[KioskUi, Any],
                                                      qtbot: QtBot) -> None:
    ui, devices = sim_ui
    screen = _maintenance(ui, qtbot)
    buttons = [screen._demo_box.itemAt(i).widget() for i in range(screen._demo_box.count())]
    assert len(buttons) == len(devices.demo_cards) >= 1 and screen.demo_card.isVisible()
    tap(qtbot, buttons[0])
    qtbot.waitUntil(lambda: "读卡正常" in screen.reader_result.text(), timeout=10_000)
    text = screen.reader_result.text()
    assert "********" in text and devices.demo_cards[0].id_number not in text
    assert devices.demo_cards[0].name not in text
    assert not ui.window.services.session.identified and ui.window.in_admin


def test_test_page_and_reprint(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    screen = _maintenance(kiosk_ui, qtbot)
    tap(qtbot, screen.tabs.chips["printer"])
    tap(qtbot, screen.test_button)
    qtbot.waitUntil(lambda: "已打印" in screen.print_result.text(), timeout=15_000)
    qtbot.waitUntil(lambda: screen._jobs.count() == 1, timeout=5000)
    row = screen._jobs.itemAt(0).layout()
    reprint = row.itemAt(row.count() - 1).widget()
    assert reprint.text() == "补打"
    screen.print_result.setText("")
    tap(qtbot, reprint)
    qtbot.waitUntil(lambda: screen._jobs.count() == 2, timeout=15_000)
    with kiosk_ui.window.services.db.read() as s:
        jobs = s.scalars(select(PrintJob).order_by(PrintJob.created_at)).all()
    assert [j.state for j in jobs] == ["printed", "printed"]
    assert jobs[1].reprint_of == jobs[0].id and jobs[1].pdf_path == jobs[0].pdf_path


def test_sync_tab_offline_kiosk(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    screen = _maintenance(kiosk_ui, qtbot)
    tap(qtbot, screen.tabs.chips["sync"])
    qtbot.waitUntil(lambda: "未登记到中心服务器" in screen.sync_text.text(), timeout=5000)
    assert "没有被退回的记录" in screen.problems_text.text()
    assert not screen.requeue_button.isEnabled()
    tap(qtbot, screen.sync_button)
    qtbot.waitUntil(lambda: "不能同步" in screen.sync_result.text(), timeout=10_000)


def test_log_tail_is_masked_and_exported(kiosk_ui: KioskUi, qtbot: QtBot,
                                         tmp_path: Path) -> None:
    log_dir = kiosk_ui.window.services.dirs.log
    log_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"2024-05-15 10:{i:02d}:00 INFO kiosk: line {i}" for i in range(50)]
    lines.append(f"2024-05-15 11:00:00 WARNING old unmasked {ID_NUMBER} 13812345678")
    (log_dir / "kiosk.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (log_dir / "kiosk.log.1").write_text("older\n", encoding="utf-8")
    screen = _maintenance(kiosk_ui, qtbot)
    tap(qtbot, screen.tabs.chips["logs"])
    qtbot.waitUntil(lambda: "line 49" in screen.log_text.text(), timeout=5000)
    shown = screen.log_text.text()
    assert "line 20" not in shown  # the tail only
    assert ID_NUMBER not in shown and "13812345678" not in shown
    assert "120111********0318" in shown and "138****5678" in shown
    drive = tmp_path / "U盘"
    drive.mkdir()
    screen.export_logs_to(drive)  # what tapping the drive's chip does
    qtbot.waitUntil(lambda: "已导出" in screen.log_status.text(), timeout=5000)
    [folder] = list(drive.iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["kiosk.log", "kiosk.log.1"]


def test_restart_and_exit_need_a_confirmation(kiosk_ui: KioskUi, qtbot: QtBot) -> None:
    codes: list[int] = []
    kiosk_ui.extras["admin"].quit_app = codes.append
    screen = _maintenance(kiosk_ui, qtbot)
    tap(qtbot, screen.tabs.chips["app"])
    assert not screen.confirm_button.isVisible()
    tap(qtbot, screen.exit_button)
    assert "退出到桌面" in screen.confirm_text.text() and screen.confirm_button.isVisible()
    tap(qtbot, screen.cancel_button)
    assert not screen.confirm_button.isVisible() and codes == []
    tap(qtbot, screen.restart_button)
    tap(qtbot, screen.confirm_button)
    assert codes == [75] and kiosk_ui.window.allow_close
    db = kiosk_ui.window.services.db

    def actions() -> list[Any]:
        with db.read() as s:
            return [json.loads(b) for b in s.scalars(select(OutboxRecord.body).where(
                OutboxRecord.kind == "audit"))]

    qtbot.waitUntil(lambda: any(a["action"] == "admin_logout" for a in actions()),
                    timeout=5000)
    assert [a["detail"] for a in actions() if a["action"] == "admin_logout"] == [
        {"reason": "restart"}]
    kiosk_ui.window.allow_close = False
    tap(qtbot, screen.exit_button)
    tap(qtbot, screen.confirm_button)
    assert codes == [75, 0]
