"""Rendering every screen to PNG, offscreen: for manuals, review and the self-test.

A demo resident is identified for the screens that show personal data, so the screenshots
show what residents see (masked), never a real person.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from kiosk.session import Resident
from ui.launch import KioskUi


def demo_resident() -> Resident:
    """The first valid female resident card of the bundled demo cards (the demo data holds
    the numbers; product code holds none)."""
    from drivers.idcard.simulator import load_cards_json
    from kiosk.app import today
    from kiosk.paths import resource

    card = next(c for c in load_cards_json(resource("demo", "cards.json"))
                if c.card_type == "resident" and c.gender == "女" and not c.is_expired(today()))
    return Resident(id_number=card.id_number, name=card.name, card_type=card.card_type,
                    gender="female", birth_date=card.birth_date, card_address=card.address,
                    key="demo")


def walk_screens(ui: KioskUi) -> Iterator[tuple[str, QApplication]]:
    """Visit every screen in a resident's order and yield (name, app) after each settles.

    In the language the walk started in: a session wipe brings Chinese back, as it does for
    the next resident, so the walk picks its language again after each one."""
    from kiosk.i18n import language

    window = ui.window
    app = ui.app
    lang = language()

    def wipe() -> None:
        window.end_session()
        window.set_language(lang)

    wipe()
    yield "home", app
    resident = demo_resident()
    window.services.session.identify(resident)
    window.home_screen.show_resident(resident)
    window.history.clear()
    window.show_screen("home")
    yield "home_identified", app
    order = [n for n, s in window.screens.items()
             if n not in ("home", "pin", "admin") and not getattr(s, "admin_only", False)]
    for name in order:
        window.history.clear()
        window.show_screen(name)
        _settle(ui)
        yield name, app
        for state in getattr(window.screens[name], "screenshot_states", tuple)():
            _settle(ui)
            yield f"{name}_{state}", app
    window.countdown.start(window.services.config.session.countdown_s)
    yield "idle_countdown", app
    window.countdown.cancel()
    wipe()
    window.show_screen("pin")
    yield "pin", app
    window.in_admin = True
    window.show_screen("admin")
    _settle(ui)
    yield "admin", app
    for name, screen in list(window.screens.items()):
        if name == "admin" or not getattr(screen, "admin_only", False):
            continue
        window.show_screen(name)
        _settle(ui)
        yield name, app
        for state in getattr(screen, "screenshot_states", tuple)():
            _settle(ui)
            yield f"{name}_{state}", app
    window.in_admin = False
    wipe()
    admin = ui.extras.get("admin")
    if admin is not None:
        admin.rating.offer()
        yield "rating", app
        admin.rating.dismiss()


def _settle(ui: KioskUi, timeout_s: float = 5.0) -> None:
    """Let a screen's background work (database reads, device checks) arrive on screen."""
    admin = ui.extras.get("admin")
    deadline = time.monotonic() + timeout_s
    for _ in range(3):  # layouts that change sizes post further layout requests
        ui.app.processEvents()
    while time.monotonic() < deadline:
        ui.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        busy = getattr(ui.window.current, "loading", False) or (
            admin is not None and admin.monitor.checking)
        if not busy:
            break
        time.sleep(0.02)  # the worker thread is busy: give it the CPU
    ui.app.processEvents()


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
