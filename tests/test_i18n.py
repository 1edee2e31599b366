"""The English catalogue is complete and compiled, and switching language changes tr()."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kiosk.i18n import language, set_language, tr

ROOT = Path(__file__).resolve().parent.parent


def _translations_script() -> object:
    spec = importlib.util.spec_from_file_location("translations",
                                                  ROOT / "scripts" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_resident_text_has_an_english_translation() -> None:
    problems = _translations_script().problems()  # type: ignore[attr-defined]
    assert problems == [], "\n".join(problems[:40])


def test_switching_language_changes_tr_and_back() -> None:
    assert language() == "zh" and tr("找工作") == "找工作"
    set_language("en")
    assert language() == "en"
    assert tr("找工作") != "找工作" and tr("找工作").isascii()
    assert tr("一句没有翻译的话") == "一句没有翻译的话"  # unknown text: shown as it is
    set_language("zh")
    assert tr("找工作") == "找工作"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        set_language("fr")
    assert language() == "zh"


def test_empty_text_stays_empty_in_english() -> None:
    """gettext("") would be the catalogue's header."""
    set_language("en")
    assert tr("") == ""
