"""Rendering every screen to PNG, offscreen: for manuals, review and the self-test.

A demo resident is identified for the screens that show personal data, so the screenshots
show what residents see (masked), never a real person.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.session import Resident
from ui.launch import KioskUi

DEMO_RESIDENT = Resident(
    id_number="120111197403150318", name="李秀兰", card_type="resident", gender="female",
    birth_date=None, card_address="天津市西青区杨柳青镇柳口路8号", key="demo",
)


def walk_screens(ui: KioskUi) -> Iterator[tuple[str, QApplication]]:
    """Visit every screen in a resident's order and yield (name, app) after each settles."""
    window = ui.window
    app = ui.app
    window.end_session()
    yield "home", app
    window.services.session.identify(DEMO_RESIDENT)
    window.home_screen.show_resident(DEMO_RESIDENT)
    window.history.clear()
    window.show_screen("home")
    yield "home_identified", app
    order = [n for n in window.screens if n not in ("home", "pin", "admin")]
    for name in order:
        window.history.clear()
        window.show_screen(name)
        yield name, app
    window.countdown.start(window.services.config.session.countdown_s)
    yield "idle_countdown", app
    window.countdown.cancel()
    window.end_session()
    window.show_screen("pin")
    yield "pin", app
    window.in_admin = True
    window.show_screen("admin")
    yield "admin", app
    window.in_admin = False
    window.end_session()


def save_screenshots(ui: KioskUi, out_dir: Path, prefix: str = "") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    window = ui.window
    window.show()
    paths: list[Path] = []
    for i, (name, app) in enumerate(walk_screens(ui)):
        app.processEvents()
        path = out_dir / f"{prefix}{i:02d}_{name}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        paths.append(path)
    return paths
