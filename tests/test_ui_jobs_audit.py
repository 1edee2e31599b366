"""适老化 audit of the 找工作 screens in every state, both orientations, normal and large text.

tests/test_ui_audit.py walks every screen of the kiosk; this walks only these four, and
also the states a walk cannot reach without submitting (the card prompt, a finished 报名),
so a finding here is ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_support import AuditLog, audited_window, build_demo_db, install_demo_db, pdf_printer

from ui.launch import KioskUi
from ui.screenshots import demo_resident

TODAY = date(2026, 11, 26)
SCREENS = ("jobs", "job_map", "job_detail", "signup")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_db(tmp_path_factory.mktemp("catalogue"), TODAY, activities=False)


def walk(ui: KioskUi, qtbot: QtBot) -> Iterator[str]:
    """Each screen and its screenshot states, with a demo resident; then the states only a
    real visit reaches."""
    window = ui.window

    def settle() -> None:
        qtbot.waitUntil(lambda: not getattr(window.current, "loading", False), timeout=5000)
        QApplication.processEvents()

    window.end_session()
    screens: dict[str, Any] = dict(window.screens)
    signup = screens["signup"]
    window.show_screen("jobs")
    settle()
    screens["jobs"]._row_tapped(screens["jobs"].model.index(0, 0))
    settle()
    screens["job_detail"].signup_button.click()
    settle()
    yield "signup_card_prompt"
    window.services.session.identify(demo_resident())
    settle()  # 报名 was waiting for a card: it carries on now, before the walk goes on
    for name in SCREENS:
        window.history.clear()
        window.show_screen(name)
        settle()
        yield name
        for state in screens[name].screenshot_states():
            settle()
            yield f"{name}_{state}"
    if signup.pages.currentWidget() is signup.confirm_page:
        signup.agree_button.click()
        qtbot.waitUntil(lambda: window.receipts.overlay.ok.isVisible(), timeout=10_000)
        yield "signup_receipt"
        window.receipts.overlay.ok.click()
        settle()
        yield "signup_done"
    window.end_session()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_job_screens_pass_the_audit(qtbot: QtBot, make_services: Callable[..., Any],
                                    kiosk_home: Path, tmp_path: Path, catalogue: Path,
                                    monkeypatch: pytest.MonkeyPatch, orientation: str) -> None:
    monkeypatch.setenv("KIOSK_TODAY", TODAY.isoformat())
    log = AuditLog()
    for elder in (False, True):
        install_demo_db(catalogue, kiosk_home)  # a fresh database: 报名 once per mode
        services = make_services(f'[display]\norientation = "{orientation}"\n'
                                 + pdf_printer(tmp_path / "printed"))
        with audited_window(services, elder=elder) as ui:
            log.walk(ui, walk(ui, qtbot), elder=elder)
        services.close()  # before the next copy overwrites its database
    assert {"jobs_picker", "jobs_filtered", "job_map_counts", "signup_card_prompt",
            "signup_confirm", "signup_done"} <= set(log.seen)
    assert not log.problems, log.report()
