"""The UI composition root: builds the window from the core services and wires the signals.

``build_ui`` is used by `kiosk run`, `kiosk screenshots`, the self-test and the tests, so they
all look at the same kiosk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QApplication

from kiosk.app import Services
from kiosk.input.pinyin import build_engine, policy_words
from ui.bridge import DeviceBridge
from ui.main_window import KioskWindow
from ui.ops import KioskOps
from ui.qt_app import apply_theme, get_application, load_font
from ui.screens.admin_setup import AdminMode
from ui.screens.callback_screen import CallbackScreen
from ui.screens.guide_screen import guide_screens
from ui.screens.home_screen import SERVICES
from ui.screens.jobs_screen import job_screens
from ui.screens.my_applications_screen import MyApplicationsScreen
from ui.screens.pending_screen import PendingScreen
from ui.screens.pin_screen import PinScreen
from ui.screens.policies_screen import policy_screens
from ui.screens.recommend_screen import RecommendScreen
from ui.screens.register_screen import RegisterScreen
from ui.speech import VoiceGuide, make_speaker
from ui.widgets.text_entry import TextEntryOverlay

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
    app = get_application()
    family = load_font(app)
    config = services.config
    apply_theme(app, config.display.elder_mode_default)
    ops = KioskOps()
    window = KioskWindow(services, ops)
    app.installEventFilter(window.idle)  # every touch anywhere restarts the idle timer
    width, height = config.display.size
    # The panel's size, fixed: on a kiosk the full-screen window cannot grow either, so a
    # screen that needs more room must scroll (the UI audit catches one that squashes).
    window.setFixedSize(width, height)

    pin = PinScreen(window, services.admin, ops,
                    landscape=config.display.orientation == "landscape")
    pin.accepted.connect(window.enter_admin)
    window.add_screen(pin)

    window.add_screen(MyApplicationsScreen(window, services, ops))
    for screen in [*policy_screens(window, services, ops, window.receipts),
                   *guide_screens(window, services, window.receipts),
                   *job_screens(window, services, ops, window.receipts)]:
        window.add_screen(screen)
    window.add_screen(RegisterScreen(window, services, ops, window.receipts))
    window.add_screen(RecommendScreen(window, services, ops))
    window.add_screen(CallbackScreen(window, services, ops, window.receipts))

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

    hint = f"{config.station.name}\n{config.station.address}\n办公时间：{config.station.hours}"
    for key, title, _sub in SERVICES:
        if key not in window.screens:
            window.add_screen(PendingScreen(window, key, title, hint))
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
    admin = AdminMode(window, ops, bridge, demo_cards=demo_cards)
    voice = VoiceGuide(window, make_speaker(speech_engine, parent=window))
    text_entry = TextEntryOverlay(window, ops, lambda: build_engine(policy_words(
        p.name for p in services.policies.current.policies)),
        landscape=config.display.orientation == "landscape")
    window.session_wiped.connect(text_entry.clear_personal)
    return KioskUi(app=app, window=window, ops=ops, bridge=bridge, font_family=family,
                   extras={"admin": admin, "voice": voice, "text_entry": text_entry})
