"""Cards and lists the activities screens are built from.

Every list (招聘会, 直播, 课程, 项目, 导师, 公告) is a scrolling column of cards: a heading, a
tag or two, a few lines, and one button that opens the detail. Only the button opens it — a
finger dragging the list must not open a card by accident. The lists are short (dozens, not
thousands), so a widget per card is fine here, unlike 找工作's lazy list.

Cards call plain Python callbacks instead of emitting signals of their own (see
ui/widgets/policy_card.py on PySide6 6.12 and Python-side emits). Callers pass texts in the
resident's language (kiosk.i18n); the defaults here are translated when a card is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from ui.screens.base import label
from ui.widgets.activity_text import shorten
from ui.widgets.buttons import KioskButton
from ui.widgets.detail_side import DetailSide
from ui.widgets.fields import fields_grid
from ui.widgets.policy_card import button_row, card_frame, show_text
from ui.widgets.scroll import ScrollColumn

__all__ = ["CardList", "DetailBody", "ItemCard", "card_frame", "employer_jobs_card",
           "fields_card", "mark_chosen", "show_text", "text_card"]

OPEN_TEXT = N_("查看详情")
JOB_TITLE_CHARS = 10  # a job's button: title (cut) and pay (whole) on one line, even in 长辈模式


class ItemCard(QFrame):
    """One entry of a list: texts, and the button that opens it (at the right when the
    screen is wide, under the texts when it is not)."""

    def __init__(self, heading: str, *, tags: Sequence[tuple[str, str]] = (),
                 lines: Sequence[str] = (), hints: Sequence[str] = (),
                 button: str = "", on_open: Callable[[], None] | None = None,
                 wide: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        texts = QVBoxLayout()
        texts.setSpacing(8)
        self.heading = label(heading, "Heading")
        texts.addWidget(self.heading)
        for text, role in tags:  # (text, theme role): 正在直播 in OkText, 紧急 in ErrorText
            texts.addWidget(label(text, role))
        for text in lines:
            texts.addWidget(label(text))
        for text in hints:
            texts.addWidget(label(text, "Hint"))
        box = QBoxLayout(QBoxLayout.Direction.LeftToRight if wide
                         else QBoxLayout.Direction.TopToBottom, self)
        box.setContentsMargins(28, 20, 28, 20)
        box.setSpacing(20)
        box.addLayout(texts, 1)
        self.open_button: KioskButton | None = None
        if on_open is not None:
            self.open_button = KioskButton(button or tr(OPEN_TEXT))
            self.open_button.clicked.connect(on_open)
            if wide:
                box.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)
            else:
                box.addLayout(button_row(self.open_button))

    def texts(self) -> list[str]:
        return [w.text() for w in self.findChildren(QLabel)]


def fields_card(heading: str, rows: Sequence[tuple[str, str]], *,
                pairs_per_row: int = 1) -> QFrame:
    """A white card with a heading and label / value rows."""
    frame, box = card_frame()
    if heading:
        box.addWidget(label(heading, "Heading"))
    box.addWidget(fields_grid(rows, pairs_per_row))
    return frame


def text_card(heading: str, *texts: str, tag: str = "", tag_role: str = "OkText") -> QFrame:
    """A white card: a heading, a tag line under it (正在直播 in OkText, 名额已满 in
    ErrorText), and paragraphs. The top card of every detail page, and its text sections."""
    frame, box = card_frame()
    box.addWidget(label(heading, "Heading"))
    if tag:
        box.addWidget(label(tag, tag_role))
    for text in texts:
        box.addWidget(label(text))
    return frame


def mark_chosen(button: KioskButton, chosen: bool) -> None:
    """A filter button in the primary colour while its filter is set (行业：餐饮), plain
    while it is not (行业：不限) — the words say it too, so colour is never alone."""
    role = "primary" if chosen else ""
    if button.property("role") != role:
        button.setProperty("role", role)
        button.style().unpolish(button)
        button.style().polish(button)


def employer_jobs_card(employer: str, detail: str, jobs: Sequence[Any],
                       open_job: Callable[[str], None], *, role: str = "Heading") -> QFrame:
    """An employer with its jobs, one button each (title · pay) that opens 岗位详情 — how an
    event lists its employers and a live session the jobs it features. ``jobs`` are
    ``kiosk.jobs.search.JobSummary``."""
    frame, box = card_frame()
    box.addWidget(label(employer, role))
    if detail:
        box.addWidget(label(detail, "Hint"))
    for job in jobs:
        button = KioskButton(f"{shorten(job.title, JOB_TITLE_CHARS)} · {job.salary_text}")
        button.clicked.connect(partial(open_job, job.id))
        box.addWidget(button)
    return frame


class CardList(QWidget):
    """A status line above a scrolling column of cards and headings.

    ``show_status`` says 正在查找… or why the list is empty; the cards go in with
    :meth:`add` and :meth:`add_heading` and all leave at once with :meth:`clear`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = label("", "Body")
        self.status.hide()
        self.area = ScrollColumn()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        box.addWidget(self.status)
        box.addWidget(self.area, 1)
        self.cards: list[QWidget] = []

    def show_status(self, text: str, role: str = "Body") -> None:
        show_text(self.status, text, role)

    def add(self, widget: QWidget) -> None:
        self.area.add(widget)
        self.cards.append(widget)

    def add_heading(self, text: str) -> QLabel:
        heading = label(text, "Heading")
        self.area.add(heading)
        return heading

    def clear(self) -> None:
        self.cards.clear()
        self.area.clear()
        self.area.verticalScrollBar().setValue(0)

    def to_end(self) -> None:
        bar = self.area.verticalScrollBar()
        bar.setValue(bar.maximum())


class DetailBody(QWidget):
    """A detail page: cards that scroll, and beside them (landscape) or under them
    (portrait) a QR code for the phone and the page's actions — the layout of 岗位详情, so
    every detail page in the kiosk reads the same way."""

    def __init__(self, buttons: Sequence[KioskButton], *, qr_caption: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = CardList()
        self.side = DetailSide(buttons, qr_caption=qr_caption)
        self.qr = self.side.qr
        self.qr_caption = self.side.qr_caption
        self._caption = qr_caption
        self.buttons = self.side.buttons
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(32)
        self._box.addWidget(self.list, 1)
        self._box.addWidget(self.side)
        self.landscape: bool | None = None

    def set_qr(self, data: str, caption: str = "") -> None:
        self.qr.set_data(data)
        self.qr.setVisible(bool(data))
        if caption:
            self._caption = caption
        self.qr_caption.setText(self._caption if data else "")
        self.qr_caption.setVisible(bool(data))

    def arrange(self, landscape: bool) -> None:
        """Landscape: QR and actions in a column at the right. Portrait: a band at the foot,
        the QR at its left and the actions beside it."""
        if landscape == self.landscape:
            return
        self.landscape = landscape
        self._box.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                               else QBoxLayout.Direction.TopToBottom)
        self.side.arrange(landscape)
        if landscape:
            self.side.setMaximumWidth(420)
        else:
            self.side.setMaximumWidth(16_777_215)
