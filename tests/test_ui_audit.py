"""适老化 audit of every screen: both orientations, normal and large text (长辈模式), in
Chinese and in English (English is wider: a label that fits in Chinese may not)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import getCppPointer

from kiosk.i18n import set_language
from ui.audit import audit
from ui.launch import build_ui
from ui.qt_app import apply_theme
from ui.screenshots import walk_screens


def _top_level_widgets() -> dict[int, QWidget]:
    return {getCppPointer(w)[0]: w for w in QApplication.topLevelWidgets()}

# English in large text only: where a wider English label runs out of room first (the normal
# size gives every label more room than large text does). Keeps the suite inside its budget.
CASES = [(o, e, lang) for o in ("portrait", "landscape") for e in (False, True)
         for lang in ("zh", "en") if lang == "zh" or e]


@pytest.mark.parametrize(("orientation", "elder", "lang"), CASES,
                         ids=[f"{o}-{'large-text' if e else 'normal'}-{lang}"
                              for o, e, lang in CASES])
def test_every_screen_passes_the_audit(qtbot: QtBot, make_services: Any, orientation: str,
                                       elder: bool, lang: str) -> None:
    services = make_services(f'[display]\norientation = "{orientation}"\n')
    set_language(lang)  # before the screens are built: they take their texts then
    before = _top_level_widgets()
    ui = build_ui(services)
    try:
        apply_theme(ui.app, elder)
        ui.window.show()
        problems: dict[str, list[str]] = {}
        width, height = services.config.display.size
        for name, app in walk_screens(ui):
            app.processEvents()
            found = [str(f) for f in audit(ui.window)]
            size = ui.window.size()
            if size.width() > width or size.height() > height:  # content pushed it past the panel
                found.append(f"window grew to {size.width()}×{size.height()} "
                             f"(panel {width}×{height})")
            if found:
                problems[name] = found
        assert not problems, "\n".join(f"[{n}] {f}" for n, fs in problems.items() for f in fs)
        # Every widget belongs to the window: a parentless one is a hidden window of its own,
        # owned by Python and destroyed by whichever thread drops it last (Qt may crash).
        strays = [w for key, w in _top_level_widgets().items()
                  if key not in before and w is not ui.window]
        assert not strays, [f"{type(w).__name__} {w.objectName()!r} "
                            f"{getattr(w, 'text', str)()!r}" for w in strays]
    finally:
        apply_theme(ui.app, False)
        ui.close()
        ui.window.deleteLater()
