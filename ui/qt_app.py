"""The QApplication: bundled CJK font, theme, and the elder-mode switch.

The font is loaded from resources/fonts at start, so every kiosk (and every screenshot on a
build machine without Chinese fonts) renders the same glyphs.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.paths import resource
from ui.theme.style import build_stylesheet
from ui.theme.tokens import Tokens, tokens_for

log = logging.getLogger(__name__)

FONT_FILE = ("fonts", "wqy-microhei.ttc")


def get_application() -> QApplication:
    """The process's QApplication, created on first use with the kiosk's settings."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(["kiosk"])
        app.setApplicationName("乐业西青")
        app.setOrganizationName("xiqing-hrss")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    assert isinstance(app, QApplication)
    return app


def load_font(app: QApplication) -> str:
    """Register the bundled font and make it the default; returns its family name."""
    font_id = QFontDatabase.addApplicationFont(str(resource(*FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("bundled font %s could not be loaded", resource(*FONT_FILE))
        return app.font().family()
    font = QFont(families[0])
    font.setPixelSize(Tokens().body_px)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    return families[0]


def apply_theme(app: QApplication, elder_mode: bool) -> Tokens:
    """Restyle the application; unchanged sheets are not set again, since setting one
    re-polishes every widget (a second or more with all screens built)."""
    tokens = tokens_for(elder_mode)
    sheet = build_stylesheet(tokens)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    return tokens
