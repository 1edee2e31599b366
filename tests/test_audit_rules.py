"""The audit itself catches what it promises to catch (so a passing audit means something)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.audit import audit


def _window(qtbot: QtBot, *widgets: QWidget, row: bool = False, spacing: int = 20) -> QWidget:
    window = QWidget()
    window.setStyleSheet("QWidget { background: #FFFFFF; color: #1A1A1A; font-size: 32px; }")
    layout = QHBoxLayout(window) if row else QVBoxLayout(window)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    window.resize(800, 600)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _rules(window: QWidget) -> set[str]:
    return {f.rule for f in audit(window)}


def test_a_good_screen_passes(qtbot: QtBot) -> None:
    button = QPushButton("确定")
    button.setMinimumSize(200, 110)
    window = _window(qtbot, QLabel("正文文字"), button)
    assert audit(window) == []


def test_small_text(qtbot: QtBot) -> None:
    small = QLabel("小字")
    small.setStyleSheet("font-size: 16px;")
    assert "text-size" in _rules(_window(qtbot, small))


def test_low_contrast(qtbot: QtBot) -> None:
    grey = QLabel("灰色文字看不清")
    grey.setStyleSheet("color: #AAAAAA;")
    assert "contrast" in _rules(_window(qtbot, grey))


def test_small_target_and_tight_gap(qtbot: QtBot) -> None:
    a, b = QPushButton("甲"), QPushButton("乙")
    for button in (a, b):
        button.setFixedSize(60, 60)
    window = _window(qtbot, a, b, row=True, spacing=4)
    rules = _rules(window)
    assert "target" in rules and "gap" in rules


def test_clipped_label(qtbot: QtBot) -> None:
    long = QLabel("这是一段非常非常长而且不会自动换行的文字，放不下")
    long.setFixedWidth(200)
    assert "clipped" in _rules(_window(qtbot, long))


def test_a_label_scrolled_half_out_of_view_is_not_judged_on_its_slivers(qtbot: QtBot) -> None:
    """Only the glyph tops of a label cut by a scroll area's edge show: no contrast finding
    for those, while the same label in full view is measured as usual."""
    from PySide6.QtWidgets import QScrollArea

    inner = QWidget()
    column = QVBoxLayout(inner)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    spacer = QWidget()
    spacer.setFixedHeight(280)
    column.addWidget(spacer)
    cut = QLabel("被滚动区域截断的文字")
    cut.setStyleSheet("color: #AAAAAA;")  # low contrast: judged if it were in view
    column.addWidget(cut)
    column.addStretch(1)
    inner.setFixedHeight(600)
    area = QScrollArea()
    area.setWidget(inner)
    area.setFixedSize(700, 290)  # the label starts 280 px down: about 8 px of it show
    window = _window(qtbot, area)
    assert cut.fontMetrics().height() > 12
    assert "contrast" not in _rules(window)
    area.verticalScrollBar().setValue(200)  # now in full view: measured, and too light
    assert "contrast" in _rules(window)
