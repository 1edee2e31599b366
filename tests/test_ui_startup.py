"""The two-stage start: home paints from the config alone, the rest is attached after."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ui.launch import attach_services, build_shell


def test_a_tile_tapped_before_the_screens_exist_opens_once_they_do(
        qtbot: Any, make_services: Any) -> None:
    services = make_services()
    ui = build_shell(services.config, services.session)
    try:
        window = ui.window
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert not window.ready and list(window.screens) == ["home"]
        tile = next(t for t in window.home_screen.tiles.values())
        key = next(k for k, t in window.home_screen.tiles.items() if t is tile)
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        assert window.current is window.home_screen  # remembered, not lost, not an error
        attach_services(ui, services, speech_engine="mock")
        assert window.ready
        assert window.current.name == key
    finally:
        ui.close()


def test_wiping_before_the_services_arrive_forgets_the_waiting_tile(
        qtbot: Any, make_services: Any) -> None:
    services = make_services()
    ui = build_shell(services.config, services.session)
    try:
        window = ui.window
        qtbot.addWidget(window)
        window.show_screen("jobs")
        window.end_session()  # 退出 / idle in that second: nothing to open later
        attach_services(ui, services, speech_engine="mock")
        assert window.current is window.home_screen
    finally:
        ui.close()
