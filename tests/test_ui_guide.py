"""办事指南 through the real window: for everyone, no card, and it prints.

The printed guide goes through the real print service into the PDF-folder printer, and the
PDF is read back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
import ui_support
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from ui_support import pdf_printer, screen_of, tap, wait_receipt

from ui.launch import KioskUi
from ui.screens.guide_screen import GuideDetailScreen, GuideScreen

A4_MM = (210, 297)

# As these tests were written: every label not itself hidden counts, not only what shows.
texts = partial(ui_support.texts, visible_only=False)


def read_pdf(path: Path) -> tuple[str, list[tuple[float, float]]]:
    """All text (whitespace removed) and each page's size in mm."""
    doc = pdfium.PdfDocument(str(path))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in doc)
        sizes = [(w / 72 * 25.4, h / 72 * 25.4) for w, h in
                 (doc.get_page_size(i) for i in range(len(doc)))]
    finally:
        doc.close()
    return "".join(text.split()), sizes


def print_and_wait(ui: KioskUi, qtbot: QtBot, button: QWidget, folder: Path) -> Path:
    tap(qtbot, button)
    overlay = wait_receipt(qtbot, ui, timeout_ms=20000)
    assert overlay.title.text() == "请取走办事指南", overlay.text.text()
    printed = sorted(folder.glob("*guide*.pdf"))
    assert len(printed) == 1, printed
    return printed[0]


def test_guide_lists_every_policy_without_a_card(make_ui: Callable[..., KioskUi],
                                                 qtbot: QtBot) -> None:
    ui = make_ui()
    window = ui.window
    assert not window.services.session.identified
    tap(qtbot, window.home_screen.tiles["guide"])
    guide = screen_of(ui, GuideScreen)
    assert window.current is guide
    pack = window.services.policies.current
    assert list(guide.cards) == list(pack.policy_ids)
    shown = texts(guide)
    for policy in pack.policies:
        assert policy.name in shown
    station = window.services.config.station
    assert station.address in shown and station.hours in shown


def test_guide_detail_shows_conditions_materials_where_and_deadline(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    window = ui.window
    tap(qtbot, window.home_screen.tiles["guide"])
    tap(qtbot, screen_of(ui, GuideScreen).cards["difficulty-recognition"].open_button)
    detail = screen_of(ui, GuideDetailScreen)
    assert window.current is detail
    assert detail.title_label.text() == "就业困难人员认定"
    shown = texts(detail)
    for expected in ("申请条件", "本市户籍", "符合以下任一项即可", "4050人员",
                     "需要准备的材料", "户口簿", "到哪里办", "社区服务中心", "办理期限",
                     "常年受理", "待遇标准"):
        assert expected in shown, expected
    window.nav.back._last_click = 0.0
    tap(qtbot, window.nav.back)
    assert window.current.name == "guide"


def test_print_the_whole_guide_on_the_receipt_printer(make_ui: Callable[..., KioskUi],
                                                      qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    tap(qtbot, ui.window.home_screen.tiles["guide"])
    pdf = print_and_wait(ui, qtbot, screen_of(ui, GuideScreen).print_button,
                         tmp_path / "printed")
    text, sizes = read_pdf(pdf)
    assert "办事指南" in text and "申请条件" in text and "所需材料" in text
    for policy in ui.window.services.policies.current.policies:
        assert policy.name.replace(" ", "") in text, policy.name
    assert round(sizes[0][0]) == 80  # the thermal width


def test_print_one_policy_on_a4(make_ui: Callable[..., KioskUi], qtbot: QtBot,
                                tmp_path: Path) -> None:
    ui = make_ui(pdf_printer(tmp_path / "printed", width="a4"))
    window = ui.window
    tap(qtbot, window.home_screen.tiles["guide"])
    tap(qtbot, screen_of(ui, GuideScreen).cards["startup-subsidy"].open_button)
    pdf = print_and_wait(ui, qtbot, screen_of(ui, GuideDetailScreen).print_button,
                         tmp_path / "printed")
    text, sizes = read_pdf(pdf)
    assert "一次性创业补贴" in text and "营业执照" in text
    assert "就业困难人员认定" not in text
    assert all((round(w), round(h)) == A4_MM for w, h in sizes)
