"""Starting the configured devices: the card reader (real or simulated) for now.

Device threads call the handler on their own threads; the UI passes its bridge as the
handler, the CLI passes plain objects. Everything started here is registered on the services
so :meth:`Services.close` stops it.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.app import Services
from kiosk.identity import mask_name
from kiosk.paths import resource

log = logging.getLogger(__name__)


@dataclass
class Devices:
    reader: Any = None
    simulator: Any = None
    demo_cards: list[Any] = field(default_factory=list)

    def demo_card_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """Buttons for admin mode: place one of the demo cards on the simulated reader."""
        if self.simulator is None:
            return []
        sim = self.simulator
        actions: list[tuple[str, Callable[[], None]]] = []
        for card in self.demo_cards:
            kind = {"resident": "居民身份证", "hk_macau_taiwan_permit": "港澳台居住证",
                    "foreign_permanent_resident": "外国人永久居留身份证"}.get(card.card_type, "")
            title = f"{mask_name(card.name)}（{kind}）"
            actions.append((title, _placer(sim, card)))
        return actions


def _placer(sim: Any, card: Any) -> Callable[[], None]:
    return lambda: sim.place_card(card, lift_first=True)


class _Stoppable:
    def __init__(self, name: str, stop: Callable[[], None]) -> None:
        self.name = name
        self._stop = stop

    def stop(self) -> None:
        self._stop()

    def __repr__(self) -> str:
        return self.name


def start_devices(services: Services, handler: Any) -> Devices:
    """Start the card reader per config; a reader that cannot start reports a fault, never
    stops the kiosk from starting."""
    config = services.config.reader
    devices = Devices()
    if config.kind == "none":
        return devices
    from drivers.idcard.reader import ReaderThread

    port = config.port
    if config.kind == "simulated":
        from drivers.idcard.simulator import SimulatedReader, load_cards_json

        cards_file = Path(config.demo_cards) if config.demo_cards else resource(
            "demo", "cards.json")
        devices.demo_cards = load_cards_json(cards_file)
        sim = SimulatedReader(baud=config.baud)
        link = Path(tempfile.mkdtemp(prefix="kiosk-sim-")) / "idcard"
        port = sim.start(link=link)
        devices.simulator = sim
        services.devices.append(_Stoppable("simulated reader", sim.stop))
    reader = ReaderThread(port, config.baud, handler, poll_interval=config.poll_interval_s)
    reader.start()
    devices.reader = reader
    services.devices.append(_Stoppable("card reader", reader.stop))
    return devices
