"""Card on the (simulated, pty) reader → real ReaderThread → bridge → greeting on screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from drivers.idcard.simulator import load_cards_json
from kiosk.devices import Devices, start_devices
from kiosk.paths import resource
from ui.launch import KioskUi, build_ui

CARDS = {c.id_number: c for c in load_cards_json(resource("demo", "cards.json"))}


def _card(kind: str, expired: bool = False) -> Any:
    today = date.today()
    for card in CARDS.values():
        if card.card_type == kind and card.is_expired(today) == expired:
            return card
    raise LookupError(kind)


@pytest.fixture
def live(qtbot: QtBot, make_services: Any) -> Iterator[tuple[KioskUi, Devices]]:
    services = make_services(reader="simulated")
    ui = build_ui(services)
    ui.window.show()
    devices = start_devices(services, ui.bridge)
    yield ui, devices
    services.close()  # stops reader and simulator threads
    ui.close()
    ui.window.deleteLater()


@pytest.mark.parametrize("kind", ["resident", "hk_macau_taiwan_permit",
                                  "foreign_permanent_resident"])
def test_card_greets_resident(live: tuple[KioskUi, Devices], qtbot: QtBot, kind: str) -> None:
    ui, devices = live
    card = _card(kind)
    devices.simulator.place_card(card)
    window = ui.window
    qtbot.waitUntil(lambda: window.services.session.identified, timeout=5000)
    resident = window.services.session.resident
    assert resident is not None and resident.id_number == card.id_number
    greeting = window.home_screen.greeting_text()
    assert greeting.startswith("您好，") and "*" in greeting
    text = window.home_screen.all_text()
    assert card.id_number not in text
    assert resident.id_masked in text


def test_expired_card_refused(live: tuple[KioskUi, Devices], qtbot: QtBot) -> None:
    ui, devices = live
    devices.simulator.place_card(_card("resident", expired=True))
    qtbot.waitUntil(ui.window.message_box.isVisible, timeout=5000)
    assert "过期" in ui.window.message_box.title.text()
    assert not ui.window.services.session.identified


def test_demo_card_button_reads_same_card_again(live: tuple[KioskUi, Devices],
                                                qtbot: QtBot) -> None:
    ui, devices = live
    window = ui.window
    actions = devices.demo_card_actions()
    assert len(actions) == len(CARDS)
    _title, place = actions[0]
    place()
    qtbot.waitUntil(lambda: window.services.session.identified, timeout=5000)
    window.end_session()
    place()  # staff place the same demo card again after the resident left
    qtbot.waitUntil(lambda: window.services.session.identified, timeout=5000)


def test_unplugged_reader_is_reported_and_recovers(live: tuple[KioskUi, Devices],
                                                   qtbot: QtBot) -> None:
    ui, devices = live
    home = ui.window.home_screen
    devices.simulator.unplug()
    qtbot.waitUntil(lambda: home.reader_notice.isVisibleTo(home), timeout=5000)
    assert "请联系工作人员" in home.reader_notice.text()
    devices.simulator.replug()
    qtbot.waitUntil(lambda: not home.reader_notice.isVisibleTo(home), timeout=8000)
    devices.simulator.place_card(_card("resident"))
    qtbot.waitUntil(lambda: ui.window.services.session.identified, timeout=5000)
