"""The resident's language: every resident-facing text goes through :func:`tr`.

Chinese is the source language: the text in the code is what a resident sees by default, and
it is the message id of the English catalogue (``resources/locale/en/LC_MESSAGES/kiosk.po``,
compiled to ``kiosk.mo``; ``scripts/translations.py`` extracts, updates, compiles and checks
it with Babel). gettext is the standard tool for this and keeps the core Qt-free, so the core's
resident messages (submission errors, vocabulary labels) use the same catalogue as the screens.

The language is a process-wide setting, like the locale: the kiosk serves one resident at a
time, the window switches it on the GUI thread when they pick English on the home screen, and
switches back to Chinese when their session is wiped. Text that is built at import time
(tables of labels) is marked with :func:`N_` and translated with :func:`tr` where it is shown.
"""

from __future__ import annotations

import gettext
import logging
import threading

from kiosk.paths import resource

log = logging.getLogger(__name__)

DOMAIN = "kiosk"
SOURCE = "zh"
LANGUAGES = {"zh": "中文", "en": "English"}

_lock = threading.Lock()
_loaded: dict[str, gettext.NullTranslations] = {}
_current: list[str] = [SOURCE]  # one cell: read without locking, written under _lock


def _translations(code: str) -> gettext.NullTranslations:
    if code == SOURCE:
        return gettext.NullTranslations()
    if code not in _loaded:
        try:
            _loaded[code] = gettext.translation(DOMAIN, localedir=str(resource("locale")),
                                                languages=[code])
        except OSError:
            log.error("no %s catalogue under %s; showing Chinese", code, resource("locale"))
            _loaded[code] = gettext.NullTranslations()
    return _loaded[code]


def set_language(code: str) -> None:
    """Switch every later :func:`tr` to ``code`` ("zh" or "en")."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    with _lock:
        _translations(code)
        _current[0] = code


def language() -> str:
    return _current[0]


def tr(message: str) -> str:
    """``message`` (Chinese) in the resident's language. Placeholders stay ``{name}``-style
    and are filled after translation: ``tr("共 {n} 个职位").format(n=n)`` (English has no
    plural forms here: write "Jobs found: {n}" rather than "{n} job(s)")."""
    code = _current[0]
    if code == SOURCE or not message:  # gettext("") is the catalogue's header
        return message
    return _translations(code).gettext(message)


def tr_in(code: str, message: str) -> str:
    """``message`` in language ``code`` whatever the current one is (e.g. a last word to the
    resident who just left, after the wipe switched back to Chinese)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    if code == SOURCE or not message:
        return message
    with _lock:
        translations = _translations(code)
    return translations.gettext(message)


def N_(message: str) -> str:  # the gettext convention for "mark only"
    """Mark ``message`` for the catalogue without translating it now (import-time tables)."""
    return message
