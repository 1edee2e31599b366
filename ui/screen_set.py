"""Every screen behind the home screen, and the helpers that serve them all.

Kept out of ui/launch.py so the first frame does not wait for these imports (jobs, policies,
admin, receipts, the pinyin keyboard): `kiosk run` imports this module on a worker thread while
the home screen is already on the glass, then :func:`add_screens` builds the widgets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from kiosk.app import Services
from kiosk.i18n import tr
from kiosk.input.pinyin import build_engine, policy_words
from ui.bridge import DeviceBridge
from ui.main_window import KioskWindow
from ui.ops import KioskOps
from ui.screens.activities_screen import activity_screens
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


def add_screens(app: QApplication, window: KioskWindow, services: Services, ops: KioskOps,
                bridge: DeviceBridge, *, demo_cards: list[tuple[str, Any]] | None,
                speech_engine: str | None) -> dict[str, Any]:
    """Build and register every screen but home; returns the extras the caller keeps."""
    config = services.config
    pin = PinScreen(window, services.admin, ops,
                    landscape=config.display.orientation == "landscape")
    pin.accepted.connect(window.enter_admin)
    window.add_screen(pin)
    add_resident_screens(window, services, ops)

    def rebuild(_language: str) -> None:
        if window.ready:
            window.retire_screens(window.resident_screen_names())
            add_resident_screens(window, services, ops)

    window.language_changed.connect(rebuild)
    admin = AdminMode(window, ops, bridge, demo_cards=demo_cards)
    voice = VoiceGuide(window, make_speaker(speech_engine, parent=window))
    text_entry = TextEntryOverlay(window, ops, lambda: build_engine(policy_words(
        p.name for p in services.policies.current.policies)),
        landscape=config.display.orientation == "landscape")
    window.session_wiped.connect(text_entry.clear_personal)
    return {"admin": admin, "voice": voice, "text_entry": text_entry}


def add_resident_screens(window: KioskWindow, services: Services, ops: KioskOps) -> None:
    """Every screen a resident can reach from home, built in the current language (again
    after the resident switches it)."""
    config = services.config
    window.add_screen(MyApplicationsScreen(window, services, ops))
    for screen in [*policy_screens(window, services, ops, window.receipts),
                   *guide_screens(window, services, window.receipts),
                   *job_screens(window, services, ops, window.receipts),
                   *activity_screens(window, services, ops, window.receipts)]:
        window.add_screen(screen)
    window.add_screen(RegisterScreen(window, services, ops, window.receipts))
    window.add_screen(RecommendScreen(window, services, ops))
    window.add_screen(CallbackScreen(window, services, ops, window.receipts))

    hint = tr("{name}\n{address}\n办公时间：{hours}").format(
        name=config.station.name, address=config.station.address, hours=config.station.hours)
    for key, title, _sub in SERVICES:
        if key not in window.screens:
            window.add_screen(PendingScreen(window, key, tr(title), hint))
