"""Shared helpers for the 求职登记 / 为您推荐 / 呼叫就业红娘 UI tests (no tests here).

The window is the real one on real services (``make_services``): SQLite in tmp, the demo job
catalogue, and the PDF-folder printer writing real receipts into ``tmp/printed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.identity import check_character
from kiosk.session import Resident
from kiosk.store.models import OutboxRecord
from ui.launch import KioskUi, build_ui

TODAY = "2026-11-26"
ID17 = "12011119780315002"
ID_NUMBER = ID17 + check_character(ID17)
RESIDENT = Resident(id_number=ID_NUMBER, name="李秀兰", card_type="resident", gender="female",
                    birth_date=date(1978, 3, 15),
                    card_address="天津市西青区杨柳青镇柳口路8号", key="r" * 32)
PHONE = "13812345678"


def ui_factory(make_services: Callable[..., Any], tmp_path: Path
               ) -> Iterator[Callable[..., KioskUi]]:
    """Body of each test file's ``make_ui`` fixture: the real window on services built from
    extra TOML (PDF printer into tmp/printed), closed at the end."""
    made: list[KioskUi] = []

    def factory(toml: str = "") -> KioskUi:
        if "[printer]" not in toml:
            toml += f'\n[printer]\nbackend = "pdf"\npdf_dir = "{tmp_path / "printed"}"\n'
        ui = build_ui(make_services(toml))
        ui.window.show()
        made.append(ui)
        return ui

    yield factory
    for ui in made:
        ui.close()
        ui.window.deleteLater()


def tap(qtbot: QtBot, button: QWidget) -> None:
    """A finger on the button: scrolled into view first, never a double tap."""
    qtbot.waitUntil(button.isVisible, timeout=2000)
    assert button.isEnabled(), button
    parent = button.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(button, 0, 0)
    button._last_click = 0.0  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tap_back(qtbot: QtBot, ui: KioskUi) -> None:
    tap(qtbot, ui.window.nav.back)


def texts(widget: QWidget) -> str:
    """What a person can read on ``widget`` now (hidden labels excluded)."""
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)
                     and w.text())


def identify(ui: KioskUi, resident: Resident = RESIDENT) -> None:
    ui.window.services.session.identify(resident)
    ui.window.home_screen.show_resident(resident)


def type_phone(qtbot: QtBot, entry: Any, digits: str, *, confirm: bool = True) -> None:
    """Type on the keypad as a finger would, then tap its confirm key."""
    for digit in digits:
        tap(qtbot, entry.keypad.buttons[digit])
    if confirm:
        tap(qtbot, entry.keypad.buttons["下一步"])


def outbox(ui: KioskUi, kind: str) -> list[OutboxRecord]:
    with ui.window.services.db.read() as s:
        return list(s.scalars(select(OutboxRecord).where(OutboxRecord.kind == kind)))


def rows(ui: KioskUi, model: Any) -> list[Any]:
    with ui.window.services.db.read() as s:
        return list(s.scalars(select(model)))


def pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc).replace(
            "\r", "").replace("\n", "").replace(" ", "")
    finally:
        doc.close()


def wait_receipt(qtbot: QtBot, ui: KioskUi) -> Any:
    overlay = ui.window.receipts.overlay
    qtbot.waitUntil(lambda: overlay.isVisible() and overlay.ok.isVisible(), timeout=15000)
    return overlay
