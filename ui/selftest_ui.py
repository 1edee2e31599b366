"""The Qt half of the self-test: the real window builds, every screen renders, fonts load."""

from __future__ import annotations

from kiosk.app import Services
from kiosk.selftest import Check
from ui.launch import build_ui
from ui.screenshots import walk_screens


def ui_checks(services: Services) -> list[Check]:
    checks: list[Check] = []
    ui = build_ui(services)
    try:
        family = ui.font_family
        checks.append(Check("qt_font", "WenQuanYi" in family or "文泉驿" in family,
                            f"application font: {family}"))
        visited: list[str] = []
        blank: list[str] = []
        ui.window.show()
        for name, app in walk_screens(ui):
            app.processEvents()
            image = ui.window.grab().toImage()
            if image.isNull() or image.width() < 100:
                blank.append(name)
            visited.append(name)
        checks.append(Check("screens", not blank,
                            f"rendered {len(visited)} screens" + (
                                f"; blank: {', '.join(blank)}" if blank else "")))
    finally:
        ui.close()
    return checks
