"""Chips a page at a time in an even grid: one question's answers, at most six in view.

The step flows (求职登记, 呼叫就业红娘, the activities' sign-ups) and the events' day strip
ask with these. Unlike :class:`~ui.widgets.chips.ChipGroup` (chips as wide as their words,
flowing) and :class:`ui.widgets.job_chips.PagedChips` (a 更多 chip among the chips), the
chips here share the width in equal columns and turn pages with a pager of their own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label, large_text
from ui.widgets.buttons import KioskButton
from ui.widgets.chips import check_only
from ui.widgets.discard import clear_layout

PAGE_SIZE = 6  # at most six choices visible at once
LANDSCAPE_LARGE_PAGE = 3  # one row: landscape with 长辈模式 has no height for two


def pages_of(count: int, size: int = PAGE_SIZE) -> list[range]:
    """Indexes split into even pages of at most ``size`` (7 → 4 + 3 rather than 6 + 1)."""
    if count <= 0:
        return [range(0)]
    pages = math.ceil(count / size)
    per = math.ceil(count / pages)
    return [range(i, min(i + per, count)) for i in range(0, count, per)]


class PagedChips(QWidget):
    """Chips a page at a time in an even grid: "更多" turns the page, choices survive turning.

    Unlike :class:`~ui.widgets.chips.ChipGroup` (chips as wide as their words, flowing), the
    chips here share the width in ``columns`` equal columns: a page of big, aligned targets
    reads as one question's answers even on a tall portrait screen. At most six per page
    (:data:`PAGE_SIZE`); :meth:`set_page_size` makes pages smaller where big text needs the
    room. The pager (上一页 · 第 1/2 页 · 更多) sits under the chips unless the owner takes it
    with :meth:`take_pager` to put it elsewhere (beside the 下一步 button, say); it is shown
    only while the chips are. ``tapped`` is emitted only for a finger on a chip (not for
    choices set by the program), so the screen can tell whether the resident has started.
    """

    tapped = Signal()
    changed = Signal()

    def __init__(self, options: Iterable[tuple[str, str]], *, exclusive: bool = False,
                 columns: int = 2, page_size: int = PAGE_SIZE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._exclusive = exclusive
        self._columns = columns
        self._page_size = page_size
        self._options: list[tuple[str, str]] = []
        self._pages: list[QWidget] = []
        self._pager_outside = False
        self._shown = False
        self.chips: dict[str, KioskButton] = {}
        self._page = 0
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(24)
        self._grids = QVBoxLayout()
        self._grids.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(self._grids)
        self.prev_button = KioskButton(tr("上一页"))
        self.more_button = KioskButton(tr("更多"))
        self.page_label = label("", "Hint", wrap=False)
        self.prev_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.more_button.clicked.connect(lambda: self.show_page(self._page + 1))
        self.pager = QWidget()
        pager = QHBoxLayout(self.pager)
        pager.setContentsMargins(0, 0, 0, 0)
        pager.setSpacing(20)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.more_button)
        for button in (self.prev_button, self.more_button):  # the pager does not jump about
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            button.setSizePolicy(policy)
        self._layout.addWidget(self.pager, 0, Qt.AlignmentFlag.AlignRight)
        self.set_options(options)

    def take_pager(self) -> QWidget:
        """Hand the pager to the owner's layout; it still shows only with the chips."""
        self._layout.removeWidget(self.pager)
        self._pager_outside = True
        self._update_pager()
        return self.pager

    def set_page_size(self, size: int) -> None:
        """Fewer (or more) chips per page, keeping the choices and the first chip shown."""
        size = max(1, min(size, PAGE_SIZE))
        if size != self._page_size:
            first = self._page * self._page_size
            self._page_size = size
            self.set_options(self._options)
            self.show_page(first // size)

    def set_options(self, options: Iterable[tuple[str, str]]) -> None:
        """Offer new options, keeping the choices that are still among them."""
        chosen = set(self.selected())
        self._options = list(options)
        clear_layout(self._grids)
        self._pages = []
        self.chips = {}
        for page_range in pages_of(len(self._options), self._page_size):
            page = QWidget()
            grid = QGridLayout(page)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(20)
            for n, i in enumerate(page_range):
                value, text = self._options[i]
                chip = KioskButton(text, role="chip")
                chip.setCheckable(True)
                chip.setChecked(value in chosen)
                chip.clicked.connect(self.tapped)
                chip.toggled.connect(lambda on, v=value: self._on_toggled(v, on))
                grid.addWidget(chip, n // self._columns, n % self._columns)
                self.chips[value] = chip
            for column in range(self._columns):
                grid.setColumnStretch(column, 1)
            self._grids.addWidget(page)
            self._pages.append(page)
        self.show_page(0)

    def _on_toggled(self, value: str, on: bool) -> None:
        if self._exclusive and on:
            check_only(self.chips, {value})
        self.changed.emit()

    def show_page(self, page: int) -> None:
        self._page = max(0, min(page, len(self._pages) - 1))
        for i, widget in enumerate(self._pages):
            widget.setVisible(i == self._page)
        many = len(self._pages) > 1
        self.prev_button.setVisible(self._page > 0)
        self.more_button.setVisible(self._page < len(self._pages) - 1)
        self.page_label.setText(tr("第 {page}/{pages} 页").format(
            page=self._page + 1, pages=len(self._pages)) if many else "")
        self._update_pager()

    def _update_pager(self) -> None:
        many = len(self._pages) > 1
        self.pager.setVisible(many and (self._shown or not self._pager_outside))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._shown = True
        self._update_pager()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._shown = False
        self._update_pager()

    @property
    def page(self) -> int:
        return self._page

    @property
    def pages(self) -> int:
        return len(self._pages)

    @property
    def options(self) -> list[tuple[str, str]]:
        return list(self._options)

    def selected(self) -> list[str]:
        """Chosen values in the order they are offered."""
        return [v for v, _ in self._options if v in self.chips and self.chips[v].isChecked()]

    def value(self) -> str | None:
        chosen = self.selected()
        return chosen[0] if chosen else None

    def set_selected(self, values: Iterable[str]) -> None:
        wanted = list(values)
        if self._exclusive:
            wanted = wanted[:1]
        check_only(self.chips, wanted)
        self.changed.emit()

    def clear(self) -> None:
        self.set_selected(())

    def chip(self, value: str) -> KioskButton:
        """The chip for ``value``, turning to its page first (what a finger would do)."""
        for i, page_range in enumerate(pages_of(len(self._options), self._page_size)):
            if any(self._options[j][0] == value for j in page_range):
                self.show_page(i)
                return self.chips[value]
        raise KeyError(value)


def chip_page(chips: PagedChips) -> QWidget:
    """A step's page: the chips at the top, a little below the question, the rest empty."""
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 8, 0, 0)
    box.addWidget(chips)
    box.addStretch(1)
    return page


def fit_landscape_pages(owner: QWidget, pickers: Iterable[PagedChips]) -> None:
    """Landscape with 长辈模式: one row of chips per page is all that fits in 1080 px (call
    it for a landscape screen when it is shown and when the style changes)."""
    size = LANDSCAPE_LARGE_PAGE if large_text(owner) else PAGE_SIZE
    for picker in pickers:
        picker.set_page_size(size)
