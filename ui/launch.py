"""The UI composition root: builds the window from the core services and wires the signals.

``build_ui`` is used by `kiosk run`, `kiosk screenshots`, the self-test and the tests, so they
all look at the same kiosk. It runs in two stages that `kiosk run` separates in time:
:func:`build_shell` (window, theme, home screen: needs only the config, so it paints before
storage is open) and :func:`attach_services` (everything behind home, from ui/screen_set.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.session import ResidentSession
from ui.bridge import DeviceBridge
from ui.main_window import KioskWindow
from ui.ops import KioskOps
from ui.qt_app import apply_theme, get_application, load_font

if TYPE_CHECKING:
    from kiosk.app import Services

log = logging.getLogger(__name__)


@dataclass
class KioskUi:
    app: QApplication
    window: KioskWindow
    ops: KioskOps
    bridge: DeviceBridge
    font_family: str
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Stop background work; the services (devices, database) are closed by their owner."""
        self.app.removeEventFilter(self.window.idle)
        self.window.allow_close = True
        self.window.idle.stop()
        self.window.close()
        self.ops.shutdown()


def build_ui(services: Services, *, demo_cards: list[tuple[str, Any]] | None = None,
             speech_engine: str | None = None) -> KioskUi:
    """``speech_engine`` names a QtTextToSpeech engine (tests: "mock"); None picks the
    machine's real one, or none (朗读 hidden)."""
    ui = build_shell(services.config, services.session)
    attach_services(ui, services, demo_cards=demo_cards, speech_engine=speech_engine)
    return ui


def build_shell(config: KioskConfig, session: ResidentSession) -> KioskUi:
    """The window with its home screen, themed and sized: all the first frame needs."""
    app = get_application()
    family = load_font(app)
    apply_theme(app, config.display.elder_mode_default)
    ops = KioskOps()
    window = KioskWindow(config, session, ops)
    app.installEventFilter(window.idle)  # every touch anywhere restarts the idle timer
    width, height = config.display.size
    # The panel's size, fixed: on a kiosk the full-screen window cannot grow either, so a
    # screen that needs more room must scroll (the UI audit catches one that squashes).
    window.setFixedSize(width, height)

    def back_a_step() -> None:
        """返回 in a multi-step flow goes back one step (screens with ``step_back()``)."""
        step_back = getattr(window.current, "step_back", None)
        if step_back is None or not step_back():
            window.back()

    try:
        window.nav.back.clicked.disconnect(window.back)
    except RuntimeError:  # not connected: nothing to replace
        pass
    window.nav.back.clicked.connect(back_a_step)
    window.home_screen.tile_chosen.connect(window.show_screen)

    def on_elder(enabled: bool) -> None:
        apply_theme(app, enabled)

    window.elder_mode_changed.connect(on_elder)
    if config.display.elder_mode_default:
        window.nav.elder.setChecked(True)

    bridge = DeviceBridge(window)
    bridge.card_read.connect(window.on_card)
    bridge.card_error.connect(window.on_card_error)
    bridge.reader_fault.connect(window.on_reader_fault)
    bridge.reader_recovered.connect(window.on_reader_recovered)
    return KioskUi(app=app, window=window, ops=ops, bridge=bridge, font_family=family)


def attach_services(ui: KioskUi, services: Services, *,
                    demo_cards: list[tuple[str, Any]] | None = None,
                    speech_engine: str | None = None) -> None:
    """Second stage, on the GUI thread: hand the services over and build every other screen.

    Cheap when ui.screen_set was imported beforehand (`kiosk run` does that on a worker).
    """
    from ui.screen_set import add_screens

    ui.window.attach(services)
    ui.extras.update(add_screens(ui.app, ui.window, services, ui.ops, ui.bridge,
                                 demo_cards=demo_cards, speech_engine=speech_engine))
    ui.window.mark_ready()
