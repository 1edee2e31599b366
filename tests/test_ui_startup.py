"""The two-stage start: home paints from the config alone, the rest is attached after."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from ui.launch import attach_services, build_shell


@pytest.fixture
def shell(qtbot: Any, make_services: Any) -> Iterator[tuple[Any, Any]]:
    """The first stage (home only, painted from the config) and the services it gets later;
    closed at the end."""
    services = make_services()
    ui = build_shell(services.config, services.session)
    try:
        qtbot.addWidget(ui.window)
        yield ui, services
    finally:
        ui.close()


def test_a_tile_tapped_before_the_screens_exist_opens_once_they_do(
        qtbot: Any, shell: tuple[Any, Any]) -> None:
    ui, services = shell
    window = ui.window
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


def test_wiping_before_the_services_arrive_forgets_the_waiting_tile(
        shell: tuple[Any, Any]) -> None:
    ui, services = shell
    window = ui.window
    window.show_screen("jobs")
    window.end_session()  # 退出 / idle in that second: nothing to open later
    attach_services(ui, services, speech_engine="mock")
    assert window.current is window.home_screen
